"""Reads about incidents for pages, the API, the dashboard and other apps."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tejun.access.policy import visible
from tejun.lib.errors import NotFound

from .checklists import ensure_contact_matrix
from .models import ContactCase, ContactParty, Incident, ReminderRule
from .workflows import DEFAULT_REMINDER_HOURS


def open_incidents(body) -> QuerySet[Incident]:
    """Every incident of the body not yet closed or withdrawn (for counts; no permission filter)."""
    body_id = getattr(body, "pk", body)
    return Incident.objects.filter(body_id=body_id).open()


def incident_list(user, *, state: str = "", kind: str = "", q: str = "", open_only: bool = False):
    qs = visible(user, Incident).select_related("requester", "contractor")
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if open_only:
        qs = qs.open()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q))
    return qs.order_by("-reported_at", "-id")


def incident_get(user, pk) -> Incident:
    # The page reads the requester (and their post) and the body: fetched with the incident, not one by one.
    try:
        return visible(user, Incident).select_related("body", "requester", "requester__post").get(pk=pk)
    except (Incident.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("見つかりません。")) from None


def contact_cases(body_id: int) -> list[ContactCase]:
    ensure_contact_matrix(body_id)  # a body created after the migration gets the source's rows now
    return list(ContactCase.objects.filter(body_id=body_id).prefetch_related("parties").order_by("order", "id"))


def contact_parties(body_id: int) -> list[ContactParty]:
    ensure_contact_matrix(body_id)
    return list(ContactParty.objects.filter(body_id=body_id).order_by("order", "id"))


def reminder_hours(body_id: int) -> dict[str, int]:
    """Hours each state may wait before a reminder: the defaults, overridden by the body's rules."""
    hours = dict(DEFAULT_REMINDER_HOURS)
    hours.update(dict(ReminderRule.objects.filter(body_id=body_id).values_list("state", "hours")))
    return hours
