"""/api/v1/assets/ and /api/v1/classification-levels/: same filters and services as the pages, body-scoped."""

import pytest

from tejun.assets import schemes
from tejun.assets.models import Asset
from tejun.audit.models import AuditEvent

from .helpers import new_asset

URL = "/api/v1/assets/"
LEVELS = "/api/v1/classification-levels/"


def _payload(**overrides):
    data = {"department": "議会事務局 議事係", "name": "会議録音データ", "form": "electronic",
            "location": r"\\gikai-nas\share\議事\録音", "network_layer": "lgwan",
            "confidentiality": "2", "integrity": "2", "availability": "2", "has_personal_info": True}
    data.update(overrides)
    return data


def test_create_with_level_codes(api, manager, post):
    response = api(manager).post(URL, _payload(manager_post=post.pk, retention_years=5, expires_on="2031-03-31"),
                                 format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "IA-00001"
    assert body["confidentiality"] == "2" and body["confidentiality_label"] == "機密性2"
    assert body["integrity_label"] == "完全性2" and body["availability_label"] == "可用性2"
    assert body["form_label"] == "電子" and body["network_layer_label"] == "LGWAN接続系"
    assert body["manager_post"] == post.pk and body["manager_post_name"] == "議事係長"
    assert body["status"] == "in_use" and body["status_label"] == "使用中" and body["expires_on"] == "2031-03-31"
    asset = Asset.objects.get()
    assert asset.has_personal_info and asset.confidentiality.scheme == schemes.active_scheme(manager.body)
    assert AuditEvent.objects.filter(object_type="assets.Asset", object_id=str(asset.pk), action="create").exists()


@pytest.mark.parametrize("payload, field, message", [
    ({"confidentiality": "3A"}, "confidentiality",
     "「3A」は現在の分類体系（総務省ガイドライン（令和4年版））にありません。3、2、1 のいずれかを指定してください。"),
    ({"name": ""}, "name", "この項目は空にできません。"),
    ({"form": "clay"}, "form", "\"clay\"は有効な選択肢ではありません。"),
    ({"retention_years": 0}, "retention_years", "この値は1以上にしてください。"),
    ({"expires_on": "令和8年"}, "expires_on", None),
    ({"state": "approved"}, "state", "この項目は指定できません。"),
    ({"manager_post": 999999}, "manager_post", None),
])
def test_bad_input_is_400_with_japanese_field_messages_and_nothing_created(api, manager, payload, field, message):
    response = api(manager).post(URL, _payload(**payload), format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"] == "入力内容を確認してください。"
    assert field in error["fields"]
    if message:
        assert error["fields"][field] == [message]
    else:
        assert any("\u3040" <= ch <= "\u30ff" for ch in error["fields"][field][0])  # kana: Japanese
    assert not Asset.objects.exists()


def test_another_bodys_post_is_refused(api, manager, other_post):
    response = api(manager).post(URL, _payload(manager_post=other_post.pk), format="json")
    assert response.status_code == 400 and "manager_post" in response.json()["error"]["fields"]
    assert not Asset.objects.exists()


@pytest.mark.parametrize("who", ["staff", "auditor", "supreme_admin"])
def test_staff_without_the_role_may_not_write(api, manager, request, who):
    user = request.getfixturevalue(who)
    asset = new_asset(manager)
    client = api(user)
    assert client.get(f"{URL}{asset.pk}/").status_code == 200  # they may read
    for response in (client.post(URL, _payload(), format="json"),
                     client.post(URL, {"name": ""}, format="json"),  # 403 before any 400
                     client.patch(f"{URL}{asset.pk}/", {"name": "書き換え"}, format="json"),
                     client.post(f"{URL}{asset.pk}/dispose/", {}, format="json"),
                     client.post(f"{URL}{asset.pk}/confirm/", {}, format="json")):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"
    asset.refresh_from_db()
    assert asset.name != "書き換え" and asset.status == "in_use" and asset.confirmed_on is None
    assert Asset.objects.count() == 1


def test_vendor_is_403_everywhere(api, manager, vendor):
    asset = new_asset(manager)
    client = api(vendor)
    for response in (client.get(URL), client.get(f"{URL}{asset.pk}/"), client.get(LEVELS),
                     client.post(URL, _payload(), format="json")):
        assert response.status_code == 403
        assert response.json()["error"]["message"] == "情報資産台帳を閲覧する権限がありません。"


def test_anonymous_is_401(api):
    assert api().get(URL).status_code == 401


def test_another_bodys_asset_is_404(api, manager, outsider):
    asset = new_asset(manager, name="わが町の議員名簿")
    client = api(outsider)
    assert client.get(URL).json()["count"] == 0
    for response in (client.get(f"{URL}{asset.pk}/"),
                     client.patch(f"{URL}{asset.pk}/", {"name": "x"}, format="json"),
                     client.post(f"{URL}{asset.pk}/confirm/"),
                     client.post(f"{URL}{asset.pk}/dispose/", {}, format="json")):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    asset.refresh_from_db()
    assert asset.name == "わが町の議員名簿" and asset.status == "in_use" and asset.confirmed_on is None


def test_list_has_the_same_filters_as_the_page(api, manager, staff):
    schemes.change_scheme(actor=manager, preset="mic_r6", mapping={})
    for code in ("3A", "3B", "3C", "2", "1"):
        new_asset(manager, name=f"機密性{code}の資産", confidentiality=code, has_personal_info=code == "3B")
    client = api(staff)
    names = lambda **p: [a["name"] for a in client.get(URL, p).json()["results"]]  # noqa: E731
    assert names(confidentiality_min=2) == [f"機密性{c}の資産" for c in ("3A", "3B", "3C", "2")]
    assert names(confidentiality="3C") == ["機密性3Cの資産"]
    assert names(has_personal_info="true") == ["機密性3Bの資産"]
    assert names(q="3A") == ["機密性3Aの資産"]
    assert names(sort="-confidentiality")[0] == "機密性3Aの資産"
    first = client.get(URL, {"confidentiality": "3A"}).json()["results"][0]
    assert first["confidentiality"] == "3A" and first["confidentiality_label"] == "機密性3A"


def test_list_queries_do_not_grow(api, manager, django_assert_max_num_queries):
    for i in range(3):
        new_asset(manager, name=f"資産{i}")
    client = api(manager)
    client.get(URL)
    with django_assert_max_num_queries(8) as small:
        client.get(URL)
    for i in range(30):
        new_asset(manager, name=f"追加{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(URL).json()["results"]) == 33


def test_patch_updates_and_records(api, officer, manager):
    asset = new_asset(manager)
    response = api(officer).patch(f"{URL}{asset.pk}/", {"confidentiality": "3", "location": "キャビネットA"},
                                  format="json")
    assert response.status_code == 200
    assert response.json()["confidentiality_label"] == "機密性3"
    asset.refresh_from_db()
    assert asset.confidentiality.code == "3" and asset.location == "キャビネットA"
    assert AuditEvent.objects.filter(object_id=str(asset.pk), action="update").get().actor == officer


def test_bad_patch_changes_nothing(api, manager):
    asset = new_asset(manager)
    response = api(manager).patch(f"{URL}{asset.pk}/", {"name": "新名称", "integrity": "9"}, format="json")
    assert response.status_code == 400
    assert "integrity" in response.json()["error"]["fields"]
    asset.refresh_from_db()
    assert asset.name != "新名称"
    response = api(manager).patch(f"{URL}{asset.pk}/", {"status": "disposed"}, format="json")
    assert response.status_code == 400 and response.json()["error"]["fields"]["status"] == ["この項目は指定できません。"]
    asset.refresh_from_db()
    assert asset.status == "in_use"


def test_put_is_not_offered(api, manager):
    asset = new_asset(manager)
    assert api(manager).put(f"{URL}{asset.pk}/", _payload(), format="json").status_code == 405


def test_confirm_and_dispose(api, manager, staff, post):
    staff.post = post
    staff.save()
    asset = new_asset(manager, manager_post=post)
    response = api(staff).post(f"{URL}{asset.pk}/confirm/")
    assert response.status_code == 200
    assert response.json()["confirmed_by"] == "職員 四郎" and response.json()["confirmed_on"]
    response = api(manager).post(f"{URL}{asset.pk}/dispose/", {"note": "溶解処理"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "disposed"
    assert "溶解処理" in response.json()["note"]
    again = api(manager).post(f"{URL}{asset.pk}/dispose/", {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["message"] == "この情報資産は既に廃棄済です。"
    assert api(manager).post(f"{URL}{asset.pk}/confirm/").status_code == 409
    bad = api(manager).post(f"{URL}{new_asset(manager).pk}/dispose/", {"how": "x"}, format="json")
    assert bad.status_code == 400


def test_classification_levels_of_the_active_scheme(api, staff, manager):
    response = api(staff).get(LEVELS)
    assert response.status_code == 200
    levels = response.json()
    assert [lv["code"] for lv in levels if lv["axis"] == "confidentiality"] == ["3", "2", "1"]
    three = next(lv for lv in levels if lv["label"] == "機密性3")
    assert three["base_class"] == 3 and three["axis_label"] == "機密性"
    assert "復元不可能な処理を施しての廃棄" in three["handling_restrictions"]
    assert three["scheme"] == "総務省ガイドライン（令和4年版）"
    schemes.change_scheme(actor=manager, preset="mic_r6", mapping={})
    codes = [lv["code"] for lv in api(staff).get(LEVELS).json() if lv["axis"] == "confidentiality"]
    assert codes == ["3A", "3B", "3C", "2", "1"]
    assert api(staff).get(f"{LEVELS}{three['id']}/").status_code == 404  # the old scheme's level
    assert api(staff).post(LEVELS, {}, format="json").status_code == 405


def test_classification_levels_are_per_body(api, outsider, manager):
    mine = schemes.level_by_code(schemes.active_scheme(manager.body), "confidentiality", "2")
    assert api(outsider).get(f"{LEVELS}{mine.pk}/").status_code == 404
    assert mine.pk not in [lv["id"] for lv in api(outsider).get(LEVELS).json()]
