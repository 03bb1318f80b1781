"""The second factor (二要素認証): TOTP codes from an authenticator app, with one-time recovery codes.

Required for the roles the body lists in `Body.second_factor_roles` (by default the supreme admin,
the manager and the officer), optional for everyone else. Set-up, use of a recovery code and a reset
by an administrator are written to the audit chain. The secret never leaves the server except once,
as the QR code and the key shown during set-up.
"""

import hashlib
import secrets
from dataclasses import dataclass

import pyotp
import segno
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.access.policy import can, roles_of
from tejun.audit.services import record
from tejun.lib.errors import Forbidden, InvalidInput, WrongState

from .models import RecoveryCode, SecondFactor

ISSUER = "Tejun"
RECOVERY_CODES = 10
VALID_WINDOW = 1  # accept the code of the previous and the next 30 s as well (clock drift of a phone)


def required(user) -> bool:
    """Must this person log in with a second factor?"""
    body = getattr(user, "body", None)
    if body is None:
        return False
    return bool(roles_of(user) & set(body.second_factor_roles or []))


def confirmed_device(user) -> SecondFactor | None:
    return SecondFactor.objects.filter(user_id=user.pk, confirmed_at__isnull=False).first()


@dataclass
class Setup:
    secret: str
    uri: str
    qr_svg: str


def begin_setup(user) -> Setup:
    """A new secret, not yet in force: it counts only after a code from the app was confirmed."""
    if confirmed_device(user):
        raise WrongState(_("二要素認証はすでに設定されています。"))
    device, _created = SecondFactor.objects.update_or_create(
        user=user, defaults={"secret": pyotp.random_base32(), "confirmed_at": None, "last_used_step": 0})
    return describe_setup(user, device)


def describe_setup(user, device: SecondFactor) -> Setup:
    uri = pyotp.TOTP(device.secret).provisioning_uri(name=user.login_id, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return Setup(device.secret, uri, svg)


def pending_setup(user) -> Setup | None:
    device = SecondFactor.objects.filter(user_id=user.pk, confirmed_at__isnull=True).first()
    return describe_setup(user, device) if device else None


def _clean_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isascii() and ch.isalnum()).upper()


def _accept_totp(device: SecondFactor, code: str) -> bool:
    """True when `code` is the app's current code and was not used before (one use per 30 s step)."""
    if not (len(code) == 6 and code.isdigit()):
        return False
    totp = pyotp.TOTP(device.secret)
    now = timezone.now()
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        at = now.timestamp() + offset * totp.interval
        step = int(at // totp.interval)
        if step > device.last_used_step and secrets.compare_digest(totp.at(at), code):
            device.last_used_step = step
            device.save(update_fields=["last_used_step"])
            return True
    return False


def _new_recovery_codes(user) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [f"{secrets.token_hex(2)}-{secrets.token_hex(2)}-{secrets.token_hex(2)}".upper()
             for _i in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_hash=_hash(_clean_code(c))) for c in codes])
    return codes


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


@transaction.atomic
def confirm_setup(user, code: str) -> list[str]:
    """Put the pending secret in force with a code from the app. Returns the recovery codes (shown once)."""
    device = SecondFactor.objects.select_for_update().filter(user=user).first()
    if device is None or device.confirmed_at is not None:
        raise WrongState(_("設定を最初からやり直してください。"))
    if not _accept_totp(device, _clean_code(code)):
        raise InvalidInput(_("確認コードが正しくありません。認証アプリに表示されている6桁の数字を入力してください。"),
                           fields={"code": [_("確認コードが正しくありません。")]})
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    codes = _new_recovery_codes(user)
    record(user, "second_factor.set_up", user, None, {"confirmed_at": device.confirmed_at.isoformat()})
    return codes


@transaction.atomic
def verify(user, code: str) -> str:
    """Check a login's second step: a TOTP code, or else an unused recovery code. Returns "totp" or "recovery"."""
    device = SecondFactor.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        raise WrongState(_("二要素認証が設定されていません。"))
    cleaned = _clean_code(code)
    if _accept_totp(device, cleaned):
        return "totp"
    spare = RecoveryCode.objects.select_for_update().filter(
        user=user, used_at__isnull=True, code_hash=_hash(cleaned)).first()
    if spare is not None:
        spare.used_at = timezone.now()
        spare.save(update_fields=["used_at"])
        left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        record(user, "second_factor.recovery_code_used", user, None, {"unused_codes_left": left})
        return "recovery"
    raise InvalidInput(_("確認コードが正しくありません。"), fields={"code": [_("確認コードが正しくありません。")]})


def unused_recovery_codes(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def reset(actor, person, *, reason: str) -> None:
    """An administrator removes a person's second factor (a lost phone): they set it up again at next login."""
    if not can(actor, "orgs.manage_people", person):
        raise Forbidden(_("二要素認証をリセットする権限がありません。"))
    if not (reason or "").strip():
        raise InvalidInput(_("理由を入力してください。"), fields={"reason": [_("理由を入力してください。")]})
    deleted, _rows = SecondFactor.objects.filter(user=person).delete()
    RecoveryCode.objects.filter(user=person).delete()
    if not deleted:
        raise WrongState(_("この職員は二要素認証を設定していません。"))
    record(actor, "second_factor.reset", person, None, {"reason": reason.strip()})
