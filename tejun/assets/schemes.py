"""Classification schemes as data: set up from a preset, edit a level, switch with an explicit mapping."""

from django.db import transaction
from django.utils.translation import gettext as _

from tejun.access.policy import can
from tejun.audit.services import record, record_many, snapshot
from tejun.lib.errors import Forbidden, InvalidInput, NotFound

from .models import Asset, Axis, ClassificationLevel, ClassificationScheme
from .presets import DEFAULT_PRESET, PRESETS

AXIS_FIELDS = {Axis.CONFIDENTIALITY: "confidentiality", Axis.INTEGRITY: "integrity",
               Axis.AVAILABILITY: "availability"}


def _create_from_preset(body, preset_key: str) -> ClassificationScheme:
    preset = PRESETS[preset_key]
    scheme = ClassificationScheme.objects.create(body=body, name=preset["name"], preset=preset_key)
    ranks: dict[str, int] = {}
    levels = []
    # Presets list each axis from the highest level down; rank counts up from the lowest.
    for axis, code, base_class, definition, restrictions in reversed(preset["levels"]):
        ranks[axis] = ranks.get(axis, 0) + 1
        levels.append(ClassificationLevel(scheme=scheme, axis=axis, code=code, base_class=base_class,
                                          rank=ranks[axis], definition=definition,
                                          handling_restrictions=restrictions))
    ClassificationLevel.objects.bulk_create(levels)
    return scheme


def active_scheme(body) -> ClassificationScheme:
    """The body's scheme; the default preset is set up on first use."""
    scheme = ClassificationScheme.objects.filter(body=body, is_active=True).first()
    if scheme is None:
        with transaction.atomic():
            scheme = _create_from_preset(body, DEFAULT_PRESET)
            record(None, "create", scheme, None, {"name": scheme.name, "preset": scheme.preset}, body=body)
    return scheme


def levels_of(scheme: ClassificationScheme) -> dict[str, list[ClassificationLevel]]:
    """Levels per axis, highest first."""
    result: dict[str, list[ClassificationLevel]] = {a.value: [] for a in Axis}
    for level in scheme.levels.order_by("axis", "-rank"):
        result[level.axis].append(level)
    return result


def update_level(level: ClassificationLevel, *, actor, definition: str, handling_restrictions: str):
    if level.scheme.body_id != actor.body_id:
        raise NotFound(_("見つかりません。"))
    if not can(actor, "assets.manage_scheme"):
        raise Forbidden(_("分類体系を編集する権限がありません。"))
    with transaction.atomic():
        before = snapshot(level)
        level.definition = definition.strip()
        level.handling_restrictions = handling_restrictions.strip()
        level.save(update_fields=["definition", "handling_restrictions"])
        record(actor, "update", level, before, snapshot(level), body=level.scheme.body)
    return level


def change_scheme(*, actor, preset: str, mapping: dict[int, str]) -> ClassificationScheme:
    """Switch the body to another preset. `mapping` maps every level id in use to a code of the new scheme.

    Refused (nothing changes) when a level in use has no mapping or maps to a code the new scheme lacks.
    """
    if not can(actor, "assets.manage_scheme"):
        raise Forbidden(_("分類体系を変更する権限がありません。"))
    if preset not in PRESETS:
        raise InvalidInput(_("分類体系が正しくありません。"), fields={"preset": [_("選択肢から選んでください。")]})
    body = actor.body
    with transaction.atomic():
        old = active_scheme(body)
        if old.preset == preset:
            raise InvalidInput(_("すでにこの分類体系を使用しています。"), fields={"preset": [_("別の体系を選んでください。")]})
        used = set()
        for field in AXIS_FIELDS.values():
            used.update(Asset.objects.filter(body=body).values_list(f"{field}_id", flat=True).distinct())
        old_levels = {lv.pk: lv for lv in old.levels.all()}
        new_codes = {(axis, code) for axis, code, *_rest in PRESETS[preset]["levels"]}
        errors = {}
        for level_id in sorted(used):
            level = old_levels[level_id]
            target = (mapping.get(level_id) or mapping.get(str(level_id)) or "").strip()
            if not target:
                errors[f"level_{level_id}"] = [_("%(label)s の移行先を指定してください。") % {"label": level.label}]
            elif (level.axis, target) not in new_codes:
                errors[f"level_{level_id}"] = [_("%(label)s の移行先「%(code)s」は新しい体系にありません。")
                                               % {"label": level.label, "code": target}]
        if errors:
            raise InvalidInput(_("使用中の分類すべてに移行先を指定してください。"), fields=errors)
        old.is_active = False
        old.save(update_fields=["is_active"])
        new = _create_from_preset(body, preset)
        new_by_code = {(lv.axis, lv.code): lv for lv in new.levels.all()}
        moves = {}
        for level_id in used:
            level = old_levels[level_id]
            target = (mapping.get(level_id) or mapping.get(str(level_id))).strip()
            moves[level_id] = new_by_code[(level.axis, target)]
        changes = []
        for asset in Asset.objects.filter(body=body).select_related(*AXIS_FIELDS.values()).iterator(chunk_size=2000):
            before = {f: getattr(asset, f).label for f in AXIS_FIELDS.values()}
            for field in AXIS_FIELDS.values():
                current = getattr(asset, f"{field}_id")
                if current in moves:
                    setattr(asset, field, moves[current])
            changes.append(asset)
            asset._audit = ("update", asset, before, {f: getattr(asset, f).label for f in AXIS_FIELDS.values()})
        # Bulk update, and one audit event per asset so each asset's history shows the new levels.
        Asset.objects.bulk_update(changes, list(AXIS_FIELDS.values()), batch_size=1000)
        record_many(actor, (a._audit for a in changes), body=body)
        record(actor, "change_scheme", new, {"scheme": old.name},
               {"scheme": new.name, "mapping": {old_levels[k].label: v.label for k, v in moves.items()}},
               body=body)
    return new
