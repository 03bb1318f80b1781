"""Excel export (round trip, neutralised cells) and PDF of the register (issue 3, part 5)."""

import io
import re
import shutil
import subprocess  # noqa: S404 - runs poppler's pdffonts / pdftotext on a file the test wrote
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tejun.assets import exports, imports
from tejun.assets.exports import HEADERS
from tejun.assets.models import Asset
from tejun.assets.selectors import AssetFilter
from tejun.audit.models import AuditEvent
from tejun.audit.services import snapshot
from tejun.lib import xlsx
from tejun.lib.errors import Forbidden, InvalidInput
from tejun.lib.pdf import GridColumn, LocalOnlyFetcher, TextGrid, html_to_pdf, text_width, wrap_text
from tejun.lib.wareki import to_wareki
from tejun.orgs.models import Post

from .helpers import new_asset
from .io_helpers import cells, read_sheet

pytestmark = pytest.mark.django_db


def export_bytes(user, **params) -> bytes:
    buf = io.BytesIO()
    wb, _count = exports.export_workbook(user, AssetFilter.from_params(params), fileobj=buf)
    wb.close()
    return buf.getvalue()


def varied_register(actor, post):
    """Assets that use every column, blank values, a disposed one and text Excel would run as a formula."""
    a = new_asset(actor, number="IA-00001", name="本会議 会議録", note="一行目\r\n二行目", manager_post=post,
                  has_personal_info=True, retention_years=10, expires_on=date(2035, 3, 31),
                  confirmed_on=date(2025, 4, 1), external_party="株式会社テスト印刷", access_holders="議事係職員")
    b = new_asset(actor, number="0012", name='=HYPERLINK("http://example.invalid","押してください")', business="-1",
                  location="+81-3-0000-0000", note="@SUM(A1)", network_layer="", access_holders="'=quoted",
                  confidentiality="3", has_sensitive_personal_info=True, has_specific_personal_info=True)
    c = new_asset(actor, number="GK-7", name="傍聴者名簿", form="paper", location="", business="", network_layer="internet")
    c.status = Asset.Status.DISPOSED
    c.save()
    return [a, b, c]


# --- the helpers in tejun.lib.xlsx -----------------------------------------------------------

@pytest.mark.parametrize("text", ["=1+1", "+81", "-1", "@SUM(A1)", "\tタブ", "\r改行", "'=x", "''-x", "'", "'abc", "abc",
                                  "", "a=b", "_x0041_"])
def test_neutralise_round_trips(text):
    written = xlsx.neutralise(text)
    assert xlsx.unneutralise(written) == text
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        assert written == "'" + text
    if text in ("abc", "a=b", "'abc", "'"):
        assert written == text


def test_streaming_workbook_is_a_real_xlsx_that_openpyxl_reads():
    def build(wb):
        wb.add_sheet("データ", ["名前", "日付", "数"], [["=cmd", date(2025, 4, 1), 3], ["a\r\nb", None, 2.5],
                                                      ["_x0041_ & <tag>", True, -7]], widths=[20, 12, 8])
        wb.add_key_values("情報", [("表題", "一覧"), ("件数", 3)])

    data = xlsx.workbook_bytes(build)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["データ"]
    assert wb.sheetnames == ["データ", "情報"]
    assert [[c.value for c in r] for r in ws.iter_rows(max_row=3)] == [
        ["名前", "日付", "数"], ["'=cmd", ws["B2"].value, 3], ["a\r\nb", None, 2.5]]
    # A literal "_x0041_" is escaped as the format requires (Excel reads it back; openpyxl does not unescape).
    assert ws["A4"].value == "_x005F_x0041_ & <tag>" and ws["B4"].value is True
    assert ws["B2"].is_date and ws["B2"].value.date() == date(2025, 4, 1)
    assert ws["A2"].data_type == "s"  # text, never a formula
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C4" and ws.column_dimensions["A"].width == 20
    assert ws["A1"].font.b
    # The fast reader gives the same values back.
    rows = list(xlsx.read_rows(data))
    assert rows[1] == (2, ["'=cmd", rows[1][1][1], 3], set())
    assert rows[2][1][0] == "a\r\nb" and rows[3][1] == ["_x0041_ & <tag>", True, -7]


def test_reader_handles_shared_strings_phonetics_formulas_and_1904_dates():
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             '2006/main"><sheetData><row r="3"><c r="A3" t="s"><v>0</v></c><c r="C3" s="1"><v>1</v></c>'
             '<c r="D3"><f>1+1</f><v>2</v></c></row></sheetData></worksheet>')
    shared = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><r><t>議事</t></r><r><t>係</t></r>'
              '<rPh sb="0" eb="2"><t>ギジ</t></rPh></si></sst>')
    styles = ('<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2">'
              '<xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>')
    workbook = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
                'openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="1"/><sheets>'
                '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="/xl/worksheets/sheet1.xml"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", shared)
        z.writestr("xl/styles.xml", styles)
    [(number, values, formulas)] = list(xlsx.read_rows(buf.getvalue()))
    assert number == 3
    assert values[0] == "議事係"  # the phonetic guide (ふりがな) is not part of the text
    assert values[2].date() == date(1904, 1, 2)
    assert values[3] == "=1+1" and formulas == {3}


def test_xml_with_a_doctype_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Types/>')
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InvalidInput, match="Excel ファイル"):
        xlsx.open_workbook(buf.getvalue())


# --- the export ----------------------------------------------------------------------------------

def test_export_is_the_register_as_a_clerk_writes_it(staff_in_charge, post):
    a, b, c = varied_register(staff_in_charge, post)
    data = export_bytes(staff_in_charge, status="")
    rows = read_sheet(data)
    assert rows[0] == HEADERS  # the data sheet starts with the header row: no title row
    by_number = {r[0]: r for r in rows[1:]}
    assert list(by_number) == ["0012", "GK-7", "IA-00001"]  # the list's order (管理番号)
    r = dict(zip(HEADERS, by_number["IA-00001"], strict=True))
    assert (r["所属"], r["形態"], r["ネットワーク"], r["機密性"], r["完全性"], r["可用性"]) == (
        "議会事務局 議事係", "電子", "LGWAN接続系", "2", "2", "1")
    assert (r["個人情報"], r["要配慮個人情報"], r["特定個人情報"]) == ("○", None, None)
    assert (r["管理者（役職）"], r["保存年限（年）"], r["状態"], r["備考"]) == ("議事係長", 10, "使用中", "一行目\r\n二行目")
    assert r["満了日"].date() == date(2035, 3, 31) and r["確認日"].date() == date(2025, 4, 1)
    assert dict(zip(HEADERS, by_number["GK-7"], strict=True))["状態"] == "廃棄済"
    info = dict((k, v) for k, v in read_sheet(data, "出力情報"))
    assert info["団体"] == staff_in_charge.body.name
    assert info["出力日"].startswith(to_wareki(timezone.localdate()))
    assert info["件数"] == 3
    props = load_workbook(io.BytesIO(data), read_only=True).properties
    assert props.title == f"重要性分類一覧表（{staff_in_charge.body.name}）"


def test_formula_like_text_is_neutralised(staff_in_charge, post):
    varied_register(staff_in_charge, post)
    grid = cells(export_bytes(staff_in_charge))
    row = {h: cell for h, cell in zip(HEADERS, next(r for r in grid if r[0][0] == "0012"), strict=True)}
    assert row["資産名称"] == ("\'=HYPERLINK(\"http://example.invalid\",\"押してください\")", "s")
    assert row["業務"] == ("'-1", "s")
    assert row["保存場所"] == ("'+81-3-0000-0000", "s")
    assert row["備考"] == ("'@SUM(A1)", "s")
    assert row["アクセス権者"] == ("''=quoted", "s")
    assert not any(t == "f" for r in grid for _v, t in r)  # no formula anywhere


def test_export_uses_the_list_filters(staff_in_charge, post):
    varied_register(staff_in_charge, post)
    numbers = lambda data: [r[0] for r in read_sheet(data)[1:]]  # noqa: E731
    assert numbers(export_bytes(staff_in_charge)) == ["0012", "IA-00001"]  # in use only, as the list
    assert numbers(export_bytes(staff_in_charge, status="")) == ["0012", "GK-7", "IA-00001"]
    assert numbers(export_bytes(staff_in_charge, confidentiality="3")) == ["0012"]
    assert numbers(export_bytes(staff_in_charge, q="会議録")) == ["IA-00001"]
    assert numbers(export_bytes(staff_in_charge, status="disposed", sort="-number")) == ["GK-7"]


def test_round_trip_export_then_update_import_changes_nothing(staff_in_charge, post):
    assets = varied_register(staff_in_charge, post)
    before = {a.pk: snapshot(Asset.objects.get(pk=a.pk)) for a in assets}
    data = export_bytes(staff_in_charge, status="")
    batch = imports.upload_batch(actor=staff_in_charge, file_name="export.xlsx", data=data, mode="update")
    assert batch.errors == []
    assert (batch.create_count, batch.update_count, batch.unchanged_count) == (0, 0, 3)
    imports.commit_batch(batch, actor=staff_in_charge)
    after = {a.pk: snapshot(Asset.objects.get(pk=a.pk)) for a in assets}
    assert after == before
    assert not AuditEvent.objects.filter(action__in=["import.update", "import.create"]).exists()


def test_round_trip_into_an_empty_body_gives_equal_rows(staff_in_charge, post, outsider, other_body):
    varied_register(staff_in_charge, post)
    data = export_bytes(staff_in_charge, status="")
    Post.objects.create(body=other_body, name="議事係長")
    batch = imports.upload_batch(actor=outsider, file_name="export.xlsx", data=data, mode="create")
    assert batch.errors == [] and batch.create_count == 3
    imports.commit_batch(batch, actor=outsider)
    assert read_sheet(export_bytes(outsider, status="")) == read_sheet(data)
    mine = Asset.objects.get(body=staff_in_charge.body, number="0012")
    theirs = Asset.objects.get(body=other_body, number="0012")
    assert theirs.name == mine.name == '=HYPERLINK("http://example.invalid","押してください")'
    assert theirs.business == "-1" and theirs.access_holders == "'=quoted"


def test_export_refused_to_vendors_and_scoped_to_the_body(login, staff, vendor, staff_in_charge, outsider, post):
    varied_register(staff_in_charge, post)
    with pytest.raises(Forbidden):
        exports.export_workbook(vendor, AssetFilter())
    assert login(vendor).get(reverse("assets:export-xlsx")).status_code == 403
    assert login(vendor).get(reverse("assets:export-pdf")).status_code == 403
    r = login(staff).get(reverse("assets:export-xlsx"), {"confidentiality": "3"})
    assert r.status_code == 200
    assert r["Content-Type"] == xlsx.XLSX_CONTENT_TYPE
    assert "attachment" in r["Content-Disposition"] and ".xlsx" in r["Content-Disposition"]
    rows = read_sheet(b"".join(r.streaming_content))
    assert [row[0] for row in rows[1:]] == ["0012"]
    assert read_sheet(export_bytes(outsider, status="")) == [HEADERS]  # nothing of ours


def test_many_rows_export_in_full(staff_in_charge, post):
    first = new_asset(staff_in_charge, number="IA-00000")
    Asset.objects.bulk_create([
        Asset(body=first.body, number=f"IA-{i:05d}", department=f"課{i % 30}", name=f"資産{i}", form="paper",
              confidentiality=first.confidentiality, integrity=first.integrity, availability=first.availability,
              manager_post=post, expires_on=date(2030, 3, 31), note="備考" * (i % 5))
        for i in range(1, 5000)])
    # Speed is the benchmark's business (make bench); here: every row is there.
    data = export_bytes(staff_in_charge)
    assert len(read_sheet(data)) == 5001


# --- the PDF -------------------------------------------------------------------------------------

def _pdftext(data: bytes, tmp_path, *args) -> str:
    path = tmp_path / "register.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607


def test_pdf_of_the_register(login, staff, staff_in_charge, post, tmp_path):
    varied_register(staff_in_charge, post)
    for i in range(120):
        new_asset(staff_in_charge, number=f"X-{i:03d}", name=f"資料{i}")
    r = login(staff).get(reverse("assets:export-pdf"), {"status": ""})
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    data = r.content
    assert data.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed")
    text = _pdftext(data, tmp_path, "-layout")
    assert "重要性分類一覧表" in text and staff_in_charge.body.name in text
    assert f"{to_wareki(timezone.localdate())}現在" in text
    pages = text.count("\f")
    assert pages >= 3
    for n in (1, pages):  # page numbers "n / N" in the footer
        assert re.search(rf"(?<!\d){n}\s?/\s?{pages}(?!\d)", text), n
    page2 = _pdftext(data, tmp_path, "-f", "2", "-l", "2")
    assert "管理番号" in page2 and "資産名称" in page2  # the header row repeats on every page
    assert "本会議 会議録" in text and "傍聴者名簿" in text and "廃棄済" in text


def test_pdf_embeds_a_japanese_font(staff_in_charge, post, tmp_path):
    varied_register(staff_in_charge, post)
    data = exports.export_pdf(staff_in_charge, AssetFilter())
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils (pdffonts) is not installed")
    path = tmp_path / "register.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    cjk = [line for line in out.splitlines() if "CJK" in line]
    assert cjk, out
    assert all(line.split()[-5] == "yes" for line in cjk), out  # the "emb" column


def test_thousand_rows_print(staff_in_charge, post):
    first = new_asset(staff_in_charge, number="IA-00000")
    Asset.objects.bulk_create([
        Asset(body=first.body, number=f"IA-{i:05d}", department="議会事務局 議事係", name=f"本会議 会議録（第{i}回定例会）",
              business="会議録の作成・公開", form="electronic", location=r"\\gikai-nas\share\議事", network_layer="lgwan",
              confidentiality=first.confidentiality, integrity=first.integrity, availability=first.availability,
              manager_post=post, retention_years=10, expires_on=date(2035, 3, 31), confirmed_on=date(2025, 4, 1))
        for i in range(1, 1000)])
    data = exports.export_pdf(staff_in_charge, AssetFilter())
    assert data.startswith(b"%PDF")
    if shutil.which("pdfinfo"):  # poppler-utils, installed by CI
        info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
        assert pages >= 10  # 1,000 rows do not fit on a few pages: every row was laid out


def test_pdf_refuses_more_rows_than_it_can_print(login, staff_in_charge, monkeypatch):
    for i in range(3):
        new_asset(staff_in_charge, name=f"資料{i}")
    monkeypatch.setattr(exports, "PDF_MAX_ROWS", 2)
    r = login(staff_in_charge).get(reverse("assets:export-pdf"), {"q": "資料"})
    assert r.status_code == 302 and r["Location"] == reverse("assets:asset-list") + "?q=%E8%B3%87%E6%96%99"
    page = login(staff_in_charge).get(r["Location"])
    assert "PDF に出力できるのは 2 件まで" in page.content.decode()


def test_pdf_rendering_never_goes_to_the_network():
    with pytest.raises(ValueError, match="network access is disabled"):
        LocalOnlyFetcher().fetch("http://127.0.0.1:9/x.png")
    with pytest.raises(ValueError, match="network access is disabled"):
        LocalOnlyFetcher().fetch("https://example.invalid/font.woff")
    # A page that asks for a remote image and stylesheet still renders, without them.
    data = html_to_pdf('<link rel="stylesheet" href="https://example.invalid/x.css">'
                       '<p>本文</p><img src="http://127.0.0.1:9/x.png">')
    assert data.startswith(b"%PDF")


def test_text_grid_aligns_columns_on_the_half_width_grid():
    grid = TextGrid([GridColumn("番号", 6), GridColumn("名称", 8), GridColumn("分類", 4, "center")])
    assert wrap_text("あいうえおか", 3000) == ["あいう", "えおか"]
    first, cut = wrap_text("a" * 20, 2000, max_lines=2)
    assert first == "aaaa" and cut.endswith("…") and text_width(cut) <= 2000
    assert grid.lines(["A-1", "会議録の原本", "2"]).split("\n") == ["A-1   会議録   2", "      の原本"]
    # α is narrower than a full-width character: a tab snaps the line back onto the grid.
    assert text_width("α") % 500
    assert grid.lines(["α", "名", "3"]) == "α\t    名       3"

