"""`manage.py demo`: the 武豊町議会 demo body, once, with one holder per role."""

from io import StringIO

import pytest
from django.contrib.auth import password_validation
from django.core.management import call_command

from tejun.audit.models import AuditEvent
from tejun.orgs.demo import DEMO_BODY, DEMO_PASSWORD, PEOPLE
from tejun.orgs.models import Absence, Body, PasswordHistory, Post, RoleAssignment, User
from tejun.orgs.roles import Role
from tejun.orgs.selectors import acting_roles, role_holders

pytestmark = pytest.mark.django_db


def run_demo(**kwargs) -> str:
    out = StringIO()
    call_command("demo", stdout=out, **kwargs)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count()
            for model in (Body, Post, User, RoleAssignment, Absence, PasswordHistory, AuditEvent)}


def test_demo_creates_the_council_posts_and_people(settings):
    settings.DEBUG = False
    run_demo()
    body = Body.objects.get(name=DEMO_BODY)
    assert body.kind == Body.Kind.COUNCIL
    post_roles = {(ra.post.name, ra.role) for ra in RoleAssignment.objects.filter(body=body, post__isnull=False)}
    assert post_roles == {("副議長", Role.SUPREME_ADMIN), ("事務局長", Role.MANAGER), ("事務局次長", Role.OFFICER)}
    assert set(body.posts.values_list("name", flat=True)) == {"副議長", "事務局長", "事務局次長", "書記"}
    assert set(body.people.values_list("login_id", flat=True)) == {p[0] for p in PEOPLE}
    assert User.objects.get(login_id="fukugicho").post.name == "副議長"
    # Every creation is in the body's audit chain.
    assert AuditEvent.objects.filter(body=body, action="create", object_type="orgs.RoleAssignment").count() == \
        RoleAssignment.objects.filter(body=body).count()
    assert AuditEvent.objects.filter(body=body, action="create", object_type="orgs.User").count() == len(PEOPLE)


def test_demo_is_idempotent(settings):
    settings.DEBUG = False
    run_demo()
    first = counts()
    out = run_demo()
    assert counts() == first
    assert "already exists / 作成済みです" in out
    run_demo(if_empty=True)
    assert counts() == first


def test_demo_if_empty_does_nothing_when_a_body_exists(body):
    run_demo(if_empty=True)
    assert not Body.objects.filter(name=DEMO_BODY).exists()


def test_one_holder_per_role(settings):
    settings.DEBUG = False
    run_demo()
    body = Body.objects.get(name=DEMO_BODY)
    expected = {
        Role.SUPREME_ADMIN: "fukugicho",
        Role.MANAGER: "kyokucho",
        Role.OFFICER: "jicho",
        Role.STAFF_IN_CHARGE: "tanto",
        Role.PROMOTER: "suishin",
        Role.AUDITOR: "kyokucho",
        Role.VENDOR: "vendor1",
    }
    for role, login_id in expected.items():
        holders = role_holders(body, role)
        assert [(h.person.login_id, h.deputy, h.absent) for h in holders] == [(login_id, False, False)], role
    assert len(role_holders(body, Role.STAFF)) == 7
    # The person in charge deputises for the officer only while the officer is away.
    tanto = User.objects.get(login_id="tanto")
    assert Role.OFFICER not in acting_roles(tanto)


def test_debug_mode_prints_the_demo_password_and_roles_through_posts(settings):
    settings.DEBUG = True
    out = run_demo()
    assert "created / 作成しました" in out
    assert DEMO_PASSWORD in out
    assert User.objects.get(login_id="jicho").check_password(DEMO_PASSWORD)
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ") and "パスワード" not in line}
    # Roles held through the post are listed with the ones held personally.
    assert "supreme_admin" in lines["fukugicho"] and "staff" in lines["fukugicho"]
    assert "manager" in lines["kyokucho"] and "auditor" in lines["kyokucho"]
    assert "officer" in lines["jicho"]
    assert "事務局次長" in lines["jicho"]
    assert "officer" not in lines["tanto"]
    assert "vendor" in lines["vendor1"] and "(-;" in lines["vendor1"]


def test_non_debug_mode_never_prints_or_uses_the_demo_password(settings):
    settings.DEBUG = False
    out = run_demo()
    assert DEMO_PASSWORD not in out
    assert "パスワードは表示しません" in out
    assert not any(u.check_password(DEMO_PASSWORD) for u in User.objects.all())
    # Running again in non-debug mode does not print it either.
    assert DEMO_PASSWORD not in run_demo()


def test_demo_password_passes_every_rule_for_every_demo_user(settings):
    settings.DEBUG = True
    run_demo()
    for login_id, *_rest in PEOPLE:
        user = User.objects.get(login_id=login_id)
        user.pk = None  # as if choosing it anew: the history rule would refuse the current password
        password_validation.validate_password(DEMO_PASSWORD, user)


def test_demo_users_can_log_in(settings, client):
    settings.DEBUG = True
    settings.SECURE_SSL_REDIRECT = False
    run_demo()
    r = client.post("/login/", {"username": "jicho", "password": DEMO_PASSWORD})
    assert r.status_code == 302
    assert r["Location"] == "/tasks/"
