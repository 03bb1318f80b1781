"""The list's text search through its index (issue 8; tejun/assets/search.py), on SQLite and PostgreSQL.

Same meaning as before the index: every word, as typed or NFKC, in one of name / 所属 / 業務 / 保存場所 / 管理番号,
case-insensitively as icontains (Latin letters), `%` and `_` literally; words of 1, 2 and 3+ characters; every
way an asset changes (services, import, bulk writes, delete) is seen at once; another body's assets never."""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from tejun.assets import imports, search, services
from tejun.assets.models import Asset
from tejun.assets.selectors import AssetFilter, _variants, asset_list

from .helpers import new_asset
from .io_helpers import make_xlsx, row

pytestmark = pytest.mark.django_db

API = "/api/v1/assets/"


def _names(user, q, **params) -> list[str]:
    query = QueryDict(mutable=True)
    query.update({"q": q, **params})
    return sorted(a.name for a in asset_list(user, AssetFilter.from_params(query)))


@pytest.fixture
def register(manager):
    def add(name, department="議会事務局", business="", location="", number=None, **kw):
        fields = {"name": name, "department": department, "business": business, "location": location, **kw}
        if number:
            fields["number"] = number
        return new_asset(manager, **fields)

    return [
        add("本会議 会議録", "議会事務局 議事係", "会議録の調製", r"\\gikai-nas\share\議事", "IA-00001"),
        add("議員名簿", "議会事務局 総務係", "議員報酬の支給", "事務局書庫キャビネットA", "IA-00002"),
        add("広報誌 原稿", "総務部 情報政策課", "広報", "クラウド文書管理", "KH-7"),
        add("NAS設定表", "情報政策課", "Network機器の管理", "サーバ室 ラック3", "SYS-0001"),
        add("ｶﾀｶﾅ台帳", "税務課", "課税", "倉庫", "ZEI-1"),
        add("進捗率100%_最終", "企画課", "計画", "棚", "PLAN-1"),
        add("閲覧用写し", "甲乙", "丙", "丁戊", "M-1"),  # 甲乙 | 丙 | 丁戊: no word across two columns
        add("引継ぎ書", "人事課", "引継ぎ", "金庫", "HR-1", status="disposed"),
    ]


@pytest.mark.parametrize("q, expected", [
    # 1, 2, 3+ characters
    ("簿", ["議員名簿"]),
    ("会議", ["本会議 会議録"]),
    ("会議録", ["本会議 会議録"]),
    ("議員報酬の支給", ["議員名簿"]),
    # one column each
    ("広報誌", ["広報誌 原稿"]),                    # name only
    ("政策課", ["NAS設定表", "広報誌 原稿"]),        # department only
    ("報酬", ["議員名簿"]),                        # business only
    ("キャビネット", ["議員名簿"]),                  # location only
    ("gikai-nas", ["本会議 会議録"]),               # location, Latin
    ("KH-7", ["広報誌 原稿"]),                      # number only
    ("00002", ["議員名簿"]),
    ("7", ["広報誌 原稿"]),
    # two words: both must occur (in any columns)
    ("議会 名簿", ["議員名簿"]),
    ("議会事務局　会議録", ["本会議 会議録"]),         # 全角スペース
    ("会議 名簿", []),
    # full-width / half-width forms and Latin case
    ("ＮＡＳ", ["NAS設定表", "本会議 会議録"]),        # NFKC: NAS, also in \\gikai-nas
    ("nas", ["NAS設定表", "本会議 会議録"]),
    ("network", ["NAS設定表"]),
    ("ｎｅｔｗｏｒｋ", ["NAS設定表"]),
    ("ｶﾀｶﾅ", ["ｶﾀｶﾅ台帳"]),                          # as typed
    ("カタカナ", []),                               # the stored text is half-width; NFKC is of the word only
    ("ｶﾀ", ["ｶﾀｶﾅ台帳"]),
    ("ia-0000", ["議員名簿", "本会議 会議録"]),
    ("sys", ["NAS設定表"]),
    # % and _ are literal
    ("%", ["進捗率100%_最終"]),
    ("_", ["進捗率100%_最終"]),
    ("100%", ["進捗率100%_最終"]),
    ("0%_", ["進捗率100%_最終"]),
    ("%議", []),
    # never across two columns (写し | 甲乙 | 丙 | 丁戊)
    ("丙", ["閲覧用写し"]),
    ("甲乙", ["閲覧用写し"]),
    ("乙丙", []),
    ("甲乙丙", []),
    ("丙丁", []),
    ("し甲", []),
    ("事務", ["本会議 会議録", "議員名簿"]),
    # nothing
    ("存在しない語", []),
    ("ゑ", []),
    ("ゑゑ", []),
    # the status filter still applies (in use only by default)
    ("引継ぎ", []),
])
def test_search_words(register, manager, q, expected):
    assert _names(manager, q) == sorted(expected)


def test_half_width_word_finds_full_width_text(manager):
    new_asset(manager, name="カタカナ資料", number="K-1")
    assert _names(manager, "ｶﾀｶﾅ") == ["カタカナ資料"]
    assert _names(manager, "ｶﾀ") == ["カタカナ資料"]   # 2 half-width characters, NFKC カタ
    assert _names(manager, "ﾀﾞ") == []              # ﾀﾞ -> ダ (one character)
    new_asset(manager, name="ダム台帳", number="K-2")
    assert _names(manager, "ﾀﾞ") == ["ダム台帳"]


def test_other_filters_and_status_still_apply(register, manager):
    assert _names(manager, "引継ぎ", status="") == ["引継ぎ書"]
    assert _names(manager, "課", department="税務課") == ["ｶﾀｶﾅ台帳"]
    assert _names(manager, "議", form="paper") == []
    assert _names(manager, "議", form="electronic") == ["本会議 会議録", "議員名簿"]


def test_another_bodys_assets_are_never_found(register, manager, outsider):
    theirs = new_asset(outsider, name="本会議 会議録（よそ）", number="IA-00001")
    assert _names(manager, "会議録") == ["本会議 会議録"]
    assert _names(outsider, "会議録") == [theirs.name]
    assert _names(outsider, "名簿") == []


def test_the_index_agrees_with_plain_icontains(register, manager, outsider):
    """Whatever the word, the index finds exactly what icontains over the five columns finds."""
    new_asset(outsider, name="Ｆｕｌｌ ｗｉｄｔｈ ａｂｃ", department="よそ", number="O-1")
    new_asset(manager, name='引用符"入り" と \\ 記号', department="ﾃｽﾄ課", business="ÄÖü ß", location="😀絵文字😀",
              number="Q-1")
    words = ["a", "A", "ab", "abc", "ａｂｃ", "議", "会", "議会", "事務局", "務局", "IA", "ia-", "1", "00", "0001",
             '"', '"入', '符"入り"', "\\", "\\ 記", "ß", "ü", "Ü", "😀", "😀絵", "ﾃｽ", "テスト", "ｽﾄ課", "%", "_", "録の調",
             "nas\\", "cabinet", "課", "書庫", "庫キ", "ラック3", "事務", "金庫"]
    for variants in [sorted(_variants(w)) for w in words]:
        expected = set(Asset.objects.filter(search._plain_filter([variants])).values_list("pk", flat=True))
        found = set(Asset.objects.filter(search.word_filter([variants])).values_list("pk", flat=True))
        assert found == expected, variants
    for pair in [("議", "事務局"), ("IA", "1"), ("😀", "ü"), ("ﾃｽ", "記"), ("a", "ｂ")]:
        both = [sorted(_variants(w)) for w in pair]
        expected = set(Asset.objects.filter(search._plain_filter(both)).values_list("pk", flat=True))
        assert set(Asset.objects.filter(search.word_filter(both)).values_list("pk", flat=True)) == expected, pair


def test_short_word_with_many_trigrams_is_read_row_by_row(register, manager, monkeypatch):
    """SQLite: a 1-2 character word that begins more trigrams than SHORT_TERMS_MAX reads the texts instead."""
    monkeypatch.setattr(search, "SHORT_TERMS_MAX", 0)
    assert _names(manager, "会議") == ["本会議 会議録"]
    assert _names(manager, "議 簿") == ["議員名簿"]
    assert _names(manager, "ｎ 設定") == ["NAS設定表"]
    assert _names(manager, "ゑ") == []


@pytest.mark.parametrize("walk_above", [-1, 10**9])
def test_pages_are_the_same_whether_sqlite_walks_the_number_index_or_not(manager, monkeypatch, walk_above):
    """SQLite: a page of a word found in many assets walks the number index (+id); same rows, order, count."""
    monkeypatch.setattr(search, "WALK_ABOVE", walk_above)
    for i in range(30):
        new_asset(manager, name=f"台帳{i:02d}" + ("（写し）" if i % 3 else ""), number=f"N-{(i * 7) % 30:02d}",
                  **({"status": "disposed"} if i % 5 == 0 else {}))
    for params in ({"q": "台帳"}, {"q": "写し", "sort": "-number"}, {"q": "台帳 写", "status": ""},
                   {"q": "台", "sort": "name"}, {"q": "（写し）", "status": "", "sort": "-number"}):
        qs = asset_list(manager, AssetFilter.from_params(params))
        everything = [a.number for a in qs]
        assert everything, params
        assert list(qs.values_list("number", flat=True)[:7]) == everything[:7]
        assert list(qs.values_list("number", flat=True)[5:11]) == everything[5:11]
        assert qs.count() == len(everything)
        if connection.vendor == "sqlite":
            walks = walk_above < 0 and params.get("sort", "number").lstrip("-") == "number"
            assert ('+"assets_asset"."id" IN' in str(qs.values_list("pk")[:7].query)) == walks
            assert '+"assets_asset"' not in str(qs.query)  # not a page: looked up
        plain = Asset.objects.filter(search._plain_filter([sorted(_variants(w)) for w in params["q"].split()]))
        plain = plain.filter(**({"status": "in_use"} if params.get("status", "in_use") else {}))
        assert sorted(everything) == sorted(plain.values_list("number", flat=True))


# ---------------------------------------------------------------- every change is seen

def test_services_create_update_dispose_are_seen(manager):
    asset = new_asset(manager, name="予算書", number="B-1")
    assert _names(manager, "予算") == ["予算書"]
    services.update_asset(asset, actor=manager, name="決算書", location="第二書庫")
    assert _names(manager, "予算") == []
    assert _names(manager, "決算") == ["決算書"]
    assert _names(manager, "第二書庫") == ["決算書"]
    asset.refresh_from_db()
    services.dispose_asset(asset, actor=manager)
    assert _names(manager, "決算") == []
    assert _names(manager, "決算", status="") == ["決算書"]


def test_bulk_writes_and_delete_are_seen(manager):
    asset = new_asset(manager, name="旧名称", number="B-1")
    Asset.objects.filter(pk=asset.pk).update(department="新設課")         # queryset update, no save()
    assert _names(manager, "新設") == ["旧名称"]
    asset.refresh_from_db()
    asset.business = "臨時業務"
    Asset.objects.bulk_update([asset], ["business"])
    assert _names(manager, "臨時") == ["旧名称"]
    copy = Asset(**{f.attname: getattr(asset, f.attname) for f in Asset._meta.concrete_fields
                    if not f.primary_key} | {"number": "B-2", "name": "一括登録"})
    Asset.objects.bulk_create([copy])                                     # as the import and the loadgen do
    assert _names(manager, "一括") == ["一括登録"]
    Asset.objects.filter(pk=asset.pk).delete()
    assert _names(manager, "新設") == ["一括登録"]                            # the copy kept 新設課
    assert _names(manager, "旧名") == []
    Asset.objects.filter(number="B-2").update(number="B-3")
    assert _names(manager, "B-3") == ["一括登録"] and _names(manager, "B-2") == []


def test_import_create_and_update_are_seen(staff_in_charge):
    new_asset(staff_in_charge, number="IA-00001", name="会議録")
    batch = imports.upload_batch(actor=staff_in_charge, file_name="台帳.xlsx", mode="update", data=make_xlsx([
        row(管理番号="IA-00001", 資産名称="議事録（改訂）"),
        row(管理番号="IA-00002", 資産名称="取込んだ名簿", 保存場所="書庫Ｂ"),
    ]))
    imports.commit_batch(batch, actor=staff_in_charge)
    assert _names(staff_in_charge, "会議録") == []
    assert _names(staff_in_charge, "改訂") == ["議事録（改訂）"]
    assert _names(staff_in_charge, "書庫Ｂ") == ["取込んだ名簿"]
    assert _names(staff_in_charge, "録") == ["議事録（改訂）"]
    assert _names(staff_in_charge, "名簿") == ["取込んだ名簿"]


# ---------------------------------------------------------------- the page and the API

def test_page_and_api_search(register, manager, outsider, login, api):
    new_asset(outsider, name="議員名簿（よそ）", business="議員報酬の支給")
    html = login(manager).get(reverse("assets:asset-list"), {"q": "議員報"}).content.decode()
    assert re.search(r'id="result-count">\s*1件', html)
    assert "議員名簿" in html and "本会議 会議録" not in html and "議員名簿（よそ）" not in html
    html = login(manager).get(reverse("assets:asset-list"), {"q": "ＮＡＳ 設定"}).content.decode()
    assert re.search(r'id="result-count">\s*1件', html) and "NAS設定表" in html
    client = api(manager)
    body = client.get(API, {"q": "会議"}).json()
    assert body["count"] == 1 and [a["name"] for a in body["results"]] == ["本会議 会議録"]
    assert client.get(API, {"q": "議員 報酬"}).json()["count"] == 1
    assert client.get(API, {"q": "100%"}).json()["count"] == 1
    assert client.get(API, {"q": "1_0"}).json()["count"] == 0


# ---------------------------------------------------------------- the index itself

def test_the_index_is_used(register):
    """The query's expression is the indexed one (PostgreSQL), the FTS table answers (SQLite)."""
    sql, params = Asset.objects.filter(search.word_filter([["議員報"]])).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(r[-1]) for r in cursor.fetchall())
            assert f"SCAN {search.FTS} VIRTUAL TABLE" in plan, plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: a scan would be cheaper
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(r[0] for r in cursor.fetchall())
            assert search.PG_INDEX in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds tables to alter them")
def test_repair_puts_back_what_a_table_rebuild_dropped(manager):
    asset = new_asset(manager, name="予算書", number="B-1")
    with connection.cursor() as cursor:
        for trigger in search.TRIGGERS:
            cursor.execute(f"DROP TRIGGER {trigger}")
        cursor.execute(f"DROP INDEX {search.IDS_INDEX}")
    Asset.objects.filter(pk=asset.pk).update(name="決算書")  # unseen by the index meanwhile
    search.repair(connection)
    assert _names(manager, "予算") == [] and _names(manager, "決算") == ["決算書"]
    services.update_asset(Asset.objects.get(pk=asset.pk), actor=manager, name="補正予算書")
    assert _names(manager, "補正") == ["補正予算書"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = %s", [search.IDS_INDEX])
        assert cursor.fetchone()
