"""Writes about people: passwords (P-07), absences, role assignments."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.access.policy import can
from tejun.audit.services import record, snapshot
from tejun.lib.errors import Forbidden, InvalidInput, NotFound

from .models import Absence, Body, PasswordHistory, Post, RoleAssignment, User


def password_expired(user: User, now=None) -> bool:
    """True when the body's expiry period has passed since the last change (P-07: change periodically)."""
    if not user.body_id or not user.body.password_expiry_days:
        return False
    if user.password_changed_at is None:
        return True
    now = now or timezone.now()
    return now - user.password_changed_at > timedelta(days=user.body.password_expiry_days)


def password_expires_on(user: User):
    if not user.body_id or not user.body.password_expiry_days or not user.password_changed_at:
        return None
    return timezone.localdate(user.password_changed_at + timedelta(days=user.body.password_expiry_days))


def set_password(user: User, new_password: str, *, actor: User | None = None) -> None:
    """Validate against every rule (length, common list, birth date, name, last five) and set.

    A password set by someone else (an administrator) is temporary: password_changed_at is
    cleared so the owner must choose their own at the next login (P-07: never disclose).
    """
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as e:
        raise InvalidInput(_("パスワードが規則に合いません。"), fields={"new_password": list(e.messages)}) from None
    by_self = actor is None or actor.pk == user.pk
    with transaction.atomic():
        if user.password and user.has_usable_password():
            PasswordHistory.objects.create(user=user, password=user.password)
        # Keep only the hashes the history rule needs; older ones serve nothing.
        keep = PasswordHistory.objects.filter(user=user).order_by("-created_at", "-id")
        keep = list(keep.values_list("pk", flat=True)[: settings.PASSWORD_HISTORY_COUNT])
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()
        user.set_password(new_password)
        user.password_changed_at = timezone.now() if by_self else None
        user.save(update_fields=["password", "password_changed_at"])
        # API tokens issued under the old password stop working with it.
        from rest_framework.authtoken.models import Token

        revoked = Token.objects.filter(user=user).delete()[0]
        record(actor or user, "password_change", user, after={"by_self": by_self, "tokens_revoked": revoked})


def change_own_password(user: User, *, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        # A wrong current password may be someone at an unlocked desk guessing: keep a trace.
        record(user, "password_change_failed", user, after={"reason": "wrong_current_password"})
        raise InvalidInput(_("現在のパスワードが正しくありません。"), fields={"old_password": [_("正しくありません。")]})
    set_password(user, new_password)


def _check_people_admin(actor):
    if not can(actor, "orgs.manage_people"):
        raise Forbidden(_("職員・役割を管理する権限がありません。"))


def _same_body(actor, *objs):
    for obj in objs:
        body_id = obj.pk if isinstance(obj, Body) else getattr(obj, "body_id", None)
        if obj is not None and body_id != actor.body_id:
            raise NotFound(_("見つかりません。"))


def add_absence(*, actor: User, person: User, starts_at, ends_at, reason: str = "") -> Absence:
    # Anyone may record their own absence; managers record anyone's.
    if person != actor:
        _check_people_admin(actor)
    _same_body(actor, person)
    if ends_at <= starts_at:
        raise InvalidInput(_("終了は開始より後にしてください。"), fields={"ends_at": [_("終了は開始より後にしてください。")]})
    with transaction.atomic():
        absence = Absence.objects.create(body_id=actor.body_id, person=person, starts_at=starts_at,
                                         ends_at=ends_at, reason=reason.strip()[:200])
        record(actor, "create", absence, None, snapshot(absence))
    return absence


def delete_absence(absence: Absence, *, actor: User) -> None:
    if absence.person_id != actor.pk:
        _check_people_admin(actor)
    _same_body(actor, absence)
    with transaction.atomic():
        record(actor, "delete", absence, snapshot(absence), None)
        absence.delete()


def assign_role(*, actor: User, role: str, person: User | None = None, post: Post | None = None,
                valid_from=None, valid_to=None, is_deputy: bool = False, note: str = "") -> RoleAssignment:
    _check_people_admin(actor)
    _same_body(actor, person, post)
    errors = {}
    if (person is None) == (post is None):
        errors["person"] = [_("職員か役職のどちらか一方を指定してください。")]
    valid_from = valid_from or timezone.localdate()
    if valid_to and valid_to < valid_from:
        errors["valid_to"] = [_("終了日は開始日以降にしてください。")]
    from .roles import Role
    if role not in Role.values:
        errors["role"] = [_("役割が正しくありません。")]
    if errors:
        raise InvalidInput(_("入力内容を確認してください。"), fields=errors)
    with transaction.atomic():
        ra = RoleAssignment.objects.create(body_id=actor.body_id, role=role, person=person, post=post,
                                           valid_from=valid_from, valid_to=valid_to, is_deputy=is_deputy,
                                           note=note[:200])
        record(actor, "create", ra, None, snapshot(ra))
    return ra


def end_role_assignment(ra: RoleAssignment, *, actor: User, valid_to=None) -> RoleAssignment:
    _check_people_admin(actor)
    _same_body(actor, ra)
    valid_to = valid_to or timezone.localdate()
    if valid_to < ra.valid_from:
        raise InvalidInput(_("終了日は開始日以降にしてください。"), fields={"valid_to": [_("終了日は開始日以降にしてください。")]})
    with transaction.atomic():
        before = snapshot(ra)
        ra.valid_to = valid_to
        ra.save(update_fields=["valid_to"])
        record(actor, "update", ra, before, snapshot(ra))
    return ra
