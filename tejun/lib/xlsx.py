"""Excel (.xlsx) helpers shared by every register's import and export.

- neutralise(text) / unneutralise(text): a text cell that starts with = + - @ (or a tab or CR) is
  written with a leading single quote, so Excel never runs it as a formula ("CSV/formula injection");
  reading strips exactly that quote again, so export → import gives back the original text.
- write_sheet(): one sheet of a write_only workbook (100,000 rows stay small in memory).
- open_workbook(): open an uploaded file read-only, with the size and format checks an upload needs.
- workbook_response(): the finished workbook as a download.
"""

import io
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .errors import InvalidInput

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Excel (and LibreOffice) treat a cell starting with one of these as a formula or a command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
DATE_FORMAT = "yyyy/mm/dd"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)


def _needs_quote(text: str) -> bool:
    # "'=x" must be quoted too, or reading would strip its own quote and give "=x".
    while text.startswith(QUOTE):
        text = text[1:]
        if not text:
            return False
        if text.startswith(FORMULA_STARTS):
            return True
    return text.startswith(FORMULA_STARTS)


def neutralise(value):
    """A value safe to put in a cell: text that Excel would run as a formula gets a leading quote."""
    if isinstance(value, str) and value and _needs_quote(value):
        return QUOTE + value
    return value


def unneutralise(value):
    """Undo neutralise(): strip the one quote it added (only where it would have added one)."""
    if isinstance(value, str) and value.startswith(QUOTE) and _needs_quote(value[1:]):
        return value[1:]
    return value


def header_cells(ws, headers: Sequence[str]) -> list:
    cells = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=neutralise(text))
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        cells.append(cell)
    return cells


def date_cell(ws, value):
    """A date as a real Excel date (sortable, filterable), shown as yyyy/mm/dd."""
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = DATE_FORMAT
    return cell


def write_sheet(wb: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence], *,
                widths: Sequence[float] | None = None, freeze: bool = True, autofilter: bool = True) -> int:
    """Add one sheet to a write_only workbook: the header row first, then `rows`.

    Every text value is neutralised; dates become date cells. Returns the number of data rows.
    Cells already wrapped in WriteOnlyCell are written as they are (the caller neutralised them).
    """
    ws = wb.create_sheet(title=title)
    for i, width in enumerate(widths or (), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    if freeze:
        ws.freeze_panes = "A2"
    ws.append(header_cells(ws, headers))
    count = 0
    for row in rows:
        out = []
        for value in row:
            if isinstance(value, str):
                out.append(neutralise(value))
            elif isinstance(value, date) and not isinstance(value, datetime):
                out.append(date_cell(ws, value))
            else:
                out.append(value)
        ws.append(out)
        count += 1
    if autofilter and headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    return count


def write_key_values(wb: Workbook, title: str, pairs: Iterable[tuple[str, object]], *, widths=(24, 80)) -> None:
    """A small two-column sheet (export information, instructions)."""
    ws = wb.create_sheet(title=title)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for key, value in pairs:
        key_cell = WriteOnlyCell(ws, value=neutralise(key))
        key_cell.font = HEADER_FONT
        key_cell.alignment = Alignment(vertical="top")
        value_cell = WriteOnlyCell(ws, value=neutralise(value) if isinstance(value, str) else value)
        value_cell.alignment = Alignment(vertical="top", wrap_text=True)
        if isinstance(value, date):
            value_cell.number_format = DATE_FORMAT
        ws.append([key_cell, value_cell])


def new_workbook(*, title: str = "", creator: str = "Tejun") -> Workbook:
    wb = Workbook(write_only=True)
    wb.properties.title = title
    wb.properties.creator = creator
    return wb


def workbook_response(wb: Workbook, filename: str) -> FileResponse:
    """Save to a temporary file (not memory) and send it as an attachment."""
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def open_workbook(data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES):
    """Open uploaded bytes as a read-only workbook, or raise InvalidInput with a message for the clerk."""
    if not data:
        raise InvalidInput(_("ファイルが空です。"), fields={"file": [_("ファイルが空です。")]})
    if len(data) > max_bytes:
        message = _("ファイルが大きすぎます（上限 %(mb)d MB）。") % {"mb": max_bytes // (1024 * 1024)}
        raise InvalidInput(message, fields={"file": [message]})
    message = _("Excel ファイル（.xlsx）として読み込めません。Excel で「Excel ブック (*.xlsx)」として保存してください。")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # the old .xls (OLE2) format
            message = _("古い形式（.xls）のファイルは読み込めません。Excel で「Excel ブック (*.xlsx)」として保存し直してください。")
        raise InvalidInput(message, fields={"file": [message]})
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign zip  # noqa: BLE001
        raise InvalidInput(message, fields={"file": [message]}) from None
