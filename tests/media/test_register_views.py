"""Pages of the media register: cabinets, the list with its filters, one medium, the forms."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.lib.wareki import to_wareki
from tejun.media import register_services as services
from tejun.media.models import Cabinet, CarryOutRequest, Medium, Stocktake, StocktakeItem

from ..factories import UserFactory, give_role
from ..media.helpers import new_carry_out
from .register_factories import conf_level, make_cabinet, make_exception, make_medium

pytestmark = pytest.mark.django_db

CABINETS = "/media/cabinets/"
REGISTER = "/media/register/"


def detail(medium):
    return f"{REGISTER}{medium.pk}/"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def cabinet(body):
    return make_cabinet(body)


@pytest.fixture
def open_shelf(body):
    return make_cabinet(body, "受付カウンター下の棚", lockable=False)


def medium_form(cabinet, custodian, **overrides):
    data = {"kind": "hdd", "product": "〇〇社 外付けHDD 2TB", "serial": "SN-1", "capacity": "2TB", "encrypted": "on",
            "owner": "body", "custodian": str(custodian.pk), "cabinet": str(cabinet.pk), "highest_level": "",
            "exception": "", "registered_on": timezone.localdate().isoformat(), "note": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- cabinets -----------------------------------------------------------------------------------------

def test_cabinet_list_warns_about_cabinets_that_cannot_be_locked(login, staff, cabinet, open_shelf):
    content = login(staff).get(CABINETS).content.decode()
    assert cabinet.name in content and open_shelf.name in content
    assert 'id="unlockable-warning"' in content and "施錠不可" in content
    assert "キャビネットを登録する" not in content  # plain staff read only


def test_cabinet_create_and_edit(login, officer):
    client = login(officer)
    assert client.get(f"{CABINETS}new/").status_code == 200
    response = client.post(f"{CABINETS}new/", {"name": "キャビネットB", "place": "書庫", "lockable": "on",
                                                "key_custodian": str(officer.pk), "note": ""})
    assert response.status_code == 302 and response["Location"] == CABINETS
    cabinet = Cabinet.objects.get()
    assert cabinet.lockable and cabinet.key_custodian == officer
    response = client.post(f"{CABINETS}{cabinet.pk}/edit/", {"name": "キャビネットB", "place": "書庫2",
                                                             "key_custodian": "", "note": ""})
    cabinet.refresh_from_db()
    assert cabinet.place == "書庫2" and not cabinet.lockable
    assert any("施錠できないため" in m for m in _messages(response))


def test_cabinet_form_errors_in_japanese(login, officer, cabinet):
    response = login(officer).post(f"{CABINETS}new/", {"name": cabinet.name, "place": "書庫", "note": ""})
    content = response.content.decode()
    assert response.status_code == 400 and "既に登録されています" in content
    assert Cabinet.objects.count() == 1


def test_cabinet_pages_refuse_wrong_role_and_another_body(login, staff, outsider, cabinet, vendor):
    assert login(staff).get(f"{CABINETS}new/").status_code == 403
    assert login(staff).post(f"{CABINETS}{cabinet.pk}/edit/", {"name": "x", "place": "y"}).status_code == 403
    assert login(outsider).get(f"{CABINETS}{cabinet.pk}/edit/").status_code == 404
    assert login(vendor).get(CABINETS).status_code == 403
    cabinet.refresh_from_db()
    assert cabinet.name == "事務局書庫キャビネットA"


# --- the register list -------------------------------------------------------------------------------

def test_list_and_filters(login, staff, staff2, cabinet, body):
    safe = make_cabinet(body, "耐火金庫")
    hdd = make_medium(staff, cabinet, product="バックアップHDD", serial="ABC-123")
    sd = make_medium(staff2, safe, kind="sd", product="ICレコーダー用SD")
    usb = make_medium(staff, cabinet, kind="usb", product="入稿用USB", exception=make_exception(staff))
    gone = make_medium(staff, cabinet, kind="optical", product="古いDVD", status="disposed")
    client = login(staff)

    def numbers(query=""):
        content = client.get(f"{REGISTER}?{query}").content.decode()
        return {m.number for m in (hdd, sd, usb, gone) if f">{m.number}</a>" in content}

    assert numbers() == {hdd.number, sd.number, usb.number, gone.number}
    assert numbers("kind=sd") == {sd.number}
    assert numbers(f"cabinet={safe.pk}") == {sd.number}
    assert numbers("status=active") == {hdd.number, sd.number, usb.number}
    assert numbers("status=disposed") == {gone.number}
    assert numbers("q=abc-123") == {hdd.number}
    assert numbers(f"custodian={staff2.pk}") == {sd.number}
    assert numbers("owner=private") == set()
    assert numbers("kind=nonsense&cabinet=abc") == {hdd.number, sd.number, usb.number, gone.number}


def test_list_flags_a_usb_memory_without_a_valid_exception(login, staff, cabinet):
    make_medium(staff, cabinet, kind="usb", exception=make_exception(staff, days_from=-60, days_to=-1))
    content = login(staff).get(REGISTER).content.decode()
    assert "例外措置なし・期限切れ" in content


def test_list_never_shows_another_body(login, outsider, staff, cabinet):
    mine = make_medium(staff, cabinet)
    content = login(outsider).get(REGISTER).content.decode()
    assert f'href="{detail(mine)}"' not in content and '<span id="result-count">0件</span>' in content


def test_vendor_may_not_read_the_register(login, vendor, staff, cabinet):
    medium = make_medium(staff, cabinet)
    assert login(vendor).get(REGISTER).status_code == 403
    assert login(vendor).get(detail(medium)).status_code == 403


@pytest.mark.parametrize("path", [REGISTER, CABINETS, "/media/exceptions/", "/media/stocktakes/"])
def test_list_queries_do_not_grow_with_the_data(login, officer, body, django_assert_max_num_queries, path):
    client = login(officer)
    cabinet = make_cabinet(body)

    def grow_to(n):
        # Rows made directly (fast): media of every kind, with cabinets, exceptions and stock-takes each.
        while Medium.objects.count() < n:
            i = Medium.objects.count()
            exc = make_exception(officer)
            medium = make_medium(officer, make_cabinet(body, f"棚{i}") if i % 3 else cabinet,
                                 kind="usb" if i % 2 else "hdd", exception=exc if i % 2 else None, level="2")
            round_ = Stocktake.objects.create(body=body, started_by=officer, status="closed",
                                              closed_at=timezone.now())
            StocktakeItem.objects.create(stocktake=round_, medium=medium, cabinet=medium.cabinet,
                                         result="present", checked_by=officer)

    grow_to(3)
    client.get(path)  # warm up (the classification scheme is set up on first use)
    with django_assert_max_num_queries(20) as small:
        assert client.get(path).status_code == 200
    grow_to(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(path).status_code == 200


# --- one medium ----------------------------------------------------------------------------------------

def test_detail_shows_the_fields_in_wareki_and_the_history(login, staff, officer, cabinet):
    medium = services.create_medium(actor=officer, kind="hdd", product="会議録音バックアップ", serial="SN-9",
                                    capacity="2TB", encrypted=True, custodian=staff, cabinet=cabinet,
                                    registered_on=date(2025, 4, 1))
    safe = make_cabinet(cabinet.body, "耐火金庫")
    services.update_medium(medium, actor=officer, cabinet=safe)
    services.record_data_written(medium, "2", actor=staff)
    content = login(staff).get(detail(medium)).content.decode()
    assert medium.number in content and "会議録音バックアップ" in content and "SN-9" in content
    assert to_wareki(date(2025, 4, 1)) == "令和7年4月1日" and "令和7年4月1日" in content
    assert "機密性2" in content and staff.full_name in content
    history = content[content.index('id="history"'):]
    assert "登録" in history and "修正" in history and "データの書込み" in history
    assert f"{cabinet.name} → 耐火金庫" in history  # names, not ids
    assert "— → 機密性2" in history


def test_detail_lists_carry_outs_and_disposals(login, officer, staff, cabinet):
    medium = make_medium(staff, cabinet)
    if any(f.name == "medium" for f in CarryOutRequest._meta.concrete_fields):
        request = new_carry_out(staff)
        CarryOutRequest.objects.filter(pk=request.pk).update(medium=medium)
        content = login(officer).get(detail(medium)).content.decode()
        assert request.number in content[content.index('id="carry-outs-h"'):]
    content = login(officer).get(detail(medium)).content.decode()
    assert "廃棄の申請はありません" in content


def test_detail_history_is_body_scoped(login, staff, cabinet, outsider):
    from tejun.audit.services import record

    medium = make_medium(staff, cabinet)
    # An event in another body's chain that names the same object must not show.
    record(outsider, "update", medium, {"note": ""}, {"note": "よその記録"}, body=outsider.body)
    assert AuditEvent.objects.filter(body=outsider.body, object_type="media.Medium",
                                     object_id=str(medium.pk)).exists()
    content = login(staff).get(detail(medium)).content.decode()
    assert "よその記録" not in content


def test_detail_of_another_body_is_404(login, outsider, staff, cabinet):
    medium = make_medium(staff, cabinet)
    assert login(outsider).get(detail(medium)).status_code == 404
    assert login(outsider).get(f"{detail(medium)}edit/").status_code == 404
    assert login(outsider).post(f"{detail(medium)}data-written/", {"level": "1"}).status_code == 404
    assert login(staff).get(f"{REGISTER}999999/").status_code == 404


def test_detail_warns_when_the_exception_has_ended(login, staff, cabinet):
    usb = make_medium(staff, cabinet, kind="usb", exception=make_exception(staff, days_from=-60, days_to=-1))
    content = login(staff).get(detail(usb)).content.decode()
    assert "現在使用できません" in content and "終了" in content and f"?medium={usb.pk}" in content


# --- the forms -------------------------------------------------------------------------------------

def test_register_through_the_form(login, staff_in_charge, cabinet, body):
    client = login(staff_in_charge)
    assert client.get(f"{REGISTER}new/").status_code == 200
    response = client.post(f"{REGISTER}new/", medium_form(cabinet, staff_in_charge,
                                                          highest_level=str(conf_level(body, "2").pk)))
    medium = Medium.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(medium)
    assert medium.number == "MD-00001" and medium.highest_level.code == "2" and medium.encrypted
    assert any("MD-00001" in m for m in _messages(response))


def test_form_refuses_a_cabinet_that_cannot_be_locked(login, officer, open_shelf):
    response = login(officer).post(f"{REGISTER}new/", medium_form(open_shelf, officer))
    content = response.content.decode()
    assert response.status_code == 400 and "施錠できないため" in content and "C-1(4)" in content
    assert not Medium.objects.exists()


def test_form_refuses_a_private_medium_without_an_exception(login, officer, cabinet):
    response = login(officer).post(f"{REGISTER}new/", medium_form(cabinet, officer, owner="private"))
    content = response.content.decode()
    assert response.status_code == 400 and "私物の記録媒体は原則として使用できません" in content
    assert not Medium.objects.exists()


def test_form_refuses_an_expired_exception(login, officer, staff, cabinet):
    old = make_exception(staff, days_from=-100, days_to=-1)
    response = login(officer).post(f"{REGISTER}new/", medium_form(cabinet, officer, kind="usb", exception=str(old.pk)))
    assert response.status_code == 400 and "で終了しています" in response.content.decode()
    assert not Medium.objects.exists()


def test_form_accepts_a_usb_memory_with_its_exception(login, officer, staff, cabinet):
    exc = make_exception(staff)
    response = login(officer).post(f"{REGISTER}new/", medium_form(cabinet, officer, kind="usb", exception=str(exc.pk)))
    assert response.status_code == 302
    assert Medium.objects.get().exception == exc


def test_edit_form_offers_only_higher_levels_and_refuses_lower(login, officer, cabinet, body):
    medium = make_medium(officer, cabinet, level="2")
    client = login(officer)
    content = client.get(f"{detail(medium)}edit/").content.decode()
    assert "機密性3" in content and ">機密性1<" not in content
    response = client.post(f"{detail(medium)}edit/", medium_form(cabinet, officer,
                                                                 highest_level=str(conf_level(body, "1").pk)))
    assert response.status_code == 400
    medium.refresh_from_db()
    assert medium.highest_level.code == "2"


def test_edit_moves_the_medium(login, officer, cabinet, body, open_shelf):
    medium = make_medium(officer, cabinet)
    client = login(officer)
    response = client.post(f"{detail(medium)}edit/", medium_form(open_shelf, officer))
    assert response.status_code == 400 and "施錠できないため" in response.content.decode()
    safe = make_cabinet(body, "耐火金庫")
    assert client.post(f"{detail(medium)}edit/", medium_form(safe, officer)).status_code == 302
    medium.refresh_from_db()
    assert medium.cabinet == safe


def test_forms_refuse_the_wrong_role(login, staff, cabinet):
    medium = make_medium(staff, cabinet)
    client = login(staff)
    assert client.get(f"{REGISTER}new/").status_code == 403
    assert client.post(f"{REGISTER}new/", medium_form(cabinet, staff)).status_code == 403
    assert client.post(f"{detail(medium)}edit/", medium_form(cabinet, staff, product="x")).status_code == 403
    assert Medium.objects.count() == 1 and Medium.objects.get().product == "外付けHDD 2TB"


def test_disposed_medium_has_no_edit(login, officer, cabinet):
    medium = make_medium(officer, cabinet, status="disposed")
    client = login(officer)
    assert "台帳の記載を修正する" not in client.get(detail(medium)).content.decode()
    response = client.get(f"{detail(medium)}edit/")
    assert response.status_code == 302 and any("廃棄済" in m for m in _messages(response))


def test_record_data_written_from_the_detail_page(login, staff, officer, cabinet, body):
    medium = make_medium(officer, cabinet, level="2")
    client = login(staff)  # anyone of the body who wrote to it
    response = client.post(f"{detail(medium)}data-written/", {"level": str(conf_level(body, "1").pk)})
    assert response.status_code == 302 and any("変わりません" in m for m in _messages(response))
    client.post(f"{detail(medium)}data-written/", {"level": str(conf_level(body, "3").pk)})
    medium.refresh_from_db()
    assert medium.highest_level.code == "3"
    response = client.post(f"{detail(medium)}data-written/", {"level": "abc"})
    assert any("選んでください" in m for m in _messages(response))
    assert client.get(f"{detail(medium)}data-written/").status_code == 405


def test_nav_link_and_tabs(login, staff):
    content = login(staff).get(REGISTER).content.decode()
    assert 'href="/media/register/" aria-current="page">記録媒体' in content
    assert "記録媒体管理台帳" in content and 'href="/media/stocktakes/"' in content


def test_other_users_of_the_body_as_custodians_only(login, officer, cabinet, outsider):
    colleague = UserFactory(body=officer.body, full_name="同僚 八郎")
    give_role(colleague, "staff")
    content = login(officer).get(f"{REGISTER}new/").content.decode()
    assert "同僚 八郎" in content and outsider.full_name not in content


def test_form_shows_every_problem_at_once(login, officer):
    # The cabinet is missing (the form says so) and the USB memory has no exception (the service says so).
    data = {**medium_form(make_cabinet(officer.body), officer, kind="usb"), "cabinet": ""}
    response = login(officer).post(f"{REGISTER}new/", data)
    content = response.content.decode()
    assert response.status_code == 400
    assert "この項目は必須です。" in content and "USBメモリは特別な場合を除き使用できません" in content
    assert not Medium.objects.exists()


def test_edit_of_a_usb_memory_whose_exception_ended_keeps_it_and_saves_other_fields(login, officer, staff, cabinet):
    old = make_exception(staff, days_from=-100, days_to=-1)
    usb = make_medium(staff, cabinet, kind="usb", exception=old)
    client = login(officer)
    content = client.get(f"{detail(usb)}edit/").content.decode()
    assert f'<option value="{old.pk}" selected>' in content
    response = client.post(f"{detail(usb)}edit/", medium_form(cabinet, staff, kind="usb", exception=str(old.pk),
                                                              note="入稿用"))
    assert response.status_code == 302
    usb.refresh_from_db()
    assert usb.note == "入稿用" and usb.exception == old
