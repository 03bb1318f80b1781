"""Exceptions (例外措置, C-1(1)(2)): the request, the officer's decision, the link to a medium, the tick warnings."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.lib.errors import Forbidden, InvalidInput, WrongState
from tejun.media import register_services as services
from tejun.media.models import MediumException
from tejun.media.register_services import one_year_after
from tejun.media.tasks import warn_expiring_exceptions
from tejun.notify.models import Notification
from tejun.notify.tick import run_all
from tejun.workflow.engine import perform

from .register_factories import exception_fields, make_cabinet, make_exception, make_medium

pytestmark = pytest.mark.django_db


def test_request_is_numbered_audited_and_sent_to_the_officer(staff, officer):
    exc = services.create_exception(actor=staff, **exception_fields())
    assert exc.number.startswith("EX-") and exc.number.endswith("-0001")
    assert exc.state == "submitted" and exc.requester == staff
    assert AuditEvent.objects.filter(object_type="media.MediumException", object_id=str(exc.pk),
                                     action="create").exists()
    note = Notification.objects.get(recipient=officer)
    assert exc.number in note.title and note.url == exc.get_absolute_url()
    assert not Notification.objects.filter(recipient=staff).exists()


def test_vendor_cannot_request(vendor):
    with pytest.raises(Forbidden):
        services.create_exception(actor=vendor, **exception_fields())


@pytest.mark.parametrize("overrides,field,words", [
    ({"valid_to": timezone.localdate() - timedelta(days=1)}, "valid_to", ["開始日以降"]),
    ({"valid_to": one_year_after(timezone.localdate())}, "valid_to", ["1年以内"]),
    ({"valid_from": timezone.localdate() - timedelta(days=1)}, "valid_from", ["過去"]),
    ({"valid_from": None}, "valid_from", ["入力してください"]),
    ({"valid_to": "来年"}, "valid_to", ["日付"]),
    ({"kind": "cd"}, "kind", ["選択肢"]),
    ({"purpose": "  "}, "purpose", ["入力してください"]),
    ({"medium_description": ""}, "medium_description", ["対象の記録媒体"]),
    ({"purpose": "あ" * 2001}, "purpose", ["2000文字以内"]),
])
def test_bad_request_is_refused_in_japanese_and_nothing_is_made(staff, overrides, field, words):
    with pytest.raises(InvalidInput) as e:
        services.create_exception(actor=staff, **exception_fields(**overrides))
    assert all(w in str(e.value.fields[field]) for w in words), e.value.fields
    assert not MediumException.objects.exists()


def test_period_of_exactly_one_year_is_accepted(staff):
    today = timezone.localdate()
    exc = services.create_exception(actor=staff, **exception_fields(
        valid_from=today, valid_to=one_year_after(today) - timedelta(days=1)))
    assert exc.valid_to == one_year_after(today) - timedelta(days=1)


def test_linked_medium_must_match_the_kind(staff, officer, body):
    cabinet = make_cabinet(body)
    hdd = make_medium(staff, cabinet, kind="hdd")
    private = make_medium(staff, cabinet, kind="hdd", owner="private")
    with pytest.raises(InvalidInput) as e:
        services.create_exception(actor=staff, **exception_fields(medium=hdd))
    assert "必要ありません" in str(e.value.fields["medium"])
    with pytest.raises(InvalidInput) as e:
        services.create_exception(actor=staff, **exception_fields(kind="usb", medium=private))
    assert "私物の記録媒体の使用" in str(e.value.fields["medium"])
    exc = services.create_exception(actor=staff, **exception_fields(kind="private", medium=private,
                                                                    medium_description=""))
    assert exc.medium == private and private.number in exc.medium_description


def test_medium_of_another_body_cannot_be_linked(staff, outsider):
    theirs = make_medium(outsider, make_cabinet(outsider.body), kind="usb")
    with pytest.raises(InvalidInput) as e:
        services.create_exception(actor=staff, **exception_fields(medium=theirs.pk))
    assert "この団体の記録媒体" in str(e.value.fields["medium"])


# --- the decision ------------------------------------------------------------------------------------

def test_requester_can_never_approve_their_own_exception(officer, manager):
    exc = services.create_exception(actor=officer, **exception_fields())
    with pytest.raises(Forbidden) as e:
        perform(exc, "approve", officer)
    assert "自分の申請" in str(e.value.message)
    exc.refresh_from_db()
    assert exc.state == "submitted"
    assert not AuditEvent.objects.filter(action="transition.approve").exists()


def test_plain_staff_cannot_approve(staff, staff2, officer):
    exc = services.create_exception(actor=staff, **exception_fields())
    with pytest.raises(Forbidden):
        perform(exc, "approve", staff2)


def test_officer_approves_and_the_medium_is_linked(staff, officer, body):
    cabinet = make_cabinet(body)
    old = make_exception(staff, days_from=-300, days_to=-1)
    usb = make_medium(staff, cabinet, kind="usb", exception=old)
    exc = services.create_exception(actor=staff, **exception_fields(medium=usb))
    perform(exc, "approve", officer, comment="入稿に限り認める")
    usb.refresh_from_db()
    assert usb.exception_id == exc.pk and services.medium_usable(usb) == (True, "")
    link = AuditEvent.objects.get(object_type="media.Medium", object_id=str(usb.pk), action="link_exception")
    assert link.before == {"exception": old.pk} and link.after == {"exception": exc.pk}
    assert Notification.objects.filter(recipient=staff, title__contains="承認").exists()


def test_a_lapsed_period_cannot_be_approved(staff, officer):
    exc = make_exception(staff, state="submitted", days_from=-30, days_to=-1)
    with pytest.raises(InvalidInput) as e:
        perform(exc, "approve", officer)
    assert "終了" in str(e.value.message)
    exc.refresh_from_db()
    assert exc.state == "submitted"


def test_revoke_makes_the_medium_unusable(staff, officer, body):
    exc = make_exception(staff)
    usb = make_medium(staff, make_cabinet(body), kind="usb", exception=exc)
    with pytest.raises(InvalidInput):
        perform(exc, "revoke", officer)  # a reason is required
    perform(exc, "revoke", officer, comment="目的を達したため")
    usable, reason = services.medium_usable(usb)
    assert usable is False and exc.number in reason


def test_only_the_requester_corrects_a_sent_back_request(staff, staff2, officer):
    exc = services.create_exception(actor=staff, **exception_fields())
    with pytest.raises(WrongState):
        services.update_exception(exc, actor=staff, purpose="変更")
    perform(exc, "send_back", officer, comment="期間を短くしてください")
    with pytest.raises(Forbidden):
        services.update_exception(exc, actor=staff2, purpose="変更")
    today = timezone.localdate()
    with pytest.raises(InvalidInput):
        services.update_exception(exc, actor=staff, valid_to=today - timedelta(days=1))
    services.update_exception(exc, actor=staff, valid_to=today + timedelta(days=30))
    exc.refresh_from_db()
    assert exc.valid_to == today + timedelta(days=30) and exc.state == "sent_back"
    perform(exc, "resubmit", staff)
    perform(exc, "approve", officer)
    exc.refresh_from_db()
    assert exc.state == "approved"


# --- tejun tick: warnings before the end ---------------------------------------------------------------

@pytest.fixture
def ending(staff, officer, body):
    """An approved exception ending in 14 days, with a medium kept by someone else than the requester."""
    exc = make_exception(staff, days_from=-100, days_to=14)
    make_medium(officer, make_cabinet(body), kind="usb", exception=exc)
    return exc


def test_tick_warns_14_days_before_requester_custodian_and_officer(ending, staff, officer, staff2):
    assert warn_expiring_exceptions() == 1
    warned = Notification.objects.filter(title__contains=ending.number)
    assert {n.recipient for n in warned} == {staff, officer}
    assert "14日" in warned.first().title and warned.first().url == ending.get_absolute_url()


def test_tick_twice_the_same_day_and_the_next_days_warns_once(ending):
    today = timezone.localdate()
    assert warn_expiring_exceptions(today) == 1
    assert warn_expiring_exceptions(today) == 0
    assert warn_expiring_exceptions(today + timedelta(days=1)) == 0  # still the 14-day stage
    assert warn_expiring_exceptions(today + timedelta(days=11)) == 1  # 3 days left
    assert warn_expiring_exceptions(today + timedelta(days=12)) == 0
    assert Notification.objects.filter(title__contains=ending.number).count() == 4  # 2 people x 2 stages


def test_tick_missed_days_still_warn_once(ending):
    today = timezone.localdate()
    # cron did not run 14 days before; 10 days before it warns (the 14-day stage), once.
    assert warn_expiring_exceptions(today + timedelta(days=4)) == 1
    assert warn_expiring_exceptions(today + timedelta(days=5)) == 0


def test_tick_ignores_far_ended_or_undecided_exceptions(staff):
    make_exception(staff, days_from=0, days_to=60)
    make_exception(staff, days_from=-100, days_to=-1)
    make_exception(staff, state="submitted", days_from=0, days_to=3)
    make_exception(staff, state="revoked", days_from=-10, days_to=3)
    assert warn_expiring_exceptions() == 0
    assert not Notification.objects.exists()


def test_tick_runs_the_exception_check(ending):
    assert run_all()["warn_expiring_exceptions"] == 1
    assert run_all()["warn_expiring_exceptions"] == 0


def test_expired_exception_makes_the_medium_unusable_the_next_day(staff, body):
    exc = make_exception(staff, days_from=-30, days_to=0)
    usb = make_medium(staff, make_cabinet(body), kind="usb", exception=exc)
    today = timezone.localdate()
    assert services.medium_usable(usb, today)[0] is True
    usable, reason = services.medium_usable(usb, today + timedelta(days=1))
    assert usable is False and "終了" in reason
