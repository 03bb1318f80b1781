"""Pages of the stock-take (棚卸): start, the sheet grouped by cabinet, marking (htmx and plain), close, print."""

import pytest
from django.contrib.messages import get_messages

from tejun.incidents.models import Incident
from tejun.media import register_services as services
from tejun.media.models import Medium, Stocktake, StocktakeItem

from .register_factories import make_cabinet, make_medium

pytestmark = pytest.mark.django_db

LIST = "/media/stocktakes/"
START = "/media/stocktakes/start/"


def detail(s):
    return f"{LIST}{s.pk}/"


def mark_url(s, item):
    return f"{LIST}{s.pk}/items/{item.pk}/"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def media(staff_in_charge, body):
    a, b = make_cabinet(body, "キャビネットA"), make_cabinet(body, "耐火金庫", place="事務局長室")
    return [make_medium(staff_in_charge, a, product="録音バックアップHDD"), make_medium(staff_in_charge, b, kind="sd")]


@pytest.fixture
def round_(staff_in_charge, media):
    return services.start_stocktake(actor=staff_in_charge)


def test_start_from_the_list(login, staff_in_charge, media):
    client = login(staff_in_charge)
    assert "棚卸を始める" in client.get(LIST).content.decode()
    response = client.post(START, {"note": "上期"})
    stocktake = Stocktake.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(stocktake)
    assert stocktake.note == "上期" and stocktake.items.count() == 2
    response = client.post(START, {"note": ""})
    assert any("実施中の棚卸があります" in m for m in _messages(response))
    assert Stocktake.objects.count() == 1
    assert 'id="open-round"' in client.get(LIST).content.decode()


def test_plain_staff_cannot_start_or_mark(login, staff, round_, media):
    client = login(staff)
    assert "棚卸を始める" not in client.get(LIST).content.decode()
    assert client.post(START).status_code == 403
    item = round_.items.first()
    assert client.post(mark_url(round_, item), {"result": "present"}).status_code == 403
    assert client.post(f"{detail(round_)}close/", {"unchecked_as_missing": "on"}).status_code == 403
    content = client.get(detail(round_)).content.decode()
    assert "棚卸を完了する" not in content and 'name="result"' not in content
    item.refresh_from_db()
    assert item.result == ""


def test_sheet_is_grouped_by_cabinet(login, staff_in_charge, round_, media):
    content = login(staff_in_charge).get(detail(round_)).content.decode()
    a, b = content.index("キャビネットA"), content.index("耐火金庫")
    assert a < content.index(media[0].number) < b < content.index(media[1].number)
    assert "事務局長室" in content and "未確認" in content


def test_mark_with_htmx_returns_the_row(login, staff_in_charge, round_, media):
    item = StocktakeItem.objects.get(stocktake=round_, medium=media[0])
    response = login(staff_in_charge).post(mark_url(round_, item), {"result": "present"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200 and content.lstrip().startswith(f'<tr id="item-{item.pk}"')
    assert "result-present" in content and staff_in_charge.full_name in content and "<html" not in content
    # the counts follow, swapped out of band: 1 of 2 present overall, 1 of 1 in this cabinet
    assert 'id="counts" aria-label="集計" hx-swap-oob="true"' in content
    assert '<li>あり<span class="n">1</span></li>' in content and '<li>未確認<span class="n">1</span></li>' in content
    assert f'id="cabinet-{media[0].cabinet_id}-counts" hx-swap-oob="true">1点（あり 1・所在不明 0）' in content
    item.refresh_from_db()
    assert item.result == "present"


def test_mark_without_javascript_redirects_back(login, staff_in_charge, round_, media):
    item = StocktakeItem.objects.get(stocktake=round_, medium=media[1])
    response = login(staff_in_charge).post(mark_url(round_, item), {"result": "missing"})
    assert response.status_code == 302 and response["Location"] == f"{detail(round_)}#item-{item.pk}"
    item.refresh_from_db()
    assert item.result == "missing"


def test_mark_bad_value_changes_nothing(login, staff_in_charge, round_, media):
    item = round_.items.first()
    response = login(staff_in_charge).post(mark_url(round_, item), {"result": "lost?"}, HTTP_HX_REQUEST="true")
    assert "「あり」か「所在不明」を選んでください" in response.content.decode()
    item.refresh_from_db()
    assert item.result == ""


def test_close_refused_with_unchecked_items_then_closed_with_the_choice(login, staff_in_charge, officer,
                                                                       round_, media):
    client = login(staff_in_charge)
    item = StocktakeItem.objects.get(stocktake=round_, medium=media[0])
    client.post(mark_url(round_, item), {"result": "present"})
    response = client.post(f"{detail(round_)}close/", {})
    assert any("未確認の記録媒体が 1 件" in m for m in _messages(response))
    round_.refresh_from_db()
    assert round_.status == "open"
    response = client.post(f"{detail(round_)}close/", {"unchecked_as_missing": "on"})
    round_.refresh_from_db()
    assert round_.status == "closed"
    assert any("所在不明の記録媒体が 1 件" in m for m in _messages(response))
    assert Medium.objects.get(pk=media[1].pk).status == "lost" and Incident.objects.count() == 1
    content = client.get(detail(round_)).content.decode()
    assert "棚卸を完了する" not in content and 'name="result"' not in content  # results kept, read only


def test_print_page(login, staff, round_, media, staff_in_charge):
    services.mark_item(round_.items.get(medium=media[0]), actor=staff_in_charge, result="present")
    services.close_stocktake(round_, actor=staff_in_charge, unchecked_as_missing=True)
    content = login(staff).get(f"{detail(round_)}print/").content.decode()
    assert "記録媒体棚卸結果表" in content and "data-print" in content  # tejun.js prints on click
    assert "対象 2点：あり 1点、所在不明 1点、未確認 0点" in content
    assert media[0].number in content and media[1].number in content and "sign-boxes" in content


def test_another_body_gets_404(login, outsider, round_, media):
    client = login(outsider)
    item = round_.items.first()
    assert client.get(detail(round_)).status_code == 404
    assert client.get(f"{detail(round_)}print/").status_code == 404
    assert client.post(mark_url(round_, item), {"result": "present"}).status_code == 404
    assert client.post(f"{detail(round_)}close/", {"unchecked_as_missing": "on"}).status_code == 404
    round_.refresh_from_db()
    assert round_.status == "open"


def test_item_of_another_round_is_404(login, staff_in_charge, round_, media):
    services.close_stocktake(round_, actor=staff_in_charge, unchecked_as_missing=True)
    other = services.start_stocktake(actor=staff_in_charge)
    item = round_.items.first()
    assert login(staff_in_charge).post(mark_url(other, item), {"result": "present"}).status_code == 404


def test_sheet_queries_do_not_grow(login, staff_in_charge, body, django_assert_max_num_queries):
    cabinets = [make_cabinet(body, f"棚{i}") for i in range(3)]
    for i in range(3):
        make_medium(staff_in_charge, cabinets[i % 3])
    client = login(staff_in_charge)
    small_round = services.start_stocktake(actor=staff_in_charge)
    with django_assert_max_num_queries(20) as small:
        client.get(detail(small_round))
    services.close_stocktake(small_round, actor=staff_in_charge, unchecked_as_missing=True)
    for i in range(27):
        make_medium(staff_in_charge, cabinets[i % 3])
    big_round = services.start_stocktake(actor=staff_in_charge)
    assert big_round.items.count() == 30
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(detail(big_round))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"{detail(big_round)}print/")
