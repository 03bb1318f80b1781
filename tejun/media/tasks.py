"""Periodic duties of P-01 and C-1 for `tejun tick`."""

from datetime import timedelta

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


# C-1(1)(2): an exception ends on its last day; warn 14 and 3 days before (after that the medium cannot be used).
EXCEPTION_WARNING_DAYS = (14, 3)


def warn_expiring_exceptions(today=None) -> int:
    """Warn the requester, the custodians of the linked media and the officer before an approved exception ends.

    Once per stage (14 days, 3 days): a day missed by cron still gets its warning on the next run, and
    a second run on the same day (or on the following days) sends nothing again.
    """
    from tejun.notify.models import ReminderLog

    from .models import Medium, MediumException

    today = today or timezone.localdate()
    sent = 0
    horizon = today + timedelta(days=max(EXCEPTION_WARNING_DAYS))
    ending = (MediumException.objects.filter(state="approved", valid_to__gte=today, valid_to__lte=horizon)
              .select_related("requester", "body").order_by("valid_to", "pk"))
    for exc in ending:
        days_left = (exc.valid_to - today).days
        stage = min(d for d in EXCEPTION_WARNING_DAYS if days_left <= d)
        key = f"exception_expiry:{exc.pk}:{stage}"
        if ReminderLog.objects.filter(key=key).exists():
            continue
        media = list(Medium.objects.filter(exception=exc).exclude(status=Medium.Status.DISPOSED)
                     .select_related("custodian"))
        officers = [h.person for h in role_holders(exc.body, Role.OFFICER) if not h.absent]
        numbers = "、".join(m.number for m in media) or exc.medium_description
        title = (_("例外措置 %(number)s の有効期間があと%(days)d日で終わります") % {"number": exc.number, "days": days_left}
                 if days_left else _("例外措置 %(number)s の有効期間は本日で終わります") % {"number": exc.number})
        message = _("「%(kind)s」の例外措置（%(media)s）は %(end)s で終了します。終了後はその記録媒体を使用・持出しできません。"
                    "引き続き必要な場合は、新たに例外措置を申請してください。") % {
            "kind": exc.get_kind_display(), "media": numbers, "end": to_wareki(exc.valid_to)}
        if remind_once(key, [exc.requester, *(m.custodian for m in media), *officers], title, message,
                       exc.get_absolute_url(), body=exc.body, day=today):
            sent += 1
    return sent
