"""The second factor: required for the deciding roles of a body that asks for it, optional for others;
set-up with a code from the app, one use per code, recovery codes, reset by an administrator, the token API."""

import pyotp
import pytest
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.lib.errors import Forbidden, InvalidInput, WrongState
from tejun.orgs import second_factor
from tejun.orgs.models import RecoveryCode, SecondFactor

from ..api.helpers import assert_error


@pytest.fixture
def strict_body(body):
    """The default of a real body: supreme admin, manager and officer need a second factor."""
    body.second_factor_roles = ["supreme_admin", "manager", "officer"]
    body.save()
    return body


def _code(user) -> str:
    return pyotp.TOTP(SecondFactor.objects.get(user=user).secret).now()


def _set_up(user) -> list[str]:
    second_factor.begin_setup(user)
    return second_factor.confirm_setup(user, _code(user))


def _password_login(client, user, password, **extra):
    return client.post("/login/", {"username": user.login_id, "password": password, **extra})


# --- services ---------------------------------------------------------------------------------------

def test_which_roles_must_use_it(strict_body, officer, manager, supreme_admin, staff, staff_in_charge):
    assert all(second_factor.required(p) for p in (officer, manager, supreme_admin))
    assert not any(second_factor.required(p) for p in (staff, staff_in_charge))
    strict_body.second_factor_roles = []
    strict_body.save()
    officer.refresh_from_db()
    assert not second_factor.required(officer)


def test_set_up_needs_a_right_code_and_gives_recovery_codes_once(staff):
    setup = second_factor.begin_setup(staff)
    assert setup.uri.startswith("otpauth://totp/Tejun:") and "<svg" in setup.qr_svg
    with pytest.raises(InvalidInput):
        second_factor.confirm_setup(staff, "000000" if _code(staff) != "000000" else "111111")
    assert second_factor.confirmed_device(staff) is None
    codes = second_factor.confirm_setup(staff, _code(staff))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert RecoveryCode.objects.filter(user=staff).count() == 10
    assert not RecoveryCode.objects.filter(code_hash__in=codes).exists()  # only hashes are kept
    assert AuditEvent.objects.filter(action="second_factor.set_up", object_id=str(staff.pk)).count() == 1
    with pytest.raises(WrongState):
        second_factor.begin_setup(staff)


def test_a_code_is_accepted_once(staff):
    _set_up(staff)
    device = SecondFactor.objects.get(user=staff)
    device.last_used_step = 0  # the set-up used the current code: let a later one through
    device.save()
    code = _code(staff)
    assert second_factor.verify(staff, code) == "totp"
    with pytest.raises(InvalidInput):
        second_factor.verify(staff, code)


def test_a_recovery_code_works_once_and_is_audited(staff):
    codes = _set_up(staff)
    assert second_factor.verify(staff, codes[0].lower().replace("-", " ")) == "recovery"  # typed loosely
    with pytest.raises(InvalidInput):
        second_factor.verify(staff, codes[0])
    assert second_factor.unused_recovery_codes(staff) == 9
    event = AuditEvent.objects.get(action="second_factor.recovery_code_used")
    assert event.after == {"unused_codes_left": 9}


def test_reset_by_an_administrator_only(manager, staff, staff2, outsider):
    _set_up(staff)
    with pytest.raises(Forbidden):
        second_factor.reset(staff2, staff, reason="紛失")
    with pytest.raises(Forbidden):
        second_factor.reset(outsider, staff, reason="紛失")
    with pytest.raises(InvalidInput):
        second_factor.reset(manager, staff, reason=" ")
    assert second_factor.confirmed_device(staff) is not None
    second_factor.reset(manager, staff, reason="スマートフォン紛失")
    assert second_factor.confirmed_device(staff) is None and not RecoveryCode.objects.filter(user=staff).exists()
    assert AuditEvent.objects.get(action="second_factor.reset").after == {"reason": "スマートフォン紛失"}
    with pytest.raises(WrongState):
        second_factor.reset(manager, staff, reason="もう一度")


# --- pages ------------------------------------------------------------------------------------------

def test_a_required_role_must_set_it_up_before_anything_else(client, strict_body, officer, password):
    _password_login(client, officer, password)
    response = client.get("/tasks/")
    assert response.status_code == 302 and response["Location"].startswith("/account/second-factor/setup/")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "<svg" in page.content.decode() and "二要素認証の設定" in page.content.decode()
    wrong = client.post("/account/second-factor/setup/", {"code": "12", "next": "/tasks/"})
    assert wrong.status_code == 400 and "確認コードが正しくありません" in wrong.content.decode()
    done = client.post("/account/second-factor/setup/", {"code": _code(officer), "next": "/tasks/"})
    assert done.status_code == 200 and "リカバリーコード" in done.content.decode()
    assert client.get("/tasks/").status_code == 200


def test_with_an_app_the_code_comes_after_the_password(client, staff, password):
    _set_up(staff)
    SecondFactor.objects.filter(user=staff).update(last_used_step=0)
    _password_login(client, staff, password)
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"] == "/account/second-factor/verify/?next=%2Fnotifications%2F"
    assert client.post("/account/second-factor/verify/", {"code": "000000x"}).status_code == 400
    ok = client.post("/account/second-factor/verify/", {"code": _code(staff), "next": "/notifications/"})
    assert ok.status_code == 302 and ok["Location"] == "/notifications/"
    assert client.get("/notifications/").status_code == 200
    # A new login asks again.
    client.post("/logout/")
    _password_login(client, staff, password)
    assert client.get("/tasks/").status_code == 302


def test_repeated_wrong_codes_end_the_login(client, staff, password):
    _set_up(staff)
    _password_login(client, staff, password)
    for _i in range(second_factor_views_max()):
        client.post("/account/second-factor/verify/", {"code": "999999"})
    response = client.get("/tasks/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def second_factor_views_max() -> int:
    from tejun.web.second_factor_views import MAX_FAILURES

    return MAX_FAILURES


def test_an_optional_person_without_an_app_is_not_asked(client, strict_body, staff, password):
    _password_login(client, staff, password)
    assert client.get("/tasks/").status_code == 200
    assert "設定されていません（任意）" in client.get("/account/second-factor/").content.decode()


def test_the_session_api_refuses_before_the_second_step(client, staff, password):
    _set_up(staff)
    _password_login(client, staff, password)
    response = client.get("/api/v1/me/")
    error = assert_error(response, 403, "second_factor_required")
    assert "確認コード" in error["message"]


def test_the_people_page_offers_reset_to_administrators_only(login, manager, staff, staff2):
    _set_up(staff)
    page = login(manager).get("/people/").content.decode()
    assert f"/people/{staff.pk}/second-factor/reset/" in page and "設定済" in page
    assert f"/people/{staff2.pk}/second-factor/reset/" not in page  # nothing to reset
    assert "second-factor/reset" not in login(staff2).get("/people/").content.decode()


def test_reset_page_refusals_and_success(client, login, manager, staff, staff2, outsider):
    _set_up(staff)
    url = f"/people/{staff.pk}/second-factor/reset/"
    assert login(staff2).post(url, {"reason": "紛失"}).status_code == 403
    assert login(outsider).post(url, {"reason": "紛失"}).status_code == 404
    assert login(manager).get(url).status_code == 405
    login(manager).post(url, {"reason": ""})
    assert second_factor.confirmed_device(staff) is not None  # no reason: nothing changed
    response = login(manager).post(url, {"reason": "機種変更"})
    assert response.status_code == 302 and second_factor.confirmed_device(staff) is None


# --- token API --------------------------------------------------------------------------------------

def test_the_token_needs_the_code_when_an_app_is_set_up(api, staff, password):
    _set_up(staff)
    SecondFactor.objects.filter(user=staff).update(last_used_step=0)
    assert_error(api().post("/api/v1/auth/token/", {"login_id": staff.login_id, "password": password}), 400)
    assert_error(api().post("/api/v1/auth/token/", {"login_id": staff.login_id, "password": password,
                                                    "otp": "000000" if _code(staff) != "000000" else "111111"}), 400)
    ok = api().post("/api/v1/auth/token/", {"login_id": staff.login_id, "password": password, "otp": _code(staff)})
    assert ok.status_code == 200 and ok.json()["token"]


def test_the_token_is_refused_to_a_required_role_without_an_app(api, strict_body, officer, password):
    error = assert_error(api().post("/api/v1/auth/token/", {"login_id": officer.login_id, "password": password}), 403)
    assert "二要素認証" in error["message"]


def test_set_up_time_is_shown_in_wareki(login, staff):
    _set_up(staff)
    SecondFactor.objects.filter(user=staff).update(confirmed_at=timezone.now())
    assert "令和" in login(staff).get("/account/second-factor/").content.decode()
