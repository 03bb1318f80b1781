"""`tejun tick`: overdue returns and password expiry, once per item per day."""

import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tejun.cli import main as tejun_main
from tejun.media.models import CarryOutRequest
from tejun.notify.models import Notification, ReminderLog
from tejun.notify.services import remind_once
from tejun.workflow.engine import perform
from tests.media.helpers import new_carry_out

TODAY = timezone.localdate
OVERDUE = "返却期限を過ぎています"
EXPIRY = "パスワードの有効期限が近づいています"


def tick(day=None):
    args = ["--date", day.isoformat()] if day else []
    call_command("tick", *args)


def overdue_notes(**filters):
    return Notification.objects.filter(title__startswith=OVERDUE, **filters)


@pytest.fixture
def taken_out(staff, officer, manager):
    """Taken out today, due back tomorrow."""
    req = new_carry_out(staff, out_date=TODAY(), due_date=TODAY() + timedelta(days=1))
    perform(req, "approve", officer)
    return perform(req, "take_out", staff)


def test_overdue_request_reminds_requester_and_officer(taken_out, staff, officer, manager, capsys):
    day = TODAY() + timedelta(days=2)
    tick(day)
    notes = overdue_notes()
    assert set(notes.values_list("recipient", flat=True)) == {staff.pk, officer.pk}
    note = notes.get(recipient=staff)
    assert taken_out.number in note.title
    assert note.url == taken_out.get_absolute_url() and note.body_id == taken_out.body_id
    assert "令和" in note.message  # the due date in 和暦
    assert "remind_overdue_carry_outs: 1" in capsys.readouterr().out


def test_not_overdue_on_the_due_date_itself(taken_out):
    tick(TODAY() + timedelta(days=1))
    assert not overdue_notes().exists()


def test_twice_the_same_day_notifies_once(taken_out, capsys):
    day = TODAY() + timedelta(days=2)
    tick(day)
    tick(day)
    assert overdue_notes().count() == 2  # requester + officer, once
    out = capsys.readouterr().out
    assert "remind_overdue_carry_outs: 1" in out and "remind_overdue_carry_outs: 0" in out
    assert ReminderLog.objects.filter(key=f"carry_out_overdue:{taken_out.pk}").count() == 1


def test_next_day_reminds_again(taken_out, staff):
    tick(TODAY() + timedelta(days=2))
    tick(TODAY() + timedelta(days=3))
    assert overdue_notes(recipient=staff).count() == 2


def test_returned_or_not_yet_taken_requests_are_not_reminded(taken_out, staff, officer):
    not_taken = new_carry_out(staff, out_date=TODAY(), due_date=TODAY())
    perform(not_taken, "approve", officer)
    perform(taken_out, "bring_back", staff)
    tick(TODAY() + timedelta(days=5))
    assert not overdue_notes().exists()


def test_absent_officer_is_replaced_by_the_deputy(taken_out, body, staff, officer, make_absent):
    from tests.factories import UserFactory, give_role

    deputy = UserFactory(body=body, login_id="dairi")
    give_role(deputy, "officer", deputy=True)
    make_absent(officer, hours=24 * 10)
    tick(TODAY() + timedelta(days=2))
    assert set(overdue_notes().values_list("recipient", flat=True)) == {staff.pk, deputy.pk}


def test_other_bodies_overdue_requests_are_reminded_to_their_own_people(taken_out, outsider, staff, officer):
    theirs = new_carry_out(outsider, out_date=TODAY(), due_date=TODAY())
    # the outsider is their own body's officer and manager: another officer there must approve
    from tests.factories import UserFactory, give_role

    their_officer = UserFactory(body=outsider.body, login_id="yoso2")
    give_role(their_officer, "officer")
    perform(theirs, "approve", their_officer)
    perform(theirs, "take_out", outsider)
    tick(TODAY() + timedelta(days=2))
    assert theirs.number == taken_out.number  # numbers are per body
    theirs_notes = overdue_notes(url=theirs.get_absolute_url())
    assert set(theirs_notes.values_list("recipient", flat=True)) == {outsider.pk, their_officer.pk}
    assert set(theirs_notes.values_list("body", flat=True)) == {outsider.body_id}
    ours = overdue_notes(url=taken_out.get_absolute_url())
    assert set(ours.values_list("recipient", flat=True)) == {staff.pk, officer.pk}


def test_overdue_mark_is_shown_on_the_list(taken_out, login, staff, settings):
    CarryOutRequest.objects.filter(pk=taken_out.pk).update(  # test set-up only
        out_date=TODAY() - timedelta(days=3), due_date=TODAY() - timedelta(days=1))
    assert "期限超過" in login(staff).get("/media/carry-outs/").content.decode()


# --- password expiry ----------------------------------------------------------------------------

def _expiring(user, days_left):
    """Set the password age so that it expires `days_left` days from today (test set-up)."""
    type(user).objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - timedelta(days=user.body.password_expiry_days - days_left))


def test_password_expiry_reminder_within_seven_days(staff, staff2, officer):
    _expiring(staff, 5)
    _expiring(staff2, 8)  # not yet
    tick()
    tick()
    notes = Notification.objects.filter(title=EXPIRY)
    assert list(notes.values_list("recipient", flat=True)) == [staff.pk]
    assert notes.get().url == "/password/"
    tick(TODAY() + timedelta(days=1))  # the next day: staff again, staff2 now within 7 days
    assert sorted(notes.values_list("recipient", flat=True)) == sorted([staff.pk, staff.pk, staff2.pk])


def test_no_expiry_reminder_when_the_body_has_no_expiry(staff):
    _expiring(staff, 3)
    staff.body.password_expiry_days = 0
    staff.body.save()
    tick()
    assert not Notification.objects.filter(title=EXPIRY).exists()


# --- remind_once and the `tejun` command --------------------------------------------------------

def test_remind_once_per_key_and_day(body, staff):
    assert remind_once("k", [staff], "件名", body=body, day=TODAY()) is True
    assert remind_once("k", [staff], "件名", body=body, day=TODAY()) is False
    assert remind_once("k", [staff], "件名", body=body, day=TODAY() + timedelta(days=1)) is True
    assert Notification.objects.filter(recipient=staff, title="件名").count() == 2


def test_tejun_tick_through_the_cli(taken_out, monkeypatch, capsys):
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's transaction
    monkeypatch.setattr(sys, "argv", ["tejun", "tick", "--date", (TODAY() + timedelta(days=2)).isoformat()])
    tejun_main()
    assert "remind_overdue_carry_outs: 1" in capsys.readouterr().out
    assert overdue_notes().count() == 2


def test_a_notification_title_does_not_repeat_a_label_equal_to_the_state(staff, officer):
    from tejun.notify.models import Notification
    from tejun.workflow.engine import perform

    from ..media.helpers import new_carry_out

    request = new_carry_out(staff)
    perform(request, "reject", officer, comment="目的が不明確")
    title = Notification.objects.filter(recipient=staff).latest("id").title
    assert title.endswith("：却下")
    assert "（却下）" not in title
