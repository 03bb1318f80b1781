"""Periodic duties of P-01 for `tejun tick`."""

from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.lib.wareki import to_wareki
from tejun.notify.services import remind_once
from tejun.orgs.roles import Role
from tejun.orgs.selectors import role_holders

from .models import CarryOutRequest


def remind_overdue_carry_outs(today=None) -> int:
    """Daily reminder to the requester and the officer for every copy not back by its due date."""
    today = today or timezone.localdate()
    sent = 0
    overdue = CarryOutRequest.objects.filter(state="taken_out", due_date__lt=today).select_related("requester", "body")
    for request in overdue:
        officers = [h.person for h in role_holders(request.body, Role.OFFICER) if not h.absent]
        title = _("返却期限を過ぎています：%(number)s") % {"number": request.number}
        message = _("「%(data)s」の返却予定日は %(due)s でした。返却して記録してください。") % {
            "data": request.data_description, "due": to_wareki(request.due_date)}
        if remind_once(f"carry_out_overdue:{request.pk}", [request.requester, *officers], title, message,
                       request.get_absolute_url(), body=request.body, day=today):
            sent += 1
    return sent
