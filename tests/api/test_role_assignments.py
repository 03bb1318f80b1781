"""/api/v1/role-assignments/: staff read them (as on the people page); managers and the supreme admin add them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.orgs.models import RoleAssignment
from tejun.orgs.roles import Role

from ..factories import PostFactory, UserFactory, give_role
from .helpers import assert_error, ids, results, token_client

pytestmark = pytest.mark.django_db

LIST = "/api/v1/role-assignments/"


def counts():
    return RoleAssignment.objects.count(), AuditEvent.objects.count()


def test_list_is_the_body_only(staff, officer, outsider):
    rows = results(token_client(staff).get(LIST))
    assert {(r["person"], r["role"]) for r in rows} == {(staff.pk, "staff"), (officer.pk, "officer"),
                                                        (officer.pk, "staff")}
    theirs = set(RoleAssignment.objects.filter(body=outsider.body).values_list("pk", flat=True))
    assert theirs and not theirs & ids(token_client(staff).get(LIST))
    assert ids(token_client(outsider).get(LIST)) == theirs


def test_retrieve_and_another_bodys_is_404(staff, outsider):
    mine = staff.role_assignments.get()
    r = token_client(staff).get(f"{LIST}{mine.pk}/")
    assert r.json()["role"] == "staff"
    theirs = outsider.role_assignments.first()
    assert_error(token_client(staff).get(f"{LIST}{theirs.pk}/"), 404, "not_found")
    assert_error(token_client(staff).get(f"{LIST}abc/"), 404, "not_found")


def test_contractor_may_not_read_role_assignments(vendor):
    assert_error(token_client(vendor).get(LIST), 403, "forbidden")


@pytest.mark.parametrize("who", ["manager", "supreme_admin"])
def test_manager_and_supreme_admin_assign_a_role(request, staff, who):
    actor = request.getfixturevalue(who)
    today = timezone.localdate()
    r = token_client(actor).post(LIST, {"role": "officer", "person": staff.pk, "valid_from": today.isoformat(),
                                        "note": "4月1日の異動"}, format="json")
    assert r.status_code == 201, r.content
    ra = RoleAssignment.objects.get(pk=r.json()["id"])
    assert (ra.body, ra.person, ra.role, ra.is_deputy, ra.note) == (staff.body, staff, "officer", False, "4月1日の異動")
    assert r.json()["post"] is None
    assert AuditEvent.objects.filter(action="create", object_type="orgs.RoleAssignment", object_id=str(ra.pk),
                                     actor=actor).count() == 1
    # The new officer acts at once.
    assert "officer" in token_client(staff).get("/api/v1/me/").json()["roles"]


def test_assign_to_a_post_as_deputy(manager, body):
    post = PostFactory(body=body, name="議事係長")
    r = token_client(manager).post(LIST, {"role": "officer", "post": post.pk, "is_deputy": True}, format="json")
    assert r.status_code == 201, r.content
    assert (r.json()["post"], r.json()["person"], r.json()["is_deputy"]) == (post.pk, None, True)
    assert r.json()["valid_from"] == timezone.localdate().isoformat()


@pytest.mark.parametrize("who", ["officer", "staff", "auditor", "staff_in_charge", "vendor"])
def test_other_roles_may_not_assign(request, staff, who):
    client = token_client(request.getfixturevalue(who))
    before = counts()
    r = client.post(LIST, {"role": "supreme_admin", "person": staff.pk}, format="json")
    assert_error(r, 403, "forbidden")
    assert counts() == before


def test_wrong_role_is_403_whatever_the_input(staff):
    assert_error(token_client(staff).post(LIST, {"role": "nonsense"}, format="json"), 403, "forbidden")


def test_another_bodys_person_or_post_cannot_be_chosen(manager, outsider):
    their_post = PostFactory(body=outsider.body)
    before = counts()
    error = assert_error(token_client(manager).post(LIST, {"role": "staff", "person": outsider.pk}, format="json"),
                         400, "invalid")
    assert "person" in error["fields"]
    error = assert_error(token_client(manager).post(LIST, {"role": "staff", "post": their_post.pk}, format="json"),
                         400, "invalid")
    assert "post" in error["fields"]
    assert counts() == before


def test_outsider_cannot_assign_in_our_body(outsider, staff):
    before = counts()
    r = token_client(outsider).post(LIST, {"role": "manager", "person": staff.pk}, format="json")
    assert "person" in assert_error(r, 400, "invalid")["fields"]
    assert counts() == before


@pytest.mark.parametrize("data, field", [
    ({"role": "emperor"}, "role"),
    ({"role": ""}, "role"),
    ({}, "role"),
    ({"role": "staff", "person": "abc"}, "person"),
    ({"role": "staff", "person": 10**30}, "person"),
    ({"role": "staff", "person": [1]}, "person"),
    ({"role": "staff"}, "person"),  # neither person nor post
    ({"role": "staff", "person": "PERSON", "post": "POST"}, "person"),  # both
    ({"role": "staff", "person": "PERSON", "valid_from": "2025-13-45"}, "valid_from"),
    ({"role": "staff", "person": "PERSON", "valid_to": "yesterday"}, "valid_to"),
    ({"role": "staff", "person": "PERSON", "valid_from": "2030-04-01", "valid_to": "2030-03-31"}, "valid_to"),
    ({"role": "staff", "person": "PERSON", "is_deputy": "maybe"}, "is_deputy"),
    ({"role": "staff", "person": "PERSON", "note": "x" * 201}, "note"),
    ({"role": "staff", "person": "PERSON", "note": "x" * 1_000_000}, "note"),
    ({"role": "staff", "person": "PERSON", "body": 1}, "body"),
    ({"role": "staff", "person": "PERSON", "id": 5}, "id"),
])
def test_bad_input_is_400_and_creates_nothing(manager, staff, body, data, field):
    post = PostFactory(body=body)
    data = {k: {"PERSON": staff.pk, "POST": post.pk}.get(v, v) if isinstance(v, str) else v for k, v in data.items()}
    before = counts()
    error = assert_error(token_client(manager).post(LIST, data, format="json"), 400, "invalid")
    assert field in error["fields"], error
    assert counts() == before


def test_malformed_json_is_400(manager):
    before = counts()
    r = token_client(manager).generic("POST", LIST, '{"role": ', content_type="application/json")
    assert_error(r, 400, "parse_error")
    assert counts() == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_assignments_are_not_changed_or_deleted_through_the_api(manager, staff, method):
    ra = staff.role_assignments.get()
    r = getattr(token_client(manager), method)(f"{LIST}{ra.pk}/", {"role": "manager"}, format="json")
    assert_error(r, 405, "method_not_allowed")
    ra.refresh_from_db()
    assert ra.role == "staff"


def test_list_query_count_does_not_grow(body, staff, django_assert_max_num_queries):
    def add(n):
        post = PostFactory(body=body)
        for i in range(n):
            person = UserFactory(body=body)
            give_role(person, Role.STAFF, valid_to=timezone.localdate() + timedelta(days=i))
            RoleAssignment.objects.create(body=body, role=Role.PROMOTER, post=post, is_deputy=bool(i % 2))

    def count():
        client = token_client(staff)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    add(3)
    few = count()
    add(27)
    assert count() == few
    with django_assert_max_num_queries(8):
        token_client(staff).get(LIST)
