"""Checks on registers printed as TextGrids (tejun.lib.pdf): every cell's text is in the PDF, wrapped not cut."""

import re

from tejun.lib.pdf import HALF, Marked, TextGrid, wrap_text


def squeeze(text: str) -> str:
    """pdftotext's layout puts spaces and line ends between the columns of a row: compare without them."""
    return re.sub(r"\s+", "", text)


def cell_pieces(grid: TextGrid, index: int, value) -> list[str]:
    """The lines a cell wraps to (never cut: no line limit here)."""
    parts = value if isinstance(value, (list, tuple)) else [value]
    pieces = []
    for part in parts:
        text = part.text if isinstance(part, Marked) else "" if part is None else str(part)
        pieces += wrap_text(text, (grid.columns[index].width - 1) * HALF, max_lines=1000)
    return [p for p in pieces if p.strip()]


def assert_row_printed(text: str, grid: TextGrid, values: list) -> None:
    """Every line of every cell of the row is in the PDF's text."""
    flat = squeeze(text)
    for i, value in enumerate(values):
        for piece in cell_pieces(grid, i, value):
            assert squeeze(piece) in flat, (grid.columns[i].header, piece)


def assert_wrapped(text: str, grid: TextGrid, index: int, value: str) -> None:
    """A long value is on several lines of its column, all of it printed, no "…"."""
    pieces = cell_pieces(grid, index, value)
    assert len(pieces) > 1, pieces
    assert "".join(pieces).replace(" ", "") == value.replace(" ", "")
    flat = squeeze(text)
    for piece in pieces:
        assert squeeze(piece) in flat, piece
