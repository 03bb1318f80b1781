"""Periodic duty of the incident procedures for `tejun tick`: a step left waiting too long is reminded."""

from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.notify.services import remind_once
from tejun.workflow.models import TransitionLog

from .models import Incident
from .selectors import reminder_hours
from .services import first_receivers
from .workflows import DEFAULT_REMINDER_HOURS


def _entered_at(incidents) -> dict[int, datetime]:
    """When each incident entered its current state: its last transition, else its report."""
    entered = {i.pk: i.reported_at for i in incidents}
    ct = ContentType.objects.get_for_model(Incident)
    logs = (TransitionLog.objects.filter(content_type=ct, object_id__in=[str(pk) for pk in entered])
            .order_by("at", "id").values_list("object_id", "at"))
    for object_id, at in logs:
        entered[int(object_id)] = at
    return entered


def remind_waiting_steps(today=None) -> int:
    """Once a day, remind whoever must act next on an incident that has waited longer than the body allows."""
    now = timezone.now() if today is None else timezone.make_aware(datetime.combine(today, time(23, 59)))
    day = today or timezone.localdate()
    waiting = list(Incident.objects.filter(state__in=list(DEFAULT_REMINDER_HOURS)).select_related("body"))
    if not waiting:
        return 0
    entered = _entered_at(waiting)
    hours_by_body: dict[int, dict] = {}
    sent = 0
    for incident in waiting:
        hours = hours_by_body.setdefault(incident.body_id, reminder_hours(incident.body_id))[incident.state]
        since = entered[incident.pk]
        if now - since < timedelta(hours=hours):
            continue
        waited = int((now - since).total_seconds() // 3600)
        title = _("対応の督促：%(number)s %(title)s") % {"number": incident.number, "title": incident.title}
        message = _("「%(state)s」のまま %(hours)d 時間が経過しています。次の手続を行ってください。") % {
            "state": incident.state_label, "hours": waited}
        if remind_once(f"incident_step:{incident.pk}:{incident.state}", first_receivers(incident), title, message,
                       incident.get_absolute_url(), body=incident.body, day=day):
            sent += 1
    return sent
