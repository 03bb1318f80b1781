"""Admin screens for bodies, posts, people, roles, absences: Japanese, audited, scoped to the body."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.orgs.demo import DEMO_BODY
from tejun.orgs.models import Body, PasswordHistory, Post, RoleAssignment, User
from tejun.orgs.roles import Role

from ..factories import PostFactory, UserFactory, give_role

pytestmark = pytest.mark.django_db

NEW = "Hoshi-ga-Kirei-4821"


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "Kanri-Sha-Pass-8812", full_name="管理 者")


@pytest.fixture
def demo(settings):
    settings.DEBUG = False
    call_command("demo", stdout=None)
    return Body.objects.get(name=DEMO_BODY)


@pytest.fixture
def director(demo):
    """The demo's 事務局長: is_staff with the orgs permissions, manager by post."""
    return User.objects.get(login_id="kyokucho")


@pytest.fixture
def elsewhere(other_body):
    post = PostFactory(body=other_body, name="よその書記")
    person = UserFactory(body=other_body, login_id="yoso-san", full_name="他所 花子", post=post)
    ra = give_role(person, Role.OFFICER)
    return {"post": post, "person": person, "ra": ra}


def text(r):
    return r.content.decode()


# --- superuser ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/admin/", ["Tejun 管理画面", "団体・職員・役割の管理", "役割の割当て", "職員", "不在", "役職"]),
        ("/admin/orgs/user/", ["職員", "ログインID", "氏名"]),
        ("/admin/orgs/user/add/", ["ログインID", "氏名"]),
        ("/admin/orgs/roleassignment/", ["役割の割当て"]),
        ("/admin/orgs/roleassignment/add/", ["役割の割当て", "開始日", "終了日", "代理"]),
        ("/admin/orgs/absence/add/", ["不在", "開始", "終了", "理由"]),
        ("/admin/orgs/post/add/", ["役職名", "表示順"]),
        ("/admin/orgs/body/add/", ["団体名", "パスワード有効期間（日）"]),
    ],
)
def test_superuser_opens_admin_screens_in_japanese(client, superuser, body, path, words):
    client.force_login(superuser)
    r = client.get(path)
    assert r.status_code == 200, path
    for w in words:
        assert w in text(r), (path, w)


def test_superuser_opens_user_change_and_password_pages(client, superuser, staff):
    client.force_login(superuser)
    assert client.get(f"/admin/orgs/user/{staff.pk}/change/").status_code == 200
    assert client.get(f"/admin/orgs/user/{staff.pk}/password/").status_code == 200


def test_saving_a_role_assignment_in_admin_is_audited(client, superuser, body, staff):
    client.force_login(superuser)
    today = timezone.localdate()
    r = client.post("/admin/orgs/roleassignment/add/", {
        "body": body.pk, "role": Role.OFFICER, "person": staff.pk, "post": "",
        "valid_from": today.isoformat(), "valid_to": "", "note": "年度途中の任命",
    })
    assert r.status_code == 302, text(r)
    ra = RoleAssignment.objects.get(person=staff, role=Role.OFFICER)
    event = AuditEvent.objects.get(action="create", object_type="orgs.RoleAssignment", object_id=str(ra.pk))
    assert event.actor_id == superuser.pk
    assert event.body_id == body.pk
    assert event.after["role"] == "officer"
    assert event.after["person"] == staff.pk

    # Editing it records before and after.
    r = client.post(f"/admin/orgs/roleassignment/{ra.pk}/change/", {
        "body": body.pk, "role": Role.OFFICER, "person": staff.pk, "post": "",
        "valid_from": today.isoformat(), "valid_to": today.isoformat(), "note": "年度途中の任命",
    })
    assert r.status_code == 302, text(r)
    event = AuditEvent.objects.get(action="update", object_type="orgs.RoleAssignment", object_id=str(ra.pk))
    assert event.before["valid_to"] is None
    assert event.after["valid_to"] == today.isoformat()

    # Deleting it too.
    r = client.post(f"/admin/orgs/roleassignment/{ra.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert not RoleAssignment.objects.filter(pk=ra.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_type="orgs.RoleAssignment",
                                     object_id=str(ra.pk)).exists()


def test_role_assignment_with_both_or_neither_holder_is_refused_in_japanese(client, superuser, body, staff):
    client.force_login(superuser)
    post = PostFactory(body=body)
    base = {"body": body.pk, "role": Role.OFFICER, "valid_from": timezone.localdate().isoformat(),
            "valid_to": "", "note": ""}
    for holders in ({"person": staff.pk, "post": post.pk}, {"person": "", "post": ""}):
        r = client.post("/admin/orgs/roleassignment/add/", {**base, **holders})
        assert r.status_code == 200
        assert "職員か役職のどちらか一方を指定してください。" in text(r)
    assert not RoleAssignment.objects.filter(role=Role.OFFICER).exists()
    assert not AuditEvent.objects.filter(object_type="orgs.RoleAssignment").exists()


def test_role_assignment_naming_another_bodys_person_is_refused(client, superuser, body, elsewhere):
    client.force_login(superuser)
    r = client.post("/admin/orgs/roleassignment/add/", {
        "body": body.pk, "role": Role.MANAGER, "person": elsewhere["person"].pk, "post": "",
        "valid_from": timezone.localdate().isoformat(), "valid_to": "", "note": "",
    })
    assert r.status_code == 200
    assert "この団体の職員ではありません。" in text(r)
    assert not RoleAssignment.objects.filter(role=Role.MANAGER).exists()


def test_admin_password_change_follows_p07_and_is_audited(client, superuser, staff):
    client.force_login(superuser)
    r = client.post(f"/admin/orgs/user/{staff.pk}/password/",
                    {"password1": "Shokuin1-Kumo-77", "password2": "Shokuin1-Kumo-77", "usable_password": "true"})
    assert r.status_code == 200
    assert "ログインID" in text(r)
    before = User.objects.get(pk=staff.pk).password
    assert not AuditEvent.objects.filter(action="password_change").exists()

    r = client.post(f"/admin/orgs/user/{staff.pk}/password/",
                    {"password1": NEW, "password2": NEW, "usable_password": "true"})
    assert r.status_code == 302, text(r)
    staff.refresh_from_db()
    assert staff.check_password(NEW)
    assert PasswordHistory.objects.get(user=staff).password == before
    event = AuditEvent.objects.get(action="password_change", object_id=str(staff.pk))
    assert event.actor_id == superuser.pk
    # Set by someone else: the owner must change it at the next login.
    assert staff.password_changed_at is None


# --- the demo's director (a body administrator, not a superuser) ---------------------------------

def test_director_sees_only_own_body_in_admin(client, director, demo, elsewhere):
    client.force_login(director)
    r = client.get("/admin/orgs/user/")
    assert r.status_code == 200
    assert "石川 恵子" in text(r) and "青木 誠" in text(r)
    assert "他所 花子" not in text(r)
    for path in ("/admin/orgs/roleassignment/", "/admin/orgs/post/", "/admin/orgs/body/", "/admin/orgs/absence/"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "よその" not in text(r), path  # neither the other body's name (filters included) nor its posts
        assert "他所" not in text(r), path
    assert "事務局次長" in text(client.get("/admin/orgs/post/"))
    # Another body's rows cannot be opened by id.
    for path in (f"/admin/orgs/user/{elsewhere['person'].pk}/change/",
                 f"/admin/orgs/roleassignment/{elsewhere['ra'].pk}/change/",
                 f"/admin/orgs/post/{elsewhere['post'].pk}/change/",
                 f"/admin/orgs/body/{elsewhere['person'].body_id}/change/"):
        r = client.get(path)
        assert r.status_code in (302, 404), path
        assert r.status_code == 404 or r["Location"] == "/admin/", path


def test_director_choices_are_only_own_body(client, director, demo, elsewhere):
    client.force_login(director)
    r = client.get("/admin/orgs/roleassignment/add/")
    assert r.status_code == 200
    page = text(r)
    assert "他所 花子" not in page and "よその" not in page
    assert "上田 健一" in page and "事務局次長" in page


def test_director_cannot_assign_roles_in_another_body(client, director, demo, elsewhere):
    client.force_login(director)
    other = elsewhere["person"].body
    today = timezone.localdate().isoformat()
    attempts = [
        {"body": other.pk, "person": director.pk, "post": ""},
        {"body": demo.pk, "person": elsewhere["person"].pk, "post": ""},
        {"body": demo.pk, "person": "", "post": elsewhere["post"].pk},
    ]
    before = RoleAssignment.objects.count()
    for holders in attempts:
        r = client.post("/admin/orgs/roleassignment/add/",
                        {"role": Role.SUPREME_ADMIN, "valid_from": today, "valid_to": "", "note": "", **holders})
        assert r.status_code == 200, holders
    assert RoleAssignment.objects.count() == before


def test_director_assigns_a_role_in_own_body_and_it_is_audited(client, director, demo):
    client.force_login(director)
    tanto = User.objects.get(login_id="tanto")
    r = client.post("/admin/orgs/roleassignment/add/", {
        "body": demo.pk, "role": Role.AUDITOR, "person": tanto.pk, "post": "",
        "valid_from": timezone.localdate().isoformat(), "valid_to": "", "note": "",
    })
    assert r.status_code == 302, text(r)
    ra = RoleAssignment.objects.get(person=tanto, role=Role.AUDITOR)
    assert ra.body == demo
    event = AuditEvent.objects.get(action="create", object_type="orgs.RoleAssignment", object_id=str(ra.pk))
    assert event.actor_id == director.pk
    assert event.body_id == demo.pk


def test_director_cannot_make_anyone_superuser(client, director, demo):
    client.force_login(director)
    r = client.get(f"/admin/orgs/user/{director.pk}/change/")
    assert r.status_code == 200
    assert 'name="is_superuser"' not in text(r)
    r = client.post(f"/admin/orgs/user/{director.pk}/change/", {
        "login_id": "kyokucho", "full_name": "石川 恵子", "furigana": "いしかわ けいこ", "email": "",
        "birth_date": "", "body": demo.pk, "post": director.post_id, "is_active": "on", "is_staff": "on",
        "is_superuser": "on",
    })
    assert r.status_code == 302, text(r)
    director.refresh_from_db()
    assert not director.is_superuser


def test_director_cannot_see_or_add_other_bodies(client, director, demo, superuser):
    client.force_login(director)
    assert client.get("/admin/orgs/body/add/").status_code == 403
    r = client.get("/admin/orgs/user/")
    assert "root" not in text(r)  # the instance superuser is not the body's to edit


def test_staff_flag_without_the_manager_role_opens_nothing(client, demo):
    # 事務局長 moves to another post: the admin perms remain, but the role (held by the post) is gone.
    director = User.objects.get(login_id="kyokucho")
    RoleAssignment.objects.filter(person=director, role=Role.AUDITOR).delete()
    director.post = Post.objects.get(body=demo, name="書記")
    director.save()
    client.force_login(director)
    assert client.get("/admin/orgs/user/").status_code == 403
    assert client.get("/admin/orgs/roleassignment/add/").status_code == 403


def test_non_staff_is_sent_away_from_admin(client, staff):
    client.force_login(staff)
    r = client.get("/admin/orgs/user/")
    assert r.status_code == 302
    assert "/admin/login/" in r["Location"]


def test_director_adds_a_person_to_own_body_who_must_change_the_password(client, director, demo, elsewhere):
    client.force_login(director)
    other = elsewhere["person"].body
    # Another body cannot be chosen.
    r = client.post("/admin/orgs/user/add/", {"login_id": "shinjin", "full_name": "新人 一", "body": other.pk,
                                              "password1": NEW, "password2": NEW})
    assert r.status_code == 200
    assert not User.objects.filter(login_id="shinjin").exists()
    # A password against P-07 is refused.
    r = client.post("/admin/orgs/user/add/", {"login_id": "shinjin", "full_name": "新人 一", "body": demo.pk,
                                              "password1": "Shinjin-Kumo-77", "password2": "Shinjin-Kumo-77"})
    assert r.status_code == 200
    assert "ログインID" in text(r)
    assert not User.objects.filter(login_id="shinjin").exists()

    r = client.post("/admin/orgs/user/add/", {"login_id": "shinjin", "full_name": "新人 一", "body": demo.pk,
                                              "password1": NEW, "password2": NEW})
    assert r.status_code == 302, text(r)
    person = User.objects.get(login_id="shinjin")
    assert person.body == demo
    assert not person.is_staff and not person.is_superuser
    assert person.password_changed_at is None  # chosen by someone else: changed at the first login
    event = AuditEvent.objects.get(action="create", object_type="orgs.User", object_id=str(person.pk))
    assert event.actor_id == director.pk
    assert "password" not in event.after
