"""The incidents API: reports, their transitions, checklists, timeline and evidence; the contact matrix.

Body-scoped like every page; a vendor account (and staff without an incident role) sees only what it
reported. Each transition is `POST /incidents/{id}/{transition}/` with the fields it asks for.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from tejun.access.policy import can, get_visible
from tejun.api.base import BodyMember, StrictFields
from tejun.lib.errors import Forbidden, InvalidInput, NotFound
from tejun.lib.uploads import attachment_response
from tejun.workflow.engine import available_transitions, perform

from . import checklists, contact_services, selectors, services
from .models import (
    ContactCase,
    ContactParty,
    DisconnectionStep,
    Incident,
    IncidentAttachment,
    IncidentContact,
)
from .transitions import missing_for_closure

WORKFLOW = Incident.workflow
EXTRA = "timeline|attachments|case|contacts|disconnection"  # sub-resources, never transition names


class IncidentSerializer(serializers.ModelSerializer):
    requester = serializers.CharField(source="requester.full_name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    procedure = serializers.CharField(read_only=True)
    contractor_name = serializers.CharField(source="contractor.name", read_only=True, default=None, allow_null=True)
    available_transitions = serializers.SerializerMethodField(
        help_text=gettext_lazy("この利用者がいま行える操作: POST /incidents/{id}/{操作}/"))

    class Meta:
        model = Incident
        fields = ["id", "number", "state", "state_label", "kind", "kind_label", "procedure", "title",
                  "description", "location", "occurred_at", "reported_at", "requester", "contractor",
                  "contractor_name", "source_label", "findings", "cause", "damage", "scope", "instruction",
                  "action_taken", "prevention", "vendor_name", "vendor_contacted_at", "vendor_note", "system_name",
                  "failure_started_at", "failure_ended_at", "impact", "case", "persons_affected", "sensitive_data",
                  "financial_risk", "wrongful_purpose", "ppc_report_likely", "closed_at", "available_transitions"]
        read_only_fields = fields

    def get_available_transitions(self, obj) -> list[str]:
        return [t.name for t, _a in available_transitions(self.context["request"].user, obj)]


class IncidentContactSerializer(serializers.ModelSerializer):
    done_by = serializers.CharField(source="done_by.full_name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = IncidentContact
        fields = ["id", "name", "contact_details", "caller_role", "required", "done_at", "done_by", "waived_reason",
                  "note", "settled"]
        read_only_fields = fields


class IncidentStepSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_step_display", read_only=True)
    done_by = serializers.CharField(source="done_by.full_name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = DisconnectionStep
        fields = ["id", "step", "label", "done_at", "done_by", "note"]
        read_only_fields = fields


class IncidentTimelineSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    at = serializers.DateTimeField()
    text = serializers.CharField(max_length=5000)
    author = serializers.CharField(source="author.full_name", read_only=True)


class IncidentAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentAttachment
        fields = ["id", "file_name", "sha256", "size", "description", "uploaded_at"]
        read_only_fields = fields


class IncidentDetailSerializer(IncidentSerializer):
    contacts = IncidentContactSerializer(many=True, read_only=True)
    disconnection_steps = IncidentStepSerializer(many=True, read_only=True)
    missing_for_closure = serializers.SerializerMethodField()

    class Meta(IncidentSerializer.Meta):
        fields = IncidentSerializer.Meta.fields + ["contacts", "disconnection_steps", "missing_for_closure"]
        read_only_fields = fields

    def get_missing_for_closure(self, obj) -> list[str]:
        return missing_for_closure(obj) if obj.is_open else []


class IncidentReportSerializer(StrictFields, serializers.Serializer):
    kind = serializers.ChoiceField(choices=Incident.Kind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=5000)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    system_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    persons_affected = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    sensitive_data = serializers.BooleanField(required=False)
    financial_risk = serializers.BooleanField(required=False)
    wrongful_purpose = serializers.BooleanField(required=False)


class IncidentDetailsSerializer(StrictFields, serializers.Serializer):
    kind = serializers.ChoiceField(choices=Incident.Kind.choices, required=False)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    failure_started_at = serializers.DateTimeField(required=False, allow_null=True)
    failure_ended_at = serializers.DateTimeField(required=False, allow_null=True)
    persons_affected = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    sensitive_data = serializers.BooleanField(required=False)
    financial_risk = serializers.BooleanField(required=False)
    wrongful_purpose = serializers.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in services.EDITABLE_FIELDS:
            if name not in self.fields:
                self.fields[name] = serializers.CharField(required=False, allow_blank=True,
                                                          max_length=services.SHORT_TEXT.get(name, services.TEXT_MAX))


class IncidentTransitionInputSerializer(StrictFields, serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    deputy_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    findings = serializers.CharField(required=False, max_length=5000)
    cause = serializers.CharField(required=False, max_length=5000)
    damage = serializers.CharField(required=False, max_length=5000)
    scope = serializers.CharField(required=False, max_length=5000)
    description = serializers.CharField(required=False, max_length=5000)
    instruction = serializers.CharField(required=False, max_length=5000)
    action_taken = serializers.CharField(required=False, max_length=5000)
    prevention = serializers.CharField(required=False, max_length=5000)
    vendor_name = serializers.CharField(required=False, max_length=200)
    vendor_contacted_at = serializers.DateTimeField(required=False)
    vendor_note = serializers.CharField(required=False, max_length=5000)
    system_name = serializers.CharField(required=False, max_length=200)
    failure_started_at = serializers.DateTimeField(required=False)
    failure_ended_at = serializers.DateTimeField(required=False)
    impact = serializers.CharField(required=False, max_length=5000)


class IncidentCaseInputSerializer(StrictFields, serializers.Serializer):
    case = serializers.IntegerField()


class IncidentContactInputSerializer(StrictFields, serializers.Serializer):
    contact = serializers.IntegerField()
    action = serializers.ChoiceField(choices=[("done", "done"), ("waive", "waive")], default="done")
    done_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    waived_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class IncidentStepInputSerializer(StrictFields, serializers.Serializer):
    step = serializers.IntegerField(required=False, help_text=gettext_lazy("実施した手順の番号（1〜10）。省略すると手順を開始"))
    done_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class IncidentAttachmentInputSerializer(StrictFields, serializers.Serializer):
    file = serializers.FileField(help_text=gettext_lazy("PNG・JPEG・PDF、10MBまで（中身で形式を確認）"))
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class IncidentFilter(serializers.Serializer):
    state = serializers.ChoiceField(choices=list(WORKFLOW.states.items()), required=False)
    kind = serializers.ChoiceField(choices=Incident.Kind.choices, required=False)
    q = serializers.CharField(required=False, max_length=100)
    open = serializers.BooleanField(required=False)


@extend_schema_view(list=extend_schema(parameters=[IncidentFilter]))
class IncidentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Security incidents (P-04, P-06, P-10, P-11). POST files a report; PATCH completes the record."""

    permission_classes = [BodyMember]
    serializer_class = IncidentSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Incident.objects.none()
        params = {k: v for k, v in self.request.query_params.items() if k in ("state", "kind", "q", "open")}
        f = IncidentFilter(data=params)
        f.is_valid(raise_exception=True)
        d = f.validated_data
        return selectors.incident_list(self.request.user, state=d.get("state", ""), kind=d.get("kind", ""),
                                       q=d.get("q", ""), open_only=d.get("open", False))

    def get_object(self):
        return selectors.incident_get(self.request.user, self.kwargs["pk"])

    def get_serializer_class(self):
        return IncidentDetailSerializer if self.action != "list" else IncidentSerializer

    def _detail(self, obj, code=status.HTTP_200_OK):
        obj = Incident.objects.get(pk=obj.pk)
        return Response(IncidentDetailSerializer(obj, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=IncidentReportSerializer, responses=IncidentDetailSerializer)
    def create(self, request, *args, **kwargs):
        if not can(request.user, "incidents.report"):
            raise Forbidden(_("事故を報告する権限がありません。"))
        s = IncidentReportSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        obj = services.open_incident(reporter=request.user, **s.validated_data)
        return self._detail(obj, status.HTTP_201_CREATED)

    @extend_schema(request=IncidentDetailsSerializer, responses=IncidentDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        services.check_handler(obj, request.user)  # who and which state before what
        s = IncidentDetailsSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        return self._detail(services.update_details(obj, actor=request.user, **s.validated_data))

    @extend_schema(
        operation_id="incidents_transition",
        summary=gettext_lazy("手続を進める（受付・報告・事業者への連絡・指示・措置・完了・取下げ）"),
        request=IncidentTransitionInputSerializer, responses=IncidentDetailSerializer,
        parameters=[OpenApiParameter("transition", str, OpenApiParameter.PATH,
                                     enum=[t.name for t in WORKFLOW.transitions])],
    )
    @action(detail=True, methods=["post"], url_path=rf"(?P<transition>(?!(?:{EXTRA})/)[a-z_]+)")
    def transition(self, request, pk=None, transition=None):
        obj = self.get_object()
        if WORKFLOW.get(transition) is None:
            raise NotFound(_("この操作はありません: %(name)s") % {"name": transition})
        s = IncidentTransitionInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = dict(s.validated_data)
        comment, deputy_reason = data.pop("comment"), data.pop("deputy_reason")
        return self._detail(perform(obj, transition, request.user, comment=comment, deputy_reason=deputy_reason,
                                    data=data))

    @extend_schema(request=IncidentTimelineSerializer, responses=IncidentTimelineSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="timeline")
    def timeline(self, request, pk=None):
        obj = self.get_object()
        if request.method == "POST":
            s = IncidentTimelineSerializer(data=request.data)
            s.is_valid(raise_exception=True)
            entry = services.add_timeline_entry(obj, actor=request.user, **s.validated_data)
            return Response(IncidentTimelineSerializer(entry).data, status=status.HTTP_201_CREATED)
        return Response(IncidentTimelineSerializer(obj.timeline.select_related("author"), many=True).data)

    @extend_schema(request={"multipart/form-data": IncidentAttachmentInputSerializer}, responses=IncidentAttachmentSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="attachments")
    def attachments(self, request, pk=None):
        obj = self.get_object()
        if request.method == "POST":
            s = IncidentAttachmentInputSerializer(data=request.data)
            s.is_valid(raise_exception=True)
            attachment = services.add_attachment(obj, actor=request.user, uploaded=s.validated_data["file"],
                                                 description=s.validated_data["description"])
            return Response(IncidentAttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)
        return Response(IncidentAttachmentSerializer(obj.attachments.all(), many=True).data)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>\d+)")
    def attachment_file(self, request, pk=None, attachment_pk=None):
        obj = self.get_object()
        attachment = IncidentAttachment.objects.filter(incident=obj, pk=attachment_pk).first()
        if attachment is None:
            raise NotFound(_("見つかりません。"))
        return attachment_response(attachment.file, attachment.file_name)

    @extend_schema(request=IncidentCaseInputSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="case")
    def case(self, request, pk=None):
        obj = self.get_object()
        services.check_handler(obj, request.user)
        s = IncidentCaseInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        case = ContactCase.objects.filter(pk=s.validated_data["case"], body_id=request.user.body_id).first()
        return self._detail(checklists.choose_case(obj, actor=request.user, case=case))

    @extend_schema(request=IncidentContactInputSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="contacts")
    def contacts(self, request, pk=None):
        obj = self.get_object()
        services.check_handler(obj, request.user)
        s = IncidentContactInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        row = IncidentContact.objects.filter(incident=obj, pk=d["contact"]).select_related("incident").first()
        if row is None:
            raise NotFound(_("見つかりません。"))
        if d["action"] == "waive":
            checklists.waive_contact(row, actor=request.user, reason=d["waived_reason"])
        else:
            checklists.record_contact(row, actor=request.user, done_at=d["done_at"], note=d["note"])
        return self._detail(obj)

    @extend_schema(request=IncidentStepInputSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="disconnection")
    def disconnection(self, request, pk=None):
        obj = self.get_object()
        services.check_handler(obj, request.user)
        s = IncidentStepInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        if d.get("step") is None:
            checklists.attach_disconnection(obj, actor=request.user)
        else:
            step = DisconnectionStep.objects.filter(incident=obj, step=d["step"]).select_related("incident").first()
            if step is None:
                raise NotFound(_("見つかりません。"))
            checklists.mark_step(step, actor=request.user, done_at=d["done_at"], note=d["note"])
        return self._detail(obj)


class IncidentPartySerializer(StrictFields, serializers.ModelSerializer):
    class Meta:
        model = ContactParty
        fields = ["id", "key", "name", "contact_details", "note", "order"]
        read_only_fields = ["id", "key", "order"]


class IncidentCaseSerializer(StrictFields, serializers.ModelSerializer):
    parties = serializers.PrimaryKeyRelatedField(many=True, queryset=ContactParty.objects.all())

    class Meta:
        model = ContactCase
        fields = ["id", "name", "caller_role", "parties", "active", "order"]
        read_only_fields = ["id", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        body_id = getattr(getattr(request, "user", None), "body_id", None) or -1
        self.fields["parties"].child_relation.queryset = ContactParty.objects.filter(body_id=body_id)


class _MatrixViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [BodyMember]
    http_method_names = ["get", "post", "patch", "head", "options"]
    model = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        if not can(self.request.user, "incidents.view_contacts"):
            raise Forbidden(_("緊急連絡先を見る権限がありません。"))
        selectors.contact_cases(self.request.user.body_id)  # seeds the source's rows on first use
        qs = self.model.objects.filter(body_id=self.request.user.body_id)
        return qs.prefetch_related("parties") if self.model is ContactCase else qs

    def get_object(self):
        self.get_queryset()
        return get_visible(self.request.user, self.model, self.kwargs["pk"])

    def require_keeper(self):
        # The role first: a refused person learns nothing from how the input would have been judged.
        if not can(self.request.user, "incidents.manage_contacts"):
            raise Forbidden(_("緊急連絡先を編集する権限がありません。"))


class ContactPartyViewSet(_MatrixViewSet):
    """緊急連絡先 (P-10): how to reach each party. Managers, the supreme admin and the promoter edit."""

    serializer_class = IncidentPartySerializer
    model = ContactParty

    def create(self, request, *args, **kwargs):
        self.require_keeper()
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        party = contact_services.save_party(actor=request.user, **s.validated_data)
        return Response(self.get_serializer(party).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        party = self.get_object()
        s = self.get_serializer(party, data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        fields = {"name": party.name, "contact_details": party.contact_details, "note": party.note,
                  **s.validated_data}
        return Response(self.get_serializer(contact_services.save_party(actor=request.user, party=party,
                                                                        **fields)).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class ContactCaseViewSet(_MatrixViewSet):
    """The contact matrix (P-10): one row per case, whom to contact and who calls."""

    serializer_class = IncidentCaseSerializer
    model = ContactCase

    def create(self, request, *args, **kwargs):
        self.require_keeper()
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        case = contact_services.save_case(actor=request.user, **s.validated_data)
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        case = self.get_object()
        s = self.get_serializer(case, data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        fields = {"name": case.name, "caller_role": case.caller_role, "parties": list(case.parties.all()),
                  "active": case.active, **s.validated_data}
        return Response(self.get_serializer(contact_services.save_case(actor=request.user, case=case,
                                                                       **fields)).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


class ReminderHoursView(APIView):
    """Hours each incident step may wait before a reminder (GET; POST {state: hours} to change)."""

    permission_classes = [BodyMember]

    @extend_schema(responses={200: dict})
    def get(self, request):
        if not can(request.user, "incidents.view_all"):
            raise Forbidden(_("督促の設定を見る権限がありません。"))
        return Response(selectors.reminder_hours(request.user.body_id))

    @extend_schema(request=dict, responses={200: dict})
    def post(self, request):
        if not isinstance(request.data, dict):
            raise InvalidInput(_("段階ごとの時間を {\"段階\": 時間} の形で送ってください。"))
        contact_services.set_reminder_hours(actor=request.user, hours=dict(request.data))
        return Response(selectors.reminder_hours(request.user.body_id))
