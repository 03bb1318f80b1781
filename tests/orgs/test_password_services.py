"""P-07 through the real model and services: set_password, change_own_password, password_expired."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.lib.errors import InvalidInput
from tejun.orgs.models import PasswordHistory, User
from tejun.orgs.services import change_own_password, password_expired, password_expires_on, set_password

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD = ["Hoshi-ga-Kirei-4821", "Kaze-no-Oto-9173", "Umi-to-Yama-3365", "Hana-Michi-Aki-5507",
        "Tsuki-Akari-Fuyu-6142", "Yuki-Mizu-Haru-7789", "Mori-no-Koe-2290"]


@pytest.fixture
def sora(body):
    return UserFactory(body=body, login_id="ssora", full_name="空 太郎", furigana="そら たろう",
                       email="taro.sora@example.lg.jp", birth_date=date(1980, 1, 15),
                       password_changed_at=timezone.now() - timedelta(days=10))


def refused(user, new_password):
    """Try to set; return the field messages. Asserts nothing was written."""
    before = User.objects.get(pk=user.pk)
    history = PasswordHistory.objects.filter(user=user).count()
    events = AuditEvent.objects.filter(action="password_change").count()
    with pytest.raises(InvalidInput) as exc:
        set_password(user, new_password)
    after = User.objects.get(pk=user.pk)
    assert after.password == before.password
    assert after.password_changed_at == before.password_changed_at
    assert PasswordHistory.objects.filter(user=user).count() == history
    assert AuditEvent.objects.filter(action="password_change").count() == events
    assert exc.value.status == 400
    messages = exc.value.fields["new_password"]
    # Messages never echo the password.
    assert all(new_password not in str(m) for m in messages)
    return " ".join(str(m) for m in messages)


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Sora19800115x!", "生年月日"),
        ("Kumo-800115-xyz", "生年月日"),
        ("Kumo-S55.1.15-xyz", "生年月日"),
        ("Kumo-昭和55年-xyz", "生年月日"),
        ("Kumo-0115-xyzabc", "生年月日"),
        ("Kumo-ssora-9173x", "ログインID"),
        ("Kumo-SSORA-9173x", "ログインID"),
        ("Kumo-空太郎-9173x", "氏名"),
        ("Kumo-そらたろう-9173", "ふりがな"),
        ("Kumo-taro.sora-917", "メールアドレス"),
        ("Ab-3x!kq9", "12"),           # shorter than 12
        ("password1234", "一般的"),        # on the common password list
        ("384729105638", "数字"),        # digits only
    ],
)
def test_rule_breaking_passwords_refused_and_nothing_changes(sora, password, expected):
    message = refused(sora, password)
    assert expected in message
    assert User.objects.get(pk=sora.pk).check_password(PASSWORD)


def test_good_password_is_set_with_history_and_audit(sora):
    old_hash = sora.password
    set_password(sora, GOOD[0])
    sora.refresh_from_db()
    assert sora.check_password(GOOD[0])
    assert not sora.check_password(PASSWORD)
    assert timezone.now() - sora.password_changed_at < timedelta(seconds=30)
    history = list(PasswordHistory.objects.filter(user=sora))
    assert [h.password for h in history] == [old_hash]
    event = AuditEvent.objects.get(action="password_change", object_id=str(sora.pk))
    assert event.actor_id == sora.pk
    assert event.object_type == "orgs.User"
    assert event.body_id == sora.body_id
    assert event.after == {"by_self": True, "tokens_revoked": 0}
    # No hash or password in the audit trail.
    assert old_hash not in str(event.before) + str(event.after)
    assert GOOD[0] not in str(event.before) + str(event.after)


def test_last_five_passwords_refused_and_sixth_oldest_allowed(sora):
    # Used so far: PASSWORD (current). Four changes later the last five are PASSWORD, GOOD[0..3].
    for pw in GOOD[:4]:
        set_password(sora, pw)
    for old in (PASSWORD, *GOOD[:4]):
        assert "再利用" in refused(sora, old)
    set_password(sora, GOOD[4])
    # Now the last five are GOOD[0..4]: PASSWORD is the sixth most recent and may be used again.
    for old in GOOD[:5]:
        assert "再利用" in refused(sora, old)
    set_password(sora, PASSWORD)
    sora.refresh_from_db()
    assert sora.check_password(PASSWORD)
    assert AuditEvent.objects.filter(action="password_change", object_id=str(sora.pk)).count() == 6


def test_history_keeps_no_more_hashes_than_needed(sora, settings):
    for pw in GOOD:
        set_password(sora, pw)
    # Older hashes serve no rule; they are not kept.
    assert PasswordHistory.objects.filter(user=sora).count() <= settings.PASSWORD_HISTORY_COUNT


def test_change_own_password(sora):
    change_own_password(sora, old_password=PASSWORD, new_password=GOOD[0])
    sora.refresh_from_db()
    assert sora.check_password(GOOD[0])
    assert AuditEvent.objects.filter(action="password_change", actor=sora).count() == 1


def test_change_own_password_wrong_old_password_changes_nothing(sora):
    before = sora.password
    with pytest.raises(InvalidInput) as exc:
        change_own_password(sora, old_password="Wrong-Password-123", new_password=GOOD[0])
    assert "old_password" in exc.value.fields
    sora.refresh_from_db()
    assert sora.password == before
    assert not PasswordHistory.objects.filter(user=sora).exists()
    assert not AuditEvent.objects.filter(action="password_change").exists()


def test_change_own_password_rule_breach_changes_nothing(sora):
    with pytest.raises(InvalidInput) as exc:
        change_own_password(sora, old_password=PASSWORD, new_password="Sora19800115x!")
    assert "生年月日" in " ".join(exc.value.fields["new_password"])
    sora.refresh_from_db()
    assert sora.check_password(PASSWORD)


def test_password_set_by_another_person_is_recorded_and_must_be_changed(sora, manager):
    set_password(sora, GOOD[0], actor=manager)
    sora.refresh_from_db()
    assert sora.check_password(GOOD[0])
    event = AuditEvent.objects.get(action="password_change", object_id=str(sora.pk))
    assert event.actor_id == manager.pk
    assert event.after == {"by_self": False, "tokens_revoked": 0}
    # A password someone else knows is temporary: the owner must change it at the next login.
    assert password_expired(sora)


# --- expiry ------------------------------------------------------------------------------------

def test_password_expiry(body):
    body.password_expiry_days = 90
    body.save()
    now = timezone.now()
    fresh = UserFactory(body=body, password_changed_at=now - timedelta(days=89))
    old = UserFactory(body=body, password_changed_at=now - timedelta(days=91))
    never = UserFactory(body=body, password_changed_at=None)
    assert not password_expired(fresh)
    assert password_expired(old)
    assert password_expired(never)
    assert password_expires_on(fresh) == timezone.localdate(fresh.password_changed_at + timedelta(days=90))


def test_expiry_days_zero_means_never(body):
    body.password_expiry_days = 0
    body.save()
    old = UserFactory(body=body, password_changed_at=timezone.now() - timedelta(days=5000))
    assert not password_expired(old)
    assert password_expires_on(old) is None


def test_changing_the_password_revokes_api_tokens(staff, password):
    from rest_framework.authtoken.models import Token

    from tejun.audit.models import AuditEvent
    from tejun.orgs.services import change_own_password

    Token.objects.create(user=staff)
    change_own_password(staff, old_password=password, new_password="Hoshi-no-Kawa-8351")
    assert not Token.objects.filter(user=staff).exists()
    event = AuditEvent.objects.filter(action="password_change", object_id=str(staff.pk)).latest("seq")
    assert event.after["tokens_revoked"] == 1


def test_a_wrong_current_password_is_audited_and_changes_nothing(staff, password):
    from tejun.audit.models import AuditEvent
    from tejun.lib.errors import InvalidInput
    from tejun.orgs.services import change_own_password

    old_hash = staff.password
    with pytest.raises(InvalidInput):
        change_own_password(staff, old_password="not-the-password", new_password="Hoshi-no-Kawa-8351")
    staff.refresh_from_db()
    assert staff.password == old_hash
    assert AuditEvent.objects.filter(action="password_change_failed", object_id=str(staff.pk)).count() == 1
