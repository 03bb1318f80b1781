"""Classification schemes as data: presets, ordered levels ("2 or higher"), editing, switching with a mapping."""

import pytest

from tejun.assets import schemes
from tejun.assets.models import Asset, ClassificationLevel, ClassificationScheme
from tejun.audit.models import AuditEvent
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState

from .helpers import new_asset


def _switch_to_r6(manager, overrides=None):
    """Move the body to 令和6年版 with 3 → 3B (the rest keep their codes)."""
    used = schemes.used_levels(manager.body)
    mapping = {lv.pk: ("3B" if lv.code == "3" else lv.code) for lv, _n in used}
    mapping.update(overrides or {})
    return schemes.change_scheme(actor=manager, preset="mic_r6", mapping=mapping)


def test_default_scheme_is_set_up_once_from_the_r4_preset(body):
    scheme = schemes.active_scheme(body)
    assert scheme.preset == "mic_r4" and scheme.name == "総務省ガイドライン（令和4年版）"
    assert schemes.active_scheme(body).pk == scheme.pk
    assert ClassificationScheme.objects.filter(body=body).count() == 1
    assert schemes.codes_of(scheme, "confidentiality") == ["3", "2", "1"]
    assert schemes.codes_of(scheme, "integrity") == ["2", "1"]
    assert schemes.codes_of(scheme, "availability") == ["2", "1"]
    assert AuditEvent.objects.filter(object_type="assets.ClassificationScheme", object_id=str(scheme.pk)).count() == 1
    level = schemes.level_by_code(scheme, "confidentiality", "3")
    assert level.label == "機密性3" and "秘密文書" in level.definition
    assert "復元不可能な処理を施しての廃棄" in level.restriction_lines


def test_each_body_has_its_own_scheme(body, other_body):
    assert schemes.active_scheme(body).pk != schemes.active_scheme(other_body).pk


@pytest.mark.parametrize("code, two_or_higher, three_or_higher", [
    ("3A", True, True), ("3B", True, True), ("3C", True, True), ("2", True, False), ("1", False, False),
])
def test_class_2_or_higher_is_a_comparison(manager, code, two_or_higher, three_or_higher):
    _switch_to_r6(manager)
    level = schemes.level_by_code(schemes.active_scheme(manager.body), "confidentiality", code)
    assert level.at_least(2) is two_or_higher
    assert level.at_least(3) is three_or_higher


def test_r6_levels_are_ordered_highest_first(manager):
    scheme = _switch_to_r6(manager)
    assert schemes.codes_of(scheme, "confidentiality") == ["3A", "3B", "3C", "2", "1"]
    ranks = [lv.rank for lv in schemes.levels_of(scheme)["confidentiality"]]
    assert ranks == sorted(ranks, reverse=True)


def test_full_width_codes_are_understood(body):
    scheme = schemes.active_scheme(body)
    assert schemes.level_by_code(scheme, "confidentiality", "２").code == "2"
    assert schemes.level_by_code(scheme, "confidentiality", "4") is None


# ------------------------------------------------------------------ editing a level

@pytest.mark.parametrize("who", ["manager", "supreme_admin"])
def test_level_editors_change_definition_and_restrictions(request, who):
    user = request.getfixturevalue(who)
    level = schemes.level_by_code(schemes.active_scheme(user.body), "confidentiality", "2")
    schemes.update_level(level, actor=user, definition="  非公開の行政情報  ",
                         handling_restrictions="施錠保管\n\n  複製禁止  \n")
    level.refresh_from_db()
    assert level.definition == "非公開の行政情報"
    assert level.restriction_lines == ["施錠保管", "複製禁止"]
    event = AuditEvent.objects.get(object_type="assets.ClassificationLevel", object_id=str(level.pk))
    assert event.action == "update" and event.after["definition"] == "非公開の行政情報"


@pytest.mark.parametrize("who", ["staff", "officer", "staff_in_charge", "auditor", "vendor"])
def test_others_may_not_edit_levels(request, who):
    user = request.getfixturevalue(who)
    level = schemes.level_by_code(schemes.active_scheme(user.body), "confidentiality", "2")
    before = level.definition
    with pytest.raises(Forbidden):
        schemes.update_level(level, actor=user, definition="変えた", handling_restrictions="")
    level.refresh_from_db()
    assert level.definition == before


def test_another_bodys_level_is_not_found(manager, other_body):
    level = schemes.level_by_code(schemes.active_scheme(other_body), "confidentiality", "2")
    with pytest.raises(NotFound):
        schemes.update_level(level, actor=manager, definition="変えた", handling_restrictions="")


def test_a_level_needs_a_definition(manager):
    level = schemes.level_by_code(schemes.active_scheme(manager.body), "confidentiality", "2")
    before = level.definition
    with pytest.raises(InvalidInput) as e:
        schemes.update_level(level, actor=manager, definition="   ", handling_restrictions="x")
    assert e.value.fields["definition"] == ["定義を入力してください。"]
    level.refresh_from_db()
    assert level.definition == before
    assert not AuditEvent.objects.filter(object_type="assets.ClassificationLevel").exists()


def test_levels_of_a_scheme_no_longer_in_use_are_not_edited(manager):
    old = schemes.level_by_code(schemes.active_scheme(manager.body), "confidentiality", "2")
    _switch_to_r6(manager)
    with pytest.raises(WrongState):
        schemes.update_level(old, actor=manager, definition="変えた", handling_restrictions="")


# ------------------------------------------------------------------ changing the scheme

@pytest.fixture
def register(manager):
    """Four assets on 令和4年版: 3, 2, 1, and a disposed 3."""
    assets = {
        "secret": new_asset(manager, name="委員会 非公開資料", confidentiality="3"),
        "internal": new_asset(manager, name="議員名簿", confidentiality="2"),
        "public": new_asset(manager, name="議会だより", confidentiality="1", integrity="1"),
        "old": new_asset(manager, name="旧 議員名簿", confidentiality="3"),
    }
    from tejun.assets.services import dispose_asset
    dispose_asset(assets["old"], actor=manager)
    return assets


def test_suggested_mapping_leaves_the_ambiguous_level_to_a_person(register, manager):
    used = [lv for lv, _n in schemes.used_levels(manager.body)]
    suggestion = schemes.suggest_mapping(used, "mic_r6")
    by_label = {lv.label: suggestion[lv.pk] for lv in used}
    assert by_label == {"機密性3": "", "機密性2": "2", "機密性1": "1", "完全性2": "2", "完全性1": "1", "可用性1": "1"}


def test_suggested_mapping_back_to_r4_joins_3a_3b_3c(register, manager):
    _switch_to_r6(manager)
    used = [lv for lv, _n in schemes.used_levels(manager.body)]
    suggestion = schemes.suggest_mapping(used, "mic_r4")
    assert {lv.label: suggestion[lv.pk] for lv in used if lv.axis == "confidentiality"} == {
        "機密性3B": "3", "機密性2": "2", "機密性1": "1"}


def test_used_levels_count_assets(register, manager):
    counts = {lv.label: n for lv, n in schemes.used_levels(manager.body)}
    assert counts["機密性3"] == 2 and counts["機密性2"] == 1 and counts["可用性1"] == 4


def test_change_without_a_complete_mapping_is_refused_and_changes_nothing(register, manager):
    old = schemes.active_scheme(manager.body)
    three = schemes.level_by_code(old, "confidentiality", "3")
    used = schemes.used_levels(manager.body)
    mapping = {lv.pk: lv.code for lv, _n in used if lv.pk != three.pk}  # 3 left unmapped
    events_before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as e:
        schemes.change_scheme(actor=manager, preset="mic_r6", mapping=mapping)
    assert e.value.fields == {f"level_{three.pk}": ["機密性3 の移行先を指定してください。"]}
    assert schemes.active_scheme(manager.body).pk == old.pk
    assert ClassificationScheme.objects.filter(body=manager.body).count() == 1
    assert Asset.objects.filter(confidentiality=three).count() == 2
    assert AuditEvent.objects.count() == events_before


def test_change_to_a_code_the_new_scheme_lacks_is_refused(register, manager):
    old = schemes.active_scheme(manager.body)
    three = schemes.level_by_code(old, "confidentiality", "3")
    with pytest.raises(InvalidInput) as e:
        _switch_to_r6(manager, {three.pk: "3"})
    assert e.value.fields[f"level_{three.pk}"] == ["機密性3 の移行先「3」は新しい体系にありません。"]
    assert schemes.active_scheme(manager.body).pk == old.pk


def test_change_with_a_complete_mapping_moves_every_asset(register, manager):
    old = schemes.active_scheme(manager.body)
    new = _switch_to_r6(manager)
    assert schemes.active_scheme(manager.body).pk == new.pk and new.preset == "mic_r6"
    old.refresh_from_db()
    assert not old.is_active
    moved = {a.name: a for a in Asset.objects.filter(body=manager.body).select_related("confidentiality")}
    assert moved["委員会 非公開資料"].confidentiality.code == "3B"
    assert moved["旧 議員名簿"].confidentiality.code == "3B"  # disposed assets move too
    assert moved["議員名簿"].confidentiality.code == "2"
    assert moved["議会だより"].integrity.code == "1"
    assert not ClassificationLevel.objects.filter(scheme=old).filter(
        pk__in=Asset.objects.values_list("confidentiality_id", flat=True)).exists()
    # One audit event per asset, so each asset's history shows its new levels.
    for asset in register.values():
        event = AuditEvent.objects.get(object_type="assets.Asset", object_id=str(asset.pk), action="change_scheme")
        assert event.before["scheme"] == "総務省ガイドライン（令和4年版）"
        assert event.after["scheme"] == "総務省ガイドライン（令和6年版）"
    secret_event = AuditEvent.objects.get(object_id=str(register["secret"].pk), action="change_scheme")
    assert secret_event.before["confidentiality"] == "機密性3" and secret_event.after["confidentiality"] == "機密性3B"
    summary = AuditEvent.objects.get(object_type="assets.ClassificationScheme", action="change_scheme")
    assert summary.after["mapping"]["機密性3"] == "機密性3B"
    from tejun.audit.verify import verify  # the bulk events keep the chain intact
    assert verify(manager.body_id).ok


def test_change_back_and_forth(register, manager):
    _switch_to_r6(manager)
    used = schemes.used_levels(manager.body)
    schemes.change_scheme(actor=manager, preset="mic_r4",
                          mapping=schemes.suggest_mapping([lv for lv, _n in used], "mic_r4"))
    assert Asset.objects.get(pk=register["secret"].pk).confidentiality.code == "3"


def test_change_with_no_assets_needs_no_mapping(manager):
    new = schemes.change_scheme(actor=manager, preset="mic_r6", mapping={})
    assert schemes.active_scheme(manager.body).pk == new.pk


def test_change_to_the_scheme_in_use_is_refused(manager):
    with pytest.raises(InvalidInput):
        schemes.change_scheme(actor=manager, preset="mic_r4", mapping={})
    with pytest.raises(InvalidInput):
        schemes.change_scheme(actor=manager, preset="nonsense", mapping={})


@pytest.mark.parametrize("who", ["staff", "officer", "staff_in_charge", "vendor"])
def test_only_scheme_managers_change_it(request, register, who):
    user = request.getfixturevalue(who)
    with pytest.raises(Forbidden):
        schemes.change_scheme(actor=user, preset="mic_r6", mapping={})
    assert schemes.active_scheme(user.body).preset == "mic_r4"


def test_another_bodys_assets_are_untouched(register, manager, outsider):
    theirs = new_asset(outsider, confidentiality="3")
    _switch_to_r6(manager)
    theirs.refresh_from_db()
    assert theirs.confidentiality.code == "3"
    assert schemes.active_scheme(outsider.body).preset == "mic_r4"


def test_used_levels_counts_each_level_over_all_three_axes(manager, outsider):
    from tejun.assets.models import Asset

    combos = [("2", "2", "1"), ("2", "1", "1"), ("3", "2", "2"), ("2", "2", "1")]
    for i, (c, i_, a) in enumerate(combos):
        new_asset(manager, number=f"IA-{i + 1:05d}", confidentiality=c, integrity=i_, availability=a)
    new_asset(outsider, number="IA-00001", confidentiality="1", integrity="1", availability="2")  # not ours
    used = {(lv.axis, lv.code): n for lv, n in schemes.used_levels(manager.body)}
    expected = {}
    for asset in Asset.objects.filter(body=manager.body).select_related("confidentiality", "integrity",
                                                                          "availability"):
        for level in (asset.confidentiality, asset.integrity, asset.availability):
            expected[(level.axis, level.code)] = expected.get((level.axis, level.code), 0) + 1
    assert used == expected
    assert used[("confidentiality", "2")] == 3 and used[("availability", "1")] == 3
