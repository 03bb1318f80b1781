"""API of the vendors app (/api/v1/...): body-scoped and, for a vendor account, contractor-scoped.

Every object comes through the selectors (another body's, or another contractor's, is a 404); every
write goes through the services. Workflow steps: `POST /<collection>/{id}/{transition}/`; the steps that
need a file or dates have their own endpoints (report/, signed/, provide/, return/, erasure/, ...).
"""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tejun.access.policy import can, visible
from tejun.api.base import BodyMember, StrictFields
from tejun.lib.errors import Forbidden, InvalidInput, NotFound
from tejun.lib.pagination import IdPageNumberPagination
from tejun.lib.uploads import attachment_response
from tejun.workflow.engine import available_transitions

from . import documents, selectors, services
from .memorandum import save_template
from .models import (
    Contract,
    Contractor,
    ContractorAccount,
    DataProvision,
    EquipmentDisposal,
    MemorandumTemplate,
    OnsiteWork,
    Repair,
)
from .workflows import FORM_TRANSITIONS

FILE_PARSERS = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]


class Scoped(serializers.PrimaryKeyRelatedField):
    """An id of a row the acting user may see: another body's (or contractor's) reads as "does not exist"."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return visible(getattr(request, "user", None), self.model)


@extend_schema_field(OpenApiTypes.INT)
class ScopedId(Scoped):
    pass


class WithTransitions(serializers.Serializer):
    available_transitions = serializers.SerializerMethodField(
        help_text=gettext_lazy("この利用者がいま行える操作: POST /{id}/{操作}/"))

    def get_available_transitions(self, obj) -> list[str]:
        return [t.name for t, _a in available_transitions(self.context["request"].user, obj)]


class VendorTransitionInput(StrictFields, serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    deputy_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class FileInput(StrictFields, serializers.Serializer):
    file = serializers.FileField()
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


def _valid(serializer_class, request, **kwargs) -> dict:
    s = serializer_class(data=request.data, **kwargs)
    s.is_valid(raise_exception=True)
    return dict(s.validated_data)


class WorkflowViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Shared: list/retrieve through the selectors, create through the service, transitions by name."""

    permission_classes = [BodyMember]
    http_method_names = ["get", "post", "head", "options"]
    model = None
    list_selector = get_selector = create_service = None
    input_serializer = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        state = self.request.query_params.get("state", "")
        q = self.request.query_params.get("q", "")[:100]
        return type(self).list_selector(self.request.user, state=state, q=q)

    def get_object(self):
        return type(self).get_selector(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        # The role before the input: a vendor account gets 403, not the form's 400 (authorisation matrix).
        if not can(request.user, "vendors.record"):
            raise Forbidden(_("この操作を行う権限がありません。"))
        data = _valid(self.input_serializer, request, context=self.get_serializer_context())
        obj = type(self).create_service(actor=request.user, **data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def _transition(self, request, transition):
        obj = self.get_object()
        if obj.workflow.get(transition) is None:
            raise NotFound(_("この操作はありません: %(name)s") % {"name": transition})
        if transition in FORM_TRANSITIONS:
            raise InvalidInput(_("この操作は専用のURLで行ってください（ファイルや日付が必要です）。"))
        data = _valid(VendorTransitionInput, request)
        obj = services.transition(obj, transition, actor=request.user, **data)
        return Response(self.get_serializer(obj).data)


def transition_action(model, operation_id: str):
    """POST /{id}/{transition}/ with the names of `model`'s workflow (each viewset its own operation id)."""
    names = [t.name for t in model.workflow.transitions if t.name not in FORM_TRANSITIONS]

    @extend_schema(operation_id=operation_id, request=VendorTransitionInput,
                   summary=gettext_lazy("状態を進める（操作名は available_transitions）"),
                   parameters=[OpenApiParameter("transition", str, OpenApiParameter.PATH, enum=names)])
    @action(detail=True, methods=["post"], url_path=r"(?P<transition>[a-z_]+)")
    def transition(self, request, pk=None, transition=None):
        return self._transition(request, transition)

    return transition


# --- contractors, contracts, accounts -----------------------------------------------------------------

class ContractorSerializer(StrictFields, serializers.ModelSerializer):
    class Meta:
        model = Contractor
        fields = ["id", "name", "address", "representative", "contact_person", "phone", "email", "note", "active",
                  "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class ContractorFilter(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text=gettext_lazy(
        "事業者名・所在地・代表者・担当者・電話番号・契約名・対象システムの部分一致（空白区切りで AND）"))
    active = serializers.BooleanField(required=False, help_text=gettext_lazy(
        "true は取引中、false は取引終了の事業者だけ（省略時はすべて）"))


@extend_schema_view(list=extend_schema(parameters=[ContractorFilter]))
class ContractorViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """委託事業者. A vendor account sees only its own contractor."""

    permission_classes = [BodyMember]
    serializer_class = ContractorSerializer
    pagination_class = IdPageNumberPagination  # long lists: the page's ids first
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contractor.objects.none()
        if self.action != "list":
            return selectors.contractor_list(self.request.user)
        f = ContractorFilter(data={k: v for k, v in self.request.query_params.items() if k in ("q", "active")})
        f.is_valid(raise_exception=True)
        return selectors.contractor_list(self.request.user, q=f.validated_data.get("q", ""),
                                         active=f.validated_data.get("active"))

    def get_object(self):
        return selectors.contractor_get(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        if not can(request.user, "vendors.manage"):  # the role before the input (authorisation matrix)
            raise Forbidden(_("この操作を行う権限がありません。"))
        data = _valid(ContractorSerializer, request)
        obj = services.create_contractor(actor=request.user, **data)
        return Response(ContractorSerializer(obj).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        if not can(request.user, "vendors.manage"):
            raise Forbidden(_("委託事業者を編集する権限がありません。"))
        data = _valid(ContractorSerializer, request, partial=True)
        return Response(ContractorSerializer(services.update_contractor(obj, actor=request.user, **data)).data)


class ContractSerializer(StrictFields, serializers.ModelSerializer):
    contractor = ScopedId(Contractor)
    file = serializers.FileField(write_only=True, required=False)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = ["id", "contractor", "title", "system_name", "starts_on", "ends_on", "has_confidentiality_clause",
                  "confidentiality_article", "subcontracting_allowed", "file", "file_name", "file_sha256", "has_file"]
        read_only_fields = ["file_name", "file_sha256"]

    def get_has_file(self, obj) -> bool:
        return bool(obj.file)


class ContractViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """契約 (staff only: a vendor account sees none)."""

    permission_classes = [BodyMember]
    serializer_class = ContractSerializer
    parser_classes = FILE_PARSERS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contract.objects.none()
        return visible(self.request.user, Contract).order_by("contractor__name", "-starts_on", "id")

    def get_object(self):
        return selectors.contract_get(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        if not can(request.user, "vendors.manage"):  # the role before the input (authorisation matrix)
            raise Forbidden(_("この操作を行う権限がありません。"))
        data = _valid(ContractSerializer, request, context=self.get_serializer_context())
        obj = services.create_contract(actor=request.user, **data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        if not can(request.user, "vendors.manage"):
            raise Forbidden(_("契約を編集する権限がありません。"))
        data = _valid(ContractSerializer, request, partial=True, context=self.get_serializer_context())
        data.pop("contractor", None)
        return Response(self.get_serializer(services.update_contract(obj, actor=request.user, **data)).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="file")
    def download(self, request, pk=None):
        obj = self.get_object()
        if not obj.file:
            raise NotFound(_("見つかりません。"))
        return attachment_response(obj.file, obj.file_name)


class AccountSerializer(StrictFields, serializers.ModelSerializer):
    contractor = ScopedId(Contractor)
    user = serializers.PrimaryKeyRelatedField(queryset=ContractorAccount._meta.get_field("user").related_model
                                              .objects.all())
    user_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = ContractorAccount
        fields = ["id", "contractor", "user", "user_name", "created_at"]
        read_only_fields = ["created_at"]


class ContractorAccountViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    """事業者アカウント: a vendor-role user linked to its contractor (the keepers only)."""

    permission_classes = [BodyMember]
    serializer_class = AccountSerializer
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ContractorAccount.objects.none()
        if not can(self.request.user, "vendors.manage"):
            raise Forbidden(_("事業者アカウントを設定する権限がありません。"))
        return selectors.accounts_of(self.request.user).order_by("pk")

    def create(self, request, *args, **kwargs):
        if not can(request.user, "vendors.manage"):  # the role before the input (authorisation matrix)
            raise Forbidden(_("この操作を行う権限がありません。"))
        data = _valid(AccountSerializer, request, context=self.get_serializer_context())
        obj = services.link_account(actor=request.user, **data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.unlink_account(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- P-05 on-site work --------------------------------------------------------------------------------

class OnsiteWorkSerializer(WithTransitions, serializers.ModelSerializer):
    contractor_name = serializers.CharField(source="contractor.name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    confirmed_by = serializers.CharField(source="confirmed_by.full_name", read_only=True, default=None)

    class Meta:
        model = OnsiteWork
        fields = ["id", "number", "state", "state_label", "contractor", "contractor_name", "contract", "work_date",
                  "workers", "area", "purpose", "systems", "report_name", "report_sha256", "report_uploaded_at",
                  "confirmed_by", "confirmed_at", "created_at", "available_transitions"]


class OnsiteWorkInput(StrictFields, serializers.Serializer):
    contractor = ScopedId(Contractor)
    contract = ScopedId(Contract, required=False, allow_null=True)
    work_date = serializers.DateField()
    workers = serializers.CharField(max_length=300)
    area = serializers.CharField(max_length=200)
    purpose = serializers.CharField(max_length=4000)
    systems = serializers.CharField(max_length=300, required=False, allow_blank=True)


class OnsiteWorkViewSet(WorkflowViewSet):
    """庁舎内作業 (P-05). The contractor's account uploads its report (report/); staff confirm (confirm/)."""

    model = OnsiteWork
    serializer_class = OnsiteWorkSerializer
    input_serializer = OnsiteWorkInput
    parser_classes = FILE_PARSERS
    list_selector = staticmethod(selectors.onsite_list)
    get_selector = staticmethod(selectors.onsite_get)
    create_service = staticmethod(services.create_onsite_work)
    transition = transition_action(OnsiteWork, "onsite_works_transition")

    @extend_schema(request={"multipart/form-data": FileInput}, responses=OnsiteWorkSerializer)
    @action(detail=True, methods=["post"], url_path="report")
    def report(self, request, pk=None):
        obj = self.get_object()
        data = _valid(FileInput, request)
        return Response(self.get_serializer(services.upload_work_report(obj, actor=request.user, **data)).data)


# --- P-08 repair --------------------------------------------------------------------------------------

class RepairSerializer(WithTransitions, serializers.ModelSerializer):
    contractor_name = serializers.CharField(source="contractor.name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    clause_reconfirmed = serializers.BooleanField(read_only=True)
    clause_reconfirmed_by = serializers.CharField(source="clause_reconfirmed_by.full_name", read_only=True,
                                                  default=None)

    class Meta:
        model = Repair
        fields = ["id", "number", "state", "state_label", "contractor", "contractor_name", "contract", "equipment",
                  "storage", "fault", "storage_handling", "handling_note", "clause_reconfirmed",
                  "clause_reconfirmed_by", "clause_reconfirmed_at", "clause_contract", "clause_article",
                  "clause_note", "sent_on", "returned_on", "created_at", "available_transitions"]


class RepairInput(StrictFields, serializers.Serializer):
    contractor = ScopedId(Contractor)
    contract = ScopedId(Contract)
    equipment = serializers.CharField(max_length=200)
    storage = serializers.CharField(max_length=200)
    fault = serializers.CharField(max_length=4000)
    storage_handling = serializers.ChoiceField(choices=Repair.Storage.choices)
    handling_note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ReconfirmInput(StrictFields, serializers.Serializer):
    contract = ScopedId(Contract, required=False, allow_null=True)
    article = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RepairViewSet(WorkflowViewSet):
    """修理 (P-08). `send/` is refused (409) until reconfirm/ recorded the confidentiality clause for this repair."""

    model = Repair
    serializer_class = RepairSerializer
    input_serializer = RepairInput
    list_selector = staticmethod(selectors.repair_list)
    get_selector = staticmethod(selectors.repair_get)
    create_service = staticmethod(services.create_repair)
    transition = transition_action(Repair, "repairs_transition")

    @extend_schema(request=ReconfirmInput, responses=RepairSerializer)
    @action(detail=True, methods=["post"], url_path="reconfirm")
    def reconfirm(self, request, pk=None):
        obj = self.get_object()
        data = _valid(ReconfirmInput, request, context=self.get_serializer_context())
        return Response(self.get_serializer(services.reconfirm_clause(obj, actor=request.user, **data)).data)


# --- P-09 equipment disposal / lease return -------------------------------------------------------------

class EquipmentDisposalSerializer(WithTransitions, serializers.ModelSerializer):
    contractor_name = serializers.CharField(source="contractor.name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    method_agreed = serializers.BooleanField(read_only=True)
    agreed_by = serializers.CharField(source="agreed_by.full_name", read_only=True, default=None)

    class Meta:
        model = EquipmentDisposal
        fields = ["id", "number", "state", "state_label", "kind", "contractor", "contractor_name", "equipment",
                  "storage", "planned_on", "method", "method_detail", "agreed_with", "agreed_by", "agreed_at",
                  "method_agreed", "certificate_name", "certificate_sha256", "certificate_number", "closed_on",
                  "created_at", "available_transitions"]


class EquipmentDisposalInput(StrictFields, serializers.Serializer):
    kind = serializers.ChoiceField(choices=EquipmentDisposal.Kind.choices)
    contractor = ScopedId(Contractor)
    equipment = serializers.CharField(max_length=200)
    storage = serializers.CharField(max_length=200)
    planned_on = serializers.DateField(required=False, allow_null=True)


class AgreeInput(StrictFields, serializers.Serializer):
    method = serializers.ChoiceField(choices=EquipmentDisposal.Method.choices)
    method_detail = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    agreed_with = serializers.CharField(max_length=100)


class CertificateInput(StrictFields, serializers.Serializer):
    file = serializers.FileField()
    certificate_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class EquipmentDisposalViewSet(WorkflowViewSet):
    """機器の廃棄・リース返却 (P-09). `close/` needs agree/ (this occasion's method) and certificate/."""

    model = EquipmentDisposal
    serializer_class = EquipmentDisposalSerializer
    input_serializer = EquipmentDisposalInput
    parser_classes = FILE_PARSERS
    list_selector = staticmethod(selectors.disposal_list)
    get_selector = staticmethod(selectors.disposal_get)
    create_service = staticmethod(services.create_equipment_disposal)
    transition = transition_action(EquipmentDisposal, "equipment_disposals_transition")

    @extend_schema(request=AgreeInput, responses=EquipmentDisposalSerializer)
    @action(detail=True, methods=["post"], url_path="agree")
    def agree(self, request, pk=None):
        obj = self.get_object()
        data = _valid(AgreeInput, request)
        return Response(self.get_serializer(services.agree_method(obj, actor=request.user, **data)).data)

    @extend_schema(request={"multipart/form-data": CertificateInput}, responses=EquipmentDisposalSerializer)
    @action(detail=True, methods=["post"], url_path="certificate")
    def certificate(self, request, pk=None):
        obj = self.get_object()
        data = _valid(CertificateInput, request)
        return Response(self.get_serializer(services.attach_certificate(obj, actor=request.user, **data)).data)


# --- P-12 data provision ------------------------------------------------------------------------------

class DataProvisionSerializer(WithTransitions, serializers.ModelSerializer):
    contractor_name = serializers.CharField(source="contractor.name", read_only=True)
    requester = serializers.CharField(source="requester.full_name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    has_memorandum = serializers.SerializerMethodField()

    class Meta:
        model = DataProvision
        fields = ["id", "number", "state", "state_label", "requester", "contractor", "contractor_name", "contract",
                  "system_name", "data_description", "purpose", "period_start", "period_end", "medium",
                  "received_on", "has_memorandum", "memorandum_date", "signed_name", "signed_sha256", "provided_on",
                  "provided_medium", "returned_on", "erasure_name", "erasure_sha256", "erased_on", "is_overdue",
                  "created_at", "available_transitions"]

    def get_has_memorandum(self, obj) -> bool:
        return bool(obj.memorandum_text)


class DataProvisionInput(StrictFields, serializers.Serializer):
    contractor = ScopedId(Contractor)
    contract = ScopedId(Contract, required=False, allow_null=True)
    system_name = serializers.CharField(max_length=200)
    data_description = serializers.CharField(max_length=300)
    purpose = serializers.CharField(max_length=4000)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    medium = serializers.CharField(max_length=200)
    received_on = serializers.DateField(required=False, allow_null=True)


class DataProvisionEdit(DataProvisionInput):
    contractor = None
    contract = None


class ProvideInput(StrictFields, serializers.Serializer):
    provided_on = serializers.DateField()
    provided_medium = serializers.CharField(max_length=200)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReturnInput(StrictFields, serializers.Serializer):
    returned_on = serializers.DateField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ErasureInput(StrictFields, serializers.Serializer):
    file = serializers.FileField()
    erased_on = serializers.DateField()
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AccidentInput(StrictFields, serializers.Serializer):
    kind = serializers.ChoiceField(choices=services.ACCIDENT_KIND_CHOICES)
    description = serializers.CharField(max_length=4000)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class DataProvisionViewSet(mixins.UpdateModelMixin, WorkflowViewSet):
    """データ提供 (P-12): application → approval (代決) → memorandum → signed/ → provide/ → return/ or erasure/
    → close/. A vendor account sees its contractor's provisions, confirms the return and reports accidents."""

    model = DataProvision
    serializer_class = DataProvisionSerializer
    input_serializer = DataProvisionInput
    parser_classes = FILE_PARSERS
    http_method_names = ["get", "post", "patch", "head", "options"]
    list_selector = staticmethod(selectors.provision_list)
    get_selector = staticmethod(selectors.provision_get)
    create_service = staticmethod(services.create_provision)
    transition = transition_action(DataProvision, "data_provisions_transition")

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        data = _valid(DataProvisionEdit, request, partial=True)
        return Response(self.get_serializer(services.update_provision(obj, actor=request.user, **data)).data)

    @extend_schema(request={"multipart/form-data": FileInput}, responses=DataProvisionSerializer)
    @action(detail=True, methods=["post"], url_path="signed")
    def signed(self, request, pk=None):
        obj = self.get_object()
        services.require_transition(obj, request.user, ("attach_signed",))
        data = _valid(FileInput, request)
        return Response(self.get_serializer(services.upload_signed_memorandum(obj, actor=request.user,
                                                                              **data)).data)

    @extend_schema(request=ProvideInput, responses=DataProvisionSerializer)
    @action(detail=True, methods=["post"], url_path="provide")
    def provide(self, request, pk=None):
        obj = self.get_object()
        services.require_transition(obj, request.user, ("provide",))
        data = _valid(ProvideInput, request)
        return Response(self.get_serializer(services.provide(obj, actor=request.user, **data)).data)

    @extend_schema(request=ReturnInput, responses=DataProvisionSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        obj = self.get_object()
        data = _valid(ReturnInput, request)
        return Response(self.get_serializer(services.return_data(obj, actor=request.user, **data)).data)

    @extend_schema(request={"multipart/form-data": ErasureInput}, responses=DataProvisionSerializer)
    @action(detail=True, methods=["post"], url_path="erasure")
    def erasure(self, request, pk=None):
        obj = self.get_object()
        data = _valid(ErasureInput, request)
        return Response(self.get_serializer(services.record_erasure(obj, actor=request.user, **data)).data)

    @extend_schema(request=AccidentInput, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"], url_path="accident")
    def accident(self, request, pk=None):
        obj = self.get_object()
        data = _valid(AccidentInput, request)
        incident = services.report_accident(obj, actor=request.user, **data)
        return Response({"incident": incident.pk, "title": str(incident)}, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
                   parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["docx", "pdf"])])
    @action(detail=True, methods=["get"], url_path=r"memorandum\.(?P<fmt>docx|pdf)")
    def memorandum(self, request, pk=None, fmt=None):
        obj = self.get_object()
        if not obj.memorandum_text:
            from tejun.lib.errors import WrongState

            raise WrongState(_("覚書は申請が承認されると作成されます。"))
        if fmt == "docx":
            data, content_type = documents.memorandum_docx(obj), documents.DOCX_CONTENT_TYPE
        else:
            data, content_type = documents.memorandum_pdf(obj), "application/pdf"
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, f"覚書_{obj.number}.{fmt}")
        return response

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="application.pdf")
    def application(self, request, pk=None):
        obj = self.get_object()
        response = HttpResponse(documents.application_pdf(request.user, obj), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(True, f"データ提供申請書_{obj.number}.pdf")
        return response


# --- the memorandum template ---------------------------------------------------------------------------

class TemplateSerializer(StrictFields, serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.full_name", read_only=True)

    class Meta:
        model = MemorandumTemplate
        fields = ["id", "version", "text", "note", "created_by", "created_at"]
        read_only_fields = ["version", "created_at"]
        extra_kwargs = {"text": {"trim_whitespace": False}}


class MemorandumTemplateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """覚書のひな形: each POST makes a new version; unknown placeholders are refused (400)."""

    permission_classes = [BodyMember]
    serializer_class = TemplateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MemorandumTemplate.objects.none()
        if not can(self.request.user, "vendors.view"):
            return MemorandumTemplate.objects.none()
        return visible(self.request.user, MemorandumTemplate).select_related("created_by")

    def create(self, request, *args, **kwargs):
        if not can(request.user, "vendors.edit_template"):  # the role before the input (authorisation matrix)
            raise Forbidden(_("この操作を行う権限がありません。"))
        data = _valid(TemplateSerializer, request)
        obj = save_template(actor=request.user, **data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)
