"""Excel files built in memory for the import/export tests, and a reader of exported files."""

import io

from openpyxl import Workbook, load_workbook

from tejun.assets.exports import DATA_SHEET, HEADERS


def make_xlsx(rows, headers=HEADERS, *, sheet=DATA_SHEET, above=()) -> bytes:
    """A workbook whose data sheet has `above` rows (a title, say), the header row, then `rows`.

    A row is a dict {header: value} (missing headers are blank) or a list in header order.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    for row in above:
        ws.append(row)
    ws.append(list(headers))
    for row in rows:
        ws.append([row.get(h) for h in headers] if isinstance(row, dict) else list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row(**values) -> dict:
    """A valid row as a clerk writes it; keyword names are the Japanese headers."""
    base = {"所属": "議会事務局 議事係", "資産名称": "会議録", "形態": "電子", "機密性": "2", "完全性": "2", "可用性": "1"}
    base.update(values)
    return base


def read_sheet(data: bytes, sheet=DATA_SHEET) -> list[tuple]:
    wb = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def cells(data: bytes, sheet=DATA_SHEET):
    """(value, data_type) of every cell, for checks that a cell is text and not a formula."""
    wb = load_workbook(io.BytesIO(data))
    return [[(c.value, c.data_type) for c in r] for r in wb[sheet].iter_rows()]
