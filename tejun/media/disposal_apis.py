"""/api/v1/disposals/: P-02 disposal requests. Each transition is `POST /disposals/{id}/{transition}/`.

`record_destruction` is sent as multipart/form-data (the photo or certificate in `file`), or as JSON when
there is no file. The printed documents (廃棄申請書, 廃棄記録簿) are pages only.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tejun.access.policy import can
from tejun.api.base import BodyMember, StrictFields
from tejun.assets.models import Axis, ClassificationLevel
from tejun.lib.errors import Forbidden, NotFound
from tejun.workflow.engine import perform

from . import disposal_selectors as selectors
from . import disposal_services as services
from .apis import BodyMedium, MediumChoicesSerializer, MediumSearchFilter, medium_choices
from .models import DestructionRecord, DisposalRequest

WORKFLOW = DisposalRequest.workflow


class BodyLevel(serializers.PrimaryKeyRelatedField):
    """A confidentiality level of the acting user's body's classification scheme."""

    def get_queryset(self):
        request = self.context.get("request")
        body_id = getattr(getattr(request, "user", None), "body_id", None) or -1
        return ClassificationLevel.objects.filter(scheme__body_id=body_id, axis=Axis.CONFIDENTIALITY)


class DestructionSerializer(serializers.ModelSerializer):
    method_label = serializers.CharField(source="get_method_display", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.full_name", read_only=True)
    file_url = serializers.SerializerMethodField(help_text=gettext_lazy("写真・証明書のダウンロード（画面のURL）"))

    class Meta:
        model = DestructionRecord
        fields = ["method", "method_label", "performer", "witness", "performed_at", "place", "certificate_number",
                  "file_name", "file_sha256", "file_url", "recorded_by", "recorded_at"]
        read_only_fields = fields

    def get_file_url(self, obj) -> str | None:
        return reverse("media:disposal-file", args=[obj.disposal_id]) if obj.file else None


class DisposalSerializer(StrictFields, serializers.ModelSerializer):
    requester = serializers.CharField(source="requester.full_name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    medium = BodyMedium()
    medium_number = serializers.CharField(source="medium.number", read_only=True)
    medium_status = serializers.CharField(source="medium.get_status_display", read_only=True)
    reason = serializers.CharField(max_length=2000)
    highest_level = BodyLevel(required=False, allow_null=True, help_text=gettext_lazy(
        "含まれるデータの最高機密性（classification-levels の id）。省略すると記録媒体管理台帳の値。"))
    highest_level_label = serializers.CharField(source="highest_level.label", read_only=True, default=None)
    needs_approval = serializers.BooleanField(read_only=True, help_text=gettext_lazy(
        "機密性2以上: 責任者の承認と物理的な破壊が必要"))
    destruction = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField(
        help_text=gettext_lazy("この利用者がいま行える操作: POST /disposals/{id}/{操作}/"))

    class Meta:
        model = DisposalRequest
        fields = ["id", "number", "state", "state_label", "requester", "medium", "medium_number", "medium_status",
                  "reason", "highest_level", "highest_level_label", "needs_approval", "created_at", "destruction",
                  "available_transitions"]
        read_only_fields = ["number", "state", "created_at"]

    def get_destruction(self, obj) -> DestructionSerializer(allow_null=True):  # type: ignore[valid-type]
        record = getattr(obj, "destruction", None) if obj.state == "destroyed" else None
        return DestructionSerializer(record).data if record else None

    def get_available_transitions(self, obj) -> list[str]:
        return [t.name for t, _a in services.disposal_actions(self.context["request"].user, obj)]


class DisposalEditSerializer(DisposalSerializer):
    medium = BodyMedium(read_only=True)


class DisposalFilter(serializers.Serializer):
    state = serializers.ChoiceField(choices=list(WORKFLOW.states.items()), required=False)
    q = serializers.CharField(required=False, max_length=100, help_text=gettext_lazy("申請番号・登録番号・理由で検索"))


class TransitionInputSerializer(StrictFields, serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    deputy_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class DestructionInputSerializer(TransitionInputSerializer):
    """record_destruction: the service checks the method against the classification and the evidence."""

    method = serializers.ChoiceField(choices=DestructionRecord.Method.choices)
    performer = serializers.CharField(max_length=100)
    witness = serializers.CharField(max_length=100)
    performed_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    certificate_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, help_text=gettext_lazy(
        "写真・証明書（PNG・JPEG・PDF、10MBまで、中身で形式を確認）"))


@extend_schema_view(list=extend_schema(parameters=[DisposalFilter]))
class DisposalViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """P-02 disposal requests. PATCH corrects a request that was sent back; no PUT, no DELETE (withdraw)."""

    permission_classes = [BodyMember]
    serializer_class = DisposalSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DisposalRequest.objects.none()
        f = DisposalFilter(data={k: v for k, v in self.request.query_params.items() if k in ("state", "q")})
        f.is_valid(raise_exception=True)
        return selectors.disposal_list(self.request.user, state=f.validated_data.get("state", ""),
                                       q=f.validated_data.get("q", "")).select_related("destruction")

    def get_object(self):
        return selectors.disposal_get(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        if not can(request.user, "media.request_disposal"):  # the role before the input (authorisation matrix)
            raise Forbidden(_("この操作を行う権限がありません。"))
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        obj = services.create_disposal(actor=request.user, **s.validated_data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DisposalEditSerializer, responses=DisposalSerializer)
    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        services.check_editable(obj, request.user)  # who and which state, before reading the input
        s = DisposalEditSerializer(obj, data=request.data, partial=True, context=self.get_serializer_context())
        s.is_valid(raise_exception=True)
        obj = services.update_disposal(obj, actor=request.user, **s.validated_data)
        return Response(self.get_serializer(obj).data)

    @extend_schema(parameters=[MediumSearchFilter], responses=MediumChoicesSerializer,
                   summary=gettext_lazy("廃棄を申請できる記録媒体を探す（保管中で、持出し申請が処理中でないもの。"
                                        "責任者・管理者・担当者以外は自分が管理者の媒体だけ）"))
    @action(detail=False, methods=["get"], url_path="media", url_name="media")
    def disposable_media(self, request, format=None):  # format: the router's .json twin
        if not can(request.user, "media.request_disposal"):
            raise Forbidden(_("廃棄申請を行う権限がありません。"))
        return medium_choices(request, selectors.disposable_media(request.user))

    @extend_schema(
        operation_id="disposals_transition",
        summary=gettext_lazy("状態を進める（承認・差戻し・却下・再申請・取下げ・破壊の記録）"),
        description=gettext_lazy("record_destruction は multipart/form-data（file に写真・証明書）または JSON。"
                                 "機密性2以上は承認後に限り、破砕・穿孔・裁断のみ、ファイルか証明書番号が必要。"),
        request={"application/json": DestructionInputSerializer, "multipart/form-data": DestructionInputSerializer},
        responses=DisposalSerializer,
        parameters=[OpenApiParameter("transition", str, OpenApiParameter.PATH,
                                     enum=[t.name for t in WORKFLOW.transitions])],
    )
    @action(detail=True, methods=["post"], url_path=r"(?P<transition>[a-z_]+)")
    def transition(self, request, pk=None, transition=None):
        obj = self.get_object()
        if WORKFLOW.get(transition) is None:
            raise NotFound(_("この操作はありません: %(name)s") % {"name": transition})
        if transition == "record_destruction":
            services.precheck_destruction(obj, request.user)  # who and when before what: 403 / 409 first
            s = DestructionInputSerializer(data=request.data)
            s.is_valid(raise_exception=True)
            data = dict(s.validated_data)
            obj = services.record_destruction(obj, actor=request.user, comment=data.pop("comment"),
                                              deputy_reason=data.pop("deputy_reason"), **data)
        else:
            s = TransitionInputSerializer(data=request.data)
            s.is_valid(raise_exception=True)
            obj = perform(obj, transition, request.user, comment=s.validated_data["comment"],
                          deputy_reason=s.validated_data["deputy_reason"])
        return Response(self.get_serializer(obj).data)
