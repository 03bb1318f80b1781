from datetime import datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from tejun.access.policy import visible

from .models import AuditChain, AuditEvent


def audit_events(user, *, actor_id=None, action: str = "", object_type: str = "", object_id: str = "",
                 date_from=None, date_to=None) -> QuerySet[AuditEvent]:
    """The events of the user's body the user may read (empty for those who may not)."""
    qs = visible(user, AuditEvent)
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=str(object_id))
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(created_at__gte=timezone.make_aware(datetime.combine(date_from, time.min), tz))
    if date_to:
        qs = qs.filter(created_at__lte=timezone.make_aware(datetime.combine(date_to, time.max), tz))
    return qs.order_by("-created_at", "-id")


def object_history(user, obj) -> QuerySet[AuditEvent]:
    return audit_events(user, object_type=obj._meta.label, object_id=str(obj.pk))


def chain_length(body_id) -> int:
    """How many events the body's chain holds (its head's sequence number): record() keeps it exact."""
    return AuditChain.objects.filter(key=body_id).values_list("seq", flat=True).first() or 0
