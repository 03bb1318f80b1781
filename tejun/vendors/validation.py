"""One checker for the services' input: known fields, required ones, types, lengths and choices, read from
the model's own fields so the messages and the limits never drift from the database."""

from datetime import date, datetime

from django.db import models
from django.utils.translation import gettext as _

from tejun.lib.errors import InvalidInput

TEXT_LIMIT = 4000  # TextFields: the model has no limit, a request keeps to a sensible size


def invalid(fields: dict) -> InvalidInput:
    return InvalidInput(_("入力内容を確認してください。"), fields=fields)


def clean_fields(model, fields: dict, *, allowed, required=()) -> dict:
    """Check `fields` against `model`'s fields; raise InvalidInput naming every bad one. Returns them cleaned."""
    errors = {}
    cleaned = {}
    for name in sorted(set(fields) - set(allowed)):
        errors[name] = _("この項目は指定できません。")
    for name in allowed:
        if name not in fields:
            continue
        value = fields[name]
        f = model._meta.get_field(name)
        if isinstance(value, str):
            value = value.replace("\x00", "").strip()
        if value is None or value == "":
            if name in required:
                errors[name] = _("入力してください。")
            elif isinstance(f, models.CharField | models.TextField):
                cleaned[name] = ""
            elif isinstance(f, models.BooleanField):
                cleaned[name] = False
            else:
                cleaned[name] = None
            continue
        if isinstance(f, models.BooleanField):
            if not isinstance(value, bool):
                errors[name] = _("はい・いいえで指定してください。")
        elif isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
            if not isinstance(value, date) or isinstance(value, datetime):
                errors[name] = _("日付を入力してください。")
        elif isinstance(f, models.CharField | models.TextField):
            limit = f.max_length or TEXT_LIMIT
            if not isinstance(value, str):
                errors[name] = _("文字で入力してください。")
            elif len(value) > limit:
                errors[name] = _("%(limit)d文字以内で入力してください。") % {"limit": limit}
            elif f.choices and value not in {k for k, _v in f.choices}:
                errors[name] = _("選択肢から選んでください。")
        cleaned[name] = value
    for name in required:
        if name not in fields and name not in errors:
            errors[name] = _("入力してください。")
    if errors:
        raise invalid(errors)
    return cleaned
