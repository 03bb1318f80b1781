"""The register pages: list, asset, forms, confirm/dispose, scheme. Roles, other bodies, bad input, queries."""

from datetime import date

import pytest
from django.urls import reverse

from tejun.assets import schemes, services
from tejun.assets.models import Asset, ClassificationLevel
from tejun.audit.models import AuditEvent

from .helpers import asset_fields, new_asset

LIST = reverse("assets:asset-list")
NEW = reverse("assets:asset-new")


def _form_data(**overrides):
    """POST data of the asset form: levels as ids of the body's active scheme."""
    data = {k: v for k, v in asset_fields().items() if k not in ("confidentiality", "integrity", "availability")}
    data.update(overrides)
    return data


def _level_ids(body, conf="2", integ="2", avail="1"):
    scheme = schemes.active_scheme(body)
    return {"confidentiality": schemes.level_by_code(scheme, "confidentiality", conf).pk,
            "integrity": schemes.level_by_code(scheme, "integrity", integ).pk,
            "availability": schemes.level_by_code(scheme, "availability", avail).pk}


# ------------------------------------------------------------------ list

def test_list_shows_the_register_with_export_links(login, manager, staff):
    new_asset(manager, name="議員名簿", confidentiality="3", has_personal_info=True)
    new_asset(manager, name="議会だより原稿", confidentiality="1")
    response = login(staff).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "議員名簿" in html and "議会だより原稿" in html and "重要性分類一覧表" in html
    assert f'href="{reverse("assets:export-xlsx")}"' in html and f'href="{reverse("assets:export-pdf")}"' in html
    assert reverse("assets:import-upload") not in html  # staff may not import
    assert NEW not in html
    assert 'href="/assets/"' in html and "情報資産" in html  # the main navigation


def test_keepers_see_import_and_new(login, staff_in_charge):
    html = login(staff_in_charge).get(LIST).content.decode()
    assert reverse("assets:import-upload") in html and NEW in html


def test_vendor_may_not_open_the_list(login, vendor, manager):
    new_asset(manager, name="議員名簿")
    response = login(vendor).get(LIST)
    assert response.status_code == 403
    assert "議員名簿" not in response.content.decode()


def test_anonymous_is_sent_to_login(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/login" in response["Location"]


def test_another_bodys_assets_are_not_listed(login, manager, outsider):
    new_asset(manager, name="わが町の議員名簿")
    html = login(outsider).get(LIST).content.decode()
    assert "わが町の議員名簿" not in html


def test_filters_and_links_keep_the_query(login, manager):
    new_asset(manager, name="議員名簿", confidentiality="3", has_personal_info=True)
    new_asset(manager, name="会議録", confidentiality="2")
    new_asset(manager, name="議会だより", confidentiality="1")
    response = login(manager).get(LIST, {"confidentiality_min": "2", "q": "議", "sort": "-name"})
    assert [r["asset"].name for r in response.context["rows"]] == ["議員名簿", "会議録"]
    html = response.content.decode()
    assert f'{reverse("assets:export-xlsx")}?q=%E8%AD%B0&amp;confidentiality_min=2&amp;sort=-name' in html
    assert f'{reverse("assets:export-pdf")}?q=%E8%AD%B0&amp;confidentiality_min=2&amp;sort=-name' in html
    # Column headings sort and keep the filters; the current column reverses.
    assert 'href="?q=%E8%AD%B0&amp;confidentiality_min=2&amp;sort=confidentiality"' in html
    assert 'href="?q=%E8%AD%B0&amp;confidentiality_min=2&amp;sort=name"' in html
    assert 'aria-sort="descending"' in html
    assert '<option value="2" selected>機密性2以上</option>' in html


def test_flag_filter_in_the_page(login, manager):
    new_asset(manager, name="議員名簿", has_personal_info=True)
    new_asset(manager, name="会議録")
    response = login(manager).get(LIST, {"has_personal_info": "1"})
    assert [r["asset"].name for r in response.context["rows"]] == ["議員名簿"]
    assert '<option value="1" selected>含む</option>' in response.content.decode()


def _bulk_assets(body, n):
    levels = {k: ClassificationLevel.objects.get(pk=v) for k, v in _level_ids(body).items()}
    from tejun.orgs.models import Post
    post = Post.objects.create(body=body, name=f"係{n}")
    Asset.objects.bulk_create([
        Asset(body=body, number=f"B-{i:05d}", department=f"所属{i % 7}", name=f"資産{i}", form="paper",
              manager_post=post, has_personal_info=bool(i % 2), confirmed_on=date(2020, 4, 1) if i % 3 else None,
              **levels) for i in range(n)])


@pytest.mark.parametrize("n", [5, 200])
def test_queries_per_page_do_not_grow_with_the_data(login, manager, django_assert_max_num_queries, n):
    _bulk_assets(manager.body, n)
    client = login(manager)
    client.get(LIST)  # first use sets up the scheme and settings
    with django_assert_max_num_queries(15):
        response = client.get(LIST, {"sort": "-confidentiality", "has_personal_info": "1", "due": "1"})
    assert response.status_code == 200 and response.context["rows"]
    with django_assert_max_num_queries(15):
        response = client.get(LIST, {"q": "資産", "page": "2"})
    # Page 2 of 200 has 50 rows; of 5, get_page() falls back to the last page with all 5.
    assert len(response.context["rows"]) == (50 if n == 200 else 5)


def test_pagination_is_50_a_page_and_keeps_filters(login, manager):
    _bulk_assets(manager.body, 120)
    response = login(manager).get(LIST, {"form": "paper"})
    assert len(response.context["rows"]) == 50
    assert response.context["page_obj"].paginator.num_pages == 3
    html = response.content.decode()
    assert 'href="?form=paper&amp;page=2"' in html or 'href="?form=paper&page=2"' in html
    last = login(manager).get(LIST, {"form": "paper", "page": "3"})
    assert len(last.context["rows"]) == 20


# ------------------------------------------------------------------ one asset

def test_asset_page_shows_fields_restrictions_note_and_history(login, manager, staff, post):
    asset = new_asset(manager, name="議員名簿", confidentiality="3", has_personal_info=True,
                      has_specific_personal_info=True, manager_post=post, retention_years=5,
                      expires_on=date(2031, 3, 31), confirmed_on=date(2025, 4, 1))
    services.update_asset(asset, actor=manager, location="事務局書庫キャビネットA", confidentiality="2")
    response = login(staff).get(asset.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "議員名簿" in html and "IA-00001" in html and "議事係長" in html
    assert "令和13年3月31日" in html and "令和7年4月1日" in html  # 和暦
    assert "5年" in html
    level2 = schemes.level_by_code(schemes.active_scheme(manager.body), "confidentiality", "2")
    for line in level2.restriction_lines:
        assert line in html
    assert "バックアップ、電子署名付与" in html  # 完全性2
    assert "個人情報を含む情報資産です。" in html and "特定個人情報（マイナンバー）" in html
    # History from the audit log, although staff may not open the audit page.
    assert login(staff).get(reverse("audit:event-list")).status_code == 403
    history = response.context["history"]
    assert [h["label"] for h in history] == ["修正", "登録"]
    changes = {c["field"]: (c["before"], c["after"]) for c in history[0]["changes"]}
    assert changes["機密性"] == ("機密性3", "機密性2")
    assert changes["保存場所"][1] == "事務局書庫キャビネットA"
    assert "機密性3 → 機密性2" in html
    # Staff without a role: no buttons.
    assert reverse("assets:asset-edit", args=[asset.pk]) not in html
    assert reverse("assets:asset-confirm", args=[asset.pk]) not in html


def test_no_personal_info_note_without_flags(login, manager):
    asset = new_asset(manager)
    assert "個人情報を含む情報資産です。" not in login(manager).get(asset.get_absolute_url()).content.decode()


def test_keepers_see_the_buttons(login, manager):
    asset = new_asset(manager)
    html = login(manager).get(asset.get_absolute_url()).content.decode()
    for name in ("asset-edit", "asset-confirm", "asset-dispose"):
        assert reverse(f"assets:{name}", args=[asset.pk]) in html


def test_post_holder_sees_confirm_but_not_edit(login, manager, staff, post):
    staff.post = post
    staff.save()
    asset = new_asset(manager, manager_post=post)
    html = login(staff).get(asset.get_absolute_url()).content.decode()
    assert reverse("assets:asset-confirm", args=[asset.pk]) in html
    assert reverse("assets:asset-edit", args=[asset.pk]) not in html


def test_scheme_change_shows_in_the_history(login, manager):
    asset = new_asset(manager, confidentiality="3")
    three = schemes.level_by_code(schemes.active_scheme(manager.body), "confidentiality", "3")
    used = schemes.used_levels(manager.body)
    schemes.change_scheme(actor=manager, preset="mic_r6",
                          mapping={**schemes.suggest_mapping([lv for lv, _n in used], "mic_r6"), three.pk: "3A"})
    response = login(manager).get(asset.get_absolute_url())
    row = response.context["history"][0]
    assert row["label"] == "分類体系の変更"
    assert {c["field"]: c["after"] for c in row["changes"]}["機密性"] == "機密性3A"


@pytest.mark.parametrize("name", ["asset-detail", "asset-edit"])
def test_another_bodys_asset_is_404(login, manager, outsider, name):
    asset = new_asset(manager)
    assert login(outsider).get(reverse(f"assets:{name}", args=[asset.pk])).status_code == 404


@pytest.mark.parametrize("name", ["asset-confirm", "asset-dispose"])
def test_another_bodys_asset_is_404_on_post(login, manager, outsider, name):
    asset = new_asset(manager)
    response = login(outsider).post(reverse(f"assets:{name}", args=[asset.pk]), {"confirm": "on"})
    assert response.status_code == 404
    asset.refresh_from_db()
    assert asset.status == "in_use" and asset.confirmed_on is None


def test_vendor_gets_404_for_an_asset(login, manager, vendor):
    asset = new_asset(manager)
    assert login(vendor).get(asset.get_absolute_url()).status_code == 404


# ------------------------------------------------------------------ create and edit

def test_new_asset_form_limits_choices_to_the_body(login, manager, post, other_post, other_body):
    response = login(manager).get(NEW)
    assert response.status_code == 200
    form = response.context["form"]
    scheme = schemes.active_scheme(manager.body)
    assert set(form.fields["confidentiality"].queryset) == set(scheme.levels.filter(axis="confidentiality"))
    assert list(form.fields["manager_post"].queryset) == [post]
    html = response.content.decode()
    assert "よその係長" not in html


def test_create_through_the_page(login, manager, post):
    data = _form_data(manager_post=post.pk, has_personal_info="on", retention_years="5", expires_on="2031-03-31",
                      **_level_ids(manager.body, conf="3"))
    response = login(manager).post(NEW, data)
    asset = Asset.objects.get()
    assert response.status_code == 302 and response["Location"] == asset.get_absolute_url()
    assert asset.number == "IA-00001" and asset.confidentiality.code == "3" and asset.has_personal_info
    assert asset.manager_post == post and asset.expires_on == date(2031, 3, 31)
    assert AuditEvent.objects.filter(object_type="assets.Asset", action="create").count() == 1


@pytest.mark.parametrize("overrides, field, message", [
    ({"name": ""}, "name", "この項目は必須です。"),
    ({"number": "IA-00001"}, "number", "管理番号 IA-00001 は既に使われています。"),
    ({"retention_years": "0"}, "retention_years", "保存年限は 1〜100 の年数で入力してください（常用・永年は空欄）。"),
    ({"expires_on": "2026-02-30"}, "expires_on", "日付を正しく入力してください。"),
])
def test_form_errors_in_japanese_and_nothing_saved(login, manager, overrides, field, message):
    new_asset(manager, name="既存")
    response = login(manager).post(NEW, _form_data(**_level_ids(manager.body), **overrides))
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert Asset.objects.count() == 1


def test_another_schemes_or_bodys_choices_are_refused(login, manager, other_body, other_post):
    theirs = schemes.level_by_code(schemes.active_scheme(other_body), "confidentiality", "2")
    response = login(manager).post(NEW, _form_data(**{**_level_ids(manager.body), "confidentiality": theirs.pk,
                                                      "manager_post": other_post.pk}))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "confidentiality" in errors and "manager_post" in errors
    assert not Asset.objects.exists()


@pytest.mark.parametrize("who", ["staff", "auditor", "supreme_admin", "vendor"])
def test_others_may_not_create_through_the_page(request, login, who):
    user = request.getfixturevalue(who)
    client = login(user)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _form_data(**_level_ids(user.body))).status_code == 403
    assert not Asset.objects.exists()


def test_edit_through_the_page(login, manager, officer):
    asset = new_asset(manager)
    url = reverse("assets:asset-edit", args=[asset.pk])
    response = login(officer).get(url)
    assert response.status_code == 200 and response.context["form"].initial["name"] == asset.name
    response = login(officer).post(url, _form_data(name="本会議 会議録（修正）", number=asset.number,
                                                   **_level_ids(manager.body, conf="3")))
    assert response.status_code == 302
    asset.refresh_from_db()
    assert asset.name == "本会議 会議録（修正）" and asset.confidentiality.code == "3"


def test_bad_edit_changes_nothing(login, manager):
    asset = new_asset(manager)
    url = reverse("assets:asset-edit", args=[asset.pk])
    response = login(manager).post(url, _form_data(name="変更", form="", **_level_ids(manager.body)))
    assert response.status_code == 400
    asset.refresh_from_db()
    assert asset.name != "変更"
    assert not AuditEvent.objects.filter(object_type="assets.Asset", action="update").exists()


def test_staff_may_not_edit(login, manager, staff):
    asset = new_asset(manager)
    url = reverse("assets:asset-edit", args=[asset.pk])
    assert login(staff).get(url).status_code == 403
    assert login(staff).post(url, _form_data(name="変更", **_level_ids(manager.body))).status_code == 403
    asset.refresh_from_db()
    assert asset.name != "変更"


# ------------------------------------------------------------------ confirm and dispose

def test_confirm_records_who_and_when(login, manager, staff, post):
    staff.post = post
    staff.save()
    asset = new_asset(manager, manager_post=post)
    url = reverse("assets:asset-confirm", args=[asset.pk])
    assert login(staff).get(url).status_code == 405
    response = login(staff).post(url, follow=True)
    assert "記載内容を確認したことを記録しました。" in response.content.decode()
    asset.refresh_from_db()
    assert asset.confirmed_by == staff and asset.confirmed_on is not None
    assert "職員 四郎" in response.content.decode()


def test_staff_without_the_post_may_not_confirm(login, manager, staff, post):
    asset = new_asset(manager, manager_post=post)
    assert login(staff).post(reverse("assets:asset-confirm", args=[asset.pk])).status_code == 403
    asset.refresh_from_db()
    assert asset.confirmed_on is None


def test_dispose_needs_the_check(login, manager):
    asset = new_asset(manager)
    url = reverse("assets:asset-dispose", args=[asset.pk])
    response = login(manager).post(url, {"note": "溶解"}, follow=True)
    assert "確認のチェックを入れてください" in response.content.decode()
    asset.refresh_from_db()
    assert asset.status == "in_use"
    response = login(manager).post(url, {"note": "溶解処理", "confirm": "on"}, follow=True)
    asset.refresh_from_db()
    assert asset.status == "disposed" and "溶解処理" in asset.note
    assert "廃棄済にしました" in response.content.decode()
    response = login(manager).post(url, {"confirm": "on"}, follow=True)
    assert "既に廃棄済です" in response.content.decode()


def test_staff_may_not_dispose(login, manager, staff):
    asset = new_asset(manager)
    assert login(staff).post(reverse("assets:asset-dispose", args=[asset.pk]), {"confirm": "on"}).status_code == 403
    asset.refresh_from_db()
    assert asset.status == "in_use"


# ------------------------------------------------------------------ the scheme

SCHEME = reverse("assets:scheme")
CHANGE = reverse("assets:scheme-change")


def test_scheme_page_for_staff_is_read_only(login, staff):
    response = login(staff).get(SCHEME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "総務省ガイドライン（令和4年版）" in html and "機密性3" in html and "復元不可能な処理を施しての廃棄" in html
    assert "/assets/scheme/levels/" not in html and CHANGE not in html
    assert "12 か月ごと" in html


def test_scheme_page_for_managers_has_edit_links(login, manager):
    html = login(manager).get(SCHEME).content.decode()
    level = schemes.level_by_code(schemes.active_scheme(manager.body), "confidentiality", "3")
    assert reverse("assets:level-edit", args=[level.pk]) in html and CHANGE in html


def test_vendor_may_not_see_the_scheme(login, vendor):
    assert login(vendor).get(SCHEME).status_code == 403


def test_level_edit(login, manager, staff, outsider):
    level = schemes.level_by_code(schemes.active_scheme(manager.body), "confidentiality", "2")
    url = reverse("assets:level-edit", args=[level.pk])
    assert login(staff).get(url).status_code == 403
    assert login(outsider).get(url).status_code == 404
    response = login(manager).post(url, {"definition": "", "handling_restrictions": "施錠保管"})
    assert response.status_code == 400 and "この項目は必須です。" in response.content.decode()
    response = login(manager).post(url, {"definition": "非公開の情報", "handling_restrictions": "施錠保管\n複製禁止"})
    assert response.status_code == 302
    level.refresh_from_db()
    assert level.definition == "非公開の情報" and level.restriction_lines == ["施錠保管", "複製禁止"]
    assert login(staff).post(url, {"definition": "x"}).status_code == 403
    level.refresh_from_db()
    assert level.definition == "非公開の情報"


def test_confirmation_months_setting(login, manager, staff):
    assert login(staff).post(SCHEME, {"confirmation_months": "6"}).status_code == 403
    response = login(manager).post(SCHEME, {"confirmation_months": "0"})
    assert response.status_code == 400
    assert services.register_settings(manager.body).confirmation_months == 12
    assert login(manager).post(SCHEME, {"confirmation_months": "6"}).status_code == 302
    assert services.register_settings(manager.body).confirmation_months == 6


@pytest.fixture
def mixed_register(manager):
    return [new_asset(manager, name="非公開資料", confidentiality="3"),
            new_asset(manager, name="議員名簿", confidentiality="2"),
            new_asset(manager, name="議会だより", confidentiality="1")]


def test_scheme_change_page_suggests_the_obvious(login, manager, mixed_register):
    response = login(manager).get(CHANGE)
    assert response.status_code == 200
    scheme = schemes.active_scheme(manager.body)
    form = response.context["form"]
    three = schemes.level_by_code(scheme, "confidentiality", "3")
    two = schemes.level_by_code(scheme, "confidentiality", "2")
    assert form[f"level_{three.pk}"].initial == "" and form[f"level_{two.pk}"].initial == "2"
    choices = [c for c, _l in form.fields[f"level_{three.pk}"].choices]
    assert choices == ["", "3A", "3B", "3C", "2", "1"]
    assert "機密性3（1件）の移行先" in response.content.decode()


def test_scheme_change_without_complete_mapping_is_refused(login, manager, mixed_register):
    scheme = schemes.active_scheme(manager.body)
    three = schemes.level_by_code(scheme, "confidentiality", "3")
    data = {"preset": "mic_r6", **{f"level_{lv.pk}": code for lv, code in
                                   ((lv, lv.code) for lv, _n in schemes.used_levels(manager.body))}}
    data[f"level_{three.pk}"] = ""
    response = login(manager).post(CHANGE, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "使用中の分類すべてに移行先を指定してください。" in html and "機密性3 の移行先を指定してください。" in html
    assert schemes.active_scheme(manager.body).pk == scheme.pk
    assert Asset.objects.filter(confidentiality=three).count() == 1


def test_scheme_change_with_complete_mapping(login, manager, mixed_register):
    scheme = schemes.active_scheme(manager.body)
    three = schemes.level_by_code(scheme, "confidentiality", "3")
    data = {"preset": "mic_r6", **{f"level_{lv.pk}": lv.code for lv, _n in schemes.used_levels(manager.body)}}
    data[f"level_{three.pk}"] = "3A"
    response = login(manager).post(CHANGE, data, follow=True)
    assert "分類体系を「総務省ガイドライン（令和6年版）」に変更しました（情報資産 3 件の分類を移行）。" in response.content.decode()
    assert Asset.objects.get(name="非公開資料").confidentiality.code == "3A"
    assert AuditEvent.objects.filter(object_type="assets.Asset", action="change_scheme").count() == 3


@pytest.mark.parametrize("who", ["staff", "officer", "staff_in_charge"])
def test_others_may_not_change_the_scheme(request, login, mixed_register, who):
    client = login(request.getfixturevalue(who))
    assert client.get(CHANGE).status_code == 403
    assert client.post(CHANGE, {"preset": "mic_r6"}).status_code == 403
    assert schemes.active_scheme(mixed_register[0].body).preset == "mic_r4"


def test_import_events_show_in_the_history(login, manager):
    from tejun.audit.services import record_many, snapshot

    asset = new_asset(manager)
    before = snapshot(asset)
    Asset.objects.filter(pk=asset.pk).update(location="キャビネットC")
    asset.refresh_from_db()
    record_many(manager, [("import.update", asset, before, snapshot(asset))], body=manager.body)
    row = login(manager).get(asset.get_absolute_url()).context["history"][0]
    assert row["label"] == "Excel から更新"
    assert [(c["field"], c["after"]) for c in row["changes"]] == [("保存場所", "キャビネットC")]


def test_admin_is_read_only(client, manager, body):
    from tejun.orgs.models import User

    new_asset(manager, name="議員名簿")
    from django.utils import timezone

    root = User.objects.create_superuser("root", "Kumo-to-Sora-7294", full_name="管理者", body=body,
                                         password_changed_at=timezone.now())
    client.force_login(root)
    response = client.get("/admin/assets/asset/")
    assert response.status_code == 200 and "議員名簿" in response.content.decode()
    assert client.get("/admin/assets/asset/add/").status_code == 403
    asset = Asset.objects.get()
    assert client.post(f"/admin/assets/asset/{asset.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Asset.objects.filter(pk=asset.pk).exists()
    assert client.get("/admin/assets/classificationscheme/").status_code == 200
