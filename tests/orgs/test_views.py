"""The people page /people/: who holds which role now, with (代理) and (不在) marks."""

import re

import pytest

from tejun.orgs.roles import Role

from ..factories import UserFactory, give_role

pytestmark = pytest.mark.django_db


def role_row(html, role):
    """The holders cell of one role's row in the 現在の役割の担当 table."""
    match = re.search(rf"<th scope=\"row\">{re.escape(str(role.label))}</th><td[^>]*>(.*?)</td>", html, re.S)
    assert match, role
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())  # text only: marks may be badges


def test_people_page_lists_people_and_role_holders(login, staff, officer, manager, outsider):
    r = login(staff).get("/people/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "職員・役割" in html
    assert "責任 太郎" in role_row(html, Role.OFFICER)
    assert "局長 花子" in role_row(html, Role.MANAGER)
    assert role_row(html, Role.PROMOTER) == "—"
    # Another body's people never appear.
    assert "他所 七郎" not in html
    assert "yoso" not in html


def test_people_page_marks_deputies_and_absent_holders(login, staff, officer, staff_in_charge, make_absent):
    give_role(staff_in_charge, Role.OFFICER, deputy=True)
    html = login(staff).get("/people/").content.decode()
    assert role_row(html, Role.OFFICER) == "責任 太郎"

    make_absent(officer)
    html = login(staff).get("/people/").content.decode()
    row = role_row(html, Role.OFFICER)
    assert re.search(r"担当 次郎 ?（?代理）?", row), row
    assert re.search(r"責任 太郎 ?（?不在）?", row), row
    assert row.count("代理") == 1 and row.count("不在") == 1
    assert row.index("担当 次郎") < row.index("責任 太郎")
    assert "出張" in html  # the absence is listed with its reason


def test_people_page_without_manage_rights_has_no_admin_link(login, staff):
    html = login(staff).get("/people/").content.decode()
    assert "管理画面で編集する" not in html


def test_vendor_only_user_gets_403(login, vendor):
    r = login(vendor).get("/people/")
    assert r.status_code == 403
    assert "職員一覧を閲覧する権限がありません。" in r.content.decode()


def test_person_without_any_role_gets_403(login, body):
    assert login(UserFactory(body=body)).get("/people/").status_code == 403


def test_vendor_who_is_also_staff_may_see(login, vendor):
    give_role(vendor, Role.STAFF)
    assert login(vendor).get("/people/").status_code == 200


def test_anonymous_is_sent_to_login(client):
    r = client.get("/people/")
    assert r.status_code == 302
    assert r["Location"].startswith("/login/")


def test_nav_link_shown_only_to_those_who_may_see(login, staff, vendor):
    assert 'href="/people/"' in login(staff).get("/tasks/").content.decode()
    assert 'href="/people/"' not in login(vendor).get("/tasks/").content.decode()
