"""API of C-2 and the self-inspection: /api/v1/policy-documents/, /inspection-campaigns/, /improvement-actions/.

The same services and selectors as the pages, body-scoped; vendors are refused.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from tejun.access.policy import can, visible
from tejun.api.base import BodyMember, StrictFields
from tejun.lib.errors import Forbidden

from . import selectors, services
from .models import ImprovementAction, InspectionAnswer, InspectionCampaign, PolicyDocument, PolicyReview


class GovernanceReader(BodyMember):
    """A member of staff of the body (vendors may not read these)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if not can(request.user, "governance.view"):
            self.message = _("このデータを閲覧する権限がありません。")
            return False
        return True


def _require(user, action_, message):
    if not can(user, action_):
        raise Forbidden(message)


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class VersionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    label = serializers.CharField(read_only=True)
    effective_on = serializers.DateField(help_text=_("施行日"))
    summary = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("改定内容"))
    file = serializers.FileField(write_only=True, help_text=_("PDF・.docx・.xlsx（10MBまで）"))
    file_name = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    sha256 = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    uploaded_by = PersonRefSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class VersionInputSerializer(StrictFields, VersionSerializer):
    pass


class DocumentSerializer(StrictFields, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    title = serializers.CharField(required=False, max_length=200, help_text=_("名称"))
    review_cycle_months = serializers.IntegerField(required=False, min_value=1, max_value=120,
                                                   help_text=_("見直しの周期（月）"))
    next_review_due = serializers.DateField(required=False, allow_null=True, help_text=_("次回見直し期限"))
    requires_acknowledgement = serializers.BooleanField(required=False, help_text=_("職員の周知確認を求める"))
    current_version = VersionSerializer(read_only=True, allow_null=True)


class ReviewSerializer(StrictFields, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reviewed_on = serializers.DateField(help_text=_("見直し日"))
    outcome = serializers.ChoiceField(choices=PolicyReview.Outcome.choices, help_text=_("結果"))
    changes = serializers.CharField(max_length=5000, help_text=_("見直しの内容"))
    approved_by = serializers.IntegerField(write_only=True, help_text=_("承認者（職員の ID）"))
    approved_on = serializers.DateField(help_text=_("承認日"))
    version = serializers.IntegerField(write_only=True, required=False, allow_null=True,
                                       help_text=_("改定後の版の ID"))
    next_review_due = serializers.DateField(required=False, allow_null=True,
                                            help_text=_("次回見直し期限（省略時は周期から計算）"))
    recorded_by = PersonRefSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["approved_by"] = instance.approved_by_id
        data["approved_by_name"] = instance.approved_by.full_name
        data["version"] = instance.version_id
        return data


class AckStatusSerializer(serializers.Serializer):
    version = serializers.IntegerField(allow_null=True)
    acknowledged = serializers.ListField(child=serializers.DictField())
    pending = PersonRefSerializer(many=True)


class PolicyDocumentViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The policy, the procedures and the emergency response plan: versions, reviews, acknowledgements."""

    permission_classes = [GovernanceReader]
    serializer_class = DocumentSerializer
    pagination_class = None
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PolicyDocument.objects.none()
        return selectors.document_list(self.request.user)

    def get_object(self):
        return selectors.document_get(self.request.user, self.kwargs["pk"])

    def partial_update(self, request, *args, **kwargs):
        doc = self.get_object()
        _require(request.user, "governance.manage", _("規程文書を編集する権限がありません。"))
        s = self.get_serializer(doc, data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        doc = services.update_document(doc, actor=request.user, **s.validated_data)
        return Response(self.get_serializer(doc).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=VersionInputSerializer, responses=VersionSerializer)
    @action(detail=True, methods=["get", "post"])
    def versions(self, request, pk=None):
        """GET: every version, newest first. POST (multipart): a new version, which becomes the current one."""
        doc = self.get_object()
        if request.method == "GET":
            return Response(VersionSerializer(selectors.versions_of(doc), many=True).data)
        _require(request.user, "governance.manage", _("規程文書の版を登録する権限がありません。"))
        s = VersionInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        version = services.add_version(doc, actor=request.user, **s.validated_data)
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["get", "post"])
    def reviews(self, request, pk=None):
        """GET: the reviews (見直し), newest first. POST: record one (the promoter)."""
        doc = self.get_object()
        if request.method == "GET":
            return Response(ReviewSerializer(selectors.reviews_of(doc), many=True).data)
        _require(request.user, "governance.manage", _("見直しを記録する権限がありません。"))
        s = ReviewSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        review = services.record_review(doc, actor=request.user, **s.validated_data)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: None})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """"I have read the current version" (409 when the document has no version)."""
        doc = self.get_object()
        if doc.current_version is None:
            from tejun.lib.errors import WrongState

            raise WrongState(_("この規程文書には版が登録されていません。"))
        ack = services.acknowledge(doc.current_version, actor=request.user)
        return Response({"version": ack.version_id, "acknowledged_at": ack.acknowledged_at},
                        status=status.HTTP_201_CREATED)

    @extend_schema(responses=AckStatusSerializer)
    @action(detail=True, methods=["get"])
    def acknowledgements(self, request, pk=None):
        """Who has and who has not acknowledged the current version (those who oversee)."""
        doc = self.get_object()
        _require(request.user, "governance.view_results", _("周知確認の状況を閲覧する権限がありません。"))
        st = selectors.acknowledgement_status(doc)
        return Response({
            "version": st.version.pk if st.version else None,
            "acknowledged": [{"id": p.pk, "full_name": p.full_name, "acknowledged_at": at} for p, at in st.acknowledged],
            "pending": [{"id": p.pk, "full_name": p.full_name} for p in st.pending],
        })


# ---------------------------------------------------------------- self-inspection

class CampaignItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    procedure = serializers.CharField()
    text = serializers.CharField()


class CampaignSerializer(StrictFields, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    fiscal_year = serializers.IntegerField(required=False, min_value=2000, max_value=2200,
                                           help_text=_("年度（西暦、4月1日始まり）。省略時は今年度"))
    fiscal_year_label = serializers.CharField(read_only=True)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    due_on = serializers.DateField(help_text=_("回答期限"))
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)  # null while open
    items = CampaignItemSerializer(many=True, read_only=True, source="items.all")


class AnswerSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text=_("項目の ID"))
    answer = serializers.ChoiceField(choices=InspectionAnswer.Answer.choices, help_text=_("yes / no / na"))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ResponseInputSerializer(StrictFields, serializers.Serializer):
    answers = AnswerSerializer(many=True)
    submit = serializers.BooleanField(required=False, default=False, help_text=_("true で提出（全項目の回答が必要）"))


class ActionSerializer(StrictFields, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    campaign = serializers.IntegerField(source="campaign_id", read_only=True)
    item = serializers.IntegerField(write_only=True, required=False, allow_null=True, help_text=_("点検項目の ID"))
    description = serializers.CharField(max_length=5000, help_text=_("改善措置"))
    assignee = serializers.IntegerField(write_only=True, help_text=_("担当者（職員の ID）"))
    due_on = serializers.DateField(help_text=_("期限"))
    done_on = serializers.DateField(read_only=True)
    result = serializers.CharField(read_only=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["item"] = instance.item_id
        data["assignee"] = instance.assignee_id
        return data


class CompleteSerializer(StrictFields, serializers.Serializer):
    result = serializers.CharField(max_length=5000, help_text=_("実施結果"))
    done_on = serializers.DateField(required=False, allow_null=True, help_text=_("完了日（省略時は今日）"))


def _response_data(response, campaign):
    answers = selectors.answers_by_item(response)
    return {
        "id": response.pk if response else None,
        "submitted_at": response.submitted_at if response else None,
        "answers": [{"item": i.pk, "answer": answers[i.pk].answer, "note": answers[i.pk].note}
                    for i in campaign.items.all() if i.pk in answers],
    }


class InspectionCampaignViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """A year's self-inspection (自己点検): the checklist, my answers, the totals, improvement actions."""

    permission_classes = [GovernanceReader]
    serializer_class = CampaignSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InspectionCampaign.objects.none()
        return selectors.campaign_list(self.request.user).prefetch_related("items")

    def get_object(self):
        return selectors.campaign_get(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        _require(request.user, "governance.manage", _("自己点検を開始する権限がありません。"))
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        campaign = services.start_campaign(actor=request.user, due_on=d["due_on"], fiscal_year_=d.get("fiscal_year"),
                                           title=d["title"])
        return Response(self.get_serializer(campaign).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ResponseInputSerializer, responses=None)
    @action(detail=True, methods=["get", "put"], url_path="my-response")
    def my_response(self, request, pk=None):
        """GET: my answers. PUT: save them ({"answers": [{item, answer, note}], "submit": true to hand in})."""
        campaign = self.get_object()
        if request.method == "GET":
            return Response(_response_data(selectors.response_of(campaign, request.user), campaign))
        s = ResponseInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        answers = {a["item"]: (a["answer"], a["note"]) for a in s.validated_data["answers"]}
        response = services.save_answers(campaign, actor=request.user, answers=answers,
                                         submit=s.validated_data["submit"])
        return Response(_response_data(response, campaign))

    @extend_schema(responses=None)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """Totals per item (submitted answers) and who has not answered (those who oversee)."""
        campaign = self.get_object()
        _require(request.user, "governance.view_results", _("自己点検の集計を閲覧する権限がありません。"))
        responses = list(selectors.responses_of(campaign))
        return Response({
            "items": [{"item": t.item.pk, "code": t.item.code, "yes": t.yes, "no": t.no, "na": t.na,
                       "yes_rate": t.yes_rate} for t in selectors.campaign_totals(campaign)],
            "submitted": sum(1 for r in responses if r.submitted_at),
            "total": len(responses),
            "unanswered": [{"id": r.person_id, "full_name": r.person.full_name}
                           for r in responses if r.submitted_at is None],
        })

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close the campaign (409 when already closed)."""
        campaign = services.close_campaign(self.get_object(), actor=request.user)
        return Response(self.get_serializer(campaign).data)

    @extend_schema(request=ActionSerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"])
    def actions(self, request, pk=None):
        """Register an improvement action (改善措置)."""
        campaign = self.get_object()
        _require(request.user, "governance.manage", _("改善措置を登録する権限がありません。"))
        s = ActionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        a = services.add_action(campaign, actor=request.user, **s.validated_data)
        return Response(ActionSerializer(a).data, status=status.HTTP_201_CREATED)


class ImprovementActionViewSet(viewsets.ReadOnlyModelViewSet):
    """Improvement actions of the body; ?open=1 for those not yet done."""

    permission_classes = [GovernanceReader]
    serializer_class = ActionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ImprovementAction.objects.none()
        qs = visible(self.request.user, ImprovementAction).order_by("done_on", "due_on", "id")
        if self.request.query_params.get("open") in ("1", "true"):
            qs = qs.filter(done_on__isnull=True)
        return qs

    def get_object(self):
        from tejun.access.policy import get_visible

        return get_visible(self.request.user, ImprovementAction, self.kwargs["pk"])

    @extend_schema(request=CompleteSerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Mark done with the result (the assignee, or those who run the self-inspection; 409 when done)."""
        a = self.get_object()
        if not can(request.user, "governance.complete_action", a):  # the role before the input (authorisation matrix)
            raise Forbidden(_("この改善措置を完了にする権限がありません。"))
        s = CompleteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        a = services.complete_action(a, actor=request.user, result=s.validated_data["result"],
                                     done_on=s.validated_data.get("done_on"))
        return Response(ActionSerializer(a).data)


class ChecklistItemSerializer(StrictFields, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(max_length=20, help_text=_("項目番号"))
    procedure = serializers.CharField(required=False, allow_blank=True, default="", max_length=30,
                                      help_text=_("根拠（例：C-4）"))
    text = serializers.CharField(max_length=2000, help_text=_("点検項目"))
    order = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=32767)
    is_active = serializers.BooleanField(required=False, help_text=_("次の自己点検で使うか"))


class ChecklistItemViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The checklist template of the body (campaigns already started keep their own copy).

    POST adds an item; PATCH changes only is_active."""

    permission_classes = [GovernanceReader]
    serializer_class = ChecklistItemSerializer
    pagination_class = None
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        from .models import ChecklistItem

        if getattr(self, "swagger_fake_view", False):
            return ChecklistItem.objects.none()
        return visible(self.request.user, ChecklistItem).order_by("order", "code")

    def get_object(self):
        from tejun.access.policy import get_visible

        from .models import ChecklistItem

        return get_visible(self.request.user, ChecklistItem, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        _require(request.user, "governance.manage", _("自己点検項目を編集する権限がありません。"))
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = {k: v for k, v in s.validated_data.items() if k != "is_active"}
        item = services.add_checklist_item(actor=request.user, **data)
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        _require(request.user, "governance.manage", _("自己点検項目を編集する権限がありません。"))
        s = self.get_serializer(item, data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        if set(s.validated_data) - {"is_active"} or "is_active" not in s.validated_data:
            from tejun.lib.errors import InvalidInput

            raise InvalidInput(_("変更できるのは is_active だけです。"),
                               fields={k: [_("この項目は変更できません。")] for k in set(s.validated_data) - {"is_active"}})
        item = services.set_checklist_item_active(item, actor=request.user, is_active=s.validated_data["is_active"])
        return Response(self.get_serializer(item).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)
