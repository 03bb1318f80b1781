"""The media register's services (C-1): cabinets, media, the highest level, medium_usable."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.assets.models import Axis
from tejun.assets.schemes import active_scheme, level_by_code
from tejun.audit.models import AuditEvent
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.media import register_services as services
from tejun.media.models import Cabinet, Medium

from .register_factories import conf_level, make_cabinet, make_exception, make_medium, medium_fields

pytestmark = pytest.mark.django_db


def events(obj, action=None):
    qs = AuditEvent.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk))
    return qs.filter(action=action) if action else qs


@pytest.fixture
def cabinet(body):
    return make_cabinet(body)


@pytest.fixture
def open_shelf(body):
    return make_cabinet(body, "受付カウンター下の棚", lockable=False)


# --- cabinets -----------------------------------------------------------------------------------

def test_create_cabinet_is_audited(staff_in_charge):
    cabinet = services.create_cabinet(actor=staff_in_charge, name=" キャビネットB ", place="書庫", lockable=True,
                                      key_custodian=staff_in_charge)
    assert cabinet.name == "キャビネットB" and cabinet.key_custodian == staff_in_charge
    event = events(cabinet, "create").get()
    assert event.after["name"] == "キャビネットB" and event.actor_id == staff_in_charge.pk


def test_plain_staff_cannot_create_a_cabinet(staff):
    with pytest.raises(Forbidden):
        services.create_cabinet(actor=staff, name="キャビネットB", place="書庫")
    assert not Cabinet.objects.exists()


@pytest.mark.parametrize("fields,field,message", [
    ({"name": "", "place": "書庫"}, "name", "入力してください。"),
    ({"name": "事務局書庫キャビネットA", "place": "書庫"}, "name", "既に登録されています"),
    ({"name": "B", "place": "書庫", "lockable": "yes"}, "lockable", "はい・いいえ"),
    ({"name": "B", "place": "書庫", "colour": "red"}, "colour", "指定できません"),
])
def test_bad_cabinet_input_names_the_field_and_creates_nothing(officer, cabinet, fields, field, message):
    with pytest.raises(InvalidInput) as e:
        services.create_cabinet(actor=officer, **fields)
    assert message in str(e.value.fields[field])
    assert Cabinet.objects.count() == 1


def test_key_custodian_of_another_body_is_refused(officer, outsider):
    with pytest.raises(InvalidInput) as e:
        services.create_cabinet(actor=officer, name="B", place="書庫", key_custodian=outsider)
    assert "この団体の職員" in str(e.value.fields["key_custodian"])


def test_a_cabinet_holding_media_cannot_become_unlockable(officer, cabinet, staff):
    make_medium(staff, cabinet)
    with pytest.raises(InvalidInput) as e:
        services.update_cabinet(cabinet, actor=officer, lockable=False)
    assert "施錠できるキャビネット" in str(e.value.fields["lockable"])
    cabinet.refresh_from_db()
    assert cabinet.lockable and not events(cabinet).exists()


def test_update_cabinet_records_before_and_after(officer, cabinet):
    services.update_cabinet(cabinet, actor=officer, place="本庁舎3階 書庫")
    event = events(cabinet, "update").get()
    assert event.before["place"] == "議会事務局 書庫" and event.after["place"] == "本庁舎3階 書庫"
    services.update_cabinet(cabinet, actor=officer, place="本庁舎3階 書庫")  # no change: no event
    assert events(cabinet, "update").count() == 1


def test_another_body_cannot_touch_our_cabinet(outsider, cabinet):
    with pytest.raises(NotFound):
        services.update_cabinet(cabinet, actor=outsider, name="乗っ取り")


# --- registering media --------------------------------------------------------------------------

def test_register_numbers_per_body_and_audits(staff_in_charge, cabinet, outsider):
    first = services.create_medium(actor=staff_in_charge, **medium_fields(cabinet, staff_in_charge))
    second = services.create_medium(actor=staff_in_charge, **medium_fields(cabinet, staff_in_charge, serial="SN-2"))
    assert (first.number, second.number) == ("MD-00001", "MD-00002")
    assert first.status == "stored" and first.registered_on == timezone.localdate()
    theirs = services.create_medium(actor=outsider, **medium_fields(make_cabinet(outsider.body), outsider))
    assert theirs.number == "MD-00001"
    assert events(first, "create").get().after["number"] == "MD-00001"


def test_custodian_defaults_to_the_registrar(staff_in_charge, cabinet):
    fields = medium_fields(cabinet, staff_in_charge)
    del fields["custodian"]
    assert services.create_medium(actor=staff_in_charge, **fields).custodian == staff_in_charge


def test_plain_staff_cannot_register(staff, cabinet):
    with pytest.raises(Forbidden):
        services.create_medium(actor=staff, **medium_fields(cabinet, staff))
    assert not Medium.objects.exists()


def test_not_in_a_cabinet_that_cannot_be_locked(officer, open_shelf):
    with pytest.raises(InvalidInput) as e:
        services.create_medium(actor=officer, **medium_fields(open_shelf, officer))
    message = str(e.value.fields["cabinet"])
    assert "施錠できない" in message and "C-1(4)" in message and open_shelf.name in message
    assert not Medium.objects.exists() and not AuditEvent.objects.filter(object_type="media.Medium").exists()


def test_cannot_move_to_a_cabinet_that_cannot_be_locked(officer, cabinet, open_shelf):
    medium = make_medium(officer, cabinet)
    with pytest.raises(InvalidInput) as e:
        services.update_medium(medium, actor=officer, cabinet=open_shelf)
    assert "施錠できない" in str(e.value.fields["cabinet"])
    medium.refresh_from_db()
    assert medium.cabinet == cabinet and not events(medium).exists()


def test_move_to_another_lockable_cabinet(officer, cabinet, body):
    safe = make_cabinet(body, "耐火金庫")
    medium = make_medium(officer, cabinet)
    services.update_medium(medium, actor=officer, cabinet=safe.pk)
    medium.refresh_from_db()
    event = events(medium, "update").get()
    assert medium.cabinet == safe and event.before["cabinet"] == cabinet.pk and event.after["cabinet"] == safe.pk


def test_cabinet_of_another_body_is_refused(officer, outsider):
    theirs = make_cabinet(outsider.body)
    with pytest.raises(InvalidInput) as e:
        services.create_medium(actor=officer, **medium_fields(theirs, officer))
    assert "この団体のキャビネット" in str(e.value.fields["cabinet"])


def test_missing_required_fields_are_named(officer):
    with pytest.raises(InvalidInput) as e:
        services.create_medium(actor=officer, kind="", product="", cabinet=None)
    assert {"kind", "product", "cabinet"} <= set(e.value.fields)


def test_registered_on_cannot_be_in_the_future(officer, cabinet):
    with pytest.raises(InvalidInput) as e:
        services.create_medium(actor=officer, **medium_fields(
            cabinet, officer, registered_on=timezone.localdate() + timedelta(days=1)))
    assert "未来" in str(e.value.fields["registered_on"])


# --- exceptions required for USB memories and private media (C-1(1)(2)) ------------------------

def test_usb_memory_without_an_exception_is_refused(officer, cabinet):
    with pytest.raises(InvalidInput) as e:
        services.create_medium(actor=officer, **medium_fields(cabinet, officer, kind="usb"))
    message = str(e.value.fields["exception"])
    assert "USBメモリ" in message and "例外措置" in message and "承認" in message
    assert not Medium.objects.exists()


def test_private_medium_without_an_exception_is_refused(officer, cabinet):
    with pytest.raises(InvalidInput) as e:
        services.create_medium(actor=officer, **medium_fields(cabinet, officer, owner="private"))
    message = str(e.value.fields["exception"])
    assert "私物" in message and "例外措置" in message
    assert not Medium.objects.exists()


def test_usb_memory_with_an_approved_exception_valid_today(officer, staff, cabinet):
    exc = make_exception(staff, kind="usb")
    medium = services.create_medium(actor=officer, **medium_fields(cabinet, staff, kind="usb", exception=exc))
    assert medium.exception == exc and services.medium_usable(medium) == (True, "")


def test_private_medium_with_a_private_exception(officer, staff, cabinet):
    exc = make_exception(staff, kind="private")
    medium = services.create_medium(actor=officer, **medium_fields(cabinet, staff, owner="private", exception=exc.pk))
    assert medium.exception == exc


@pytest.mark.parametrize("kind,owner,exc_kind,needed", [
    ("usb", "body", "private", "USBメモリの使用"),
    ("hdd", "private", "usb", "私物の記録媒体の使用"),
    ("usb", "private", "usb", "私物の記録媒体の使用"),  # a private USB memory needs the stricter exception
])
def test_exception_of_the_wrong_kind_is_refused(officer, staff, cabinet, kind, owner, exc_kind, needed):
    exc = make_exception(staff, kind=exc_kind)
    with pytest.raises(InvalidInput) as e:
        services.create_medium(actor=officer, **medium_fields(cabinet, staff, kind=kind, owner=owner, exception=exc))
    assert needed in str(e.value.fields["exception"]) and exc.number in str(e.value.fields["exception"])
    assert not Medium.objects.exists()


@pytest.mark.parametrize("state,days_from,days_to,words", [
    ("approved", -100, -1, ["終了"]),                 # expired yesterday
    ("approved", 5, 90, ["から"]),                    # not valid yet
    ("submitted", 0, 90, ["承認されていません", "申請中"]),
    ("revoked", 0, 90, ["承認されていません", "取消し"]),
])
def test_exception_not_valid_today_is_refused(officer, staff, cabinet, state, days_from, days_to, words):
    exc = make_exception(staff, state=state, days_from=days_from, days_to=days_to)
    with pytest.raises(InvalidInput) as e:
        services.create_medium(actor=officer, **medium_fields(cabinet, staff, kind="usb", exception=exc))
    assert all(w in str(e.value.fields["exception"]) for w in words), e.value.fields
    assert not Medium.objects.exists()


def test_exception_of_another_body_is_refused(officer, outsider, cabinet):
    theirs = make_exception(outsider)
    with pytest.raises(InvalidInput) as e:
        services.create_medium(actor=officer, **medium_fields(cabinet, officer, kind="usb", exception=theirs.pk))
    assert "この団体の例外措置" in str(e.value.fields["exception"])


def test_stale_copy_of_an_exception_is_read_again(officer, staff, cabinet):
    exc = make_exception(staff, state="submitted")
    stale = type(exc).objects.get(pk=exc.pk)
    stale.state = "approved"  # a caller's copy that says approved; the database says submitted
    with pytest.raises(InvalidInput):
        services.create_medium(actor=officer, **medium_fields(cabinet, staff, kind="usb", exception=stale))


def test_changing_kind_to_usb_needs_an_exception_but_other_edits_do_not(officer, staff, cabinet):
    medium = make_medium(staff, cabinet, kind="hdd")
    with pytest.raises(InvalidInput):
        services.update_medium(medium, actor=officer, kind="usb")
    usb = make_medium(staff, cabinet, kind="usb", exception=make_exception(staff, days_from=-100, days_to=-1))
    services.update_medium(usb, actor=officer, note="保管場所の上段")  # the exception is not touched
    usb.refresh_from_db()
    assert usb.note == "保管場所の上段"


def test_disposed_medium_cannot_be_edited(officer, cabinet):
    medium = make_medium(officer, cabinet, status="disposed")
    with pytest.raises(WrongState):
        services.update_medium(medium, actor=officer, note="x")


def test_update_by_wrong_role_or_another_body(staff, outsider, officer, cabinet):
    medium = make_medium(officer, cabinet)
    with pytest.raises(Forbidden):
        services.update_medium(medium, actor=staff, note="x")
    with pytest.raises(NotFound):
        services.update_medium(medium, actor=outsider, note="x")
    medium.refresh_from_db()
    assert medium.note == ""


# --- the highest classification ever written ----------------------------------------------------

def test_highest_level_only_from_the_active_scheme_confidentiality_axis(officer, cabinet, body):
    integrity = level_by_code(active_scheme(body), Axis.INTEGRITY, "2")
    with pytest.raises(InvalidInput) as e:
        services.create_medium(actor=officer, **medium_fields(cabinet, officer, highest_level=integrity))
    assert "機密性" in str(e.value.fields["highest_level"])
    with pytest.raises(InvalidInput):
        services.create_medium(actor=officer, **medium_fields(cabinet, officer, highest_level="9Z"))
    medium = services.create_medium(actor=officer, **medium_fields(cabinet, officer, highest_level="2"))
    assert medium.highest_level.code == "2"


def test_highest_level_cannot_go_down_in_the_edit(officer, cabinet, body):
    medium = make_medium(officer, cabinet, level="2")
    for lower in ("1", None):
        with pytest.raises(InvalidInput) as e:
            services.update_medium(medium, actor=officer, highest_level=lower)
        assert "下げられません" in str(e.value.fields["highest_level"])
    services.update_medium(medium, actor=officer, highest_level="3")
    medium.refresh_from_db()
    assert medium.highest_level == conf_level(body, "3")


def test_record_data_written_raises_and_never_lowers(staff, officer, cabinet, body):
    medium = make_medium(officer, cabinet)
    services.record_data_written(medium, "1", actor=staff)
    services.record_data_written(medium, conf_level(body, "2"), actor=staff)
    medium.refresh_from_db()
    assert medium.highest_level.code == "2"
    services.record_data_written(medium, "1", actor=staff)  # lower data: nothing changes
    medium.refresh_from_db()
    assert medium.highest_level.code == "2"
    changes = [(e.before["highest_level"], e.after["highest_level"])
               for e in events(medium, "data_written").order_by("seq")]
    assert changes == [(None, conf_level(body, "1").pk), (conf_level(body, "1").pk, conf_level(body, "2").pk)]


def test_record_data_written_refusals(staff, outsider, vendor, officer, cabinet):
    medium = make_medium(officer, cabinet)
    with pytest.raises(NotFound):
        services.record_data_written(medium, "2", actor=outsider)
    with pytest.raises(Forbidden):
        services.record_data_written(medium, "2", actor=vendor)
    with pytest.raises(InvalidInput):
        services.record_data_written(medium, "完全性2", actor=staff)
    disposed = make_medium(officer, cabinet, status="disposed")
    with pytest.raises(WrongState):
        services.record_data_written(disposed, "2", actor=staff)
    medium.refresh_from_db()
    assert medium.highest_level is None


# --- may it be used (carried out) today? ---------------------------------------------------------

@pytest.mark.parametrize("status,word", [("disposed", "廃棄済"), ("lost", "紛失"), ("out", "持出中"),
                                         ("disposal_requested", "廃棄申請中")])
def test_medium_unusable_by_status(officer, cabinet, status, word):
    usable, reason = services.medium_usable(make_medium(officer, cabinet, status=status))
    assert usable is False and word in reason


def test_medium_usable_follows_the_exception_period(staff, cabinet):
    today = timezone.localdate()
    exc = make_exception(staff, days_from=-10, days_to=5)
    usb = make_medium(staff, cabinet, kind="usb", exception=exc)
    assert services.medium_usable(usb, today + timedelta(days=5)) == (True, "")
    usable, reason = services.medium_usable(usb, today + timedelta(days=6))
    assert usable is False and "終了" in reason and usb.number in reason
    exc.state = "revoked"
    exc.save()
    usb.refresh_from_db()
    usable, reason = services.medium_usable(usb, today)
    assert usable is False and "取消し" in reason


def test_medium_usable_without_any_exception(staff, cabinet):
    usable, reason = services.medium_usable(make_medium(staff, cabinet, owner="private"))
    assert usable is False and "私物" in reason
    assert services.medium_usable(make_medium(staff, cabinet, kind="optical")) == (True, "")


def test_an_approved_renewal_for_the_medium_covers_it_before_the_link_moves(staff, cabinet):
    old = make_exception(staff, days_from=-300, days_to=-1)
    usb = make_medium(staff, cabinet, kind="usb", exception=old)
    make_exception(staff, days_from=0, days_to=100, medium=usb)
    assert services.medium_usable(usb) == (True, "")


def test_cabinet_list_counts_the_media_kept_not_the_disposed(staff_in_charge):
    from tejun.media.register_selectors import cabinet_list

    full = make_cabinet(staff_in_charge.body, "A")
    make_cabinet(staff_in_charge.body, "B")  # empty
    for status in ("stored", "stored", "in_use", "disposed"):
        make_medium(staff_in_charge, full, status=status)
    counts = {c.name: c.media_count for c in cabinet_list(staff_in_charge)}
    assert counts == {"A": 3, "B": 0}
