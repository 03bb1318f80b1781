"""/api/v1/me/ and /api/v1/people/: read-only, the body's people with the roles they can act in now."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tejun.orgs.models import RoleAssignment, User
from tejun.orgs.roles import Role
from tejun.orgs.selectors import acting_roles

from ..factories import PostFactory, UserFactory, give_role
from .helpers import assert_error, ids, results, token_client

pytestmark = pytest.mark.django_db

LIST = "/api/v1/people/"


def test_me(officer):
    r = token_client(officer).get("/api/v1/me/")
    assert r.status_code == 200
    assert r.json() == {"id": officer.pk, "login_id": "sekinin", "full_name": "責任 太郎",
                        "furigana": officer.furigana, "email": officer.email, "post": None, "is_active": True,
                        "roles": ["officer", "staff"]}


def test_list_shows_the_body_and_never_another_body(staff, officer, manager, outsider):
    rows = results(token_client(staff).get(LIST))
    assert {r["id"] for r in rows} == {staff.pk, officer.pk, manager.pk}
    by_id = {r["id"]: r for r in rows}
    assert by_id[officer.pk]["roles"] == ["officer", "staff"]
    assert by_id[manager.pk]["roles"] == ["manager", "staff"]
    assert "password" not in by_id[staff.pk]
    assert "birth_date" not in by_id[staff.pk]
    assert ids(token_client(outsider).get(LIST)) == {outsider.pk}


def test_retrieve(staff, officer):
    r = token_client(staff).get(f"{LIST}{officer.pk}/")
    assert r.status_code == 200
    assert r.json()["login_id"] == "sekinin"
    assert r.json()["roles"] == ["officer", "staff"]


def test_another_bodys_person_is_404(staff, outsider):
    assert_error(token_client(staff).get(f"{LIST}{outsider.pk}/"), 404, "not_found")
    assert_error(token_client(outsider).get(f"{LIST}{staff.pk}/"), 404, "not_found")


@pytest.mark.parametrize("pk", ["abc", "-1", str(10**30), "1.0"])
def test_ids_that_are_not_numbers_are_404(staff, pk):
    assert_error(token_client(staff).get(f"{LIST}{pk}/"), 404, "not_found")


def test_contractor_may_not_list_people(vendor, staff):
    error = assert_error(token_client(vendor).get(LIST), 403, "forbidden")
    assert "職員一覧" in error["message"]
    assert_error(token_client(vendor).get(f"{LIST}{staff.pk}/"), 403, "forbidden")
    # Their own record stays available.
    assert token_client(vendor).get("/api/v1/me/").json()["roles"] == ["vendor"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_people_are_read_only(manager, staff, method):
    url = LIST if method == "post" else f"{LIST}{staff.pk}/"
    r = getattr(token_client(manager), method)(url, {"full_name": "改ざん"}, format="json")
    assert_error(r, 405, "method_not_allowed")
    staff.refresh_from_db()
    assert staff.full_name == "職員 四郎"
    assert User.objects.count() == 2


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_me_is_read_only(staff, method):
    assert_error(getattr(token_client(staff), method)("/api/v1/me/", {}, format="json"), 405)


def test_listed_roles_are_acting_roles_deputies_and_posts_included(body, staff, officer, manager, make_absent):
    """The list computes everyone's roles at once; they must be what acting_roles() says for each."""
    post = PostFactory(body=body, name="事務局次長")
    by_post = UserFactory(body=body, post=post)
    RoleAssignment.objects.create(body=body, role=Role.AUDITOR, post=post)
    deputy = UserFactory(body=body)
    give_role(deputy, Role.OFFICER, deputy=True)
    deputy_of_present = UserFactory(body=body)
    give_role(deputy_of_present, Role.MANAGER, deputy=True)
    people = [staff, officer, manager, by_post, deputy, deputy_of_present]

    def listed():
        return {r["id"]: r["roles"] for r in results(token_client(staff).get(LIST))}

    def expected():
        return {p.pk: sorted(acting_roles(p)) for p in people}

    assert listed() == expected()
    assert listed()[deputy.pk] == []
    assert listed()[by_post.pk] == ["auditor"]
    make_absent(officer)
    assert listed() == expected()
    assert listed()[deputy.pk] == ["officer"]
    assert listed()[deputy_of_present.pk] == []


def _count(user):
    client = token_client(user)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(LIST)
    assert r.status_code == 200
    return len(ctx.captured_queries), len(r.json()["results"])


def _people(body, n):
    post = PostFactory(body=body)
    for i in range(n):
        person = UserFactory(body=body, post=post if i % 3 == 0 else None)
        give_role(person, Role.STAFF)
        if i % 4 == 0:
            give_role(person, Role.OFFICER, deputy=True)


def test_list_query_count_does_not_grow_with_people(body, staff, officer, make_absent,
                                                    django_assert_max_num_queries):
    make_absent(officer)  # deputies then act: the deputy path is exercised too
    _people(body, 3)
    few, n_few = _count(staff)
    _people(body, 27)
    many, n_many = _count(staff)
    assert n_many > n_few
    assert many == few, (few, many)
    with django_assert_max_num_queries(12):
        token_client(staff).get(LIST)
