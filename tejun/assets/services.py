"""Writes to the information-asset register (C-3). Pages, API and import all come through here."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.access.policy import can
from tejun.audit.services import record, snapshot
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.orgs.models import Post

from .models import Asset, ClassificationLevel, RegisterSettings
from .schemes import AXIS_FIELDS, active_scheme

NUMBER_PREFIX = "IA-"
FIELDS = ("number", "department", "name", "business", "form", "location", "network_layer", "confidentiality",
          "integrity", "availability", "has_personal_info", "has_sensitive_personal_info",
          "has_specific_personal_info", "manager_post", "access_holders", "retention_years", "expires_on",
          "external_party", "confirmed_on", "status", "note")
REQUIRED = ("department", "name", "form", "confidentiality", "integrity", "availability")


def register_settings(body) -> RegisterSettings:
    return RegisterSettings.objects.get_or_create(body=body)[0]


def validate_asset(body, fields: dict, *, instance: Asset | None = None, scheme=None,
                   check_unique: bool = True) -> dict:
    """Check one asset's fields against the body's scheme; raise InvalidInput naming every bad field."""
    errors: dict[str, list[str]] = {}
    unknown = set(fields) - set(FIELDS)
    for name in sorted(unknown):
        errors[name] = [_("この項目は指定できません。")]
    for name in REQUIRED:
        value = fields.get(name, getattr(instance, name, None) if instance else None)
        if value in (None, ""):
            errors[name] = [_("入力してください。")]
    scheme = scheme or active_scheme(body)
    for axis, name in AXIS_FIELDS.items():
        level = fields.get(name)
        if isinstance(level, ClassificationLevel) and (level.scheme_id != scheme.pk or level.axis != axis):
            errors[name] = [_("現在の分類体系（%(scheme)s）の分類を選んでください。") % {"scheme": scheme.name}]
    post = fields.get("manager_post")
    if isinstance(post, Post) and post.body_id != body.pk:
        errors["manager_post"] = [_("この団体の役職を選んでください。")]
    for name, choices in (("form", Asset.Form), ("network_layer", Asset.NetworkLayer), ("status", Asset.Status)):
        if name in fields and fields[name] not in (None, "") and fields[name] not in choices.values:
            errors[name] = [_("選択肢から選んでください。")]
    for name in ("expires_on", "confirmed_on"):
        if fields.get(name) is not None and not isinstance(fields[name], date):
            errors[name] = [_("日付を正しく入力してください。")]
    confirmed = fields.get("confirmed_on")
    if isinstance(confirmed, date) and confirmed > timezone.localdate():
        errors["confirmed_on"] = [_("確認日に未来の日付は指定できません。")]
    years = fields.get("retention_years")
    if years is not None and (not isinstance(years, int) or isinstance(years, bool) or not 0 < years <= 100):
        errors["retention_years"] = [_("保存年限は 1〜100 の年数で入力してください（常用・永年は空欄）。")]
    for name in FIELDS:
        value = fields.get(name)
        max_length = getattr(Asset._meta.get_field(name), "max_length", None)
        if isinstance(value, str) and max_length and len(value) > max_length:
            errors[name] = [_("%(limit)d文字以内で入力してください。") % {"limit": max_length}]
    number = (fields.get("number") or "").strip() if isinstance(fields.get("number"), str) else ""
    if number and check_unique:
        clash = Asset.objects.filter(body=body, number=number)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["number"] = [_("管理番号 %(number)s は既に使われています。") % {"number": number}]
    if errors:
        raise InvalidInput(_("入力内容を確認してください。"), fields=errors)
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}


def next_number(body, taken: set[str] | None = None) -> str:
    """IA-00001, IA-00002, ...: one past the highest IA- number of the body."""
    numbers = Asset.objects.filter(body=body, number__startswith=NUMBER_PREFIX).values_list("number", flat=True)
    highest = 0
    for n in list(numbers) + list(taken or ()):
        tail = n[len(NUMBER_PREFIX):]
        if n.startswith(NUMBER_PREFIX) and tail.isdigit():
            highest = max(highest, int(tail))
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
    if asset.body_id == actor.body_id and not can(actor, "assets.edit"):
        raise Forbidden(_("情報資産を編集する権限がありません。"))
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
        if after != before:
            record(actor, "update", locked, before, after)
    return locked


def dispose_asset(asset: Asset, *, actor, note: str = "") -> Asset:
    if asset.body_id == actor.body_id and not can(actor, "assets.edit"):
        raise Forbidden(_("情報資産を編集する権限がありません。"))
    with transaction.atomic():
        locked = _locked(asset, actor)
        if locked.status == Asset.Status.DISPOSED:
            raise WrongState(_("この情報資産は既に廃棄済です。"))
        before = snapshot(locked)
        locked.status = Asset.Status.DISPOSED
        if note.strip():
            locked.note = (locked.note + "\n" if locked.note else "") + note.strip()
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
    if not isinstance(months, int) or not 1 <= months <= 120:
        raise InvalidInput(_("確認の周期は 1〜120 か月で指定してください。"),
                           fields={"confirmation_months": [_("1〜120 で指定してください。")]})
    with transaction.atomic():
        settings_ = register_settings(actor.body)
        before = snapshot(settings_)
        settings_.confirmation_months = months
        settings_.save()
        record(actor, "update", settings_, before, snapshot(settings_), body=actor.body)
    return settings_
