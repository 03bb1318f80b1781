"""Periodic duties of P-05 and P-12 for `tejun tick`: each reminds once per item per day (remind_once)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.lib.wareki import to_wareki
from tejun.notify.services import remind_once
from tejun.orgs.roles import Role
from tejun.orgs.selectors import role_holders

from .models import ContractorAccount, DataProvision, OnsiteWork

# P-12 article 7: the contractor and the requester are told before the provision period ends.
RETURN_WARNING_DAYS = (7, 1)


def _present(body, *roles) -> list:
    return [h.person for role in roles for h in role_holders(body, role) if not h.absent]


def _vendor_accounts(contractor_ids) -> dict[int, list]:
    accounts: dict[int, list] = {}
    for a in ContractorAccount.objects.filter(contractor_id__in=contractor_ids).select_related("user"):
        accounts.setdefault(a.contractor_id, []).append(a.user)
    return accounts


def remind_data_returns(today=None) -> int:
    """Before the end of the provision period (7 and 1 days ahead, once per stage) and, once it is past,
    every day until the data is returned or erased: the requester, the officer and the contractor's accounts."""
    today = today or timezone.localdate()
    sent = 0
    horizon = today + timedelta(days=max(RETURN_WARNING_DAYS))
    open_ = list(DataProvision.objects.filter(state="provided", period_end__lte=horizon)
                 .select_related("requester", "body", "contractor").order_by("period_end", "pk"))
    accounts = _vendor_accounts({p.contractor_id for p in open_})
    for p in open_:
        days_left = (p.period_end - today).days
        people = [p.requester, *_present(p.body, Role.OFFICER), *accounts.get(p.contractor_id, [])]
        if days_left < 0:
            key = f"provision_overdue:{p.pk}"  # once per day: remind_once keys by day
            title = _("データの返却期限を過ぎています：%(number)s") % {"number": p.number}
            message = _("%(contractor)s に提供した「%(data)s」の提供期間は %(end)s に終わりました。覚書第7条により"
                        "速やかに返却を受け（または消去証明書を受け取り）、記録してください。") % {
                "contractor": p.contractor.name, "data": p.data_description, "end": to_wareki(p.period_end)}
        else:
            stage = min(d for d in RETURN_WARNING_DAYS if days_left <= d)
            from tejun.notify.models import ReminderLog

            key = f"provision_ending:{p.pk}:{stage}"
            if ReminderLog.objects.filter(key=key).exists():
                continue
            title = _("データの提供期間があと%(days)d日で終わります：%(number)s") % {"days": days_left, "number": p.number}
            message = _("%(contractor)s に提供した「%(data)s」の提供期間は %(end)s までです。期間経過後は速やかに"
                        "返却を受けてください（覚書第7条）。") % {
                "contractor": p.contractor.name, "data": p.data_description, "end": to_wareki(p.period_end)}
        if remind_once(key, people, title, message, p.get_absolute_url(), body=p.body, day=today):
            sent += 1
    return sent


def remind_unconfirmed_work_reports(today=None) -> int:
    """P-05: a work report received and not yet confirmed: the recorder and the staff in charge, daily."""
    today = today or timezone.localdate()
    sent = 0
    for work in OnsiteWork.objects.filter(state="reported").select_related("requester", "body", "contractor"):
        people = [work.requester, *_present(work.body, Role.STAFF_IN_CHARGE)]
        title = _("作業報告書の確認をお願いします：%(number)s") % {"number": work.number}
        message = _("%(contractor)s の %(day)s の庁舎内作業の報告書が届いています。内容を確認してください。") % {
            "contractor": work.contractor.name, "day": to_wareki(work.work_date)}
        if remind_once(f"onsite_report:{work.pk}", people, title, message, work.get_absolute_url(),
                       body=work.body, day=today):
            sent += 1
    return sent
