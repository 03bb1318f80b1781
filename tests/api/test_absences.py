"""/api/v1/absences/: anyone records or removes their own absence, managers anyone's; contractors none."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.orgs.models import Absence

from ..factories import UserFactory
from .helpers import assert_error, ids, results, token_client

pytestmark = pytest.mark.django_db

LIST = "/api/v1/absences/"


def period(hours_from=1, hours_to=9):
    now = timezone.now()
    return {"starts_at": (now + timedelta(hours=hours_from)).isoformat(),
            "ends_at": (now + timedelta(hours=hours_to)).isoformat()}


def counts():
    return Absence.objects.count(), AuditEvent.objects.count()


def test_record_own_absence(staff):
    r = token_client(staff).post(LIST, {"person": staff.pk, "reason": "研修", **period()}, format="json")
    assert r.status_code == 201, r.content
    absence = Absence.objects.get(pk=r.json()["id"])
    assert (absence.body, absence.person, absence.reason) == (staff.body, staff, "研修")
    assert AuditEvent.objects.filter(action="create", object_type="orgs.Absence", actor=staff).count() == 1


def test_manager_records_someone_elses_absence_and_it_moves_the_decision(manager, officer, staff):
    from tests.media.helpers import new_carry_out
    request = new_carry_out(staff)
    client = token_client(manager)
    assert client.get(f"/api/v1/carry-outs/{request.pk}/").json()["available_transitions"] == []
    r = client.post(LIST, {"person": officer.pk, "reason": "出張", **period(-1, 8)}, format="json")
    assert r.status_code == 201, r.content
    # With the officer away, the manager decides (代決).
    assert client.get(f"/api/v1/carry-outs/{request.pk}/").json()["available_transitions"] == [
        "approve", "send_back", "reject"]


@pytest.mark.parametrize("who", ["officer", "auditor", "staff2"])
def test_others_may_not_record_someone_elses_absence(request, staff, who):
    client = token_client(request.getfixturevalue(who))
    before = counts()
    r = client.post(LIST, {"person": staff.pk, **period()}, format="json")
    assert_error(r, 403, "forbidden")
    assert counts() == before


def test_contractor_may_not_see_or_record_absences(vendor, staff, make_absent):
    make_absent(staff)
    client = token_client(vendor)
    assert_error(client.get(LIST), 403, "forbidden")
    before = counts()
    assert_error(client.post(LIST, {"person": vendor.pk, **period()}, format="json"), 403, "forbidden")
    assert counts() == before


def test_list_is_the_body_only(staff, officer, outsider, make_absent):
    mine = make_absent(officer)
    theirs = make_absent(outsider)
    rows = results(token_client(staff).get(LIST))
    assert [r["id"] for r in rows] == [mine.pk]
    assert rows[0]["person"] == officer.pk
    assert ids(token_client(outsider).get(LIST)) == {theirs.pk}
    assert_error(token_client(staff).get(f"{LIST}{theirs.pk}/"), 404, "not_found")


def test_cannot_record_absence_of_another_bodys_person(manager, outsider):
    before = counts()
    r = token_client(manager).post(LIST, {"person": outsider.pk, **period()}, format="json")
    assert "person" in assert_error(r, 400, "invalid")["fields"]
    assert counts() == before


@pytest.mark.parametrize("data, field", [
    ({"starts_at": "2025-13-45T09:00:00+09:00"}, "starts_at"),
    ({"ends_at": "not a date"}, "ends_at"),
    ({"starts_at": 12345}, "starts_at"),
    ({"starts_at": None}, "starts_at"),
    ({"person": "abc"}, "person"),
    ({"person": 10**30}, "person"),
    ({"person": None}, "person"),
    ({"reason": "x" * 201}, "reason"),
    ({"reason": "x" * 1_000_000}, "reason"),
    ({"reason": {"a": 1}}, "reason"),
    ({"body": 99}, "body"),
    ({"unknown": 1}, "unknown"),
    ({**period(9, 1)}, "ends_at"),  # ends before it starts
    ({**period(1, 1)}, "ends_at"),  # empty period
])
def test_bad_input_is_400_and_creates_nothing(staff, data, field):
    before = counts()
    payload = {"person": staff.pk, "reason": "研修", **period(), **data}
    error = assert_error(token_client(staff).post(LIST, payload, format="json"), 400, "invalid")
    assert field in error["fields"], error
    assert counts() == before


def test_malformed_json_is_400(staff):
    before = counts()
    assert_error(token_client(staff).generic("POST", LIST, "[", content_type="application/json"), 400)
    assert counts() == before


def test_delete_own(staff, make_absent):
    absence = make_absent(staff)
    assert token_client(staff).delete(f"{LIST}{absence.pk}/").status_code == 204
    assert not Absence.objects.exists()
    assert AuditEvent.objects.filter(action="delete", object_type="orgs.Absence",
                                     object_id=str(absence.pk)).count() == 1


def test_manager_deletes_someone_elses(manager, officer, make_absent):
    absence = make_absent(officer)
    assert token_client(manager).delete(f"{LIST}{absence.pk}/").status_code == 204
    assert not Absence.objects.exists()


def test_others_may_not_delete_someone_elses(staff2, officer, make_absent):
    absence = make_absent(officer)
    before = counts()
    assert_error(token_client(staff2).delete(f"{LIST}{absence.pk}/"), 403, "forbidden")
    assert counts() == before


def test_another_bodys_absence_is_404_and_stays(manager, outsider, make_absent):
    theirs = make_absent(outsider)
    before = counts()
    assert_error(token_client(manager).delete(f"{LIST}{theirs.pk}/"), 404, "not_found")
    assert_error(token_client(manager).delete(f"{LIST}abc/"), 404, "not_found")
    assert counts() == before


@pytest.mark.parametrize("method", ["put", "patch"])
def test_absences_are_not_edited(staff, make_absent, method):
    absence = make_absent(staff)
    r = getattr(token_client(staff), method)(f"{LIST}{absence.pk}/", {"reason": "変更"}, format="json")
    assert_error(r, 405, "method_not_allowed")
    absence.refresh_from_db()
    assert absence.reason == "出張"


def test_list_query_count_does_not_grow(body, staff, make_absent, django_assert_max_num_queries):
    def count():
        client = token_client(staff)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        make_absent(UserFactory(body=body))
    few = count()
    for _ in range(27):
        make_absent(UserFactory(body=body))
    assert count() == few
    with django_assert_max_num_queries(8):
        token_client(staff).get(LIST)
