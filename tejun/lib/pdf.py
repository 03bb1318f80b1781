"""PDF from a Django template with WeasyPrint, offline.

Fonts come from the OS (fontconfig: "Noto Sans CJK JP", "IPAexGothic"), never from the network: the
URL fetcher refuses every scheme except data: and file:, so a stray http(s) URL in a template or in
data can never make the server call out (DESIGN: offline).
"""

import functools
import glob
import itertools
import os
import unicodedata
from dataclasses import dataclass

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .memory import release_free_memory

PDF_CONTENT_TYPE = "application/pdf"
# The font stack every printed document uses (fonts-noto-cjk; IPAex as a fallback where installed).
FONT_FAMILY = '"Noto Sans CJK JP", "IPAexGothic", "IPAGothic", sans-serif'
LOCAL_SCHEMES = frozenset({"data", "file"})


class LocalOnlyFetcher(URLFetcher):
    """Fetch data: and file: URLs only; http, https, ftp and the rest are refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allowed_protocols", LOCAL_SCHEMES)
        kwargs.setdefault("timeout", 1)
        super().__init__(**kwargs)

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme not in LOCAL_SCHEMES:
            raise ValueError(f"network access is disabled for PDF rendering: {url[:100]}")
        return super().fetch(url, headers)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    try:
        return HTML(string=html, base_url=base_url, url_fetcher=LocalOnlyFetcher()).write_pdf()
    finally:
        release_free_memory()


def render_pdf(template_name: str, context: dict | None = None, request=None) -> bytes:
    """Render a template to HTML, then to PDF bytes."""
    context = {"pdf_font_family": FONT_FAMILY, **(context or {})}
    html = render_to_string(template_name, context, request=request)
    return html_to_pdf(html)


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response


# --- long registers: one ruled text block per row --------------------------------------------
#
# WeasyPrint spends about a millisecond on every table cell, so a 1,000-row register with twenty
# columns takes twenty seconds as an HTML table. A TextGrid lays a row out as lines of text in the
# monospaced "Noto Sans Mono CJK JP" instead (half-width characters are half an em, full-width ones
# an em) inside one cell; the column rules are one background gradient on the table, so a page
# costs the same whatever the number of columns. Widths are counted in half-width units.

MONO_FAMILY = '"Noto Sans Mono CJK JP", "Noto Sans CJK JP", monospace'
MONO_FACE = "Noto Sans Mono CJK JP"
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.fonts"),
             os.path.expanduser("~/.local/share/fonts"))
HALF = 500  # font units (of 1000 to the em) of a half-width character


@functools.cache
def _advances() -> dict[int, int]:
    """Advance widths (font units) of the monospaced CJK face, read from the installed font file."""
    from fontTools.ttLib import TTCollection, TTFont

    for folder in FONT_DIRS:
        for path in sorted(glob.glob(os.path.join(folder, "**", "NotoSans*CJK*"), recursive=True)):
            if "Bold" in path or not path.lower().endswith((".ttc", ".otf", ".ttf")):
                continue
            try:
                fonts = TTCollection(path, lazy=True).fonts if path.lower().endswith(".ttc") else [
                    TTFont(path, lazy=True)]
                for font in fonts:
                    if font["name"].getDebugName(4) == MONO_FACE:
                        scale = 1000 / font["head"].unitsPerEm
                        metrics = font["hmtx"].metrics
                        return {cp: round(metrics[g][0] * scale) for cp, g in font.getBestCmap().items()}
            except Exception:  # an unreadable font file is skipped  # noqa: BLE001, S112
                continue
    return {}


def char_width(ch: str) -> int:
    width = _advances().get(ord(ch))
    if width is None:  # not in the face (or the face is missing): East Asian width decides
        width = 1000 if unicodedata.east_asian_width(ch) in "WFA" else HALF
    return width


def text_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def wrap_text(text: str, max_width: int, max_lines: int = 6) -> list[str]:
    """Break text into lines no wider than max_width (font units), anywhere (as Japanese is); "…" if cut."""
    lines: list[str] = []
    for paragraph in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        paragraph = paragraph.replace("\t", " ").rstrip()
        line, width = "", 0
        for ch in paragraph:
            w = char_width(ch)
            if width + w > max_width and line:
                lines.append(line)
                line, width = "", 0
                if ch == " ":
                    continue
            line += ch
            width += w
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last) + char_width("…") > max_width:
            last = last[:-1]
        lines = lines[:max_lines - 1] + [last + "…"]
    return lines


@dataclass(frozen=True)
class GridColumn:
    header: str
    width: int            # half-width units, including the one-unit gap that holds the rule
    align: str = "left"   # left, center, right


@dataclass(frozen=True)
class Marked:
    """Text of a cell printed in a CSS class (e.g. a red 期限超過 under the state). Only its colour may
    differ: the grid counts on every glyph keeping the monospaced advance."""
    text: str
    css_class: str


def page_units(width_mm: float, font_size_pt: float) -> int:
    """How many half-width units of font_size_pt type fit across width_mm (a grid's widths must sum to no more)."""
    return int(width_mm * 72 / 25.4 / (font_size_pt / 2) + 1e-9)


def _parts(value) -> list:
    if value is None:
        return [""]
    if isinstance(value, (list, tuple)):
        return list(value) or [""]
    return [value]


class TextGrid:
    """Rows of a register as ruled, aligned text lines (see above). Use with the grid_* CSS in a template."""

    def __init__(self, columns: list[GridColumn], *, font_size_pt: float = 6.0, max_lines: int = 6):
        self.columns = columns
        self.font_size_pt = font_size_pt
        self.max_lines = max_lines
        self.bounds = list(itertools.accumulate(c.width for c in columns))

    @property
    def unit_pt(self) -> float:
        return self.font_size_pt / 2

    @property
    def width_pt(self) -> float:
        return self.bounds[-1] * self.unit_pt

    def css(self) -> str:
        """The table width, font and column rules (one gradient) for `table.grid`."""
        stops = []
        for b in self.bounds[:-1]:
            a, z = b * self.unit_pt - 0.25, b * self.unit_pt + 0.25
            stops += [f"transparent {a:.2f}pt", f"#777 {a:.2f}pt", f"#777 {z:.2f}pt", f"transparent {z:.2f}pt"]
        rules = f"linear-gradient(to right, {', '.join(stops)})" if stops else "none"
        return (f"table.grid {{ width: {self.width_pt:.2f}pt; border-collapse: collapse; table-layout: fixed;"
                f" font-family: {MONO_FAMILY}; font-size: {self.font_size_pt}pt; font-kerning: none;"
                f" background-image: {rules}; border-left: .4pt solid #777; border-right: .4pt solid #777; }}\n"
                f"table.grid th, table.grid td {{ white-space: pre; tab-size: 1; text-align: left;"
                f" padding: .35mm 0 .35mm {self.unit_pt / 2:.2f}pt; border-bottom: .4pt solid #777;"
                f" vertical-align: top; }}\n"
                "table.grid thead { display: table-header-group; }\n"
                "table.grid th { font-weight: normal; border-top: .4pt solid #777; vertical-align: bottom; }\n"
                "table.grid tr { break-inside: avoid; }\n")

    def template_context(self) -> dict:
        """grid_css and grid_header (the column titles, centred, on the bottom lines) for a template."""
        return {"grid_css": self.css(),
                "grid_header": self.lines([c.header for c in self.columns], center_all=True, bottom=True)}

    def _wrap(self, value, column: GridColumn) -> list[tuple[str, str]]:
        """A cell's lines, each with its CSS class ("" for plain text); a cell may stack several parts."""
        width = (column.width - 1) * HALF
        if isinstance(value, str):  # the common case, as it always was
            return [(t, "") for t in wrap_text(value, width, self.max_lines)]
        out = []
        for part in _parts(value):
            cls = part.css_class if isinstance(part, Marked) else ""
            text = part.text if isinstance(part, Marked) else str(part) if part is not None else ""
            out += [(t, cls) for t in wrap_text(text, width, self.max_lines)]
        if len(out) > self.max_lines:
            last, cls = out[self.max_lines - 1]
            while last and text_width(last) + char_width("…") > width:
                last = last[:-1]
            out = out[:self.max_lines - 1] + [(last + "…", cls)]
        return out

    def _aligned(self, values: list, indexes: tuple[int, ...]) -> dict[int, list[tuple[str, str]]]:
        """Columns whose lines ("\n"-separated) are items of one list (a contract, its clause, ...): item k
        starts on the same line in each of them, however many lines the item wraps to in any one."""
        items = {i: str(values[i] or "").split("\n") if values[i] else [] for i in indexes}
        count = max((len(v) for v in items.values()), default=0)
        cells: dict[int, list[tuple[str, str]]] = {i: [] for i in indexes}
        for k in range(count):
            wrapped = {i: [(t, "") for t in wrap_text(items[i][k] if k < len(items[i]) else "",
                                                      (self.columns[i].width - 1) * HALF, self.max_lines)]
                       for i in indexes}
            height = max(max(len(w) for w in wrapped.values()), 1)
            for i in indexes:
                cells[i] += wrapped[i] + [("", "")] * (height - len(wrapped[i]))
        for i in indexes:
            while cells[i] and not cells[i][-1][0]:
                cells[i].pop()
            cells[i] = cells[i][:self.max_lines * 4]  # a long list still fits on a page
        return cells

    def lines(self, values: list, *, center_all: bool = False, bottom: bool = False,
              aligned: tuple[int, ...] = ()) -> str:
        """One row as text lines: each value wrapped in its column, columns joined on the half-width grid.

        A value is a str, a Marked, or a list of them (stacked). center_all centres every column (headers);
        bottom puts short cells on the last lines; aligned: see _aligned. With a Marked value the result is
        HTML (escaped, SafeString) with a span per marked text; else plain text.
        """
        values = list(values)
        fixed = self._aligned(values, aligned) if aligned else {}
        cells = [fixed[i] if i in fixed else self._wrap(v, c)
                 for i, (c, v) in enumerate(zip(self.columns, values, strict=True))]
        html = any(cls for cell in cells for _t, cls in cell)
        height = max((len(c) for c in cells), default=1) or 1
        if bottom:
            cells = [[("", "")] * (height - len(c)) + c for c in cells]
        out = []
        for k in range(height):
            line, pos = [], 0  # pos: where the text ends, in font units from the row's left edge
            for i, (column, cell) in enumerate(zip(self.columns, cells, strict=True)):
                start = (self.bounds[i - 1] if i else 0) * HALF
                text, cls = cell[k] if k < len(cell) else ("", "")
                if not text:
                    continue
                width = text_width(text)
                free = (column.width - 1) * HALF - width
                align = "center" if center_all else column.align
                shift = 0 if align == "left" else free // HALF if align == "right" else (free // HALF) // 2
                if pos % HALF:  # off the grid (a proportional glyph): a tab snaps to the next unit
                    line.append("\t")
                    pos = (pos // HALF + 1) * HALF
                line.append(" " * ((start - pos) // HALF + shift))
                if html:
                    text = escape(text)
                    line.append(f'<span class="{escape(cls)}">{text}</span>' if cls else text)
                else:
                    line.append(text)
                pos = start + shift * HALF + width
            out.append("".join(line).rstrip())
        return mark_safe("\n".join(out)) if html else "\n".join(out)  # noqa: S308 - every text escaped above
