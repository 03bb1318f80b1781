"""API of the backups (P-03): /api/v1/backup-targets/ (with check-ins, acknowledge, restore tests, reports)
and /api/v1/backup-reports/ (accept, return). The same selectors and services as the pages.

Staff of the body read every target; a contractor's account reads only the targets its contractor
answers for (others are 404) and may upload reports for them. The script's check-in URL is not here
(it needs no login): see tejun/backups/ping_views.py.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from tejun.access.policy import can
from tejun.api.base import BodyMember, StrictFields
from tejun.lib.errors import Forbidden, NotFound
from tejun.orgs.models import Post, User
from tejun.vendors.models import Contractor

from . import selectors, services
from .models import BackupReport, BackupTarget, CheckIn, RestoreTest


class BodyScopedPK(serializers.PrimaryKeyRelatedField):
    """An id of a row of the acting user's body: another body's id "does not exist" (400)."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        body_id = getattr(getattr(request, "user", None), "body_id", None) or -1
        qs = self.model.objects.filter(body_id=body_id)
        return qs.filter(is_active=True) if self.model is User else qs


def _require(user, name, message, obj=None):
    if not can(user, name, obj):
        raise Forbidden(message)


# ------------------------------------------------------------------------------------------ serializers

class TargetSerializer(StrictFields, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200, help_text=gettext_lazy("名称"))
    kind = serializers.ChoiceField(choices=BackupTarget.Kind.choices, required=False, help_text=gettext_lazy("種類"))
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    responsible_post = BodyScopedPK(Post, required=False, allow_null=True,
                                    help_text=gettext_lazy("責任者の役職 ID（役職・職員・委託事業者のいずれか1つ）"))
    responsible_person = BodyScopedPK(User, required=False, allow_null=True, help_text=gettext_lazy("責任者の職員 ID"))
    responsible_contractor = BodyScopedPK(Contractor, required=False, allow_null=True,
                                          help_text=gettext_lazy("責任者の委託事業者 ID"))
    responsible_label = serializers.CharField(read_only=True)
    schedule_kind = serializers.ChoiceField(choices=BackupTarget.ScheduleKind.choices, required=False)
    cron = serializers.CharField(required=False, allow_blank=True, max_length=100,
                                 help_text=gettext_lazy("cron 式（5項目・日本時間）。例：0 2 * * *"))
    interval_hours = serializers.IntegerField(required=False, allow_null=True, help_text=gettext_lazy("間隔（時間）"))
    grace_hours = serializers.IntegerField(required=False, help_text=gettext_lazy("猶予時間（時間）"))
    restore_test_days = serializers.IntegerField(required=False, allow_null=True,
                                                 help_text=gettext_lazy("復元テストの周期（日）。null：通知しない"))
    active = serializers.BooleanField(required=False)
    status = serializers.SerializerMethodField(help_text=gettext_lazy("ok / late / failed / missing / inactive"))
    status_label = serializers.SerializerMethodField()
    down = serializers.SerializerMethodField(help_text=gettext_lazy("確認されていないアラートがある"))
    last_run_at = serializers.DateTimeField(source="last_finished_at", read_only=True, allow_null=True)
    last_result = serializers.CharField(source="last_finished_kind", read_only=True, allow_null=True)
    next_due = serializers.SerializerMethodField()
    last_restore_on = serializers.DateField(read_only=True, allow_null=True)
    token_hint = serializers.CharField(read_only=True)

    def _row(self, obj):
        cache = self.context.setdefault("_rows", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.board_rows([obj])[0]
        return cache[obj.pk]

    def get_status(self, obj) -> str:
        return self._row(obj).status

    def get_status_label(self, obj) -> str:
        return self._row(obj).status_label

    def get_down(self, obj) -> bool:
        return self._row(obj).down

    def get_next_due(self, obj) -> str | None:
        due = self._row(obj).next_due
        return due.isoformat() if due else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not can(request.user, "backups.manage"):
            data.pop("token_hint", None)  # the check-in URL is the keepers' business
        return data


class TargetCreatedSerializer(TargetSerializer):
    token = serializers.CharField(read_only=True, help_text=gettext_lazy("チェックインURLのトークン（この応答でだけ返します）"))
    ping_url = serializers.CharField(read_only=True)


class PingTokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    ping_url = serializers.CharField(read_only=True)


class CheckInSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    source = serializers.CharField(read_only=True)
    ran_at = serializers.DateTimeField(read_only=True)
    received_at = serializers.DateTimeField(read_only=True)
    exit_status = serializers.IntegerField(read_only=True, allow_null=True)
    log = serializers.CharField(read_only=True)
    log_truncated = serializers.BooleanField(read_only=True)
    note = serializers.CharField(read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.full_name", read_only=True, default=None, allow_null=True)
    has_file = serializers.SerializerMethodField()

    def get_has_file(self, obj) -> bool:
        return bool(obj.file)


class ManualCheckInSerializer(StrictFields, serializers.Serializer):
    kind = serializers.ChoiceField(choices=CheckIn.Kind.choices, help_text=gettext_lazy("success または fail"))
    ran_at = serializers.DateTimeField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    exit_status = serializers.IntegerField(required=False, allow_null=True)
    file = serializers.FileField(required=False, help_text=gettext_lazy("証跡（PNG・JPEG・PDF）。成功のときは必須"))


class AcknowledgeSerializer(StrictFields, serializers.Serializer):
    note = serializers.CharField(max_length=2000, allow_blank=True, help_text=gettext_lazy("確認した内容・対応"))


class AlertSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reason = serializers.CharField(read_only=True)
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)
    due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    raised_at = serializers.DateTimeField(read_only=True)
    acknowledged_at = serializers.DateTimeField(read_only=True, allow_null=True)
    acknowledged_by = serializers.CharField(source="acknowledged_by.full_name", read_only=True, default=None,
                                            allow_null=True)
    acknowledge_note = serializers.CharField(read_only=True)


class RestoreTestSerializer(StrictFields, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    performed_on = serializers.DateField()
    restored = serializers.CharField(max_length=300)
    result = serializers.ChoiceField(choices=RestoreTest.Result.choices)
    result_label = serializers.CharField(source="get_result_display", read_only=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    recorded_by = serializers.CharField(source="recorded_by.full_name", read_only=True)


class ReportSerializer(StrictFields, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    target = serializers.IntegerField(source="target_id", read_only=True)
    contractor = serializers.CharField(source="contractor.name", read_only=True)
    period_from = serializers.DateField()
    period_to = serializers.DateField()
    last_run_at = serializers.DateTimeField()
    result = serializers.ChoiceField(choices=BackupReport.Result.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    file = serializers.FileField(write_only=True, help_text=gettext_lazy("報告書（PDF・PNG・JPEG）"))
    file_name = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decision_comment = serializers.CharField(read_only=True)


class DecisionSerializer(StrictFields, serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# ------------------------------------------------------------------------------------------ views

def ping_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("backups:ping", kwargs={"token": token, "kind": "success"}))


class BackupTargetViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Backup targets with their status now. Writes need the role that keeps the backups."""

    permission_classes = [BodyMember]
    serializer_class = TargetSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return BackupTarget.objects.none()
        return selectors.visible_targets(self.request.user)

    def get_object(self):
        return selectors.target_get(self.request.user, self.kwargs["pk"])

    @extend_schema(responses={201: TargetCreatedSerializer})
    def create(self, request, *args, **kwargs):
        _require(request.user, "backups.manage", _("バックアップ対象を登録する権限がありません。"))
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        target, token = services.create_target(actor=request.user, **s.validated_data)
        data = dict(self.get_serializer(selectors.target_get(request.user, target.pk)).data)
        data.update(token=token, ping_url=ping_url(request, token))
        return Response(data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        target = self.get_object()
        _require(request.user, "backups.manage", _("バックアップ対象を編集する権限がありません。"))
        s = self.get_serializer(target, data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        services.update_target(target, actor=request.user, **s.validated_data)
        return Response(self.get_serializer(self.get_object()).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses=PingTokenSerializer,
                   summary=gettext_lazy("チェックインURLを作り直す（古いURLは使えなくなる）"))
    @action(detail=True, methods=["post"], url_path="regenerate-token")
    def regenerate_token(self, request, pk=None):
        token = services.regenerate_token(self.get_object(), actor=request.user)
        return Response({"token": token, "ping_url": ping_url(request, token)})

    @extend_schema(responses=CheckInSerializer(many=True), summary=gettext_lazy("実施の記録（新しい順）"))
    @action(detail=True, methods=["get"])
    def checkins(self, request, pk=None):
        target = self.get_object()
        page = self.paginate_queryset(selectors.target_checkins(request.user, target))
        return self.get_paginated_response(CheckInSerializer(page, many=True).data)

    @extend_schema(request={"multipart/form-data": ManualCheckInSerializer, "application/json": ManualCheckInSerializer},
                   responses={201: CheckInSerializer}, summary=gettext_lazy("実施を手動で記録する（証跡付き）"))
    @action(detail=True, methods=["post"], url_path="manual-checkin")
    def manual_checkin(self, request, pk=None):
        target = self.get_object()
        if not can(request.user, "backups.record", target):  # the role before the input (authorisation matrix)
            raise Forbidden(_("このバックアップの実施を記録する権限がありません。"))
        s = ManualCheckInSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        checkin = services.record_checkin(target, actor=request.user, **s.validated_data)
        return Response(CheckInSerializer(checkin).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AcknowledgeSerializer, responses=AlertSerializer,
                   summary=gettext_lazy("アラートを確認済にする"))
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        target = self.get_object()
        if not can(request.user, "backups.acknowledge", target):  # the role before the input (authorisation matrix)
            raise Forbidden(_("このアラートを確認済にする権限がありません。"))
        s = AcknowledgeSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        alert = services.acknowledge(target, actor=request.user, note=s.validated_data["note"])
        return Response(AlertSerializer(alert).data)

    @extend_schema(responses=AlertSerializer(many=True), summary=gettext_lazy("アラート（新しい順）"))
    @action(detail=True, methods=["get"])
    def alerts(self, request, pk=None):
        target = self.get_object()
        page = self.paginate_queryset(selectors.target_alerts(request.user, target))
        return self.get_paginated_response(AlertSerializer(page, many=True).data)

    @extend_schema(methods=["get"], responses=RestoreTestSerializer(many=True))
    @extend_schema(methods=["post"], request=RestoreTestSerializer, responses={201: RestoreTestSerializer})
    @action(detail=True, methods=["get", "post"], url_path="restore-tests")
    def restore_tests(self, request, pk=None):
        target = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.target_restore_tests(request.user, target))
            return self.get_paginated_response(RestoreTestSerializer(page, many=True).data)
        if not can(request.user, "backups.record", target):  # the role before the input (authorisation matrix)
            raise Forbidden(_("復元テストを記録する権限がありません。"))
        s = RestoreTestSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        test = services.record_restore_test(target, actor=request.user, **s.validated_data)
        return Response(RestoreTestSerializer(test).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses=ReportSerializer(many=True))
    @extend_schema(methods=["post"], request={"multipart/form-data": ReportSerializer},
                   responses={201: ReportSerializer},
                   summary=gettext_lazy("委託事業者がバックアップ報告を提出する（責任者の委託事業者のアカウントのみ）"))
    @action(detail=True, methods=["get", "post"])
    def reports(self, request, pk=None):
        target = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(selectors.target_reports(request.user, target))
            return self.get_paginated_response(ReportSerializer(page, many=True).data)
        _require(request.user, "backups.report",
                 _("このバックアップの報告を提出できるのは、責任者の委託事業者のアカウントだけです。"), target)
        s = ReportSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        report = services.submit_report(target, actor=request.user, **s.validated_data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class BackupReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Contractors' backup reports the user may see; staff who keep the backups accept or return them."""

    permission_classes = [BodyMember]
    serializer_class = ReportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return BackupReport.objects.none()
        from tejun.access.policy import visible

        qs = visible(self.request.user, BackupReport).select_related("contractor")
        state = self.request.query_params.get("state")
        return qs.filter(state=state) if state in BackupReport.State.values else qs

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (BackupReport.DoesNotExist, ValueError, TypeError):
            raise NotFound(_("見つかりません。")) from None

    @extend_schema(request=DecisionSerializer, responses=ReportSerializer, summary=gettext_lazy("報告を受理する"))
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        s = DecisionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        report = services.accept_report(self.get_object(), actor=request.user, **s.validated_data)
        return Response(ReportSerializer(report).data)

    @extend_schema(request=DecisionSerializer, responses=ReportSerializer,
                   summary=gettext_lazy("報告を差し戻す（コメント必須）"), operation_id="backup_reports_return")
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        s = DecisionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        report = services.return_report(self.get_object(), actor=request.user,
                                         comment=s.validated_data.get("comment", ""))
        return Response(ReportSerializer(report).data)

