"""Excel import of the register: template, row-by-row checks, preview, all-or-nothing commit (issue 3, part 4)."""

import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tejun.assets import imports
from tejun.assets.exports import HEADERS
from tejun.assets.models import Asset, ImportBatch
from tejun.audit.models import AuditEvent
from tejun.lib import xlsx
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.orgs.models import Post

from .helpers import new_asset
from .io_helpers import make_xlsx, row

pytestmark = pytest.mark.django_db


def upload(actor, data, mode="create", name="台帳.xlsx"):
    return imports.upload_batch(actor=actor, file_name=name, data=data, mode=mode)


def errors_of(batch):
    return {(e["row"], e["column"]): e["message"] for e in batch.errors}


# --- the template ------------------------------------------------------------------------------

def test_template_has_headers_drop_downs_and_instructions(login, staff_in_charge, post):
    r = login(staff_in_charge).get(reverse("assets:import-template"))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    ws = wb.worksheets[0]
    assert ws.title == "重要性分類一覧表"
    assert tuple(c.value for c in ws[1]) == HEADERS
    # No example row: the clerk's rows start at row 2 (the cells below are only formatted).
    assert all(c.value is None for r_ in ws.iter_rows(min_row=2) for c in r_)
    assert ws.column_dimensions["C"].width == 30
    validated = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert set(validated) >= {"E2", "H2", "I2", "J2", "K2", "L2", "M2", "N2", "T2"}  # 形態, levels, flags, post, 状態
    choices = wb["選択肢"]
    listed = {c.value for col in choices.iter_cols() for c in col}
    assert {"紙", "電子", "システム", "○", "3", "2", "1", "議事係長"} <= listed
    guide = wb["記入方法"]
    text = "\n".join(str(c.value) for r_ in guide.iter_rows() for c in r_ if c.value)
    assert "管理番号" in text and "空欄にすると自動で採番" in text
    assert "秘密文書に相当する機密性を要する情報資産" in text  # the level definitions of the body's scheme
    assert "議事係長" in text


def test_template_and_upload_page_refused_without_import_right(login, staff, vendor):
    for user in (staff, vendor):
        client = login(user)
        assert client.get(reverse("assets:import-template")).status_code == 403
        assert client.get(reverse("assets:import-upload")).status_code == 403


# --- values as a clerk writes them ---------------------------------------------------------------

def test_clerk_values_are_read_and_committed(staff_in_charge, post):
    data = make_xlsx([
        row(管理番号="", 資産名称="議事録", 形態="紙", ネットワーク="", 機密性=3, 完全性="２", 可用性="1",
            個人情報="○", 要配慮個人情報="〇", 特定個人情報="●", **{"管理者（役職）": "議事係長"},
            **{"保存年限（年）": 10}, 満了日=datetime(2035, 3, 31), 確認日="2025/4/1", 状態="使用中", 備考="一行目\n二行目"),
        row(管理番号="", 資産名称="傍聴者名簿", 形態="電子", ネットワーク="LGWAN接続系", 個人情報=1, 要配慮個人情報=True,
            特定個人情報="あり", **{"保存年限（年）": "5年"}, 満了日="令和12年3月31日", 確認日="R7.4.1"),
        row(管理番号="GK-7", 資産名称="議会だより原稿", 形態="システム", 個人情報="はい", 要配慮個人情報="×",
            特定個人情報="なし", **{"保存年限（年）": "常用"}, 満了日="2030-03-31", 確認日=date(2025, 4, 1)),
    ])
    batch = upload(staff_in_charge, data)
    assert batch.errors == []
    assert batch.status == ImportBatch.Status.VALIDATED
    assert (batch.total_rows, batch.create_count, batch.update_count) == (3, 3, 0)
    assert Asset.objects.count() == 0  # nothing is written before the commit
    assert [p["number"] for p in batch.preview] == ["IA-00001", "IA-00002", "GK-7"]

    batch = imports.commit_batch(batch, actor=staff_in_charge)
    assert batch.status == ImportBatch.Status.COMMITTED and batch.committed_at
    a1, a2, a3 = Asset.objects.order_by("id")
    assert (a1.number, a1.form, a1.network_layer) == ("IA-00001", "paper", "")
    assert (a1.confidentiality.code, a1.integrity.code, a1.availability.code) == ("3", "2", "1")
    assert (a1.has_personal_info, a1.has_sensitive_personal_info, a1.has_specific_personal_info) == (True, True, True)
    assert a1.manager_post == post and a1.retention_years == 10
    assert (a1.expires_on, a1.confirmed_on) == (date(2035, 3, 31), date(2025, 4, 1))
    assert a1.status == "in_use" and a1.note == "一行目\n二行目"
    assert (a2.number, a2.form, a2.network_layer, a2.retention_years) == ("IA-00002", "electronic", "lgwan", 5)
    assert (a2.has_personal_info, a2.has_sensitive_personal_info, a2.has_specific_personal_info) == (True, True, True)
    assert (a2.expires_on, a2.confirmed_on) == (date(2030, 3, 31), date(2025, 4, 1))
    assert (a3.number, a3.form, a3.retention_years, a3.expires_on) == ("GK-7", "system", None, date(2030, 3, 31))
    assert (a3.has_personal_info, a3.has_sensitive_personal_info, a3.has_specific_personal_info) == (True, False, False)
    events = AuditEvent.objects.filter(action="import.create").order_by("seq")
    assert [e.object_id for e in events] == [str(a1.pk), str(a2.pk), str(a3.pk)]
    assert events[0].before is None and events[0].after["name"] == "議事録"
    assert AuditEvent.objects.filter(action="import.commit", object_id=str(batch.pk)).exists()


def test_auto_numbers_follow_the_highest_number_of_register_and_file(staff_in_charge):
    new_asset(staff_in_charge, number="IA-00041")
    batch = upload(staff_in_charge, make_xlsx([row(管理番号=""), row(管理番号="IA-00050"), row(管理番号="")]))
    assert batch.errors == []
    imports.commit_batch(batch, actor=staff_in_charge)
    assert set(Asset.objects.values_list("number", flat=True)) == {"IA-00041", "IA-00050", "IA-00051", "IA-00052"}


def test_header_below_a_title_and_headers_in_any_order(staff_in_charge):
    headers = ["資産名称", "所属", "形態", "機密性", "完全性", "可用性", "管理者(役職)"]  # half-width brackets too
    data = make_xlsx([["会議録", "議事係", "電子", "2", "2", "1", None], ["名簿", "", "電子", "9", "2", "1", None]],
                     headers, above=[["重要性分類一覧表 テスト町議会"], []])
    batch = upload(staff_in_charge, data)
    # The header is on row 3, so the second data row is Excel row 5.
    assert errors_of(batch) == {
        (5, "所属"): "入力してください。",
        (5, "機密性"): "「9」は分類体系（総務省ガイドライン（令和4年版））にありません。3、2、1 のいずれかを入力してください。",
    }


# --- every error, with row and column, nothing imported ---------------------------------------

def test_every_error_is_reported_with_row_column_and_message(staff_in_charge, post):
    new_asset(staff_in_charge, number="IA-00001")
    headers = [*HEADERS, "担当者メモ"]
    rows = [                                                           # Excel row:
        row(管理番号="A-1"),                                            # 2: fine
        row(管理番号="A-1"),                                            # 3: duplicate of row 2
        row(管理番号="A-2", 資産名称=""),                                # 4: missing value
        row(管理番号="A-3", 機密性="3A"),                                # 5: not in the 令和4年版 scheme
        row(管理番号="A-4", 形態="CD-R"),                                # 6: bad 形態
        row(管理番号="A-1"),                                            # 7: duplicate of row 2 again
        row(管理番号="IA-00001"),                                       # 8: already in the register (create mode)
        row(管理番号="A-5", 満了日="2025/13/45", 確認日="きのう"),        # 9: bad dates
        row(管理番号="A-6", **{"保存年限（年）": "十年"}),                # 10: bad number
        row(管理番号="A-7", **{"管理者（役職）": "課長補佐"}),             # 11: unknown post
        row(管理番号="A-8", 個人情報="たぶん", **{"保存年限（年）": 300}),  # 12: bad flag, out of range
    ]
    batch = upload(staff_in_charge, make_xlsx(rows, headers))
    errors = errors_of(batch)
    assert errors[(1, "担当者メモ")].startswith("不明な列です。")
    assert errors[(4, "資産名称")] == "入力してください。"
    assert "「3A」は分類体系" in errors[(5, "機密性")]
    assert errors[(6, "形態")] == "「CD-R」は指定できません。紙・電子・システム のいずれかを入力してください。"
    assert errors[(7, "管理番号")] == "管理番号 A-1 が 2 行目と重複しています。"
    assert errors[(3, "管理番号")] == "管理番号 A-1 が 2 行目と重複しています。"
    assert errors[(8, "管理番号")].startswith("管理番号 IA-00001 は既に台帳にあります。")
    assert "存在しない日付" in errors[(9, "満了日")]
    assert "日付として解釈できません" in errors[(9, "確認日")]
    assert errors[(10, "保存年限（年）")].startswith("「十年」は年数として解釈できません。")
    assert errors[(11, "管理者（役職）")] == "役職「課長補佐」はこの団体に登録されていません。"
    assert "含む場合は ○" in errors[(12, "個人情報")]
    assert errors[(12, "保存年限（年）")].startswith("保存年限は 1〜100")
    assert len(batch.errors) == batch.error_count == 13
    assert [e["row"] for e in batch.errors] == sorted(e["row"] for e in batch.errors)
    assert batch.status == ImportBatch.Status.FAILED
    # Malformed rows: nothing is imported at all, and the batch cannot be committed.
    with pytest.raises(WrongState):
        imports.commit_batch(batch, actor=staff_in_charge)
    assert Asset.objects.count() == 1
    assert not AuditEvent.objects.filter(action="import.create").exists()


def test_missing_required_column_is_reported_once(staff_in_charge):
    headers = [h for h in HEADERS if h != "形態"]
    batch = upload(staff_in_charge, make_xlsx([row(), row()], headers))
    assert errors_of(batch) == {(1, "形態"): "必須の列「形態」がありません。"}


def test_formula_cells_are_refused(staff_in_charge):
    wb = Workbook()
    ws = wb.active
    ws.append(list(HEADERS))
    ws.append([None, "議事係", '=HYPERLINK("http://example.invalid","x")', None, "電子", None, None, 2, 2, 1])
    buf = io.BytesIO()
    wb.save(buf)
    batch = upload(staff_in_charge, buf.getvalue())
    assert errors_of(batch) == {(2, "資産名称"): "数式は取り込めません。セルをコピーして「値として貼り付け」してください。"}


@pytest.mark.parametrize(("name", "data", "message"), [
    ("台帳.csv", b"a,b\n", "Excel ファイル（.xlsx）を選んでください。"),
    ("台帳.xlsx", b"", "ファイルが空です。"),
    ("台帳.xlsx", "管理番号,所属\n".encode(), "Excel ファイル（.xlsx）として読み込めません。"),
    ("台帳.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "古い形式（.xls）のファイルは読み込めません。"),
    ("台帳.xlsx", b"PK\x03\x04broken zip", "Excel ファイル（.xlsx）として読み込めません。"),
    ("台帳.xlsx", make_xlsx([["会議録", "電子"]], ["名前", "種類"]), "見出し行（管理番号、所属、資産名称、業務、形態 …）が見つかりません。"),
    ("台帳.xlsx", make_xlsx([]), "データの行がありません。"),
])
def test_bad_files_get_a_clear_error_and_store_nothing(staff_in_charge, name, data, message):
    with pytest.raises(InvalidInput) as e:
        upload(staff_in_charge, data, name=name)
    assert str(e.value.message).startswith(message)
    assert e.value.fields["file"]
    assert ImportBatch.objects.count() == 0 and Asset.objects.count() == 0


def test_too_large_file_is_refused(staff_in_charge, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(InvalidInput, match="ファイルが大きすぎます"):
        upload(staff_in_charge, make_xlsx([row()]))


def test_unknown_mode_is_refused(staff_in_charge):
    with pytest.raises(InvalidInput):
        upload(staff_in_charge, make_xlsx([row()]), mode="replace")


# --- update mode ------------------------------------------------------------------------------

def test_update_mode_updates_known_numbers_and_creates_the_rest(staff_in_charge, post):
    a = new_asset(staff_in_charge, number="IA-00001", name="会議録", note="")
    b = new_asset(staff_in_charge, number="IA-00002", name="名簿")
    b.status = "disposed"
    b.save()
    data = make_xlsx([
        row(管理番号="IA-00001", 資産名称="会議録（改訂）", 機密性="3", **{"管理者（役職）": "議事係長"}),
        row(管理番号="IA-00002", 資産名称="名簿", 業務="会議録の作成・公開", 保存場所=r"\\gikai-nas\share\議事\会議録",
            ネットワーク="LGWAN接続系", 状態=""),  # 状態 blank: unchanged (stays disposed)
        row(管理番号="X-9", 資産名称="新しい資産"),
        row(管理番号="", 資産名称="番号なし"),
    ])
    # Create mode refuses known numbers; update mode is the explicit choice.
    refused = upload(staff_in_charge, data, mode="create")
    assert refused.status == ImportBatch.Status.FAILED and len(refused.errors) == 2
    batch = upload(staff_in_charge, data, mode="update")
    assert batch.errors == []
    assert (batch.create_count, batch.update_count, batch.unchanged_count) == (2, 1, 1)
    assert batch.preview[0]["action"] == "update"
    # Blank cells of present columns clear the field: 業務, 保存場所 and ネットワーク were filled before.
    assert set(batch.preview[0]["changed"]) == {"資産名称", "機密性", "管理者（役職）", "業務", "保存場所", "ネットワーク"}
    assert batch.preview[1]["action"] == "unchanged"

    imports.commit_batch(batch, actor=staff_in_charge)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.name, a.confidentiality.code, a.manager_post) == ("会議録（改訂）", "3", post)
    assert b.status == "disposed"
    assert Asset.objects.filter(number="X-9", name="新しい資産").exists()
    assert Asset.objects.filter(number="IA-00003", name="番号なし").exists()
    [event] = AuditEvent.objects.filter(action="import.update")
    assert event.object_id == str(a.pk)
    assert event.before["name"] == "会議録" and event.after["name"] == "会議録（改訂）"
    assert event.after["manager_post"] == post.pk
    assert AuditEvent.objects.filter(action="import.create").count() == 2


def test_update_mode_needs_the_number_column(staff_in_charge):
    headers = [h for h in HEADERS if h != "管理番号"]
    batch = upload(staff_in_charge, make_xlsx([row()], headers), mode="update")
    assert errors_of(batch) == {(1, "管理番号"): "更新するには「管理番号」の列が必要です。"}


# --- commit: once, all or nothing, re-checked -------------------------------------------------

def test_commit_twice_is_refused(staff_in_charge):
    batch = upload(staff_in_charge, make_xlsx([row()]))
    imports.commit_batch(batch, actor=staff_in_charge)
    with pytest.raises(WrongState, match="既に登録済"):
        imports.commit_batch(batch, actor=staff_in_charge)
    assert Asset.objects.count() == 1


def test_commit_rechecks_against_the_register_as_it_is_now(staff_in_charge):
    batch = upload(staff_in_charge, make_xlsx([row(管理番号="IA-00007"), row(管理番号="IA-00008")]))
    assert batch.status == ImportBatch.Status.VALIDATED
    new_asset(staff_in_charge, number="IA-00008")  # someone registered it meanwhile
    with pytest.raises(InvalidInput, match="台帳が取込み後に変わった"):
        imports.commit_batch(batch, actor=staff_in_charge)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert errors_of(batch).keys() == {(3, "管理番号")}
    assert list(Asset.objects.values_list("number", flat=True)) == ["IA-00008"]


def test_commit_is_all_or_nothing(staff_in_charge, monkeypatch):
    new_asset(staff_in_charge, number="IA-00001", name="元の名前")
    batch = upload(staff_in_charge, make_xlsx([row(管理番号="IA-00001", 資産名称="新しい名前"), row()]), mode="update")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "record_many", broken)
    with pytest.raises(RuntimeError):
        imports.commit_batch(batch, actor=staff_in_charge)
    assert list(Asset.objects.values_list("name", flat=True)) == ["元の名前"]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.VALIDATED


# --- who may import ----------------------------------------------------------------------------

def test_only_import_roles_may_upload_or_commit(staff_in_charge, staff, vendor):
    batch = upload(staff_in_charge, make_xlsx([row()]))
    for user in (staff, vendor):
        with pytest.raises(Forbidden):
            upload(user, make_xlsx([row()]))
        with pytest.raises(Forbidden):
            imports.commit_batch(batch, actor=user)
        with pytest.raises(Forbidden):
            imports.get_batch(user, batch.pk)
    assert Asset.objects.count() == 0 and ImportBatch.objects.count() == 1


def test_another_bodys_batch_does_not_exist(staff_in_charge, outsider):
    batch = upload(staff_in_charge, make_xlsx([row()]))
    with pytest.raises(NotFound):
        imports.get_batch(outsider, batch.pk)
    with pytest.raises(NotFound):
        imports.commit_batch(batch, actor=outsider)
    assert Asset.objects.count() == 0


# --- the pages ---------------------------------------------------------------------------------

def _post_file(client, data, mode="create", name="台帳.xlsx", **extra):
    f = io.BytesIO(data)
    f.name = name
    return client.post(reverse("assets:import-upload"), {"file": f, "mode": mode}, **extra)


def test_upload_preview_and_commit_pages(login, staff_in_charge):
    client = login(staff_in_charge)
    page = client.get(reverse("assets:import-upload"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'hx-indicator="#upload-progress"' in html and "<progress" in html
    assert "管理番号が一致する資産を更新する" in html

    r = _post_file(client, make_xlsx([row(資産名称=f"資産{i}") for i in range(60)]))
    batch = ImportBatch.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("assets:import-preview", args=[batch.pk])
    preview = client.get(r["Location"])
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'id="commit-form"' in html and "登録する" in html
    assert html.count("<td class=\"nowrap\">新規</td>") == 50  # the first 50 rows
    assert "資産49" in html and "資産50" not in html

    r = client.post(reverse("assets:import-commit", args=[batch.pk]))
    assert r.status_code == 302
    assert Asset.objects.count() == 60
    again = client.post(reverse("assets:import-commit", args=[batch.pk]))
    assert again.status_code == 409
    assert "既に登録済" in again.content.decode()
    assert Asset.objects.count() == 60


def test_htmx_upload_is_told_where_to_go(login, staff_in_charge):
    client = login(staff_in_charge)
    r = _post_file(client, make_xlsx([row()]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert r["HX-Redirect"] == reverse("assets:import-preview", args=[ImportBatch.objects.get().pk])
    bad = _post_file(client, b"not excel", HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and "Excel ファイル（.xlsx）として読み込めません" in bad.content.decode()


def test_preview_page_lists_errors_and_offers_no_commit(login, staff_in_charge):
    client = login(staff_in_charge)
    _post_file(client, make_xlsx([row(), row(形態="フロッピー")]))
    batch = ImportBatch.objects.get()
    html = client.get(reverse("assets:import-preview", args=[batch.pk])).content.decode()
    assert 'id="import-errors"' in html
    assert "「フロッピー」は指定できません。" in html
    assert 'id="commit-form"' not in html
    assert client.post(reverse("assets:import-commit", args=[batch.pk])).status_code == 409
    assert Asset.objects.count() == 0


def test_bad_file_on_the_page(login, staff_in_charge):
    r = _post_file(login(staff_in_charge), b"garbage")
    assert r.status_code == 400
    assert "Excel ファイル（.xlsx）として読み込めません" in r.content.decode()
    assert ImportBatch.objects.count() == 0


def test_pages_refuse_without_the_right_and_hide_other_bodies(login, staff_in_charge, staff, vendor, outsider):
    batch = upload(staff_in_charge, make_xlsx([row()]))
    for user in (staff, vendor):
        client = login(user)
        assert _post_file(client, make_xlsx([row()])).status_code == 403
        assert client.get(reverse("assets:import-preview", args=[batch.pk])).status_code == 403
        assert client.post(reverse("assets:import-commit", args=[batch.pk])).status_code == 403
    client = login(outsider)
    assert client.get(reverse("assets:import-preview", args=[batch.pk])).status_code == 404
    assert client.post(reverse("assets:import-commit", args=[batch.pk])).status_code == 404
    assert Asset.objects.count() == 0 and ImportBatch.objects.count() == 1


# --- 10,000 rows in one go ---------------------------------------------------------------------

def test_ten_thousand_rows_import_in_one_go(staff_in_charge, post):
    rows = ([None, f"課{i % 40}", f"資産 {i}", "業務", ("紙", "電子", "システム")[i % 3], f"棚{i % 50}",
             "LGWAN接続系" if i % 2 else None, ("3", "2", "1")[i % 3], "2", "1", "○" if i % 4 == 0 else None,
             None, None, "議事係長", "係員", 5, date(2030, 3, 31), None, "令和7年4月1日", "使用中", "備考"]
            for i in range(10_000))
    data = xlsx.workbook_bytes(lambda wb: wb.add_sheet("重要性分類一覧表", HEADERS, rows))
    batch = upload(staff_in_charge, data)
    assert batch.errors == [] and batch.create_count == 10_000
    imports.commit_batch(batch, actor=staff_in_charge)
    assert Asset.objects.count() == 10_000
    assert AuditEvent.objects.filter(action="import.create").count() == 10_000
    assert Asset.objects.filter(number="IA-10000", name="資産 9999", manager_post=post).exists()


def test_post_names_are_the_bodys_own(staff_in_charge, other_post):
    Post.objects.create(body=staff_in_charge.body, name="庶務係長")
    batch = upload(staff_in_charge, make_xlsx([row(**{"管理者（役職）": "よその係長"}), row(**{"管理者（役職）": "庶務係長"})]))
    assert errors_of(batch) == {(2, "管理者（役職）"): "役職「よその係長」はこの団体に登録されていません。"}
