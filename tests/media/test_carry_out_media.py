"""C-1(3), P-01: carrying out a registered medium. The medium's status follows the request, and a medium
that may not be used (disposed, lost, out, disposal requested, no valid exception) is refused when the
request is filed and again when it is taken out."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.incidents.models import Incident
from tejun.lib.errors import Forbidden, InvalidInput, WrongState
from tejun.media.disposal_services import create_disposal
from tejun.media.models import CarryOutRequest, Medium
from tejun.media.services import update_carry_out
from tejun.media.tasks import remind_overdue_carry_outs
from tejun.notify.models import Notification
from tejun.workflow.engine import perform
from tejun.workflow.models import TransitionLog

from .flow_helpers import exception_for, medium
from .helpers import carry_out_fields, new_carry_out

TODAY = timezone.localdate


def _medium_events(m):
    return AuditEvent.objects.filter(object_type="media.Medium", object_id=str(m.pk))


def _refused(actor, m, **overrides) -> str:
    """Filing must fail on the `medium` field and leave nothing behind; returns the message."""
    before = (CarryOutRequest.objects.count(), AuditEvent.objects.count(), Notification.objects.count())
    with pytest.raises(InvalidInput) as exc:
        new_carry_out(actor, medium=m, **overrides)
    assert set(exc.value.fields) == {"medium"}
    assert (CarryOutRequest.objects.count(), AuditEvent.objects.count(), Notification.objects.count()) == before
    return exc.value.fields["medium"]


def test_request_names_a_usable_medium(staff, officer, body):
    m = medium(body, staff)
    req = new_carry_out(staff, medium=m)
    assert req.medium == m
    m.refresh_from_db()
    assert m.status == Medium.Status.STORED  # nothing leaves before take_out
    event = AuditEvent.objects.get(object_type="media.CarryOutRequest", object_id=str(req.pk))
    assert event.after["medium"] == m.pk


def test_a_disposed_medium_cannot_be_carried_out(staff, body):
    m = medium(body, staff, status=Medium.Status.DISPOSED)
    assert "廃棄済" in _refused(staff, m)


def test_a_lost_medium_cannot_be_carried_out(staff, body):
    m = medium(body, staff, status=Medium.Status.LOST)
    assert "紛失" in _refused(staff, m)


@pytest.mark.parametrize("status", [Medium.Status.OUT, Medium.Status.DISPOSAL_REQUESTED])
def test_a_medium_out_or_awaiting_disposal_cannot_be_carried_out(staff, body, status):
    _refused(staff, medium(body, staff, status=status))


def test_a_usb_memory_without_an_exception_is_refused(staff, body):
    _refused(staff, medium(body, staff, kind="usb"))


def test_a_private_medium_without_an_exception_is_refused(staff, body):
    _refused(staff, medium(body, staff, owner="private", kind="sd"))


def test_a_usb_memory_with_an_expired_exception_is_refused(staff, officer, body):
    expired = exception_for(body, staff, valid_from=TODAY() - timedelta(days=40), days=30)
    _refused(staff, medium(body, staff, kind="usb", exception=expired))


def test_an_exception_ending_before_the_due_date_is_refused(staff, body):
    ends_tomorrow = exception_for(body, staff, days=2)  # valid from yesterday to tomorrow
    m = medium(body, staff, kind="usb", exception=ends_tomorrow)
    _refused(staff, m, due_date=TODAY() + timedelta(days=3))
    assert new_carry_out(staff, medium=m, due_date=TODAY() + timedelta(days=1)).medium == m


def test_an_exception_not_yet_approved_does_not_count(staff, body):
    pending = exception_for(body, staff, state="submitted")
    _refused(staff, medium(body, staff, kind="usb", exception=pending))


def test_another_bodys_medium_is_refused_without_saying_it_exists(staff, outsider):
    theirs = medium(outsider.body, outsider)
    assert _refused(staff, theirs) == "選択できない記録媒体です。"


def test_one_open_request_per_medium(staff, staff2, body):
    m = medium(body, staff)
    first = new_carry_out(staff, medium=m)
    assert first.number in _refused(staff2, m)


def test_a_medium_with_a_disposal_request_is_refused(staff, officer, body):
    m = medium(body, staff)
    create_disposal(actor=staff, medium=m, reason="故障のため")
    assert "廃棄申請中" in _refused(staff, Medium.objects.get(pk=m.pk))


def test_the_whole_way_out_and_back(staff, officer, body):
    m = medium(body, staff)
    req = new_carry_out(staff, medium=m)
    perform(req, "approve", officer)
    req = perform(req, "take_out", staff)
    m.refresh_from_db()
    assert req.state == "taken_out" and m.status == Medium.Status.OUT
    req = perform(req, "bring_back", staff)
    m.refresh_from_db()
    assert req.state == "returned" and m.status == Medium.Status.OUT  # until someone else confirms it
    with pytest.raises(Forbidden):
        perform(req, "confirm_return", staff)  # not the requester
    req = perform(req, "confirm_return", officer)
    m.refresh_from_db()
    assert req.state == "closed" and m.status == Medium.Status.STORED
    statuses = [(e.before["status"], e.after["status"], e.actor_id) for e in _medium_events(m).order_by("seq")]
    assert statuses == [("stored", "out", staff.pk), ("out", "stored", officer.pk)]
    # Back in the cabinet: it may go out again.
    assert new_carry_out(staff, medium=m).medium == m


def test_approving_ones_own_request_is_refused(officer, body):
    m = medium(body, officer)
    req = new_carry_out(officer, medium=m)
    with pytest.raises(Forbidden) as exc:
        perform(req, "approve", officer)
    assert exc.value.message == "自分の申請を自分で決裁することはできません。"
    req.refresh_from_db()
    assert req.state == "submitted"
    assert not TransitionLog.objects.filter(object_id=str(req.pk), transition="approve").exists()


def test_exception_expired_between_approval_and_take_out(staff, officer, body):
    exc_ = exception_for(body, staff, days=10)
    m = medium(body, staff, kind="usb", exception=exc_)
    req = new_carry_out(staff, medium=m)
    perform(req, "approve", officer)
    exc_.valid_to = TODAY() - timedelta(days=1)  # expired (or revoked) since
    exc_.save()
    events = AuditEvent.objects.count()
    with pytest.raises(WrongState) as e:
        perform(req, "take_out", staff)
    assert m.number in e.value.message
    req.refresh_from_db()
    m.refresh_from_db()
    assert req.state == "approved" and req.taken_out_at is None and m.status == Medium.Status.STORED
    assert AuditEvent.objects.count() == events


def test_take_out_refused_when_the_exception_ends_before_the_due_date(staff, officer, body):
    exc_ = exception_for(body, staff, days=10)
    m = medium(body, staff, kind="usb", exception=exc_)
    req = new_carry_out(staff, medium=m, due_date=TODAY() + timedelta(days=5))
    perform(req, "approve", officer)
    exc_.valid_to = TODAY() + timedelta(days=2)  # shortened: no longer covers the due date
    exc_.save()
    with pytest.raises(WrongState):
        perform(req, "take_out", staff)


def test_take_out_refused_for_a_medium_disposed_meanwhile(staff, officer, body):
    m = medium(body, staff)
    req = new_carry_out(staff, medium=m)
    perform(req, "approve", officer)
    Medium.objects.filter(pk=m.pk).update(status=Medium.Status.DISPOSED)
    with pytest.raises(WrongState) as e:
        perform(req, "take_out", staff)
    assert "廃棄済" in e.value.message


def test_sent_back_request_may_change_its_medium_but_not_to_a_disposed_one(staff, officer, body):
    m1, m2 = medium(body, staff), medium(body, staff, status=Medium.Status.DISPOSED)
    req = new_carry_out(staff, medium=m1)
    perform(req, "send_back", officer, comment="媒体を変えてください")
    with pytest.raises(InvalidInput) as exc:
        update_carry_out(req, actor=staff, medium=m2)
    assert "廃棄済" in exc.value.fields["medium"]
    req.refresh_from_db()
    assert req.medium == m1
    m3 = medium(body, staff)
    assert update_carry_out(req, actor=staff, medium=m3).medium == m3
    # Its own medium does not count as "busy" when the request is corrected.
    assert update_carry_out(req, actor=staff, purpose="校正").medium == m3


def test_report_lost(staff, officer, manager, staff2, body):
    m = medium(body, staff)
    req = new_carry_out(staff, medium=m)
    perform(req, "approve", officer)
    perform(req, "take_out", staff)
    with pytest.raises(Forbidden):
        perform(req, "report_lost", staff2, comment="見当たらない")  # neither requester nor officer
    with pytest.raises(InvalidInput) as exc:
        perform(req, "report_lost", staff)
    assert "comment" in exc.value.fields
    Notification.objects.all().delete()
    req = perform(req, "report_lost", staff, comment="電車内で紛失した可能性があります。")
    m.refresh_from_db()
    assert req.state == "lost" and m.status == Medium.Status.LOST
    incident = Incident.objects.get(source_id=str(req.pk))
    assert incident.kind == Incident.Kind.LEAK_LOSS and incident.requester == staff
    assert incident.source_type.model_class() is CarryOutRequest
    assert req.number in incident.description and "電車内" in incident.description and m.number in incident.title
    assert AuditEvent.objects.filter(object_type="incidents.Incident", object_id=str(incident.pk)).exists()
    told = set(Notification.objects.filter(title__startswith="紛失の報告").values_list("recipient", flat=True))
    assert told == {officer.pk, manager.pk}
    # Lost is final, and a lost medium never goes out again.
    with pytest.raises(WrongState):
        perform(req, "bring_back", staff)
    _refused(staff, m)


def test_officer_may_report_the_loss_too(staff, officer, manager, body):
    m = medium(body, staff)
    req = new_carry_out(staff, medium=m)
    perform(req, "approve", officer)
    perform(req, "take_out", staff)
    perform(req, "report_lost", officer, comment="申請者から電話で報告あり")
    assert Incident.objects.get(source_id=str(req.pk)).requester == officer


def test_overdue_reminder_covers_a_medium(staff, officer, body):
    m = medium(body, staff)
    req = new_carry_out(staff, medium=m, due_date=TODAY() + timedelta(days=1))
    perform(req, "approve", officer)
    perform(req, "take_out", staff)
    later = TODAY() + timedelta(days=2)
    assert remind_overdue_carry_outs(today=later) == 1
    reminded = Notification.objects.filter(title=f"返却期限を過ぎています：{req.number}")
    assert set(reminded.values_list("recipient", flat=True)) == {staff.pk, officer.pk}
    assert remind_overdue_carry_outs(today=later) == 0  # once a day
    assert remind_overdue_carry_outs(today=later + timedelta(days=1)) == 1  # and again the next day


def test_filing_without_a_medium_still_works(staff):
    assert new_carry_out(staff).medium is None


def test_take_out_without_a_medium_touches_no_medium(staff, officer):
    req = new_carry_out(staff)
    perform(req, "approve", officer)
    perform(req, "take_out", staff)
    assert not AuditEvent.objects.filter(object_type="media.Medium").exists()


def test_two_officers_approving_one_after_the_other(staff, officer, body):
    """The engine's answer to a second decision: 409, one transition, one audit event.

    This runs the two approvals one after the other on any database; the truly concurrent version (two
    threads, two connections, select_for_update) is test_two_officers_approve_at_once_postgres below."""
    from tests.factories import UserFactory, give_role

    second = UserFactory(body=body, full_name="責任 二郎")
    give_role(second, "officer")
    req = new_carry_out(staff, medium=medium(body, staff))
    perform(req, "approve", officer)
    with pytest.raises(WrongState):
        perform(req, "approve", second)
    assert AuditEvent.objects.filter(object_type="media.CarryOutRequest", object_id=str(req.pk),
                                     action="transition.approve").count() == 1
    assert TransitionLog.objects.filter(object_id=str(req.pk), transition="approve").count() == 1


def test_carry_out_fields_helper_is_unchanged():
    assert "medium" not in carry_out_fields()


def test_reporting_a_loss_is_possible_but_not_awaited(staff, officer, manager, body):
    """report_lost is open to the officer, but a carry-out that is out is not a task of theirs, nor a notice."""
    from tejun.workflow.selectors import my_tasks

    req = new_carry_out(staff, medium=medium(body, staff))
    perform(req, "approve", officer)
    Notification.objects.all().delete()
    perform(req, "take_out", staff)
    assert not Notification.objects.filter(recipient__in=[officer, manager]).exists()
    for person in (officer, manager):
        assert not any(item["object"].pk == req.pk for g in my_tasks(person) for item in g["items"])
    [group] = [g for g in my_tasks(staff) if g["items"] and g["items"][0]["object"].pk == req.pk]
    assert [t.name for t in group["items"][0]["actions"]] == ["bring_back"]


def test_taking_out_class2_data_raises_the_mediums_highest_level(staff, officer, body):
    """A medium registered as holding class 1 data carries class 2 data out: the register follows, so a later
    disposal needs the officer's approval and physical destruction."""
    from tejun.media.disposal_services import create_disposal

    m = medium(body, staff, level_code="1")
    req = new_carry_out(staff, medium=m, confidentiality=2)
    perform(req, "approve", officer)
    perform(req, "take_out", staff)
    m.refresh_from_db()
    assert m.highest_level.code == "2" and m.status == Medium.Status.OUT
    event = AuditEvent.objects.get(object_type="media.Medium", object_id=str(m.pk), action="data_written")
    assert event.actor == staff
    perform(req, "bring_back", staff)
    perform(req, "confirm_return", officer)
    assert create_disposal(actor=staff, medium=Medium.objects.get(pk=m.pk), reason="故障").needs_approval


def test_taking_out_lower_class_data_leaves_the_level(staff, officer, body):
    m = medium(body, staff, level_code="3")
    req = new_carry_out(staff, medium=m, confidentiality=1, encrypted=False)
    perform(req, "approve", officer)
    perform(req, "take_out", staff)
    m.refresh_from_db()
    assert m.highest_level.code == "3"
    assert not AuditEvent.objects.filter(object_type="media.Medium", action="data_written").exists()
