"""Periodic duties of C-2, C-4 and P-07 for `tejun tick`: reviews due, answers missing, actions late, unread."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.lib.wareki import to_wareki
from tejun.notify.models import ReminderLog
from tejun.notify.services import remind_once
from tejun.orgs.roles import Role
from tejun.orgs.selectors import role_holders

from .models import ImprovementAction, InspectionResponse, PolicyDocument
from .selectors import acknowledgement_status

REVIEW_NOTICE_DAYS = 30      # the promoter hears of a review a month ahead, once
INSPECTION_NOTICE_DAYS = 7   # unanswered self-inspections: daily in the last week and after
ACK_REPEAT_DAYS = 7          # unread procedures: a weekly reminder


def _present(body, role):
    return [h.person for h in role_holders(body, role) if not h.absent]


def remind_policy_reviews(today=None) -> int:
    """A month before a document's review is due: once; once due or overdue: daily, to the promoter (else manager)."""
    today = today or timezone.localdate()
    sent = 0
    docs = (PolicyDocument.objects.filter(next_review_due__lte=today + timedelta(days=REVIEW_NOTICE_DAYS))
            .select_related("body").order_by("body_id", "kind"))
    for doc in docs:
        people = _present(doc.body, Role.PROMOTER) or _present(doc.body, Role.MANAGER)
        due = to_wareki(doc.next_review_due)
        if doc.next_review_due < today:
            key = f"policy_review_overdue:{doc.pk}"
            title = _("%(title)s の見直し期限（%(due)s）を過ぎています") % {"title": doc.title, "due": due}
        elif doc.next_review_due == today:
            key = f"policy_review_due:{doc.pk}:{doc.next_review_due}"
            title = _("%(title)s の見直し期限は本日です") % {"title": doc.title}
        else:
            key = f"policy_review_soon:{doc.pk}:{doc.next_review_due}"
            if ReminderLog.objects.filter(key=key).exists():
                continue
            title = _("%(title)s の見直し期限が近づいています（%(due)s）") % {"title": doc.title, "due": due}
        message = _("情報システム・セキュリティ推進担当は、内容を見直し、結果（改定の有無・承認者）を記録してください。")
        if people and remind_once(key, people, title, message, doc.get_absolute_url(), body=doc.body, day=today):
            sent += 1
    return sent


def remind_self_inspections(today=None) -> int:
    """Unanswered self-inspections near or past the due date; improvement actions past their due date."""
    today = today or timezone.localdate()
    sent = 0
    waiting = (InspectionResponse.objects.filter(submitted_at__isnull=True, campaign__closed_at__isnull=True,
                                                 campaign__due_on__lte=today + timedelta(days=INSPECTION_NOTICE_DAYS),
                                                 person__is_active=True)
               .select_related("campaign", "person", "body"))
    for response in waiting:
        campaign = response.campaign
        title = _("%(title)s に回答してください（期限 %(due)s）") % {"title": campaign.title,
                                                                   "due": to_wareki(campaign.due_on)}
        if remind_once(f"self_inspection:{response.pk}", [response.person], title, "",
                       response.get_absolute_url(), body=response.body, day=today):
            sent += 1
    late = (ImprovementAction.objects.filter(done_on__isnull=True, due_on__lt=today)
            .select_related("assignee", "body"))
    for action in late:
        title = _("改善措置の期限（%(due)s）を過ぎています") % {"due": to_wareki(action.due_on)}
        people = [action.assignee, *_present(action.body, Role.PROMOTER)]
        if remind_once(f"improvement_action:{action.pk}", people, title, action.description,
                       action.get_absolute_url(), body=action.body, day=today):
            sent += 1
    return sent


def remind_acknowledgements(today=None) -> int:
    """Staff who have not read the current version of a document that asks for it: once a week."""
    today = today or timezone.localdate()
    sent = 0
    docs = (PolicyDocument.objects.filter(requires_acknowledgement=True, current_version__isnull=False)
            .select_related("current_version", "body"))
    for doc in docs:
        status = acknowledgement_status(doc)
        age = (today - status.version.created_at.date()).days
        if age < 1:
            continue  # the day it was registered, everyone has just been told
        for person in status.pending:
            key = f"acknowledgement:{status.version.pk}:{person.pk}:{age // ACK_REPEAT_DAYS}"
            if ReminderLog.objects.filter(key=key).exists():
                continue
            title = _("%(title)s（%(version)s）をお読みください") % {"title": doc.title, "version": status.version.label}
            message = _("内容を読み、「読みました」を押して確認してください。")
            if remind_once(key, [person], title, message, doc.get_absolute_url(), body=doc.body, day=today):
                sent += 1
    return sent
