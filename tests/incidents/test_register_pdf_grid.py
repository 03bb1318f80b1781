"""インシデント台帳 as a TextGrid PDF (issue 8): every cell printed, a long title wrapped, the limit kept."""

import shutil
import subprocess

import pytest

from tejun.incidents import documents
from tejun.incidents.models import Incident
from tejun.lib.pdf import TextGrid, page_units
from tejun.lib.wareki import to_wareki_datetime

from ..grid_text import assert_row_printed, assert_wrapped
from .test_documents_and_reminders import closed_incident  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")]

LONG_TITLE = "議会事務局の共有フォルダに保存していた委員会資料（非公開部分を含む）が外部から閲覧できる状態になっていた件について"


def _text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_the_grid_fits_between_the_margins():
    assert sum(c.width for c in documents.register_pdf_columns()) <= page_units(269, 7.0)


def test_every_cell_is_printed_and_a_long_title_wraps(login, everyone, closed_incident, report):  # noqa: F811
    long = report(everyone["staff"], title=LONG_TITLE)
    text = _text(login(everyone["manager"]).get("/incidents/register.pdf").content)
    grid = TextGrid(documents.register_pdf_columns(), font_size_pt=7.0, max_lines=20)
    for r in Incident.objects.filter(pk__in=[closed_incident.pk, long.pk]):
        reported = to_wareki_datetime(r.reported_at).replace(" ", "\n", 1)
        closed = to_wareki_datetime(r.closed_at).replace(" ", "\n", 1) if r.closed_at else "—"
        assert_row_printed(text, grid, [r.number, r.get_kind_display(), str(r.state_label), r.title,
                                        r.requester.full_name, reported,
                                        (r.action_taken or r.instruction or r.findings)[:119], closed])
    assert_wrapped(text, grid, 3, LONG_TITLE)
    assert "事故番号" in text and "措置・対処" in text


def test_the_limit_still_refuses(login, everyone, closed_incident, monkeypatch):  # noqa: F811
    monkeypatch.setattr(documents, "REGISTER_PDF_MAX_ROWS", 0)
    r = login(everyone["manager"]).get("/incidents/register.pdf", follow=True)
    assert "件数が多すぎます（0件まで）。期間を短くするか Excel で出力してください。" in r.content.decode()
