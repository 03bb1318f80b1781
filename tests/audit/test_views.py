"""/audit/: who may read the log, the filters, body scoping, bounded queries."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.audit.services import record

URL = "/audit/"
TOKYO = ZoneInfo("Asia/Tokyo")


def _record_at(monkeypatch, when, *args, **kwargs):
    monkeypatch.setattr(timezone, "now", lambda: when)
    try:
        return record(*args, **kwargs)
    finally:
        monkeypatch.undo()


def _shown(response) -> list[AuditEvent]:
    assert response.status_code == 200
    return list(response.context["page_obj"])


@pytest.fixture
def events(body, other_body, manager, officer, staff, outsider):
    return {
        "officer_approve": record(officer, "transition.approve", staff, object_repr="承認した申請"),
        "staff_create": record(staff, "create", body, object_repr="職員が作った記録"),
        "manager_update": record(manager, "update", staff, object_repr="局長の修正"),
        "theirs": record(outsider, "create", other_body, object_repr="よその秘密の記録"),
    }


@pytest.mark.parametrize("who", ["manager", "supreme_admin", "auditor"])
def test_readers_see_the_log(request, login, events, who):
    user = request.getfixturevalue(who)
    response = login(user).get(URL)
    shown = _shown(response)
    assert {events["officer_approve"], events["staff_create"], events["manager_update"]} <= set(shown)
    content = response.content.decode()
    assert "監査ログ" in content and "承認した申請" in content


@pytest.mark.parametrize("who", ["officer", "staff", "staff_in_charge", "vendor"])
def test_others_are_refused(request, login, events, who):
    user = request.getfixturevalue(who)
    response = login(user).get(URL)
    assert response.status_code == 403
    content = response.content.decode()
    assert "監査ログを閲覧できるのは" in content
    assert "承認した申請" not in content


def test_anonymous_is_sent_to_login(client, events):
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_another_bodys_events_never_appear(login, auditor, outsider, other_body, events):
    client = login(auditor)
    for query in ({}, {"action": "create"}, {"object_type": "orgs.Body", "object_id": str(other_body.pk)},
                  {"actor": str(outsider.pk)}):
        response = client.get(URL, query)
        assert events["theirs"] not in _shown(response)
        assert "よその秘密の記録" not in response.content.decode()


def test_outsider_auditor_sees_only_their_body(login, outsider, events):
    shown = _shown(login(outsider).get(URL))
    assert events["theirs"] in shown
    assert all(e.body_id == outsider.body_id for e in shown)


def test_filter_by_actor(login, auditor, officer, events):
    shown = _shown(login(auditor).get(URL, {"actor": officer.pk}))
    assert shown == [events["officer_approve"]]


def test_filter_by_action(login, auditor, events):
    shown = _shown(login(auditor).get(URL, {"action": "update"}))
    assert shown == [events["manager_update"]]


def test_filter_by_object(login, auditor, staff, events):
    shown = _shown(login(auditor).get(URL, {"object_type": "orgs.User", "object_id": staff.pk}))
    assert set(shown) == {events["officer_approve"], events["manager_update"]}
    shown = _shown(login(auditor).get(URL, {"object_type": "orgs.Body"}))
    assert events["staff_create"] in shown and events["officer_approve"] not in shown


def test_filter_by_period_in_tokyo_time(monkeypatch, login, auditor, manager, body):
    # 2024-04-01 00:30 in Tokyo is still 2024-03-31 in UTC: the period is read in Tokyo time.
    early = _record_at(monkeypatch, datetime(2024, 4, 1, 0, 30, tzinfo=TOKYO), manager, "period.test", body,
                       object_repr="4月1日の記録")
    late = _record_at(monkeypatch, datetime(2024, 4, 30, 23, 59, tzinfo=TOKYO), manager, "period.test", body)
    may = _record_at(monkeypatch, datetime(2024, 5, 1, 0, 0, tzinfo=TOKYO), manager, "period.test", body)
    march = _record_at(monkeypatch, datetime(2024, 3, 31, 23, 59, tzinfo=TOKYO), manager, "period.test", body)
    client = login(auditor)
    shown = _shown(client.get(URL, {"action": "period.test", "date_from": "2024-04-01", "date_to": "2024-04-30"}))
    assert set(shown) == {early, late}
    shown = _shown(client.get(URL, {"action": "period.test", "date_from": "2024-05-01"}))
    assert shown == [may]
    shown = _shown(client.get(URL, {"action": "period.test", "date_to": "2024-03-31"}))
    assert shown == [march]
    response = client.get(URL, {"action": "period.test", "date_to": "2024-04-01"})
    assert set(_shown(response)) == {early, march}
    assert "令和6年4月1日" in response.content.decode()  # shown in 和暦


def test_unreadable_filter_shows_nothing_and_says_why(login, auditor, outsider, events):
    response = login(auditor).get(URL, {"actor": outsider.pk})
    assert _shown(response) == []
    assert response.context["form"].errors["actor"]
    response = login(auditor).get(URL, {"date_from": "昨日"})
    assert _shown(response) == []
    assert response.context["form"].errors["date_from"]


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_events(login, auditor, manager, officer, body, django_assert_max_num_queries):
    client = login(auditor)
    for i in range(5):
        record(manager if i % 2 else officer, "bulk.test", body, None, {"i": i})
    few = _count_queries(client)
    for i in range(95):
        record(manager if i % 2 else officer, "bulk.test", body, None, {"i": i})
    assert AuditEvent.objects.filter(body=body).count() >= 100
    many = _count_queries(client)
    assert few == many
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.context["page_obj"]) == 50  # paginated
    assert client.get(URL, {"page": 2}).status_code == 200


def test_unfiltered_count_comes_from_the_chain_and_matches_the_rows(login, auditor, staff, body):
    """The unfiltered list takes its length from the chain head; it must be the number of rows it pages."""
    for i in range(120):
        record(staff, "create", staff, object_repr=f"記録{i}")
    client = login(auditor)
    page = client.get(URL).context["page_obj"]
    rows = AuditEvent.objects.filter(body=body).count()
    assert page.paginator.count == rows and rows >= 120
    last = client.get(URL, {"page": page.paginator.num_pages}).context["page_obj"]
    assert len(last.object_list) == rows - 50 * (page.paginator.num_pages - 1)
    # Filtered, the list is counted as before.
    assert client.get(URL, {"action": "create"}).context["page_obj"].paginator.count == \
        AuditEvent.objects.filter(body=body, action="create").count()
