"""Small checks shared by the incident services: text, datetimes (never in the future), numbers."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from tejun.lib.errors import InvalidInput

CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock a little ahead is not "the future"


def invalid(errors: dict) -> InvalidInput:
    return InvalidInput(_("入力内容を確認してください。"), fields=errors)


def text(value, name: str, errors: dict, *, limit: int | None = None, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = _("文字で入力してください。")
        return ""
    value = value.replace("\x00", "").strip()
    if required and not value:
        errors[name] = _("入力してください。")
    elif limit and len(value) > limit:
        errors[name] = _("%(limit)d文字以内で入力してください。") % {"limit": limit}
    return value


def past_datetime(value, name: str, errors: dict, *, required: bool = False):
    """A datetime (or ISO text) that is not in the future; None when empty and not required."""
    if value in (None, ""):
        if required:
            errors[name] = _("日時を入力してください。")
        return None
    if isinstance(value, str):
        parsed = parse_datetime(value.strip())
        if parsed is None:
            errors[name] = _("日時を入力してください。")
            return None
        value = parsed
    if not isinstance(value, datetime):
        errors[name] = _("日時を入力してください。")
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now() + CLOCK_SKEW:
        errors[name] = _("未来の日時は指定できません。")
    return value


def flag(value, name: str, errors: dict) -> bool:
    if value in (None, ""):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "on"):
        return value.lower() in ("true", "1", "on")
    errors[name] = _("はい・いいえで指定してください。")
    return False


def count(value, name: str, errors: dict):
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        errors[name] = _("0以上の整数で入力してください。")
        return None
    try:
        number = int(str(value).strip()) if isinstance(value, str) and value.strip().isascii() else int(value)
    except (TypeError, ValueError):
        errors[name] = _("0以上の整数で入力してください。")
        return None
    if number < 0 or number > 100_000_000:
        errors[name] = _("0以上の整数で入力してください。")
        return None
    return number
