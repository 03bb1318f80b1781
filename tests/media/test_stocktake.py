"""Stock-takes (棚卸): one open round per body, each medium present or missing, the consequences on closing."""

import pytest
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.incidents.models import Incident
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.media import register_services as services
from tejun.media.models import Medium, Stocktake, StocktakeItem
from tejun.notify.models import Notification

from .register_factories import make_cabinet, make_medium

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelves(body):
    return make_cabinet(body, "キャビネットA"), make_cabinet(body, "耐火金庫")


@pytest.fixture
def media(staff_in_charge, shelves):
    a, b = shelves
    return [make_medium(staff_in_charge, a, product="HDD"), make_medium(staff_in_charge, a, kind="optical"),
            make_medium(staff_in_charge, b, kind="sd"),
            make_medium(staff_in_charge, b, kind="optical", status="disposed")]


def item_of(stocktake, medium):
    return StocktakeItem.objects.get(stocktake=stocktake, medium=medium)


def test_start_makes_one_item_per_medium_not_disposed_in_its_cabinet(staff_in_charge, media, shelves):
    stocktake = services.start_stocktake(actor=staff_in_charge, note="上期")
    items = {i.medium_id: i.cabinet_id for i in stocktake.items.all()}
    assert items == {media[0].pk: shelves[0].pk, media[1].pk: shelves[0].pk, media[2].pk: shelves[1].pk}
    assert stocktake.status == "open" and stocktake.started_by == staff_in_charge
    event = AuditEvent.objects.get(object_type="media.Stocktake", object_id=str(stocktake.pk), action="create")
    assert sorted(event.after["media"]) == sorted(m.number for m in media[:3])


def test_only_one_open_round_per_body(staff_in_charge, officer, media, outsider):
    first = services.start_stocktake(actor=staff_in_charge)
    with pytest.raises(WrongState) as e:
        services.start_stocktake(actor=officer)
    assert "実施中の棚卸" in str(e.value.message)
    assert Stocktake.objects.filter(body=staff_in_charge.body).count() == 1
    # another body has its own rounds
    make_medium(outsider, make_cabinet(outsider.body))
    assert services.start_stocktake(actor=outsider).pk != first.pk


def test_start_refusals(staff, staff_in_charge, body):
    with pytest.raises(Forbidden):
        services.start_stocktake(actor=staff)
    with pytest.raises(InvalidInput) as e:
        services.start_stocktake(actor=staff_in_charge)
    assert "対象となる記録媒体がありません" in str(e.value.message)
    assert not Stocktake.objects.exists()


def test_mark_records_who_and_when_and_can_be_undone(staff_in_charge, media):
    stocktake = services.start_stocktake(actor=staff_in_charge)
    item = services.mark_item(item_of(stocktake, media[0]), actor=staff_in_charge, result="present", note="上段")
    assert item.result == "present" and item.checked_by == staff_in_charge and item.checked_at and item.note == "上段"
    item = services.mark_item(item, actor=staff_in_charge, result="")
    assert item.result == "" and item.checked_by is None and item.note == "上段"
    assert AuditEvent.objects.filter(object_type="media.StocktakeItem", object_id=str(item.pk)).count() == 2


def test_mark_refusals(staff_in_charge, staff, outsider, media):
    stocktake = services.start_stocktake(actor=staff_in_charge)
    item = item_of(stocktake, media[0])
    with pytest.raises(Forbidden):
        services.mark_item(item, actor=staff, result="present")
    with pytest.raises(NotFound):
        services.mark_item(item, actor=outsider, result="present")
    with pytest.raises(InvalidInput) as e:
        services.mark_item(item, actor=staff_in_charge, result="maybe")
    assert "所在不明" in str(e.value.fields["result"])
    item.refresh_from_db()
    assert item.result == ""


def test_close_refused_while_items_are_unchecked(staff_in_charge, media):
    stocktake = services.start_stocktake(actor=staff_in_charge)
    services.mark_item(item_of(stocktake, media[0]), actor=staff_in_charge, result="present")
    with pytest.raises(InvalidInput) as e:
        services.close_stocktake(stocktake, actor=staff_in_charge)
    assert "未確認の記録媒体が 2 件" in str(e.value.message)
    stocktake.refresh_from_db()
    assert stocktake.status == "open"
    assert not Medium.objects.filter(last_stocktake_on__isnull=False).exists()


def test_close_with_everything_present_dates_the_media(staff_in_charge, media):
    stocktake = services.start_stocktake(actor=staff_in_charge)
    for item in stocktake.items.all():
        services.mark_item(item, actor=staff_in_charge, result="present")
    services.close_stocktake(stocktake, actor=staff_in_charge)
    stocktake.refresh_from_db()
    assert stocktake.status == "closed" and stocktake.closed_at
    today = timezone.localdate()
    assert set(Medium.objects.exclude(status="disposed").values_list("last_stocktake_on", flat=True)) == {today}
    assert Medium.objects.get(pk=media[3].pk).last_stocktake_on is None
    assert not Incident.objects.exists() and not Notification.objects.exists()
    with pytest.raises(WrongState):
        services.mark_item(item_of(stocktake, media[0]), actor=staff_in_charge, result="missing")
    with pytest.raises(WrongState):
        services.close_stocktake(stocktake, actor=staff_in_charge)


def test_missing_medium_becomes_lost_opens_an_incident_and_tells_officer_and_manager(
        staff_in_charge, officer, manager, staff, media):
    stocktake = services.start_stocktake(actor=staff_in_charge)
    services.mark_item(item_of(stocktake, media[0]), actor=staff_in_charge, result="present")
    services.mark_item(item_of(stocktake, media[1]), actor=staff_in_charge, result="missing", note="棚になし")
    services.mark_item(item_of(stocktake, media[2]), actor=staff_in_charge, result="present")
    services.close_stocktake(stocktake, actor=staff_in_charge)
    lost = Medium.objects.get(pk=media[1].pk)
    assert lost.status == "lost" and lost.last_stocktake_on is None
    incident = Incident.objects.get()
    assert incident.source_id == str(lost.pk) and incident.kind == "leak_loss" and incident.requester == staff_in_charge
    assert "キャビネットA" in incident.description and "棚になし" in incident.description
    notes = Notification.objects.filter(title__contains="所在不明")
    assert {n.recipient for n in notes} == {officer, manager}
    assert lost.number in notes.first().message and notes.first().url == stocktake.get_absolute_url()
    assert AuditEvent.objects.filter(object_type="media.Medium", object_id=str(lost.pk),
                                     action="stocktake_missing").exists()
    assert AuditEvent.objects.filter(object_type="incidents.Incident", action="create").count() == 1


def test_unchecked_as_missing_closes_with_the_explicit_choice(staff_in_charge, media, officer):
    stocktake = services.start_stocktake(actor=staff_in_charge)
    services.mark_item(item_of(stocktake, media[0]), actor=staff_in_charge, result="present")
    services.close_stocktake(stocktake, actor=staff_in_charge, unchecked_as_missing=True)
    assert set(Medium.objects.filter(status="lost").values_list("pk", flat=True)) == {media[1].pk, media[2].pk}
    assert Incident.objects.count() == 2
    item = item_of(stocktake, media[1])
    assert item.result == "missing" and "未確認のまま完了" in item.note


def test_a_lost_medium_found_in_its_cabinet_is_stored_again(staff_in_charge, media):
    Medium.objects.filter(pk=media[0].pk).update(status="lost")
    stocktake = services.start_stocktake(actor=staff_in_charge)
    for item in stocktake.items.all():
        services.mark_item(item, actor=staff_in_charge, result="present")
    services.close_stocktake(stocktake, actor=staff_in_charge)
    found = Medium.objects.get(pk=media[0].pk)
    assert found.status == "stored" and found.last_stocktake_on == timezone.localdate()
    assert AuditEvent.objects.filter(object_type="media.Medium", object_id=str(found.pk),
                                     action="stocktake_found").exists()


def test_a_medium_already_lost_and_still_missing_opens_no_second_incident(staff_in_charge, media):
    Medium.objects.filter(pk=media[0].pk).update(status="lost")
    stocktake = services.start_stocktake(actor=staff_in_charge)
    services.close_stocktake(stocktake, actor=staff_in_charge, unchecked_as_missing=True)
    assert not Incident.objects.filter(source_id=str(media[0].pk)).exists()
    assert Incident.objects.count() == 2


def test_close_refusals(staff_in_charge, staff, outsider, media):
    stocktake = services.start_stocktake(actor=staff_in_charge)
    with pytest.raises(Forbidden):
        services.close_stocktake(stocktake, actor=staff, unchecked_as_missing=True)
    with pytest.raises(NotFound):
        services.close_stocktake(stocktake, actor=outsider, unchecked_as_missing=True)
    stocktake.refresh_from_db()
    assert stocktake.status == "open" and not Medium.objects.filter(status="lost").exists()


def test_new_round_after_closing(staff_in_charge, media):
    first = services.start_stocktake(actor=staff_in_charge)
    services.close_stocktake(first, actor=staff_in_charge, unchecked_as_missing=True)
    second = services.start_stocktake(actor=staff_in_charge)
    # lost media are still on the register (not disposed): the next round looks for them again
    assert second.items.count() == 3
