"""Logging in to the API: token (through django-axes and the audit chain), session, and refusals."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tejun.audit.models import AuditEvent

from ..factories import UserFactory
from .helpers import assert_error, token_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"


def get_token(login_id, password, client=None, **extra):
    return (client or APIClient()).post(URL, {"login_id": login_id, "password": password}, format="json", **extra)


def events(action, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("seq"))


# --- obtaining a token ---------------------------------------------------------------------

def test_token_for_a_member_of_the_body_is_audited_and_works(staff, password):
    r = get_token("shokuin1", password, REMOTE_ADDR="192.0.2.7")
    assert r.status_code == 200, r.content
    key = r.json()["token"]
    assert Token.objects.get(user=staff).key == key
    [login] = events("login", actor=staff)
    assert login.object_id == str(staff.pk)
    assert login.ip_address == "192.0.2.7"
    staff.refresh_from_db()
    assert staff.last_login is not None

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["login_id"] == "shokuin1"
    assert me.json()["roles"] == ["staff"]


def test_second_login_returns_the_same_token(staff, password):
    first = get_token("shokuin1", password).json()["token"]
    assert get_token("shokuin1", password).json()["token"] == first
    assert Token.objects.filter(user=staff).count() == 1
    assert len(events("login", actor=staff)) == 2


def test_wrong_password_is_400_audited_without_the_password(staff, password):
    r = get_token("shokuin1", "Not-The-Password-1")
    error = assert_error(r, 400, "invalid")
    assert error["message"] == "ログインIDまたはパスワードが正しくありません。"
    assert not Token.objects.exists()
    [failed] = events("login_failed")
    assert failed.after == {"login_id": "shokuin1"}
    assert failed.object_id == str(staff.pk)
    assert "Not-The-Password-1" not in str(failed.before) + str(failed.after) + failed.object_repr
    assert not events("login")


def test_unknown_login_id_gets_the_same_answer_as_a_wrong_password(staff, password):
    unknown = assert_error(get_token("nobody", password), 400, "invalid")
    wrong = assert_error(get_token("shokuin1", "Not-The-Password-1"), 400, "invalid")
    assert unknown == wrong
    assert not Token.objects.exists()


def test_five_failures_lock_the_login_id_with_a_json_429(staff, staff2, password):
    for _ in range(4):
        assert_error(get_token("shokuin1", "Not-The-Password-1"), 400, "invalid")
    locked = get_token("shokuin1", "Not-The-Password-1")
    error = assert_error(locked, 429, "locked_out")
    assert "ロック" in error["message"]
    # Locked: even the right password gets no token, and the answer stays JSON (not axes' HTML page).
    again = get_token("shokuin1", password)
    assert_error(again, 429, "locked_out")
    assert not Token.objects.exists()
    assert not events("login")
    # The lock is per login id: a colleague behind the same address still logs in.
    assert get_token("shokuin2", password).status_code == 200


def test_api_lockout_also_locks_the_login_page(client, staff, password):
    for _ in range(5):
        get_token("shokuin1", "Not-The-Password-1")
    r = client.post("/login/", {"username": "shokuin1", "password": password})
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session


def test_success_resets_the_failure_count(staff, password):
    for _ in range(4):
        get_token("shokuin1", "Not-The-Password-1")
    assert get_token("shokuin1", password).status_code == 200
    assert not AccessAttempt.objects.filter(username="shokuin1").exists()
    for _ in range(4):
        assert_error(get_token("shokuin1", "Not-The-Password-1"), 400, "invalid")
    assert get_token("shokuin1", password).status_code == 200


@pytest.mark.parametrize("payload, missing", [
    ({}, {"login_id", "password"}),
    ({"login_id": "shokuin1"}, {"password"}),
    ({"password": "x"}, {"login_id"}),
    ({"login_id": "", "password": ""}, {"login_id", "password"}),
])
def test_missing_fields_are_named(staff, payload, missing):
    error = assert_error(APIClient().post(URL, payload, format="json"), 400, "invalid")
    assert set(error["fields"]) == missing
    assert not events("login_failed")  # nothing was tried


@pytest.mark.parametrize("payload", [
    {"login_id": ["shokuin1"], "password": "x"},
    {"login_id": {"a": 1}, "password": "x"},
    {"login_id": "x" * 10_000, "password": "x"},
    {"login_id": "shokuin1", "password": "x" * 100_000},
    {"login_id": "shokuin1", "password": "x", "is_superuser": True},
])
def test_bad_input_is_400_and_changes_nothing(staff, payload):
    assert_error(APIClient().post(URL, payload, format="json"), 400)
    assert not Token.objects.exists()


def test_malformed_json_is_400(staff):
    r = APIClient().post(URL, '{"login_id": "shokuin1", ', content_type="application/json")
    assert_error(r, 400, "parse_error")


def test_inactive_account_gets_no_token(staff, password):
    staff.is_active = False
    staff.save()
    assert_error(get_token("shokuin1", password), 400, "invalid")
    assert not Token.objects.exists()


def test_expired_password_gets_no_token(staff, password):
    staff.password_changed_at = timezone.now() - timedelta(days=staff.body.password_expiry_days + 1)
    staff.save()
    error = assert_error(get_token("shokuin1", password), 403, "forbidden")
    assert "パスワードの有効期間" in error["message"]
    assert not Token.objects.exists()


def test_account_without_a_body_gets_no_token(password):
    UserFactory(login_id="admin0", body=None)
    assert_error(get_token("admin0", password), 403, "forbidden")
    assert not Token.objects.exists()


def test_a_session_without_a_body_is_refused(api):
    admin = UserFactory(login_id="admin0", body=None, is_superuser=True, is_staff=True)
    assert_error(api(admin).get("/api/v1/carry-outs/"), 403, "forbidden")


def test_token_login_needs_no_csrf_token_even_with_a_session(client, staff, password):
    client.force_login(staff)
    api = APIClient(enforce_csrf_checks=True)
    api.cookies = client.cookies
    assert get_token("shokuin1", password, client=api).status_code == 200


def test_get_put_on_the_token_url_are_405(staff, password):
    assert_error(token_client(staff).get(URL), 405, "method_not_allowed")
    assert_error(token_client(staff).put(URL, {}, format="json"), 405, "method_not_allowed")


# --- using and discarding a token ------------------------------------------------------------

def test_delete_discards_the_token_and_audits_the_logout(staff, password):
    key = get_token("shokuin1", password).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.delete(URL).status_code == 204
    assert not Token.objects.exists()
    assert len(events("logout", actor=staff)) == 1
    r = client.get("/api/v1/me/")
    assert_error(r, 401, "not_authenticated")


def test_delete_without_authentication_is_401():
    assert_error(APIClient().delete(URL), 401, "not_authenticated")


@pytest.mark.parametrize("header", ["Token nonsense", "Token ", "Bearer abc", "Token a b"])
def test_bad_token_is_401_with_www_authenticate(staff, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    r = client.get("/api/v1/me/")
    assert_error(r, 401, "not_authenticated")
    assert r["WWW-Authenticate"] == "Token"


def test_expired_password_refuses_the_api_with_a_message(staff):
    client = token_client(staff)
    staff.password_changed_at = timezone.now() - timedelta(days=staff.body.password_expiry_days + 1)
    staff.save()
    error = assert_error(client.get("/api/v1/carry-outs/"), 403, "forbidden")
    assert "パスワードの有効期間" in error["message"]


def test_token_of_an_inactive_account_stops_working(staff):
    client = token_client(staff)
    staff.is_active = False
    staff.save()
    assert_error(client.get("/api/v1/me/"), 401, "not_authenticated")


# --- anonymous: always 401 with the same error ------------------------------------------------

ANONYMOUS = [
    ("get", "/api/v1/me/"),
    ("get", "/api/v1/people/"),
    ("get", "/api/v1/people/1/"),
    ("get", "/api/v1/role-assignments/"),
    ("post", "/api/v1/role-assignments/"),
    ("get", "/api/v1/absences/"),
    ("post", "/api/v1/absences/"),
    ("delete", "/api/v1/absences/1/"),
    ("get", "/api/v1/audit-events/"),
    ("get", "/api/v1/carry-outs/"),
    ("post", "/api/v1/carry-outs/"),
    ("get", "/api/v1/carry-outs/1/"),
    ("patch", "/api/v1/carry-outs/1/"),
    ("post", "/api/v1/carry-outs/1/approve/"),
]


@pytest.mark.parametrize("method, url", ANONYMOUS)
def test_anonymous_is_401(db, method, url):
    r = getattr(APIClient(), method)(url, {}, format="json")
    assert_error(r, 401, "not_authenticated")
    assert r["WWW-Authenticate"] == "Token"


# --- session (the pages' own htmx calls) -------------------------------------------------------

def test_session_login_works_and_writes_need_the_csrf_token(client, staff):
    client.force_login(staff)
    api = APIClient(enforce_csrf_checks=True)
    api.cookies = client.cookies
    assert api.get("/api/v1/me/").json()["login_id"] == "shokuin1"
    r = api.post("/api/v1/absences/", {"person": staff.pk, "starts_at": "2030-01-01T09:00:00+09:00",
                                       "ends_at": "2030-01-01T17:00:00+09:00"}, format="json")
    error = assert_error(r, 403, "csrf_failed")
    assert error["fields"] == {}
    assert not staff.absences.exists()
