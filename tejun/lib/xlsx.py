"""Excel (.xlsx) helpers shared by every register's import and export.

- neutralise(text) / unneutralise(text): a text cell that starts with = + - @ (or a tab or CR) is
  written with a leading single quote, so Excel never runs it as a formula ("formula injection");
  reading strips exactly that quote again, so export → import gives back the original text.
- StreamingWorkbook: a write-only .xlsx writer that streams rows into the zip as they come, so
  100,000 rows take seconds and little memory (openpyxl's write_only mode is ten times slower
  here, without lxml). write_sheet() / write_key_values() / workbook_response() use it.
- open_workbook(): the upload checks (size, format, opens with openpyxl).
- read_rows(): a fast streaming reader of one sheet's cells, with formulas flagged.
"""

import io
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from xml.etree.ElementTree import XMLPullParser  # noqa: S405 - guarded: _parts() refuses any DOCTYPE
from xml.sax.saxutils import escape, quoteattr

from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

from .errors import InvalidInput

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PART_BYTES = 512 * 1024 * 1024  # one uncompressed part of an uploaded file (a zip bomb stops here)
# Excel (and LibreOffice) treat a cell starting with one of these as a formula or a command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
DATE_FORMAT = "yyyy/mm/dd"

# Characters XML 1.0 cannot hold: they cannot go into a cell at all.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]|[\ufffe\uffff]")
_ESCAPED_CHAR_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _needs_quote(text: str) -> bool:
    # "'=x" must be quoted too, or reading would strip its own quote and give "=x".
    while text.startswith(QUOTE):
        text = text[1:]
        if not text:
            return False
        if text.startswith(FORMULA_STARTS):
            return True
    return text.startswith(FORMULA_STARTS)


_QUOTE_TRIGGERS = frozenset("".join(FORMULA_STARTS) + QUOTE)


def neutralise(value):
    """A value safe to put in a cell: text that Excel would run as a formula gets a leading quote."""
    if isinstance(value, str) and value and value[0] in _QUOTE_TRIGGERS and _needs_quote(value):
        return QUOTE + value
    return value


def unneutralise(value):
    """Undo neutralise(): strip the one quote it added (only where it would have added one)."""
    if isinstance(value, str) and value.startswith(QUOTE) and _needs_quote(value[1:]):
        return value[1:]
    return value


# --- writing -----------------------------------------------------------------------------------

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# cellXfs of styles.xml: 0 plain, 1 header, 2 date, 3 wrapped text (key/value sheets)
STYLE_HEADER, STYLE_DATE, STYLE_WRAP = 1, 2, 3
STYLES_XML = (
    XML_DECL + f'<styleSheet xmlns="{NS_MAIN}">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="游ゴシック"/><family val="3"/><charset val="128"/></font>'
    '<font><b/><sz val="11"/><name val="游ゴシック"/><family val="3"/><charset val="128"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDE6F0"/><bgColor indexed="64"/></patternFill></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">'
    '<alignment vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)
_EXCEL_EPOCH = date(1899, 12, 30)
_COLUMN_LETTERS = [get_column_letter(i) for i in range(1, 257)]


_XML_WORK_RE = re.compile(r"[&<>\r\000-\010\013\014\016-\037\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")


def _text_xml(text: str) -> str:
    if _XML_WORK_RE.search(text) is None:  # the usual case: nothing to escape
        return text
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if "_x" in text:  # a literal "_x0041_" must not read back as "A"
        text = _ESCAPED_CHAR_RE.sub(r"_x005F_x\1_", text)
    text = escape(text)
    if "\r" in text:  # a character reference survives the XML parser's line-end normalisation
        text = text.replace("\r", "&#13;")
    return text


def _cell_xml(ref: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text_xml(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f'<c r="{ref}" s="{STYLE_DATE}"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return _cell_xml(ref, str(value))


class StreamingWorkbook:
    """A write-only workbook: each sheet's rows stream into the zip as they are written.

    Sheets keep the order they are added in; the first is the one Excel opens on.
    """

    def __init__(self, fileobj, *, title: str = "", subject: str = "", description: str = "",
                 creator: str = "Tejun"):
        self._zip = zipfile.ZipFile(fileobj, "w", zipfile.ZIP_DEFLATED, compresslevel=5)
        self._sheets: list[tuple[str, str]] = []  # (name, defined names xml)
        self.properties = {"title": title, "subject": subject, "description": description, "creator": creator}

    def add_sheet(self, name: str, headers: Sequence[str], rows: Iterable[Sequence], *,
                  widths: Sequence[float] = (), freeze: bool = True, autofilter: bool = True,
                  header_style: int = STYLE_HEADER, value_style: int = 0) -> int:
        """One sheet: the header row (neutralised), then `rows` (text neutralised). Returns the data row count."""
        index = len(self._sheets)
        ncols = max(len(headers), len(widths), 1)
        letters = _COLUMN_LETTERS[:ncols] if ncols <= len(_COLUMN_LETTERS) else [
            get_column_letter(i) for i in range(1, ncols + 1)]
        selected = ' tabSelected="1"' if index == 0 else ""
        head = [XML_DECL, f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">',
                '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
                f'<sheetViews><sheetView workbookViewId="0"{selected}>']
        if freeze and headers:
            head.append('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>')
        head.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="18"/>')
        if widths:
            head.append("<cols>" + "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                                           for i, w in enumerate(widths, start=1)) + "</cols>")
        # The rows go to a spooled file first, so the <dimension> that precedes them can be exact
        # (openpyxl reads a whole sheet that lacks one just to size it).
        count = 0
        number = 0
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as body:
            if headers:
                number = 1
                style = f' s="{header_style}"' if header_style else ""
                cells = "".join(
                    f'<c r="{letters[i]}1"{style} t="inlineStr"><is><t>{_text_xml(neutralise(str(h)))}</t></is></c>'
                    for i, h in enumerate(headers))
                body.write(f'<row r="1">{cells}</row>'.encode())
            buffer = []
            width = len(letters)
            for row in rows:
                number += 1
                count += 1
                r = str(number)
                parts = [f'<row r="{r}">']
                for i, value in enumerate(row):
                    if value is None or value == "":
                        continue
                    ref = (letters[i] if i < len(letters) else get_column_letter(i + 1)) + r
                    if type(value) is str and not value_style:  # the hot path: plain text
                        if value[0] in _QUOTE_TRIGGERS and _needs_quote(value):
                            value = QUOTE + value
                        parts.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">'
                                     f'{_text_xml(value)}</t></is></c>')
                        continue
                    cell = _cell_xml(ref, neutralise(value))
                    if value_style and cell and ' s="' not in cell:
                        cell = cell.replace("<c ", f'<c s="{value_style}" ', 1)
                    parts.append(cell)
                width = max(width, len(row))
                parts.append("</row>")
                buffer.append("".join(parts))
                if len(buffer) >= 500:
                    body.write("".join(buffer).encode())
                    buffer = []
            if buffer:
                body.write("".join(buffer).encode())
            last_col = get_column_letter(width)
            last_ref = f"{last_col}{max(number, 1)}"
            head.insert(3, f'<dimension ref="A1:{last_ref}"/>')
            head.append("<sheetData>")
            tail = ["</sheetData>"]
            if autofilter and headers:
                tail.append(f'<autoFilter ref="A1:{last_ref}"/>')
            tail.append('<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
                        '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
                        '<headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter></worksheet>')
            body.seek(0)
            with self._zip.open(f"xl/worksheets/sheet{index + 1}.xml", "w", force_zip64=True) as out:
                out.write("".join(head).encode())
                while chunk := body.read(1 << 20):
                    out.write(chunk)
                out.write("".join(tail).encode())
        quoted = escape(quote_sheetname(name))
        names = ""
        if autofilter and headers:
            names += (f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
                      f"{quoted}!$A$1:${last_col}${max(number, 1)}</definedName>")
        if headers:
            names += f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">{quoted}!$1:$1</definedName>'
        self._sheets.append((name, names))
        return count

    def add_key_values(self, name: str, pairs: Iterable[tuple[str, object]], *, widths=(24, 80)) -> None:
        """A small two-column sheet: the key in bold, the value wrapped."""
        self.add_sheet(name, [], ([k, v] for k, v in pairs), widths=widths, freeze=False, autofilter=False,
                       value_style=STYLE_WRAP)

    def close(self) -> None:
        z = self._zip
        n = len(self._sheets)
        sheets = "".join(f'<sheet name={quoteattr(name)} sheetId="{i}" r:id="rId{i}"/>'
                         for i, (name, _names) in enumerate(self._sheets, start=1))
        names = "".join(names for _name, names in self._sheets)
        z.writestr("xl/workbook.xml", XML_DECL + f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
                   '<bookViews><workbookView activeTab="0"/></bookViews>'
                   f"<sheets>{sheets}</sheets>" + (f"<definedNames>{names}</definedNames>" if names else "")
                   + "</workbook>")
        rels = "".join(f'<Relationship Id="rId{i}" Type="{NS_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, n + 1))
        z.writestr("xl/_rels/workbook.xml.rels", XML_DECL + '<Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships">{rels}<Relationship Id="rId{n + 1}" Type="{NS_REL}/styles" '
                   'Target="styles.xml"/></Relationships>')
        z.writestr("xl/styles.xml", STYLES_XML)
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        p = {k: escape(ILLEGAL_CHARACTERS_RE.sub("", v or "")) for k, v in self.properties.items()}
        z.writestr("docProps/core.xml", XML_DECL + (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{p['title']}</dc:title><dc:subject>{p['subject']}</dc:subject>"
            f"<dc:creator>{p['creator']}</dc:creator><dc:description>{p['description']}</dc:description>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>'))
        z.writestr("docProps/app.xml", XML_DECL + '<Properties xmlns="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/extended-properties"><Application>Tejun</Application></Properties>')
        z.writestr("_rels/.rels", XML_DECL + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'extended-properties" Target="docProps/app.xml"/></Relationships>'))
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
        z.writestr("[Content_Types].xml", XML_DECL + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/'
            'vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.extended-properties+xml"/>{overrides}</Types>'))
        z.close()


def new_workbook(*, title: str = "", subject: str = "", description: str = "", creator: str = "Tejun"):
    """A StreamingWorkbook writing to a temporary file (not memory); send it with workbook_response()."""
    fileobj = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the FileResponse that sends it
    wb = StreamingWorkbook(fileobj, title=title, subject=subject, description=description, creator=creator)
    wb.fileobj = fileobj
    return wb


def write_sheet(wb: StreamingWorkbook, title: str, headers: Sequence[str], rows: Iterable[Sequence], *,
                widths: Sequence[float] = (), freeze: bool = True, autofilter: bool = True) -> int:
    """Add one sheet: the header row first, then `rows`; text neutralised, dates as dates. Returns the row count."""
    return wb.add_sheet(title, headers, rows, widths=widths, freeze=freeze, autofilter=autofilter)


def write_key_values(wb: StreamingWorkbook, title: str, pairs: Iterable[tuple[str, object]], *,
                     widths=(24, 80)) -> None:
    wb.add_key_values(title, pairs, widths=widths)


def workbook_bytes(build) -> bytes:
    """Run `build(wb)` on an in-memory StreamingWorkbook and return the file (for tests and small files)."""
    buf = io.BytesIO()
    wb = StreamingWorkbook(buf)
    build(wb)
    wb.close()
    return buf.getvalue()


def workbook_response(wb, filename: str) -> FileResponse:
    """The finished workbook as a download: a StreamingWorkbook from new_workbook(), or an openpyxl Workbook."""
    if isinstance(wb, StreamingWorkbook):
        wb.close()
        fileobj = wb.fileobj
    else:
        fileobj = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the FileResponse
        wb.save(fileobj)
    fileobj.seek(0)
    return FileResponse(fileobj, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


# --- reading -----------------------------------------------------------------------------------

def _file_error(message):
    return InvalidInput(message, fields={"file": [message]})


def _not_xlsx():
    return _file_error(_("Excel ファイル（.xlsx）として読み込めません。Excel で「Excel ブック (*.xlsx)」として保存してください。"))


def open_workbook(data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES):
    """Check uploaded bytes and open them with openpyxl (read-only), or raise InvalidInput for the clerk."""
    if not data:
        raise _file_error(_("ファイルが空です。"))
    if len(data) > max_bytes:
        raise _file_error(_("ファイルが大きすぎます（上限 %(mb)d MB）。") % {"mb": max_bytes // (1024 * 1024)})
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # the old .xls (OLE2) format
            raise _file_error(_("古い形式（.xls）のファイルは読み込めません。"
                                "Excel で「Excel ブック (*.xlsx)」として保存し直してください。"))
        raise _not_xlsx()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if any(info.file_size > MAX_PART_BYTES for info in z.infolist()):
                raise _file_error(_("ファイルの中身が大きすぎます。"))
            for name in ("[Content_Types].xml", "xl/workbook.xml"):
                with z.open(name) as f:
                    _check_prolog(f.read(65536))
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except InvalidInput:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds for a damaged or foreign file  # noqa: BLE001
        raise _not_xlsx() from None


_PROLOG_NOISE = re.compile(rb"<\?.*?\?>|<!--.*?-->|\s+", re.DOTALL)


def _check_prolog(head: bytes) -> None:
    """Refuse XML with a DOCTYPE (entity expansion): .xlsx parts never have one. `head` starts the part."""
    rest = _PROLOG_NOISE.sub(b"", head.lstrip(b"\xef\xbb\xbf"), count=0)
    start = rest.find(b"<")
    if start < 0 or rest[start:start + 2] == b"<!" or not re.match(rb"<[A-Za-z_]", rest[start:start + 2]):
        raise _not_xlsx()


def _parse(stream, tag_end: str, *, chunk=1 << 16) -> Iterator:
    """Elements whose local name is `tag_end`, as they end; the part must not have a DOCTYPE."""
    parser = XMLPullParser(events=("end",))
    first = True
    while True:
        data = stream.read(chunk)
        if first:
            _check_prolog(data)
            first = False
        if not data:
            break
        parser.feed(data)
        for _event, element in parser.read_events():
            if element.tag.endswith(tag_end):
                yield element
    parser.close()
    for _event, element in parser.read_events():
        if element.tag.endswith(tag_end):
            yield element


def _local(tag: str) -> str:
    return tag[tag.rfind("}") + 1:]


def _string_item(element) -> str:
    """The text of <si> or <is>: plain <t> and rich-text runs <r><t>, without phonetic guides (<rPh>)."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            for t in child:
                if _local(t.tag) == "t":
                    parts.append(t.text or "")
    text = "".join(parts)
    if "_x" in text:
        text = _ESCAPED_CHAR_RE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


_DATE_BUILTINS = {14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58}


def _date_styles(z: zipfile.ZipFile) -> list[bool]:
    """For each cell style index: does it show a date? (Japanese Excel's built-in 27–58 include 和暦 dates.)"""
    try:
        data = z.read("xl/styles.xml")
    except KeyError:
        return []
    formats: dict[int, str] = {}
    styles: list[bool] = []
    in_xfs = False
    parser = XMLPullParser(events=("start", "end"))
    _check_prolog(data[:65536])
    parser.feed(data)
    parser.close()
    for event, element in parser.read_events():
        name = _local(element.tag)
        if name == "numFmt" and event == "end":
            formats[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
        elif name == "cellXfs":
            in_xfs = event == "start"
        elif name == "xf" and in_xfs and event == "end":
            fid = int(element.get("numFmtId", "0"))
            code = formats.get(fid) or BUILTIN_FORMATS.get(fid, "")
            styles.append(fid in _DATE_BUILTINS or (bool(code) and is_date_format(code)))
    return styles


def _sheet_path(z: zipfile.ZipFile, prefer: str | None) -> str:
    workbook = z.read("xl/workbook.xml")
    rels = z.read("xl/_rels/workbook.xml.rels")
    targets = {}
    for element in _parse(io.BytesIO(rels), "}Relationship"):
        targets[element.get("Id")] = element.get("Target", "")
    sheets = [(e.get("name"), e.get(f"{{{NS_REL}}}id") or e.get(
        "{http://purl.oclc.org/ooxml/officeDocument/relationships}id")) for e in _parse(io.BytesIO(workbook), "}sheet")]
    sheets = [(name, rid) for name, rid in sheets if targets.get(rid, "").endswith(".xml")
              and "worksheets/" in targets.get(rid, "")]
    if not sheets:
        raise _not_xlsx()
    rid = next((rid for name, rid in sheets if name == prefer), sheets[0][1])
    target = targets[rid]
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _column_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n - 1


def _number(text: str):
    if text.lstrip("-").isdigit():
        return int(text)
    value = float(text)
    return int(value) if value.is_integer() and abs(value) < 2**53 and "E" not in text.upper() else value


def read_rows(data: bytes, *, sheet: str | None = None) -> Iterator[tuple[int, list, set[int]]]:
    """The rows of one sheet (the one named `sheet`, else the first): (row number, values, formula columns).

    Values are str, int, float, bool, datetime (date-formatted numbers) or None; a cell that holds a
    formula has its column index in the third item (its value is the formula text, starting with "=").
    Rows without any cell are not yielded. Call open_workbook() first: it checks the file.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        path = _sheet_path(z, sheet)
        workbook = z.read("xl/workbook.xml")
        epoch = MAC_EPOCH if b'date1904="1"' in workbook or b'date1904="true"' in workbook else WINDOWS_EPOCH
        shared = []
        if "xl/sharedStrings.xml" in z.namelist():
            with z.open("xl/sharedStrings.xml") as f:
                for si in _parse(f, "}si"):
                    shared.append(_string_item(si))
                    si.clear()
        date_styles = _date_styles(z)
        with z.open(path) as f:
            counter = 0
            for row in _parse(f, "}row"):
                counter = int(row.get("r") or counter + 1)
                values: list = []
                formulas: set[int] = set()
                col = -1
                for c in row:
                    ref = c.get("r")
                    col = _column_index(ref) if ref else col + 1
                    kind = c.get("t", "n")
                    v = None
                    value = None
                    for child in c:
                        name = _local(child.tag)
                        if name == "v":
                            v = child.text
                        elif name == "f":
                            formulas.add(col)
                            value = "=" + (child.text or "")
                        elif name == "is":
                            v = _string_item(child)
                    if col in formulas:
                        pass
                    elif kind == "s":
                        value = shared[int(v)] if v is not None and v.isdigit() and int(v) < len(shared) else None
                    elif kind in ("inlineStr", "str"):
                        value = v or ""
                        if kind == "str" and "_x" in value:
                            value = _ESCAPED_CHAR_RE.sub(lambda m: chr(int(m.group(1), 16)), value)
                    elif kind == "b":
                        value = v in ("1", "true")
                    elif kind == "e":
                        value = v
                    elif kind == "d":
                        value = datetime.fromisoformat(v) if v else None
                    elif v is not None and v != "":
                        value = _number(v)
                        s = int(c.get("s") or 0)
                        if s < len(date_styles) and date_styles[s]:
                            try:
                                value = from_excel(value, epoch)
                            except (OverflowError, ValueError):
                                pass  # not a day Python can hold: left as the number
                    if col >= len(values):
                        values.extend([None] * (col + 1 - len(values)))
                    values[col] = value
                row.clear()
                if values:
                    yield counter, values, formulas
