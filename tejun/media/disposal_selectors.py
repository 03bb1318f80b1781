"""Reads of disposal requests and destruction records, shared by the pages, the API and the documents."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from tejun.access.policy import get_visible, visible

from .models import DestructionRecord, DisposalRequest


def disposal_list(user, *, state: str = "", q: str = "", medium=None) -> QuerySet[DisposalRequest]:
    qs = visible(user, DisposalRequest).select_related("requester", "medium", "highest_level")
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(medium__number__icontains=q) | Q(reason__icontains=q))
    if medium is not None:
        qs = qs.filter(medium=medium)
    return qs.order_by("-created_at", "-id")


def disposal_get(user, pk) -> DisposalRequest:
    return get_visible(user, DisposalRequest, pk)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def destruction_records(user, start: date, end: date) -> QuerySet[DestructionRecord]:
    """Destruction records performed from `start` to `end` (both inclusive, Tokyo days), oldest first."""
    return (visible(user, DestructionRecord)
            .filter(performed_at__gte=_day_start(start), performed_at__lt=_day_start(end + timedelta(days=1)))
            .select_related("disposal", "disposal__medium", "disposal__highest_level", "disposal__requester",
                            "recorded_by")
            .order_by("performed_at", "pk"))
