"""The media registers as TextGrid PDFs (issue 8): every cell printed, long values wrapped, row limits kept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.lib.pdf import page_units
from tejun.media import documents
from tejun.media.documents import carry_out_log_rows, destruction_rows, register_media
from tejun.workflow.engine import perform

from ..grid_text import assert_row_printed, assert_wrapped
from .flow_helpers import medium
from .helpers import new_carry_out
from .test_documents import pdf_text, posts, scenario  # noqa: F401, F811 - fixtures

LONG = "議員名簿（住所録・電話番号・緊急連絡先・所属委員会・会派・選挙区・任期・生年月日を含む）の複製と照合用の控え一式"


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def _grid(columns):
    return documents.TextGrid(columns(), font_size_pt=documents.GRID_PT, max_lines=documents.GRID_MAX_LINES)


def test_the_grids_fit_between_the_margins():
    for columns in (documents.log_pdf_columns, documents.destruction_pdf_columns, documents.register_pdf_columns):
        assert sum(c.width for c in columns()) <= page_units(281, documents.GRID_PT)


def test_carry_out_log_prints_every_cell_and_wraps_a_long_one(login, scenario, body, staff, officer):  # noqa: F811
    req = new_carry_out(staff, medium=medium(body, staff, number="M-201"), data_description=LONG,
                        destination="〇〇県庁 本庁舎 東館 8階 情報政策課 会議室",
                        due_date=timezone.localdate() + timedelta(days=1))
    perform(req, "approve", officer)
    text = pdf_text(login(officer).get("/media/carry-outs/log.pdf"), "10-持出簿-grid")
    grid = _grid(documents.log_pdf_columns)
    start, end = documents.parse_period({})
    rows = carry_out_log_rows(officer, start, end)
    assert len(rows) == 2
    for r in rows:
        assert_row_printed(text, grid, documents._log_values(r))
    assert_wrapped(text, grid, 4, LONG)
    for header in ("申請番号", "目的・持出し先", "返却確認", "承認者"):
        assert header in text


def test_an_overdue_carry_out_is_marked(login, body, staff, officer):
    req = new_carry_out(staff, medium=medium(body, staff, number="M-202"),
                        due_date=timezone.localdate() + timedelta(days=1))
    perform(req, "approve", officer)
    perform(req, "take_out", staff)
    type(req).objects.filter(pk=req.pk).update(out_date=timezone.localdate() - timedelta(days=3),
                                              due_date=timezone.localdate() - timedelta(days=1))
    text = pdf_text(login(officer).get("/media/carry-outs/log.pdf"), "10b-持出簿-overdue")
    assert "期限超過" in text and "M-202" in text


def test_destruction_log_prints_every_cell(login, scenario, officer):  # noqa: F811
    text = pdf_text(login(officer).get("/media/disposals/log.pdf"), "11-廃棄記録簿-grid")
    start, end = documents.parse_period({})
    rows = destruction_rows(officer, start, end)
    assert len(rows) == 1
    assert_row_printed(text, _grid(documents.destruction_pdf_columns), documents._destruction_values(rows[0]))


def test_media_register_prints_every_cell_and_wraps_a_long_note(login, scenario, body, staff):  # noqa: F811
    m = medium(body, staff, number="M-203")
    m.note = LONG
    m.save()
    text = pdf_text(login(staff).get("/media/register/export.pdf"), "12-台帳-grid")
    grid = _grid(documents.register_pdf_columns)
    for m in register_media(staff, {}):
        row = documents._register_row(m)
        row[13] = documents.to_wareki(row[13]) if row[13] else ""
        row[14] = documents.to_wareki(row[14]) if row[14] else ""
        assert_row_printed(text, grid, ["" if c is None else str(c) for c in row])
    assert_wrapped(text, grid, 15, LONG)
    assert "…" not in text


def test_markup_in_data_is_printed_as_text(login, body, staff, officer):
    req = new_carry_out(staff, medium=medium(body, staff, number="M-204"), data_description="<b>太字</b> & 'x'",
                        destination="<i>先</i>", due_date=timezone.localdate() + timedelta(days=1))
    perform(req, "approve", officer)
    text = pdf_text(login(officer).get("/media/carry-outs/log.pdf"), "10c-持出簿-markup")
    assert "<b>太字</b> & 'x'" in text and "<i>先</i>" in text


@pytest.mark.parametrize("url, who", [("/media/carry-outs/log.pdf", "officer"), ("/media/disposals/log.pdf", "officer"),
                                      ("/media/register/export.pdf", "staff")])
def test_row_limits_still_refuse(login, scenario, monkeypatch, url, who, request):  # noqa: F811
    monkeypatch.setattr(documents, "PDF_MAX_ROWS", 0)
    response = login(request.getfixturevalue(who)).get(url, follow=True)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "PDF に出力できるのは 0 件までです。期間を短くするか、Excel で出力してください。" in response.content.decode()
