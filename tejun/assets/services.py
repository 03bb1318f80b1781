"""Writes to the information-asset register (C-3). Pages, API, import and the demo all come through here."""

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.access.policy import can
from tejun.audit.services import record, snapshot
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.orgs.models import Post

from .models import Asset, ClassificationLevel, RegisterSettings
from .schemes import AXIS_FIELDS, active_scheme, codes_of, level_by_code

NUMBER_PREFIX = "IA-"
FIELDS = ("number", "department", "name", "business", "form", "location", "network_layer", "confidentiality",
          "integrity", "availability", "has_personal_info", "has_sensitive_personal_info",
          "has_specific_personal_info", "manager_post", "access_holders", "retention_years", "expires_on",
          "external_party", "confirmed_on", "status", "note")
REQUIRED = ("department", "name", "form", "confidentiality", "integrity", "availability")
FLAG_FIELDS = ("has_personal_info", "has_sensitive_personal_info", "has_specific_personal_info")
TEXT_FIELDS = ("number", "department", "name", "business", "location", "access_holders", "external_party", "note")
MAX_CONFIRMATION_MONTHS = 120


def register_settings(body) -> RegisterSettings:
    return RegisterSettings.objects.get_or_create(body=body)[0]


def _resolve_level(scheme, axis: str, value, errors: dict, name: str):
    """A level of the scheme on this axis, given as a ClassificationLevel or as its code ("3A", "2")."""
    if isinstance(value, ClassificationLevel):
        if value.scheme_id != scheme.pk or value.axis != axis:
            errors[name] = [_("現在の分類体系（%(scheme)s）の分類を選んでください。") % {"scheme": scheme.name}]
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # 機密性 2 written as a number
    if not isinstance(value, str):
        errors[name] = [_("分類を正しく指定してください。")]
        return value
    level = level_by_code(scheme, axis, value.strip())
    if level is None:
        codes = "、".join(codes_of(scheme, axis))
        errors[name] = [_("「%(code)s」は現在の分類体系（%(scheme)s）にありません。%(codes)s のいずれかを指定してください。")
                        % {"code": value.strip(), "scheme": scheme.name, "codes": codes}]
    return level


def _resolve_post(body, value, errors: dict):
    """The manager post: a Post of the body, its id, or its name."""
    if isinstance(value, Post):
        if value.body_id != body.pk:
            errors["manager_post"] = [_("この団体の役職を選んでください。")]
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        post = Post.objects.filter(body=body, pk=value).first()
    elif isinstance(value, str):
        post = Post.objects.filter(body=body, name=value.strip()).first()
    else:
        post = None
    if post is None:
        errors["manager_post"] = [_("役職「%(post)s」はこの団体にありません。") % {"post": value}]
    return post


def validate_asset(body, fields: dict, *, instance: Asset | None = None, scheme=None,
                   check_unique: bool = True) -> dict:
    """Check one asset's fields against the body's scheme; raise InvalidInput naming every bad field.

    Levels may be given as ClassificationLevel objects or as codes of the active scheme ("3A");
    the manager post as a Post, its id or its name. The returned dict holds the objects.
    """
    errors: dict[str, list[str]] = {}
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    for name in sorted(set(cleaned) - set(FIELDS)):
        errors[name] = [_("この項目は指定できません。")]
    for name in REQUIRED:
        value = cleaned[name] if name in cleaned else (getattr(instance, name, None) if instance else None)
        if value is None or value == "":
            errors[name] = [_("入力してください。")]
    scheme = scheme or active_scheme(body)
    for axis, name in AXIS_FIELDS.items():
        if cleaned.get(name) not in (None, ""):
            cleaned[name] = _resolve_level(scheme, axis, cleaned[name], errors, name)
    if cleaned.get("manager_post") in ("", None):
        if "manager_post" in cleaned:
            cleaned["manager_post"] = None
    else:
        cleaned["manager_post"] = _resolve_post(body, cleaned["manager_post"], errors)
    for name, choices in (("form", Asset.Form), ("network_layer", Asset.NetworkLayer), ("status", Asset.Status)):
        if name in cleaned and cleaned[name] not in (None, "") and cleaned[name] not in choices.values:
            errors[name] = [_("選択肢から選んでください。")]
    if cleaned.get("network_layer") is None and "network_layer" in cleaned:
        cleaned["network_layer"] = ""
    if "status" in cleaned and cleaned["status"] in (None, ""):
        errors["status"] = [_("選択肢から選んでください。")]
    for name in FLAG_FIELDS:
        if name in cleaned and not isinstance(cleaned[name], bool):
            errors[name] = [_("はい・いいえで指定してください。")]
    for name in TEXT_FIELDS:
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = ""
        if name in cleaned and not isinstance(cleaned[name], str):
            errors[name] = [_("文字で入力してください。")]
    for name in ("expires_on", "confirmed_on"):
        value = cleaned.get(name)
        if value is not None and not (isinstance(value, date) and not hasattr(value, "hour")):
            errors[name] = [_("日付を正しく入力してください。")]
    confirmed = cleaned.get("confirmed_on")
    if isinstance(confirmed, date) and "confirmed_on" not in errors and confirmed > timezone.localdate():
        errors["confirmed_on"] = [_("確認日に未来の日付は指定できません。")]
    years = cleaned.get("retention_years")
    if years is not None and (not isinstance(years, int) or isinstance(years, bool) or not 0 < years <= 100):
        errors["retention_years"] = [_("保存年限は 1〜100 の年数で入力してください（常用・永年は空欄）。")]
    for name in FIELDS:
        value = cleaned.get(name)
        max_length = getattr(Asset._meta.get_field(name), "max_length", None)
        if isinstance(value, str) and max_length and len(value) > max_length and name not in errors:
            errors[name] = [_("%(limit)d文字以内で入力してください。") % {"limit": max_length}]
    number = cleaned.get("number") if isinstance(cleaned.get("number"), str) else ""
    if number and check_unique and "number" not in errors:
        clash = Asset.objects.filter(body=body, number=number)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["number"] = [_("管理番号 %(number)s は既に使われています。") % {"number": number}]
    if errors:
        raise InvalidInput(_("入力内容を確認してください。"), fields=errors)
    return cleaned


def next_number(body, taken: set[str] | None = None) -> str:
    """IA-00001, IA-00002, ...: one past the highest IA- number of the body (or of `taken`).

    Reads the numbers longest first, then from the top, and stops at the first plain one (no leading zero):
    nothing after it can be higher. A large register is not read whole for each new asset."""
    highest = max((int(n[len(NUMBER_PREFIX):]) for n in taken or ()
                   if n.startswith(NUMBER_PREFIX) and n[len(NUMBER_PREFIX):].isdecimal()), default=0)
    numbers = (Asset.objects.filter(body=body, number__startswith=NUMBER_PREFIX)
               .order_by(Length("number").desc(), "-number").values_list("number", flat=True))
    for n in numbers.iterator(chunk_size=200):
        tail = n[len(NUMBER_PREFIX):]
        if tail.isdecimal():
            highest = max(highest, int(tail))
            if not tail.startswith("0"):
                break
    return f"{NUMBER_PREFIX}{highest + 1:05d}"


def create_asset(*, actor, **fields) -> Asset:
    if not can(actor, "assets.edit"):
        raise Forbidden(_("情報資産を登録する権限がありません。"))
    cleaned = validate_asset(actor.body, fields)
    if not cleaned.get("number"):
        cleaned["number"] = next_number(actor.body)
    try:
        with transaction.atomic():
            asset = Asset.objects.create(body=actor.body, **cleaned)
            record(actor, "create", asset, None, snapshot(asset))
    except IntegrityError:
        raise InvalidInput(_("管理番号が重複しました。もう一度保存してください。"),
                           fields={"number": [_("管理番号が重複しました。")]}) from None
    return asset


def _locked(asset: Asset, actor) -> Asset:
    if asset.body_id != actor.body_id:
        raise NotFound(_("見つかりません。"))
    return Asset.objects.select_for_update().get(pk=asset.pk)


def update_asset(asset: Asset, *, actor, **fields) -> Asset:
    if asset.body_id != actor.body_id:
        raise NotFound(_("見つかりません。"))
    if not can(actor, "assets.edit"):
        raise Forbidden(_("情報資産を編集する権限がありません。"))
    try:
        with transaction.atomic():
            locked = _locked(asset, actor)
            cleaned = validate_asset(actor.body, fields, instance=locked)
            if "number" in cleaned and not cleaned["number"]:
                cleaned.pop("number")
            before = snapshot(locked)
            for name, value in cleaned.items():
                setattr(locked, name, value)
            locked.save()
            after = snapshot(locked)
            changed = {k for k in after if after[k] != before.get(k)} - {"updated_at"}
            if changed:
                record(actor, "update", locked, before, after)
    except IntegrityError:
        raise InvalidInput(_("管理番号が重複しました。"), fields={"number": [_("管理番号が重複しました。")]}) from None
    return locked


def dispose_asset(asset: Asset, *, actor, note: str = "") -> Asset:
    if asset.body_id != actor.body_id:
        raise NotFound(_("見つかりません。"))
    if not can(actor, "assets.edit"):
        raise Forbidden(_("情報資産を編集する権限がありません。"))
    note = (note or "").strip()
    if len(note) > 1000:
        raise InvalidInput(_("入力内容を確認してください。"), fields={"note": [_("1000文字以内で入力してください。")]})
    with transaction.atomic():
        locked = _locked(asset, actor)
        if locked.status == Asset.Status.DISPOSED:
            raise WrongState(_("この情報資産は既に廃棄済です。"))
        before = snapshot(locked)
        locked.status = Asset.Status.DISPOSED
        if note:
            locked.note = (locked.note + "\n" if locked.note else "") + note
        locked.save()
        record(actor, "dispose", locked, before, snapshot(locked))
    return locked


def confirm_asset(asset: Asset, *, actor, on: date | None = None) -> Asset:
    """Periodic confirmation: the entry is still right. Records who and when."""
    if asset.body_id != actor.body_id:
        raise NotFound(_("見つかりません。"))
    if not can(actor, "assets.confirm", asset):
        raise Forbidden(_("この情報資産を確認する権限がありません。"))
    with transaction.atomic():
        locked = _locked(asset, actor)
        if locked.status == Asset.Status.DISPOSED:
            raise WrongState(_("廃棄済の情報資産は確認できません。"))
        before = snapshot(locked)
        locked.confirmed_on = on or timezone.localdate()
        locked.confirmed_by = actor
        locked.save(update_fields=["confirmed_on", "confirmed_by", "updated_at"])
        record(actor, "confirm", locked, before, snapshot(locked))
    return locked


def set_confirmation_months(*, actor, months: int) -> RegisterSettings:
    if not can(actor, "assets.manage_scheme"):
        raise Forbidden(_("台帳の設定を変更する権限がありません。"))
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= MAX_CONFIRMATION_MONTHS:
        raise InvalidInput(_("確認の周期は 1〜120 か月で指定してください。"),
                           fields={"confirmation_months": [_("1〜120 で指定してください。")]})
    with transaction.atomic():
        settings_ = register_settings(actor.body)
        before = snapshot(settings_)
        if settings_.confirmation_months != months:
            settings_.confirmation_months = months
            settings_.save()
            record(actor, "update", settings_, before, snapshot(settings_), body=actor.body)
    return settings_
