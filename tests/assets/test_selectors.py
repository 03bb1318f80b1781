"""Finding things: partial-match search in Japanese, every filter, "機密性2以上", scoping, history."""

from datetime import date, timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from tejun.assets import schemes, services
from tejun.assets.models import Asset
from tejun.assets.selectors import AssetFilter, asset_history, asset_list, departments, months_before

from .helpers import new_asset


def _names(user, **params) -> list[str]:
    q = QueryDict(mutable=True)
    q.update(params)
    return [a.name for a in asset_list(user, AssetFilter.from_params(q))]


@pytest.fixture
def register(manager, post):
    return [
        new_asset(manager, name="本会議 会議録", department="議会事務局 議事係", business="会議録の調製",
                  location=r"\\gikai-nas\share\議事", confidentiality="2", integrity="2", availability="2"),
        new_asset(manager, name="議員名簿", department="議会事務局 総務係", business="議員の連絡調整",
                  location="事務局書庫キャビネットA", form="paper", network_layer="", confidentiality="3",
                  has_personal_info=True, manager_post=post),
        new_asset(manager, name="議会だより原稿", department="議会事務局 議事係", business="広報",
                  location="クラウド会議録システム", form="system", network_layer="internet", confidentiality="1",
                  integrity="1"),
        new_asset(manager, name="政務活動費 領収書", department="議会事務局 総務係", business="政務活動費の交付",
                  location="事務局書庫キャビネットB", form="paper", network_layer="", confidentiality="2",
                  has_personal_info=True, has_sensitive_personal_info=True, has_specific_personal_info=True),
    ]


@pytest.mark.parametrize("q, expected", [
    ("会議録", ["本会議 会議録", "議会だより原稿"]),          # name, and place "クラウド会議録システム"
    ("総務係", ["議員名簿", "政務活動費 領収書"]),            # 所属
    ("政務活動費", ["政務活動費 領収書"]),                   # name and 業務
    ("キャビネット", ["議員名簿", "政務活動費 領収書"]),       # 保存場所
    ("gikai-nas", ["本会議 会議録"]),
    ("ＧＩＫＡＩ－ＮＡＳ", ["本会議 会議録"]),                # full-width (NFKC) finds half-width text
    ("ｇｉｋａｉ", ["本会議 会議録"]),                       # full-width letters find half-width text
    ("議事係　会議録", ["本会議 会議録", "議会だより原稿"]),   # 全角スペース: every word must match
    ("議事係 名簿", []),
    ("IA-00002", ["議員名簿"]),
    ("存在しない", []),
])
def test_search_is_partial_match_on_name_department_business_place(register, manager, q, expected):
    assert sorted(_names(manager, q=q)) == sorted(expected)


def test_filters(register, manager, post):
    assert _names(manager, confidentiality="2") == ["本会議 会議録", "政務活動費 領収書"]
    assert _names(manager, integrity="1") == ["議会だより原稿"]
    assert _names(manager, availability="2") == ["本会議 会議録"]
    assert _names(manager, department="議会事務局 総務係") == ["議員名簿", "政務活動費 領収書"]
    assert _names(manager, department="総務係") == []  # the 所属 filter is exact; search is partial
    assert _names(manager, form="paper") == ["議員名簿", "政務活動費 領収書"]
    assert _names(manager, network_layer="internet") == ["議会だより原稿"]
    assert _names(manager, network_layer="none") == ["議員名簿", "政務活動費 領収書"]
    assert _names(manager, has_personal_info="1") == ["議員名簿", "政務活動費 領収書"]
    assert _names(manager, has_personal_info="0") == ["本会議 会議録", "議会だより原稿"]
    assert _names(manager, has_sensitive_personal_info="1") == ["政務活動費 領収書"]
    assert _names(manager, has_specific_personal_info="true") == ["政務活動費 領収書"]
    assert _names(manager, manager_post=str(post.pk)) == ["議員名簿"]
    assert _names(manager, confidentiality="2", has_personal_info="1") == ["政務活動費 領収書"]


def test_confidentiality_2_or_higher_on_r6(manager):
    schemes.change_scheme(actor=manager, preset="mic_r6", mapping={})
    for code in ("3A", "3B", "3C", "2", "1"):
        new_asset(manager, name=f"機密性{code}の資産", confidentiality=code)
    assert _names(manager, confidentiality_min="2") == [f"機密性{c}の資産" for c in ("3A", "3B", "3C", "2")]
    assert _names(manager, confidentiality_min="3") == [f"機密性{c}の資産" for c in ("3A", "3B", "3C")]
    assert _names(manager, confidentiality="3B") == ["機密性3Bの資産"]
    assert _names(manager, sort="-confidentiality")[0] == "機密性3Aの資産"
    assert _names(manager, sort="confidentiality")[0] == "機密性1の資産"


def test_status_defaults_to_in_use(register, manager):
    services.dispose_asset(register[0], actor=manager)
    assert "本会議 会議録" not in _names(manager)
    assert _names(manager, status="disposed") == ["本会議 会議録"]
    assert len(_names(manager, status="")) == 4


def test_sorting(register, manager):
    assert _names(manager, sort="-number")[0] == "政務活動費 領収書"
    assert _names(manager, sort="name") == sorted(a.name for a in register)
    assert _names(manager, sort="nonsense") == [a.name for a in register]  # unknown sort: by number


def test_bad_parameters_are_ignored(register, manager):
    flt = AssetFilter.from_params({"confidentiality_min": "二", "manager_post": "x", "has_personal_info": "maybe",
                                   "sort": "; drop table", "due": "perhaps"})
    assert flt == AssetFilter()
    assert len(asset_list(manager, flt)) == 4


def test_as_query_keeps_only_what_was_chosen():
    flt = AssetFilter.from_params({"q": "会議録", "status": "", "has_personal_info": "0", "confidentiality_min": "2",
                                   "due": "1", "sort": "-name", "page": "3"})
    assert flt.as_query() == {"q": "会議録", "status": "", "has_personal_info": "0", "confidentiality_min": 2,
                              "due": "1", "sort": "-name"}
    assert AssetFilter.from_params({k: str(v) for k, v in flt.as_query().items()}) == flt


def test_another_body_and_vendors_see_nothing(register, outsider, vendor, staff):
    new_asset(outsider, name="よその資産")
    assert _names(outsider) == ["よその資産"]
    assert _names(vendor) == []
    assert len(_names(staff)) == 4
    assert departments(outsider) == ["議会事務局 議事係"]


def test_departments_are_distinct_and_sorted(register, manager):
    assert departments(manager) == sorted({"議会事務局 議事係", "議会事務局 総務係"})


# ------------------------------------------------------------------ due for confirmation

def test_months_before_clamps_the_day():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2028, 3, 31), 1) == date(2028, 2, 29)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)


def test_due_filter_follows_the_bodys_cycle(manager):
    today = timezone.localdate()
    old = new_asset(manager, name="13か月前に確認", confirmed_on=months_before(today, 13))
    new_asset(manager, name="11か月前に確認", confirmed_on=months_before(today, 11))
    never = new_asset(manager, name="未確認・2年前に登録")
    Asset.objects.filter(pk=never.pk).update(created_at=timezone.now() - timedelta(days=800))
    new_asset(manager, name="未確認・今日登録")
    services.dispose_asset(old, actor=manager)
    assert _names(manager, due="1", status="") == ["未確認・2年前に登録"]
    services.set_confirmation_months(actor=manager, months=6)
    assert _names(manager, due="1") == ["11か月前に確認", "未確認・2年前に登録"]


# ------------------------------------------------------------------ history

def test_history_is_for_those_who_see_the_asset(manager, staff, vendor, outsider, auditor):
    asset = new_asset(manager)
    services.update_asset(asset, actor=manager, name="改名")
    assert [e.action for e in asset_history(staff, asset)] == ["update", "create"]
    assert [e.action for e in asset_history(auditor, asset)] == ["update", "create"]
    assert list(asset_history(vendor, asset)) == []
    assert list(asset_history(outsider, asset)) == []
