"""P-01 services: validation with Japanese field messages, nothing half-made, numbering per body and 年度."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.lib.wareki import fiscal_year
from tejun.media.models import CarryOutRequest
from tejun.media.services import _next_number, create_carry_out, update_carry_out
from tejun.notify.models import Notification
from tejun.workflow.engine import perform

from .helpers import carry_out_fields, new_carry_out

TODAY = timezone.localdate


def _nothing_created():
    return (CarryOutRequest.objects.count(), AuditEvent.objects.filter(object_type="media.CarryOutRequest").count(),
            Notification.objects.count())


def _refused(actor, **overrides) -> dict:
    """Create must fail with InvalidInput; returns the field messages. Nothing may be left behind."""
    before = _nothing_created()
    with pytest.raises(InvalidInput) as exc:
        create_carry_out(actor=actor, **carry_out_fields(**overrides))
    assert exc.value.message == "入力内容を確認してください。"
    assert _nothing_created() == before
    return exc.value.fields


def test_valid_request_is_created_audited_and_numbered(staff, officer):
    req = new_carry_out(staff, data_description="  議事録  ")
    assert req.state == "submitted" and req.requester == staff and req.body_id == staff.body_id
    assert req.data_description == "議事録"  # trimmed
    assert req.number == f"CO-{fiscal_year(TODAY())}-0001"
    event = AuditEvent.objects.get(object_type="media.CarryOutRequest", object_id=str(req.pk))
    assert event.action == "create" and event.actor == staff and event.before is None
    assert event.after["number"] == req.number and event.after["confidentiality"] == 2


def test_due_date_before_out_date(staff):
    fields = _refused(staff, out_date=TODAY() + timedelta(days=2), due_date=TODAY() + timedelta(days=1))
    assert fields == {"due_date": "返却予定日は持出し日以降にしてください。"}


def test_same_day_return_is_fine(staff):
    assert new_carry_out(staff, out_date=TODAY(), due_date=TODAY()).pk


def test_out_date_in_the_past(staff):
    fields = _refused(staff, out_date=TODAY() - timedelta(days=1))
    assert fields == {"out_date": "持出し日に過去の日付は指定できません。"}


@pytest.mark.parametrize("level", [2, 3])
def test_class_two_or_more_needs_protection(staff, level):
    fields = _refused(staff, confidentiality=level, encrypted=False, password_protected=False,
                      locked_case=False, protection_note="   ")
    assert fields == {"encrypted": "機密性2以上のデータは、暗号化・パスワード保護・施錠ケースなどの保護措置が必要です。"}


@pytest.mark.parametrize("protection", [{"encrypted": True}, {"password_protected": True}, {"locked_case": True},
                                        {"protection_note": "職員が常時携行"}])
def test_any_protection_is_enough_for_class_two(staff, protection):
    fields = {"encrypted": False, "password_protected": False, "locked_case": False, "protection_note": ""}
    fields.update(protection)
    assert new_carry_out(staff, confidentiality=3, **fields).pk


def test_class_one_needs_no_protection(staff):
    assert new_carry_out(staff, confidentiality=1, encrypted=False).pk


def test_missing_fields_are_each_named(staff):
    blank = {"data_description": "", "confidentiality": None, "purpose": "  ", "destination": None,
             "out_date": None, "due_date": None}
    fields = _refused(staff, **blank)
    assert fields == {name: "入力してください。" for name in blank}


def test_fields_left_out_entirely(staff):
    before = _nothing_created()
    with pytest.raises(InvalidInput) as exc:
        create_carry_out(actor=staff, data_description="議事録")
    assert set(exc.value.fields) == {"confidentiality", "purpose", "destination", "out_date", "due_date"}
    assert _nothing_created() == before


def test_unknown_field(staff):
    fields = _refused(staff, state="approved", number="CO-1999-0001")
    assert fields == {"number": "この項目は指定できません。", "state": "この項目は指定できません。"}


@pytest.mark.parametrize("name,limit", [("data_description", 300), ("destination", 200), ("protection_note", 200),
                                        ("purpose", 2000)])
def test_too_long(staff, name, limit):
    fields = _refused(staff, **{name: "あ" * (limit + 1)})
    assert fields == {name: f"{limit}文字以内で入力してください。"}
    assert new_carry_out(staff, **{name: "あ" * limit}).pk  # the limit itself is allowed


@pytest.mark.parametrize("level", [0, 4, "2", True])
def test_unknown_classification(staff, level):
    fields = _refused(staff, confidentiality=level)
    assert fields["confidentiality"] == "機密性分類は 1、2、3 のいずれかです。"


@pytest.mark.parametrize("overrides,field", [
    ({"out_date": "2099-01-01"}, "out_date"),
    ({"due_date": datetime(2099, 1, 1, 9, 0)}, "due_date"),
    ({"data_description": 42}, "data_description"),
    ({"encrypted": "yes"}, "encrypted"),
])
def test_wrongly_typed_values_are_refused_not_crashed(staff, overrides, field):
    fields = _refused(staff, **overrides)
    assert field in fields


def test_several_problems_are_reported_together(staff):
    fields = _refused(staff, data_description="", out_date=TODAY() - timedelta(days=3),
                      confidentiality=3, encrypted=False, bogus=1)
    assert set(fields) == {"data_description", "out_date", "encrypted", "bogus"}


def test_vendor_may_not_file_a_request(vendor):
    before = _nothing_created()
    with pytest.raises(Forbidden):
        new_carry_out(vendor)
    assert _nothing_created() == before


# --- numbers ------------------------------------------------------------------------------------

def test_numbers_increment_per_body_independently(staff, staff2, outsider):
    fy = fiscal_year(TODAY())
    first, second = new_carry_out(staff), new_carry_out(staff2)
    theirs = new_carry_out(outsider)
    third = new_carry_out(staff)
    assert [first.number, second.number, third.number] == [f"CO-{fy}-0001", f"CO-{fy}-0002", f"CO-{fy}-0003"]
    assert theirs.number == f"CO-{fy}-0001"
    assert new_carry_out(outsider).number == f"CO-{fy}-0002"


def test_number_restarts_each_fiscal_year(staff):
    new_carry_out(staff)
    fy = fiscal_year(TODAY())
    assert _next_number(staff.body_id, TODAY()) == f"CO-{fy}-0002"
    assert _next_number(staff.body_id, date(fy + 1, 4, 1)) == f"CO-{fy + 1}-0001"
    assert _next_number(staff.body_id, date(fy + 1, 3, 31)) == f"CO-{fy}-0002"  # still the same 年度


def test_numbers_keep_counting_past_9999(staff):
    req = new_carry_out(staff)
    prefix = req.number.rsplit("-", 1)[0]
    CarryOutRequest.objects.filter(pk=req.pk).update(number=f"{prefix}-9999")  # test set-up, not a service path
    assert new_carry_out(staff).number == f"{prefix}-10000"
    assert new_carry_out(staff).number == f"{prefix}-10001"


# --- update after send back ---------------------------------------------------------------------

@pytest.fixture
def sent_back(staff, officer):
    req = new_carry_out(staff)
    return perform(req, "send_back", officer, comment="返却予定日を早めてください")


def test_requester_updates_a_sent_back_request(sent_back, staff):
    updated = update_carry_out(sent_back, actor=staff, due_date=TODAY() + timedelta(days=1))
    assert updated.due_date == TODAY() + timedelta(days=1)
    event = AuditEvent.objects.filter(object_id=str(sent_back.pk), action="update").get()
    assert event.before["due_date"] == str(TODAY() + timedelta(days=3))
    assert event.after["due_date"] == str(TODAY() + timedelta(days=1))


def test_update_is_validated_and_changes_nothing_when_bad(sent_back, staff):
    count = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as exc:
        update_carry_out(sent_back, actor=staff, due_date=TODAY() - timedelta(days=10), number="X")
    assert set(exc.value.fields) == {"due_date", "number"}
    assert CarryOutRequest.objects.get(pk=sent_back.pk).due_date == sent_back.due_date
    assert AuditEvent.objects.count() == count


def test_only_the_requester_updates(sent_back, officer, staff2):
    for user in (officer, staff2):
        with pytest.raises(Forbidden):
            update_carry_out(sent_back, actor=user, purpose="書き換え")
    assert CarryOutRequest.objects.get(pk=sent_back.pk).purpose == sent_back.purpose


def test_another_body_gets_not_found_on_update(sent_back, outsider):
    with pytest.raises(NotFound):
        update_carry_out(sent_back, actor=outsider, purpose="書き換え")


@pytest.mark.parametrize("path", [[], ["approve"]])
def test_only_a_sent_back_request_is_updated(staff, officer, path):
    req = new_carry_out(staff)
    for name in path:
        perform(req, name, officer)
    with pytest.raises(WrongState):
        update_carry_out(req, actor=staff, purpose="書き換え")
    assert CarryOutRequest.objects.get(pk=req.pk).purpose == req.purpose
