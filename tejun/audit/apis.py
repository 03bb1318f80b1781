from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from tejun.access.policy import can
from tejun.api.base import BodyMember
from tejun.lib.errors import Forbidden
from tejun.lib.pagination import IdPageNumberPagination

from .models import AuditEvent
from .selectors import audit_events


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "seq", "created_at", "actor", "actor_label", "action", "object_type", "object_id",
                  "object_repr", "before", "after", "ip_address", "prev_hash", "hash"]


class AuditEventFilter(serializers.Serializer):
    """Query parameters of the list: checked, so `?actor=abc` is a 400 and not a server error."""

    action = serializers.CharField(required=False, max_length=64, help_text=_("操作 (create, login, ...)"))
    object_type = serializers.CharField(required=False, max_length=100, help_text=_("対象の種類 (media.CarryOutRequest)"))
    object_id = serializers.CharField(required=False, max_length=64)
    # Bounded: a huge number would overflow the database integer in the lookup (a 500 on SQLite).
    actor = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, help_text=_("実行者の職員ID"))
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


@extend_schema_view(list=extend_schema(parameters=[AuditEventFilter]))
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only: audit events are never changed, through the API or otherwise."""

    permission_classes = [BodyMember]
    serializer_class = AuditEventSerializer
    pagination_class = IdPageNumberPagination  # long lists: the page's ids first

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        user = self.request.user
        if not can(user, "audit.view"):
            raise Forbidden(_("監査ログを閲覧できるのは管理者・統括管理者・監査担当だけです。"))
        if self.action != "list":
            return audit_events(user)
        known = set(AuditEventFilter().fields)
        f = AuditEventFilter(data={k: v for k, v in self.request.query_params.items() if k in known})
        f.is_valid(raise_exception=True)
        p = f.validated_data
        return audit_events(user, action=p.get("action", ""), object_type=p.get("object_type", ""),
                            object_id=p.get("object_id", ""), actor_id=p.get("actor"),
                            date_from=p.get("date_from"), date_to=p.get("date_to"))
