from rest_framework import serializers, viewsets

from tejun.access.policy import can
from tejun.api.base import BodyMember
from tejun.lib.errors import Forbidden

from .models import AuditEvent
from .selectors import audit_events


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = ["id", "seq", "created_at", "actor", "actor_label", "action", "object_type", "object_id",
                  "object_repr", "before", "after", "ip_address", "prev_hash", "hash"]


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only: audit events are never changed, through the API or otherwise."""

    permission_classes = [BodyMember]
    serializer_class = AuditEventSerializer

    def get_queryset(self):
        user = self.request.user
        if not can(user, "audit.view"):
            raise Forbidden("監査ログを閲覧できるのは管理者・統括管理者・監査担当だけです。")
        p = self.request.query_params
        return audit_events(user, action=p.get("action", ""), object_type=p.get("object_type", ""),
                            object_id=p.get("object_id", ""), actor_id=p.get("actor") or None)
