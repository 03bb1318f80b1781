"""/api/v1/cabinets/, /api/v1/media/, /api/v1/medium-exceptions/, /api/v1/stocktakes/: the media register by API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.incidents.models import Incident
from tejun.media.models import Cabinet, Medium, MediumException, Stocktake

from ..media.register_factories import conf_level, make_cabinet, make_exception, make_medium
from .helpers import assert_error, ids, results, token_client

pytestmark = pytest.mark.django_db

CABINETS = "/api/v1/cabinets/"
MEDIA = "/api/v1/media/"
EXCEPTIONS = "/api/v1/medium-exceptions/"
STOCKTAKES = "/api/v1/stocktakes/"


@pytest.fixture
def cabinet(body):
    return make_cabinet(body)


def medium_payload(cabinet, **overrides):
    data = {"kind": "hdd", "product": "外付けHDD 2TB", "serial": "SN-1", "capacity": "2TB", "encrypted": True,
            "cabinet": cabinet.pk}
    data.update(overrides)
    return data


def exception_payload(**overrides):
    today = timezone.localdate()
    data = {"kind": "usb", "purpose": "議会だより入稿のため", "medium_description": "USBメモリ 32GB",
            "valid_from": today.isoformat(), "valid_to": (today + timedelta(days=90)).isoformat()}
    data.update(overrides)
    return data


# --- cabinets -----------------------------------------------------------------------------------------

def test_cabinets_list_create_patch(officer, cabinet, staff):
    make_medium(staff, cabinet)
    rows = results(token_client(staff).get(CABINETS))
    assert rows[0]["name"] == cabinet.name and rows[0]["media_count"] == 1 and rows[0]["lockable"] is True
    client = token_client(officer)
    response = client.post(CABINETS, {"name": "受付の棚", "place": "受付", "lockable": False}, format="json")
    assert response.status_code == 201 and response.json()["lockable"] is False and response.json()["media_count"] == 0
    pk = response.json()["id"]
    response = client.patch(f"{CABINETS}{pk}/", {"place": "受付カウンター下"}, format="json")
    assert response.status_code == 200 and response.json()["place"] == "受付カウンター下"


def test_cabinet_refusals(officer, staff, outsider, cabinet):
    assert_error(token_client(staff).post(CABINETS, {"name": "B", "place": "x"}, format="json"), 403, "forbidden")
    assert_error(token_client(outsider).get(f"{CABINETS}{cabinet.pk}/"), 404, "not_found")
    assert_error(token_client(outsider).patch(f"{CABINETS}{cabinet.pk}/", {"name": "x"}, format="json"), 404)
    error = assert_error(token_client(officer).post(CABINETS, {"name": cabinet.name, "place": "x"}, format="json"),
                         400, "invalid")
    assert "既に登録" in error["fields"]["name"][0]
    error = assert_error(token_client(officer).post(CABINETS, {"name": "B", "place": "x", "colour": "red"},
                                                    format="json"), 400)
    assert "colour" in error["fields"]
    assert Cabinet.objects.count() == 1


# --- media ---------------------------------------------------------------------------------------------

def test_register_a_medium(staff_in_charge, cabinet, body):
    response = token_client(staff_in_charge).post(MEDIA, medium_payload(cabinet, highest_level="2"), format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["number"] == "MD-00001" and row["status"] == "stored" and row["status_label"] == "保管中"
    assert row["custodian"] == staff_in_charge.pk and row["highest_level"] == "2"
    assert row["highest_level_label"] == "機密性2" and row["usable"] is True
    assert AuditEvent.objects.filter(object_type="media.Medium", action="create").count() == 1


def test_register_refusals(staff, officer, outsider, cabinet, body):
    shelf = make_cabinet(body, "受付の棚", lockable=False)
    client = token_client(officer)
    error = assert_error(client.post(MEDIA, medium_payload(shelf), format="json"), 400, "invalid")
    assert "施錠できない" in error["fields"]["cabinet"][0]
    error = assert_error(client.post(MEDIA, medium_payload(cabinet, owner="private"), format="json"), 400)
    assert "私物" in error["fields"]["exception"][0]
    old = make_exception(staff, days_from=-90, days_to=-1)
    error = assert_error(client.post(MEDIA, medium_payload(cabinet, kind="usb", exception=old.pk), format="json"), 400)
    assert "終了" in error["fields"]["exception"][0]
    theirs = make_cabinet(outsider.body)
    assert_error(client.post(MEDIA, medium_payload(theirs), format="json"), 400)
    assert_error(client.post(MEDIA, medium_payload(cabinet, status="disposed"), format="json"), 400)
    assert_error(token_client(staff).post(MEDIA, medium_payload(cabinet), format="json"), 403, "forbidden")
    assert not Medium.objects.exists()


def test_usb_with_its_exception_by_api(officer, staff, cabinet):
    exc = make_exception(staff)
    response = token_client(officer).post(MEDIA, medium_payload(cabinet, kind="usb", exception=exc.pk), format="json")
    assert response.status_code == 201 and response.json()["exception_number"] == exc.number


def test_list_filters_and_body_scope(staff, cabinet, outsider, body):
    hdd = make_medium(staff, cabinet)
    sd = make_medium(staff, make_cabinet(body, "金庫"), kind="sd")
    make_medium(outsider, make_cabinet(outsider.body))
    client = token_client(staff)
    assert ids(client.get(MEDIA)) == {hdd.pk, sd.pk}
    assert ids(client.get(MEDIA, {"kind": "sd"})) == {sd.pk}
    assert ids(client.get(MEDIA, {"cabinet": cabinet.pk})) == {hdd.pk}
    assert ids(client.get(MEDIA, {"q": sd.number})) == {sd.pk}
    assert ids(client.get(MEDIA, {"status": "lost"})) == set()


def test_patch_moves_and_raises_but_never_lowers(officer, cabinet, body, staff):
    medium = make_medium(officer, cabinet, level="2")
    client = token_client(officer)
    error = assert_error(client.patch(f"{MEDIA}{medium.pk}/", {"highest_level": "1"}, format="json"), 400)
    assert "下げられません" in error["fields"]["highest_level"][0]
    safe = make_cabinet(body, "金庫")
    response = client.patch(f"{MEDIA}{medium.pk}/", {"cabinet": safe.pk, "highest_level": "3"}, format="json")
    assert response.status_code == 200 and response.json()["cabinet_name"] == "金庫"
    assert_error(client.patch(f"{MEDIA}{medium.pk}/", {"status": "lost"}, format="json"), 400)
    assert_error(token_client(staff).patch(f"{MEDIA}{medium.pk}/", {"note": "x"}, format="json"), 403)
    medium.refresh_from_db()
    assert medium.highest_level == conf_level(body, "3") and medium.status == "stored"


def test_disposed_medium_patch_is_409(officer, cabinet):
    medium = make_medium(officer, cabinet, status="disposed")
    assert_error(token_client(officer).patch(f"{MEDIA}{medium.pk}/", {"note": "x"}, format="json"), 409, "wrong_state")


def test_data_written(staff, officer, cabinet):
    medium = make_medium(officer, cabinet, level="1")
    client = token_client(staff)
    response = client.post(f"{MEDIA}{medium.pk}/data-written/", {"level": "2"}, format="json")
    assert response.status_code == 200 and response.json()["highest_level"] == "2"
    response = client.post(f"{MEDIA}{medium.pk}/data-written/", {"level": "1"}, format="json")
    assert response.json()["highest_level"] == "2"
    assert_error(client.post(f"{MEDIA}{medium.pk}/data-written/", {"level": "X"}, format="json"), 400)


def test_detail_says_why_a_medium_cannot_be_used(staff, cabinet):
    usb = make_medium(staff, cabinet, kind="usb", exception=make_exception(staff, days_from=-50, days_to=-1))
    row = token_client(staff).get(f"{MEDIA}{usb.pk}/").json()
    assert row["usable"] is False and "終了" in row["unusable_reason"] and row["needs_exception"] is True


def test_media_of_another_body_and_vendor(outsider, vendor, staff, cabinet):
    medium = make_medium(staff, cabinet)
    assert_error(token_client(outsider).get(f"{MEDIA}{medium.pk}/"), 404, "not_found")
    assert_error(token_client(outsider).patch(f"{MEDIA}{medium.pk}/", {"note": "x"}, format="json"), 404)
    assert_error(token_client(outsider).post(f"{MEDIA}{medium.pk}/data-written/", {"level": "3"}, format="json"), 404)
    assert_error(token_client(vendor).get(MEDIA), 403)


def test_media_list_queries_do_not_grow(staff, cabinet, django_assert_max_num_queries):
    client = token_client(staff)
    for _i in range(3):
        make_medium(staff, cabinet, kind="usb", exception=make_exception(staff), level="2")
    with django_assert_max_num_queries(15) as small:
        assert client.get(MEDIA).status_code == 200
    for _i in range(27):
        make_medium(staff, cabinet, kind="usb", exception=make_exception(staff), level="2")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(results(client.get(MEDIA))) == 30


# --- exceptions ---------------------------------------------------------------------------------------

def test_exception_request_and_approval(staff, officer):
    response = token_client(staff).post(EXCEPTIONS, exception_payload(), format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["state"] == "submitted" and row["available_transitions"] == ["withdraw"] and row["in_force"] is False
    client = token_client(officer)
    assert "approve" in client.get(f"{EXCEPTIONS}{row['id']}/").json()["available_transitions"]
    response = client.post(f"{EXCEPTIONS}{row['id']}/approve/", {"comment": "認める"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "approved" and response.json()["in_force"]


def test_exception_refusals(staff, officer, outsider):
    client = token_client(officer)
    error = assert_error(client.post(EXCEPTIONS, exception_payload(
        valid_to=(timezone.localdate() + timedelta(days=366)).isoformat()), format="json"), 400, "invalid")
    assert "1年以内" in error["fields"]["valid_to"][0]
    own = client.post(EXCEPTIONS, exception_payload(), format="json").json()
    error = assert_error(client.post(f"{EXCEPTIONS}{own['id']}/approve/", {}, format="json"), 403, "forbidden")
    assert "自分の申請" in error["message"]
    assert_error(client.post(f"{EXCEPTIONS}{own['id']}/explode/", {}, format="json"), 404)
    assert_error(token_client(outsider).get(f"{EXCEPTIONS}{own['id']}/"), 404)
    assert_error(token_client(outsider).post(f"{EXCEPTIONS}{own['id']}/approve/", {}, format="json"), 404)
    theirs = make_exception(staff)
    assert_error(client.post(f"{EXCEPTIONS}{theirs.pk}/approve/", {}, format="json"), 409, "wrong_state")
    assert MediumException.objects.get(pk=own["id"]).state == "submitted"


def test_exception_patch_only_when_sent_back_by_the_requester(staff, staff2, officer):
    exc = make_exception(staff, state="submitted")
    assert_error(token_client(staff).patch(f"{EXCEPTIONS}{exc.pk}/", {"purpose": "x"}, format="json"), 409)
    token_client(officer).post(f"{EXCEPTIONS}{exc.pk}/send_back/", {"comment": "目的を詳しく"}, format="json")
    assert_error(token_client(staff2).patch(f"{EXCEPTIONS}{exc.pk}/", {"purpose": "x"}, format="json"), 403)
    response = token_client(staff).patch(f"{EXCEPTIONS}{exc.pk}/", {"purpose": "入稿データの受渡し"}, format="json")
    assert response.status_code == 200 and response.json()["purpose"] == "入稿データの受渡し"


def test_exception_list_filter(staff, officer):
    a = make_exception(staff, kind="usb")
    b = make_exception(staff, kind="private", state="submitted")
    client = token_client(officer)
    assert ids(client.get(EXCEPTIONS, {"kind": "private"})) == {b.pk}
    assert ids(client.get(EXCEPTIONS, {"state": "approved"})) == {a.pk}
    assert_error(client.get(EXCEPTIONS, {"state": "nonsense"}), 400)


# --- stock-takes ---------------------------------------------------------------------------------------

def test_stocktake_by_api(staff_in_charge, officer, manager, cabinet):
    a, b = make_medium(staff_in_charge, cabinet), make_medium(staff_in_charge, cabinet, kind="sd")
    client = token_client(staff_in_charge)
    response = client.post(STOCKTAKES, {"note": "上期"}, format="json")
    assert response.status_code == 201, response.content
    round_ = response.json()
    assert round_["status"] == "open" and len(round_["items"]) == 2
    assert_error(client.post(STOCKTAKES, {}, format="json"), 409, "wrong_state")
    items = {i["medium"]: i["id"] for i in round_["items"]}
    response = client.post(f"{STOCKTAKES}{round_['id']}/mark/", {"item": items[a.pk], "result": "present"},
                           format="json")
    assert response.status_code == 200 and response.json()["result_label"] == "あり"
    error = assert_error(client.post(f"{STOCKTAKES}{round_['id']}/close/", {}, format="json"), 400, "invalid")
    assert "未確認" in error["message"]
    response = client.post(f"{STOCKTAKES}{round_['id']}/close/", {"unchecked_as_missing": True}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    assert response.json()["missing_count"] == 1 and response.json()["present_count"] == 1
    assert Medium.objects.get(pk=b.pk).status == "lost" and Incident.objects.get().source_id == str(b.pk)
    assert_error(client.post(f"{STOCKTAKES}{round_['id']}/mark/", {"item": items[a.pk], "result": "missing"},
                             format="json"), 409)


def test_stocktake_refusals(staff, staff_in_charge, outsider, cabinet):
    make_medium(staff_in_charge, cabinet)
    assert_error(token_client(staff).post(STOCKTAKES, {}, format="json"), 403)
    round_ = token_client(staff_in_charge).post(STOCKTAKES, {}, format="json").json()
    item = round_["items"][0]["id"]
    assert_error(token_client(staff).post(f"{STOCKTAKES}{round_['id']}/mark/", {"item": item, "result": "present"},
                                          format="json"), 403)
    assert_error(token_client(outsider).get(f"{STOCKTAKES}{round_['id']}/"), 404)
    assert_error(token_client(outsider).post(f"{STOCKTAKES}{round_['id']}/close/", {"unchecked_as_missing": True},
                                             format="json"), 404)
    assert_error(token_client(staff_in_charge).post(f"{STOCKTAKES}{round_['id']}/mark/",
                                                    {"item": item, "result": "gone"}, format="json"), 400)
    assert_error(token_client(staff_in_charge).post(f"{STOCKTAKES}{round_['id']}/mark/",
                                                    {"item": 999999, "result": "present"}, format="json"), 404)
    assert Stocktake.objects.get().status == "open"
