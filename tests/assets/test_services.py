"""Register writes: create, update, dispose, confirm, settings; refusals change nothing and record nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.assets import schemes, services
from tejun.assets.models import Asset, RegisterSettings
from tejun.audit.models import AuditEvent
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState

from .helpers import asset_fields, new_asset


def _events(asset, action=None):
    qs = AuditEvent.objects.filter(object_type="assets.Asset", object_id=str(asset.pk))
    return qs.filter(action=action) if action else qs


@pytest.mark.parametrize("who", ["officer", "manager", "staff_in_charge"])
def test_keepers_of_the_register_create_assets(request, who, post):
    user = request.getfixturevalue(who)
    asset = new_asset(user, manager_post=post, has_personal_info=True, retention_years=5,
                      expires_on=timezone.localdate() + timedelta(days=365))
    assert asset.number == "IA-00001" and asset.body == user.body
    assert asset.confidentiality.label == "機密性2" and asset.availability.code == "1"
    assert asset.confidentiality.scheme == schemes.active_scheme(user.body)
    assert asset.manager_post == post and asset.status == "in_use"
    event = _events(asset).get()
    assert event.action == "create" and event.after["name"] == "本会議 会議録（令和7年第1回定例会）"
    assert event.actor == user


def test_numbers_follow_on_and_a_given_number_is_kept(manager):
    assert new_asset(manager).number == "IA-00001"
    assert new_asset(manager, number="議-001").number == "議-001"
    assert new_asset(manager).number == "IA-00002"


def test_numbers_are_per_body(manager, outsider):
    assert new_asset(manager).number == "IA-00001"
    assert new_asset(outsider).number == "IA-00001"


def test_levels_may_be_level_objects(manager):
    scheme = schemes.active_scheme(manager.body)
    asset = new_asset(manager, confidentiality=schemes.level_by_code(scheme, "confidentiality", "3"))
    assert asset.confidentiality.code == "3"


@pytest.mark.parametrize("who", ["staff", "auditor", "vendor", "supreme_admin"])
def test_others_may_not_create(request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(Forbidden):
        new_asset(user)
    assert not Asset.objects.exists()


@pytest.mark.parametrize("overrides, field, message", [
    ({"name": "  "}, "name", "入力してください。"),
    ({"department": ""}, "department", "入力してください。"),
    ({"confidentiality": "3A"}, "confidentiality",
     "「3A」は現在の分類体系（総務省ガイドライン（令和4年版））にありません。3、2、1 のいずれかを指定してください。"),
    ({"integrity": "3"}, "integrity",
     "「3」は現在の分類体系（総務省ガイドライン（令和4年版））にありません。2、1 のいずれかを指定してください。"),
    ({"availability": None}, "availability", "入力してください。"),
    ({"form": "clay tablet"}, "form", "選択肢から選んでください。"),
    ({"network_layer": "dmz"}, "network_layer", "選択肢から選んでください。"),
    ({"retention_years": 0}, "retention_years", "保存年限は 1〜100 の年数で入力してください（常用・永年は空欄）。"),
    ({"retention_years": "5"}, "retention_years", "保存年限は 1〜100 の年数で入力してください（常用・永年は空欄）。"),
    ({"expires_on": "2026-04-01"}, "expires_on", "日付を正しく入力してください。"),
    ({"confirmed_on": timezone.localdate() + timedelta(days=1)}, "confirmed_on", "確認日に未来の日付は指定できません。"),
    ({"has_personal_info": "yes"}, "has_personal_info", "はい・いいえで指定してください。"),
    ({"name": "長" * 201}, "name", "200文字以内で入力してください。"),
    ({"manager_post": "存在しない係"}, "manager_post", "役職「存在しない係」はこの団体にありません。"),
    ({"colour": "red"}, "colour", "この項目は指定できません。"),
])
def test_bad_input_names_the_field_and_saves_nothing(manager, overrides, field, message):
    with pytest.raises(InvalidInput) as e:
        new_asset(manager, **overrides)
    assert e.value.fields[field] == [message]
    assert not Asset.objects.exists()
    assert not AuditEvent.objects.filter(object_type="assets.Asset").exists()


def test_every_bad_field_is_named_at_once(manager):
    with pytest.raises(InvalidInput) as e:
        new_asset(manager, name="", confidentiality="9", form="x")
    assert set(e.value.fields) == {"name", "confidentiality", "form"}


def test_a_duplicate_number_is_refused(manager):
    new_asset(manager, number="IA-00007")
    with pytest.raises(InvalidInput) as e:
        new_asset(manager, number="IA-00007")
    assert e.value.fields["number"] == ["管理番号 IA-00007 は既に使われています。"]
    assert Asset.objects.count() == 1


def test_another_bodys_post_and_levels_are_refused(manager, other_post, other_body):
    theirs = schemes.level_by_code(schemes.active_scheme(other_body), "confidentiality", "2")
    with pytest.raises(InvalidInput) as e:
        new_asset(manager, manager_post=other_post, confidentiality=theirs)
    assert e.value.fields["manager_post"] == ["この団体の役職を選んでください。"]
    assert "現在の分類体系" in e.value.fields["confidentiality"][0]
    with pytest.raises(InvalidInput):
        new_asset(manager, manager_post=other_post.pk)
    assert not Asset.objects.exists()


def test_a_level_on_the_wrong_axis_is_refused(manager):
    scheme = schemes.active_scheme(manager.body)
    with pytest.raises(InvalidInput) as e:
        new_asset(manager, confidentiality=schemes.level_by_code(scheme, "integrity", "2"))
    assert "confidentiality" in e.value.fields


def test_manager_post_by_id_or_name(manager, post):
    assert new_asset(manager, manager_post=post.pk).manager_post == post
    assert new_asset(manager, manager_post="議事係長").manager_post == post


# ------------------------------------------------------------------ update

def test_update_records_before_and_after(manager, officer, post):
    asset = new_asset(manager)
    services.update_asset(asset, actor=officer, location="事務局書庫キャビネットA", confidentiality="3",
                          manager_post=post)
    asset.refresh_from_db()
    assert asset.location == "事務局書庫キャビネットA" and asset.confidentiality.code == "3"
    event = _events(asset, "update").get()
    assert event.before["location"].startswith("\\\\gikai-nas") and event.after["location"] == "事務局書庫キャビネットA"
    assert event.actor == officer


def test_an_update_that_changes_nothing_records_nothing(manager):
    asset = new_asset(manager)
    services.update_asset(asset, actor=manager, name=asset.name, confidentiality="2")
    assert not _events(asset, "update").exists()


def test_update_keeps_the_number_when_left_blank(manager):
    asset = new_asset(manager)
    services.update_asset(asset, actor=manager, number="")
    asset.refresh_from_db()
    assert asset.number == "IA-00001"


def test_update_to_a_number_in_use_is_refused(manager):
    first, second = new_asset(manager), new_asset(manager)
    with pytest.raises(InvalidInput):
        services.update_asset(second, actor=manager, number=first.number)
    second.refresh_from_db()
    assert second.number == "IA-00002"


@pytest.mark.parametrize("who", ["staff", "auditor", "vendor", "supreme_admin"])
def test_others_may_not_update(request, manager, who):
    asset = new_asset(manager)
    with pytest.raises(Forbidden):
        services.update_asset(asset, actor=request.getfixturevalue(who), name="書き換え")
    asset.refresh_from_db()
    assert asset.name != "書き換え"


def test_another_bodys_asset_is_not_found(manager, outsider):
    asset = new_asset(manager)
    for call in (lambda: services.update_asset(asset, actor=outsider, name="x"),
                 lambda: services.dispose_asset(asset, actor=outsider),
                 lambda: services.confirm_asset(asset, actor=outsider)):
        with pytest.raises(NotFound):
            call()
    asset.refresh_from_db()
    assert asset.name != "x" and asset.status == "in_use" and asset.confirmed_on is None


def test_bad_update_changes_nothing(manager):
    asset = new_asset(manager)
    with pytest.raises(InvalidInput):
        services.update_asset(asset, actor=manager, name="新しい名前", confidentiality="5")
    asset.refresh_from_db()
    assert asset.name != "新しい名前"
    assert not _events(asset, "update").exists()


# ------------------------------------------------------------------ dispose and confirm

def test_dispose(manager):
    asset = new_asset(manager, note="最初の備考")
    services.dispose_asset(asset, actor=manager, note="溶解処理（〇〇社）")
    asset.refresh_from_db()
    assert asset.status == "disposed" and asset.note == "最初の備考\n溶解処理（〇〇社）"
    assert _events(asset, "dispose").get().after["status"] == "disposed"
    with pytest.raises(WrongState):
        services.dispose_asset(asset, actor=manager)


def test_staff_may_not_dispose(manager, staff):
    asset = new_asset(manager)
    with pytest.raises(Forbidden):
        services.dispose_asset(asset, actor=staff)
    asset.refresh_from_db()
    assert asset.status == "in_use"


def test_holder_of_the_manager_post_confirms(manager, staff, post):
    staff.post = post
    staff.save()
    asset = new_asset(manager, manager_post=post)
    services.confirm_asset(asset, actor=staff)
    asset.refresh_from_db()
    assert asset.confirmed_on == timezone.localdate() and asset.confirmed_by == staff
    event = _events(asset, "confirm").get()
    assert event.actor == staff and event.after["confirmed_on"] == timezone.localdate().isoformat()


def test_keepers_confirm_any_asset(manager, officer):
    asset = new_asset(manager)
    services.confirm_asset(asset, actor=officer)
    asset.refresh_from_db()
    assert asset.confirmed_by == officer


def test_other_staff_may_not_confirm(manager, staff, post):
    asset = new_asset(manager, manager_post=post)
    with pytest.raises(Forbidden):
        services.confirm_asset(asset, actor=staff)
    asset.refresh_from_db()
    assert asset.confirmed_on is None


def test_a_disposed_asset_is_not_confirmed(manager):
    asset = services.dispose_asset(new_asset(manager), actor=manager)
    with pytest.raises(WrongState):
        services.confirm_asset(asset, actor=manager)


# ------------------------------------------------------------------ settings

def test_confirmation_months(manager, staff):
    assert services.register_settings(manager.body).confirmation_months == 12
    services.set_confirmation_months(actor=manager, months=6)
    assert RegisterSettings.objects.get(body=manager.body).confirmation_months == 6
    assert AuditEvent.objects.filter(object_type="assets.RegisterSettings", action="update").count() == 1
    with pytest.raises(Forbidden):
        services.set_confirmation_months(actor=staff, months=3)
    for bad in (0, 121, True, "6"):
        with pytest.raises(InvalidInput):
            services.set_confirmation_months(actor=manager, months=bad)
    assert RegisterSettings.objects.get(body=manager.body).confirmation_months == 6


def test_asset_fields_helper_is_complete():
    assert set(asset_fields()) <= set(services.FIELDS)
