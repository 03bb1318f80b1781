"""Login, logout, lockout (django-axes), password change and expiry (P-07), through the real pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.orgs.models import PasswordHistory, User

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

NEW = "Hoshi-ga-Kirei-4821"


def text(response):
    return response.content.decode()


def logged_in(client):
    return "_auth_user_id" in client.session


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


# --- login page --------------------------------------------------------------------------------

def test_login_page_is_japanese(client):
    r = client.get("/login/")
    assert r.status_code == 200
    body = text(r)
    assert '<html lang="ja">' in body
    for words in ("ログイン", "ログインID", "パスワード", "5回続けて失敗すると15分間ログインできなくなります。"):
        assert words in body


def test_anonymous_is_sent_to_login(client):
    r = client.get("/tasks/")
    assert r.status_code == 302
    assert r["Location"].startswith("/login/?next=/tasks/")


def test_login_success_goes_to_tasks_and_is_audited(client, staff, password):
    r = client.post("/login/", {"username": "shokuin1", "password": password})
    assert r.status_code == 302
    assert r["Location"] == "/tasks/"
    assert logged_in(client)
    assert client.get("/tasks/").status_code == 200
    [event] = events("login")
    assert event.actor_id == staff.pk
    assert event.object_id == str(staff.pk)
    assert event.body_id == staff.body_id
    assert event.ip_address == "127.0.0.1"
    assert not events("login_failed")


def test_login_follows_a_local_next_but_never_an_outside_one(client, staff, password):
    r = client.post("/login/", {"username": "shokuin1", "password": password, "next": "/notifications/"})
    assert r["Location"] == "/notifications/"
    client.post("/logout/")
    r = client.post("/login/", {"username": "shokuin1", "password": password, "next": "https://evil.example/"})
    assert r["Location"] == "/tasks/"


def test_login_failure_shows_japanese_message_and_is_audited_without_the_password(client, staff):
    r = client.post("/login/", {"username": "shokuin1", "password": "Wrong-Guess-0001"})
    assert r.status_code == 200
    assert "ログインIDまたはパスワードが正しくありません。" in text(r)
    assert not logged_in(client)
    [event] = events("login_failed")
    assert event.actor_id is None
    assert event.after == {"login_id": "shokuin1"}
    assert event.object_id == str(staff.pk)
    assert event.body_id == staff.body_id
    assert event.ip_address == "127.0.0.1"
    stored = f"{event.before} {event.after} {event.object_repr} {event.actor_label}"
    assert "Wrong-Guess-0001" not in stored


def test_login_failure_for_unknown_login_id_is_audited(client, staff):
    r = client.post("/login/", {"username": "nobody-here", "password": "Wrong-Guess-0001"})
    assert r.status_code == 200
    assert "ログインIDまたはパスワードが正しくありません。" in text(r)
    [event] = events("login_failed")
    assert event.after["login_id"] == "nobody-here"
    assert event.object_id == ""
    assert event.body_id is None


def test_inactive_user_cannot_log_in(client, staff, password):
    staff.is_active = False
    staff.save()
    r = client.post("/login/", {"username": "shokuin1", "password": password})
    assert r.status_code == 200
    assert not logged_in(client)
    assert not events("login")


def test_logged_in_user_visiting_login_goes_to_tasks(login, staff):
    r = login(staff).get("/login/")
    assert r.status_code == 302
    assert r["Location"] == "/tasks/"


# --- logout ----------------------------------------------------------------------------------

def test_logout_is_post_only_and_audited(client, staff, password):
    client.post("/login/", {"username": "shokuin1", "password": password})
    assert client.get("/logout/").status_code == 405
    assert logged_in(client)
    r = client.post("/logout/")
    assert r.status_code == 302
    assert r["Location"] == "/login/"
    assert not logged_in(client)
    [event] = events("logout")
    assert event.actor_id == staff.pk
    assert client.get("/tasks/").status_code == 302


# --- lockout (django-axes) ---------------------------------------------------------------------

def test_lockout_after_five_failures_refuses_even_the_right_password(client, staff, staff2, password):
    for _ in range(4):
        r = client.post("/login/", {"username": "shokuin1", "password": "Wrong-Guess-0001"})
        assert r.status_code == 200
    # The fifth failure locks the login id: axes answers 429 with our Japanese page.
    r = client.post("/login/", {"username": "shokuin1", "password": "Wrong-Guess-0001"})
    assert r.status_code == 429
    assert "ログインが一時停止されています" in text(r)
    # The sixth attempt, with the right password, is refused too.
    r = client.post("/login/", {"username": "shokuin1", "password": password})
    assert r.status_code == 429
    assert "ログインが一時停止されています" in text(r)
    assert not logged_in(client)
    assert not events("login")
    # Every failure is audited, the locked-out attempt included, and never with the password.
    failed = events("login_failed")
    assert len(failed) == 6
    assert all(e.after["login_id"] == "shokuin1" for e in failed)
    assert all(password not in f"{e.before} {e.after} {e.object_repr}" for e in failed)
    assert failed[-1].after.get("locked_out") is True
    assert not failed[0].after.get("locked_out")
    # The lock is per login id: a colleague behind the same address still logs in.
    r = client.post("/login/", {"username": "shokuin2", "password": password})
    assert r.status_code == 302
    assert logged_in(client)


def test_a_success_resets_the_failure_count(client, staff, password):
    for _ in range(4):
        client.post("/login/", {"username": "shokuin1", "password": "Wrong-Guess-0001"})
    assert client.post("/login/", {"username": "shokuin1", "password": password}).status_code == 302
    client.post("/logout/")
    for _ in range(4):
        assert client.post("/login/", {"username": "shokuin1", "password": "Wrong-Guess-0001"}).status_code == 200
    assert client.post("/login/", {"username": "shokuin1", "password": password}).status_code == 302


# --- password page -----------------------------------------------------------------------------

def test_password_page_shows_the_p07_rules(login, staff):
    r = login(staff).get("/password/")
    assert r.status_code == 200
    body = text(r)
    for rule in (
        "パスワードの決まり（実施手順 P-07）",
        "生年月日など身近な情報をパスワードに使わない。",
        "定期的にパスワードを変更する。",
        "他人に漏らさない。",
        "他人に見られる可能性のあるものにメモしない。",
        "生年月日（和暦・西暦、またはその一部）を含むパスワードは使用できません。",
        "ログインID・氏名・ふりがな・メールアドレスを含むパスワードは使用できません。",
        "直近5回に使用したパスワードは再利用できません。",
        "12",
    ):
        assert rule in body, rule
    assert "有効期間が過ぎました" not in body


def test_password_page_requires_login(client):
    r = client.get("/password/")
    assert r.status_code == 302
    assert r["Location"].startswith("/login/")


def test_change_password_on_the_page(client, staff, password):
    client.post("/login/", {"username": "shokuin1", "password": password})
    r = client.post("/password/", {"old_password": password, "new_password": NEW, "new_password_again": NEW})
    assert r.status_code == 302
    assert r["Location"] == "/tasks/"
    # Still logged in after the change (the session hash is updated).
    r = client.get("/tasks/")
    assert r.status_code == 200
    assert "パスワードを変更しました。" in text(r)
    staff.refresh_from_db()
    assert staff.check_password(NEW)
    assert len(events("password_change")) == 1
    assert PasswordHistory.objects.filter(user=staff).count() == 1
    # The new password logs in; the old one no longer does.
    client.post("/logout/")
    assert client.post("/login/", {"username": "shokuin1", "password": password}).status_code == 200
    assert client.post("/login/", {"username": "shokuin1", "password": NEW}).status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"old_password": "Wrong-Old-0001", "new_password": NEW, "new_password_again": NEW},
         "正しくありません。"),
        ({"new_password": NEW, "new_password_again": NEW + "x"}, "確認用のパスワードが一致しません。"),
        ({"new_password": "Short-1", "new_password_again": "Short-1"}, "12"),
        ({"new_password": "Shokuin1-Kumo-77", "new_password_again": "Shokuin1-Kumo-77"}, "ログインID"),
    ],
)
def test_change_password_refused_on_the_page_changes_nothing(login, staff, password, data, message):
    data = {"old_password": password, **data}
    before = User.objects.get(pk=staff.pk).password
    r = login(staff).post("/password/", data)
    assert r.status_code == 200
    assert message in text(r)
    assert User.objects.get(pk=staff.pk).password == before
    assert not events("password_change")


# --- expiry ------------------------------------------------------------------------------------

@pytest.fixture
def expired(body):
    body.password_expiry_days = 90
    body.save()
    user = UserFactory(body=body, login_id="furui", full_name="古井 一", furigana="ふるい はじめ",
                       password_changed_at=timezone.now() - timedelta(days=91))
    from tejun.orgs.roles import Role

    from ..factories import give_role
    give_role(user, Role.STAFF)
    return user


def test_expired_password_redirects_to_change_page(login, expired):
    client = login(expired)
    for path in ("/tasks/", "/people/", "/notifications/", "/admin/"):
        r = client.get(path)
        assert r.status_code == 302, path
        assert r["Location"] == "/password/?expired=1", path
    r = client.get("/password/?expired=1")
    assert r.status_code == 200
    assert "パスワードの有効期間が過ぎました。続けるには新しいパスワードを設定してください。" in text(r)


def test_expired_user_can_log_out(login, expired):
    client = login(expired)
    r = client.post("/logout/")
    assert r.status_code == 302
    assert r["Location"] == "/login/"
    assert not logged_in(client)


def test_after_changing_an_expired_password_access_works(client, expired, password):
    r = client.post("/login/", {"username": "furui", "password": password})
    assert r.status_code == 302
    assert client.get("/tasks/")["Location"] == "/password/?expired=1"
    r = client.post("/password/?expired=1",
                    {"old_password": password, "new_password": NEW, "new_password_again": NEW})
    assert r.status_code == 302
    assert client.get("/tasks/").status_code == 200


def test_expiry_days_zero_means_never(login, expired):
    expired.body.password_expiry_days = 0
    expired.body.save()
    assert login(expired).get("/tasks/").status_code == 200


def test_not_yet_expired_password_is_not_redirected(login, expired):
    expired.password_changed_at = timezone.now() - timedelta(days=89)
    expired.save()
    assert login(expired).get("/tasks/").status_code == 200


def test_api_refuses_expired_password_with_message(api, expired, login):
    r = api(expired).get("/api/v1/me/")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"
    assert "パスワードの有効期間が過ぎています" in r.json()["error"]["message"]
    # The same through the session, as the pages' htmx calls would.
    r = login(expired).get("/api/v1/me/")
    assert r.status_code == 403
    assert "パスワードの有効期間が過ぎています" in r.json()["error"]["message"]


def test_api_works_with_a_valid_password(api, staff):
    r = api(staff).get("/api/v1/me/")
    assert r.status_code == 200
    assert r.json()["login_id"] == "shokuin1"
