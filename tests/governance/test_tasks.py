"""Reminders of C-2 and C-4 through `tejun tick`: once per item per day."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from tejun.governance import services
from tejun.notify.models import Notification

from .helpers import TODAY, all_yes, campaign, documents, procedures_with_version

pytestmark = pytest.mark.django_db


def tick(day):
    call_command("tick", "--date", day.isoformat())


def test_review_due_reminds_the_promoter_a_month_ahead_once_then_daily_when_overdue(promoter, staff):
    documents(promoter, next_review_due=TODAY() + timedelta(days=20))
    tick(TODAY())
    tick(TODAY())
    tick(TODAY() + timedelta(days=1))
    soon = Notification.objects.filter(title__contains="見直し期限が近づいています")
    assert soon.count() == 3 and set(soon.values_list("recipient", flat=True)) == {promoter.pk}  # 3 documents, once
    late_day = TODAY() + timedelta(days=25)
    tick(late_day)
    tick(late_day)
    assert Notification.objects.filter(title__contains="を過ぎています", recipient=promoter).count() == 3
    tick(late_day + timedelta(days=1))
    assert Notification.objects.filter(title__contains="を過ぎています", recipient=promoter).count() == 6
    assert not Notification.objects.filter(recipient=staff, title__contains="見直し").exists()


def test_unanswered_self_inspection_reminded_in_the_last_week(promoter, staff, staff2):
    c = campaign(promoter, due_in_days=10)
    services.save_answers(c, actor=staff2, answers=all_yes(c), submit=True)
    tick(TODAY())
    assert not Notification.objects.filter(title__contains="期限").filter(title__contains="自己点検").exists()
    day = TODAY() + timedelta(days=5)
    tick(day)
    tick(day)
    notes = Notification.objects.filter(title__contains="回答してください（期限")
    assert set(notes.values_list("recipient", flat=True)) == {promoter.pk, staff.pk}
    assert notes.count() == 2


def test_late_improvement_action_reminds_assignee_and_promoter(promoter, staff):
    c = campaign(promoter)
    services.add_action(c, actor=promoter, description="回収", assignee=staff, due_on=TODAY() + timedelta(days=1))
    day = TODAY() + timedelta(days=3)
    tick(day)
    tick(day)
    notes = Notification.objects.filter(title__contains="改善措置の期限")
    assert set(notes.values_list("recipient", flat=True)) == {staff.pk, promoter.pk} and notes.count() == 2


def test_unread_procedures_reminded_weekly(promoter, staff, staff2):
    doc, version = procedures_with_version(promoter)
    services.acknowledge(version, actor=staff2)
    day = TODAY() + timedelta(days=1)
    tick(day)
    tick(day)
    tick(day + timedelta(days=1))
    notes = (Notification.objects.filter(title__contains="をお読みください", url=doc.get_absolute_url())
             .exclude(title__contains="新しい版"))
    assert set(notes.values_list("recipient", flat=True)) == {staff.pk, promoter.pk} and notes.count() == 2
    tick(day + timedelta(days=7))
    assert notes.count() == 4
