"""/api/v1/audit-events/: read-only, and only for the manager, the supreme admin and the auditor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tejun.audit.models import AuditEvent
from tejun.audit.services import record

from ..media.helpers import new_carry_out
from .helpers import assert_error, ids, results, token_client

pytestmark = pytest.mark.django_db

LIST = "/api/v1/audit-events/"


@pytest.fixture
def events(staff, officer, outsider):
    ours = new_carry_out(staff)
    new_carry_out(outsider)
    return AuditEvent.objects.filter(body=staff.body), ours


@pytest.mark.parametrize("who", ["manager", "supreme_admin", "auditor"])
def test_readers_see_the_body_chain_only(request, events, outsider, who):
    ours, _request = events
    rows = results(token_client(request.getfixturevalue(who)).get(LIST))
    assert {r["id"] for r in rows} == set(ours.values_list("pk", flat=True))
    assert {r["id"] for r in rows}.isdisjoint(AuditEvent.objects.filter(body=outsider.body).values_list("pk",
                                                                                                     flat=True))
    event = next(r for r in rows if r["action"] == "create")
    assert event["object_type"] == "media.CarryOutRequest"
    assert len(event["hash"]) == 64
    assert event["after"]["destination"] == "委員長の自宅"


@pytest.mark.parametrize("who", ["officer", "staff", "staff_in_charge", "vendor"])
def test_others_may_not_read_the_audit_log(request, events, who):
    client = token_client(request.getfixturevalue(who))
    error = assert_error(client.get(LIST), 403, "forbidden")
    assert "監査ログ" in error["message"]
    ours, _request = events
    assert_error(client.get(f"{LIST}{ours.first().pk}/"), 403, "forbidden")


def test_retrieve_and_another_bodys_event_is_404(auditor, events, outsider):
    ours, _request = events
    event = ours.first()
    assert token_client(auditor).get(f"{LIST}{event.pk}/").json()["seq"] == event.seq
    theirs = AuditEvent.objects.filter(body=outsider.body).first()
    assert_error(token_client(auditor).get(f"{LIST}{theirs.pk}/"), 404, "not_found")
    assert_error(token_client(outsider).get(f"{LIST}{event.pk}/"), 404, "not_found")
    assert_error(token_client(auditor).get(f"{LIST}abc/"), 404, "not_found")


def test_filters(auditor, staff, officer, events):
    ours, carry_out = events
    client = token_client(auditor)
    assert ids(client.get(LIST, {"action": "create", "object_type": "media.CarryOutRequest",
                                 "object_id": carry_out.pk})) == {
        ours.get(action="create", object_type="media.CarryOutRequest").pk}
    assert ids(client.get(LIST, {"actor": staff.pk})) == set(ours.filter(actor=staff).values_list("pk", flat=True))
    assert ids(client.get(LIST, {"actor": officer.pk})) == set()
    assert ids(client.get(LIST, {"action": "nonsense"})) == set()


@pytest.mark.parametrize("params, field", [
    ({"actor": "abc"}, "actor"),
    ({"actor": "1.5"}, "actor"),
    ({"actor": "0"}, "actor"),
    ({"actor": str(10**30)}, "actor"),
    ({"date_from": "2025-13-45"}, "date_from"),
    ({"date_to": "yesterday"}, "date_to"),
    ({"action": "x" * 1000}, "action"),
])
def test_bad_filters_are_400(auditor, events, params, field):
    error = assert_error(token_client(auditor).get(LIST, params), 400, "invalid")
    assert field in error["fields"]


@pytest.mark.parametrize("method, detail", [("post", False), ("put", True), ("patch", True), ("delete", True)])
def test_events_are_read_only(manager, events, method, detail):
    ours, _request = events
    event = ours.first()
    before = AuditEvent.objects.count()
    url = f"{LIST}{event.pk}/" if detail else LIST
    r = getattr(token_client(manager), method)(url, {"action": "forged"}, format="json")
    assert_error(r, 405, "method_not_allowed")
    assert AuditEvent.objects.count() == before
    event.refresh_from_db()
    assert event.action != "forged"


def test_list_query_count_does_not_grow(auditor, staff, django_assert_max_num_queries):
    def count():
        client = token_client(auditor)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        record(staff, f"test.{i}", staff)
    few = count()
    for i in range(27):
        record(staff, f"test.{i}", staff)
    assert count() == few
    with django_assert_max_num_queries(8):
        token_client(auditor).get(LIST)
