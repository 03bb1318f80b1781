"""The contractor list (issue 8: 1,000 contractors on one page): paged by 50 like the other long lists, a text
search over the contractor's columns and its contracts, the filter on dealing kept in the pager's links, a
constant number of queries; the API's search; the contractor accounts page paged too."""

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tejun.orgs.roles import Role
from tejun.vendors.models import Contract, Contractor, ContractorAccount

from ..api.helpers import assert_error, ids, token_client
from ..factories import UserFactory, give_role

pytestmark = pytest.mark.django_db

URL = reverse("vendors:contractor-list")
NO_MATCH_JA = "条件に該当する委託事業者はありません。"
NO_MATCH_EN = "No contractors match these conditions."


def _many(body, n, *, start=0, contracts=0, **fields):
    """n contractors named 事業者0000… (sorted as created), each with `contracts` contracts."""
    rows = Contractor.objects.bulk_create(
        Contractor(body=body, name=f"事業者{i:04d}", address=f"名古屋市中区{i}番", contact_person=f"担当{i}",
                   **fields) for i in range(start, start + n))
    Contract.objects.bulk_create(
        Contract(body=body, contractor=c, title=f"保守業務{c.name}-{k}", starts_on=date(2026, 4, 1))
        for c in rows for k in range(contracts))
    return rows


def _names(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [c.name for c in response.context["page_obj"]]


def _pager_links(html: str) -> dict:
    """rel → the query of the pager's link, as a dict of lists."""
    nav = re.search(r'<nav class="pager".*?</nav>', html, re.S)
    assert nav, "no pager"
    return {rel: parse_qs(urlsplit(href.replace("&amp;", "&")).query)
            for href, rel in re.findall(r'<a href="([^"]*)" rel="(prev|next)"', nav.group(0))}


def test_first_and_last_page(login, staff, body):
    _many(body, 120)
    c = login(staff)
    first = c.get(URL)
    assert _names(first) == [f"事業者{i:04d}" for i in range(50)]
    page = first.content.decode()
    assert "1 / 3 ページ（全120件）" in page and "120件" in page
    assert _pager_links(page) == {"next": {"page": ["2"]}}
    for last in (c.get(URL, {"page": "3"}), c.get(URL, {"page": "last"}), c.get(URL, {"page": "99"})):
        assert _names(last) == [f"事業者{i:04d}" for i in range(100, 120)]
        assert "3 / 3 ページ" in last.content.decode()
        assert _pager_links(last.content.decode()) == {"prev": {"page": ["2"]}}
    assert _names(c.get(URL, {"page": "x"}))[0] == "事業者0000"  # not a number: the first page


def test_search_japanese_partial_words_and_contracts(login, staff, body, contractor, contract, contractor_b):
    # contractor: 〇〇システム株式会社, 名古屋市中区…, 代表取締役 山田 一郎, 佐藤 隆; its contract 会議録検索システム構築業務委託
    contractor_b.phone = "0532-00-1234"
    contractor_b.save()
    c = login(staff)

    def found(q):
        return set(_names(c.get(URL, {"q": q})))

    assert found("システム") == {"〇〇システム株式会社"}  # part of the name
    assert found("山田") == {"〇〇システム株式会社"}  # the representative
    assert found("佐藤") == {"〇〇システム株式会社"}  # the contact person
    assert found("中区") == {"〇〇システム株式会社"}  # the address
    assert found("1234") == {"△△情報サービス"}  # the phone number
    assert found("会議録検索") == {"〇〇システム株式会社"}  # the title of a contract
    assert found("情報　サービス") == {"△△情報サービス"}  # words (a full-width space): all of them, anywhere
    assert found("山田 豊橋") == set()  # one contractor must hold every word
    page = c.get(URL, {"q": "存在しない事業者"})
    assert _names(page) == []
    assert NO_MATCH_JA in page.content.decode()
    assert "登録された委託事業者はありません" not in page.content.decode()


def test_the_rows_of_a_search_come_once_however_many_contracts_match(login, staff, body):
    [one] = _many(body, 1, contracts=3)  # three contracts titled 保守業務…, all matching
    assert _names(login(staff).get(URL, {"q": "保守業務"})) == [one.name]


def test_active_filter_and_the_pager_keeps_the_search(login, staff, body):
    _many(body, 60, active=True)
    _many(body, 5, start=60, active=False)
    c = login(staff)
    assert _names(c.get(URL, {"active": "0"})) == [f"事業者{i:04d}" for i in range(60, 65)]
    first = c.get(URL, {"q": "事業者 中区", "active": "1"})
    assert len(_names(first)) == 50
    assert _pager_links(first.content.decode()) == {
        "next": {"q": ["事業者 中区"], "active": ["1"], "page": ["2"]}}
    second = c.get(URL, {"q": "事業者 中区", "active": "1", "page": "2"})
    assert _names(second) == [f"事業者{i:04d}" for i in range(50, 60)]
    page = second.content.decode()
    assert _pager_links(page) == {"prev": {"q": ["事業者 中区"], "active": ["1"], "page": ["1"]}}
    assert 'value="事業者 中区"' in page and '<option value="1" selected>' in page
    assert _names(c.get(URL, {"active": "maybe"})) == _names(c.get(URL))  # unknown: both


def test_empty_list_messages_japanese_and_english(login, staff, body, client):
    c = login(staff)
    assert "登録された委託事業者はありません。" in c.get(URL).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = c.get(URL, {"q": "なし"}).content.decode()
    assert NO_MATCH_EN in page and NO_MATCH_JA not in page


def test_another_bodys_contractors_are_never_shown(login, staff, outsider, body, other_body, contractor):
    _many(other_body, 60)
    Contractor.objects.create(body=other_body, name="〇〇システム株式会社 よそ")
    c = login(staff)
    assert _names(c.get(URL)) == ["〇〇システム株式会社"]
    assert _names(c.get(URL, {"q": "事業者"})) == []
    assert _names(c.get(URL, {"page": "last"})) == ["〇〇システム株式会社"]
    assert "1件" in c.get(URL).content.decode() and 'class="pager"' not in c.get(URL).content.decode()
    # and the other body's officer sees its own, never ours
    theirs = login(outsider)
    assert "〇〇システム株式会社" not in _names(theirs.get(URL, {"q": "システム"}))
    assert len(_names(theirs.get(URL, {"page": "last"}))) == 11


def test_refusals_as_before(login, vendor, vendor_account, client):
    assert login(vendor).get(URL).status_code == 404  # a vendor account has no contractor list
    assert login(vendor).get(URL, {"q": "システム", "page": "last"}).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302


def test_queries_do_not_grow_with_contractors_or_contracts(login, staff_in_charge, body):
    c = login(staff_in_charge)
    c.get(URL)

    def count(**params):
        with CaptureQueriesContext(connection) as captured:
            assert c.get(URL, params).status_code == 200
        return len(captured)

    _many(body, 10, contracts=1)
    small = [count(), count(page="last"), count(q="事業者 中区")]
    _many(body, 140, start=10, contracts=3)
    large = [count(), count(page="last"), count(q="事業者 中区")]
    assert small == large and max(large) <= 15, (small, large)


# --- the API ------------------------------------------------------------------------------------------

def test_api_search_and_filter(staff, body, contractor, contract, contractor_b, other_contractor):
    Contractor.objects.filter(pk=contractor_b.pk).update(active=False)
    api = token_client(staff)
    assert ids(api.get("/api/v1/contractors/", {"q": "会議録"})) == {contractor.pk}
    assert ids(api.get("/api/v1/contractors/", {"q": "情報 サービス"})) == {contractor_b.pk}
    assert ids(api.get("/api/v1/contractors/", {"q": "事業者"})) == set()  # the other body's is never found
    assert ids(api.get("/api/v1/contractors/", {"active": "false"})) == {contractor_b.pk}
    assert ids(api.get("/api/v1/contractors/", {"active": "true", "q": ""})) == {contractor.pk}
    error = assert_error(api.get("/api/v1/contractors/", {"active": "たぶん"}), 400)
    assert "active" in error["fields"]
    assert_error(api.get("/api/v1/contractors/", {"q": "あ" * 101}), 400)


def test_api_pages_and_a_vendor_searches_only_its_own(staff, vendor, vendor_account, body, contractor, contractor_b):
    _many(body, 60)
    r = token_client(staff).get("/api/v1/contractors/", {"q": "事業者", "page": "last"})
    assert r.status_code == 200 and r.json()["count"] == 60 and len(r.json()["results"]) == 10
    vendor_api = token_client(vendor)
    assert ids(vendor_api.get("/api/v1/contractors/", {"q": "システム"})) == {contractor.pk}
    assert ids(vendor_api.get("/api/v1/contractors/", {"q": "情報"})) == set()


# --- contractor accounts ------------------------------------------------------------------------------

def test_accounts_page_is_paged(login, staff_in_charge, staff, vendor, body, contractor):
    people = UserFactory.create_batch(55, body=body)
    for person in people:
        give_role(person, Role.VENDOR)
    ContractorAccount.objects.bulk_create(ContractorAccount(body=body, contractor=contractor, user=p) for p in people)
    c = login(staff_in_charge)
    url = reverse("vendors:account-list")
    first, last = c.get(url), c.get(url, {"page": "last"})
    logins = sorted(p.login_id for p in people)
    assert [a.user.login_id for a in first.context["page_obj"]] == logins[:50]
    assert [a.user.login_id for a in last.context["page_obj"]] == logins[50:]
    assert "2 / 2 ページ（全55件）" in last.content.decode()
    assert login(staff).get(url).status_code == 403  # a role without the keepers' permission: refused as before
    assert login(vendor).get(url).status_code == 403
