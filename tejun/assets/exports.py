"""The 重要性分類一覧表 as Excel (export and import template) and as PDF.

The columns are one definition (COLUMNS) shared with the import, so an exported file imports back
unchanged: the data sheet starts with the header row, values are written as a clerk writes them
(形態 紙/電子/システム, levels as codes, flags ○, dates as Excel dates, the manager as the post name),
and the title, body and date go to a separate sheet and the workbook properties.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from tejun.access.policy import can
from tejun.lib import xlsx
from tejun.lib.errors import Forbidden, InvalidInput
from tejun.lib.pdf import GridColumn, TextGrid, render_pdf
from tejun.lib.wareki import era_short, to_wareki
from tejun.orgs.models import Post

from .models import Asset, Axis
from .schemes import active_scheme, levels_of
from .selectors import AssetFilter, asset_list

TITLE = "重要性分類一覧表"
DATA_SHEET = TITLE
INFO_SHEET = "出力情報"
HELP_SHEET = "記入方法"
CHOICES_SHEET = "選択肢"
PDF_MAX_ROWS = 5000
TEMPLATE_ROWS = 10000  # data validation reaches this far down the template

# The file format is fixed Japanese text, whatever the UI language, so a file always imports back.
FORM_TEXT = {Asset.Form.PAPER: "紙", Asset.Form.ELECTRONIC: "電子", Asset.Form.SYSTEM: "システム"}
NETWORK_TEXT = {Asset.NetworkLayer.MYNUMBER: "マイナンバー利用事務系", Asset.NetworkLayer.LGWAN: "LGWAN接続系",
                Asset.NetworkLayer.INTERNET: "インターネット接続系"}
STATUS_TEXT = {Asset.Status.IN_USE: "使用中", Asset.Status.DISPOSED: "廃棄済"}
FLAG_MARK = "○"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
HEADER_ALIGNMENT = Alignment(vertical="center", wrap_text=True)


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str   # text, form, network, level, flag, post, years, date, status
    width: float
    required: bool = False
    help: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("管理番号", "number", "text", 12,
           help="空欄にすると自動で採番します（IA-00001 の形式）。更新するときは台帳の管理番号をそのまま記入します。"),
    Column("所属", "department", "text", 18, True, help="例: 議会事務局 議事係"),
    Column("資産名称", "name", "text", 30, True, help="例: 本会議 会議録"),
    Column("業務", "business", "text", 20, help="この情報資産を使う業務"),
    Column("形態", "form", "form", 8, True, help="紙・電子・システム のいずれか"),
    Column("保存場所", "location", "text", 24, help="キャビネット、NAS のパス、クラウドサービス名など"),
    Column("ネットワーク", "network_layer", "network", 18,
           help="マイナンバー利用事務系・LGWAN接続系・インターネット接続系 のいずれか。該当しなければ空欄"),
    Column("機密性", "confidentiality", "level", 7, True, help="分類の記号（下の一覧）"),
    Column("完全性", "integrity", "level", 7, True, help="分類の記号（下の一覧）"),
    Column("可用性", "availability", "level", 7, True, help="分類の記号（下の一覧）"),
    Column("個人情報", "has_personal_info", "flag", 8, help="含む場合は ○、含まない場合は空欄"),
    Column("要配慮個人情報", "has_sensitive_personal_info", "flag", 10, help="含む場合は ○、含まない場合は空欄"),
    Column("特定個人情報", "has_specific_personal_info", "flag", 10, help="含む場合は ○、含まない場合は空欄"),
    Column("管理者（役職）", "manager_post", "post", 16, help="この団体に登録されている役職名（下の一覧）"),
    Column("アクセス権者", "access_holders", "text", 20, help="例: 議事係職員"),
    Column("保存年限（年）", "retention_years", "years", 10, help="1〜100 の年数。常用・永年は空欄"),
    Column("満了日", "expires_on", "date", 12, help="日付（2025/4/1、令和7年4月1日、R7.4.1 など）"),
    Column("外部提供・委託先", "external_party", "text", 20, help="提供先・委託先がなければ空欄"),
    Column("確認日", "confirmed_on", "date", 12, help="最後に台帳の記載を確認した日（未来の日付は不可）"),
    Column("状態", "status", "status", 8, help="使用中・廃棄済。空欄は、新規なら使用中、更新なら変更しません"),
    Column("備考", "note", "text", 30),
)
HEADERS = tuple(c.header for c in COLUMNS)

_VALUES_FIELDS = ("number", "department", "name", "business", "form", "location", "network_layer",
                  "confidentiality__code", "integrity__code", "availability__code", "has_personal_info",
                  "has_sensitive_personal_info", "has_specific_personal_info", "manager_post__name",
                  "access_holders", "retention_years", "expires_on", "external_party", "confirmed_on", "status",
                  "note")


def _converter(kind: str):
    if kind == "form":
        return lambda v: FORM_TEXT.get(v, v)
    if kind == "network":
        return lambda v: NETWORK_TEXT.get(v, "")
    if kind == "status":
        return lambda v: STATUS_TEXT.get(v, v)
    if kind == "flag":
        return lambda v: FLAG_MARK if v else None
    if kind in ("text", "level", "post"):
        return lambda v: v or None
    return lambda v: v  # years (int or None), date (date or None)


_CONVERTERS = tuple(_converter(c.kind) for c in COLUMNS)


def _row_values(values: tuple) -> list:
    """One asset (a values_list tuple in COLUMNS order) as the cells a clerk would write."""
    return [convert(value) for convert, value in zip(_CONVERTERS, values, strict=True)]


def register_rows(qs):
    """The rows of a filtered register queryset, in order, read in chunks (100,000 rows stay small)."""
    for values in qs.values_list(*_VALUES_FIELDS).iterator(chunk_size=2000):
        yield _row_values(values)


def _check_view(user):
    if not can(user, "assets.view"):
        raise Forbidden(_("情報資産台帳を閲覧する権限がありません。"))


def describe_filter(flt: AssetFilter) -> str:
    """The filter in words, for the export information sheet and the PDF heading."""
    labels = {
        "q": _("検索語"), "department": _("所属"), "confidentiality": _("機密性"), "integrity": _("完全性"),
        "availability": _("可用性"), "confidentiality_min": _("機密性（以上）"), "form": _("形態"),
        "network_layer": _("ネットワーク"), "status": _("状態"), "has_personal_info": _("個人情報"),
        "has_sensitive_personal_info": _("要配慮個人情報"), "has_specific_personal_info": _("特定個人情報"),
        "manager_post": _("管理者（役職）"), "due": _("確認期限"),
    }
    parts = []
    query = flt.as_query()
    query.pop("sort", None)
    if "status" not in query and flt.status:
        query["status"] = flt.status
    for key, value in query.items():
        if key == "form":
            value = FORM_TEXT.get(value, value)
        elif key == "network_layer":
            value = NETWORK_TEXT.get(value, _("該当なし") if value == "none" else value)
        elif key == "status":
            value = STATUS_TEXT.get(value, value)
        elif key in ("has_personal_info", "has_sensitive_personal_info", "has_specific_personal_info"):
            value = _("あり") if value == "1" else _("なし")
        elif key == "manager_post":
            value = Post.objects.filter(pk=value).values_list("name", flat=True).first() or value
        elif key == "due":
            value = _("確認期限を過ぎたもの")
        parts.append(f"{labels.get(key, key)}: {value}")
    if not flt.status:
        parts.append(_("状態: すべて"))
    return "、".join(parts) or _("なし（すべて）")


def export_filename(body, ext: str, today: date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{TITLE}_{body.name}_{today:%Y%m%d}.{ext}"


def export_workbook(user, flt: AssetFilter, fileobj=None) -> tuple[xlsx.StreamingWorkbook, int]:
    """The filtered register as 重要性分類一覧表, streamed. Returns the workbook (to close or send) and the row count.

    The data sheet comes first and starts with the header row; the title, body and date are in the
    workbook properties and on the 出力情報 sheet, so the file imports back as it is.
    """
    _check_view(user)
    body = user.body
    today = timezone.localdate()
    conditions = describe_filter(flt)
    properties = {"title": f"{TITLE}（{body.name}）", "subject": f"{to_wareki(today)}現在",
                  "description": conditions, "creator": f"Tejun: {user.full_name}"}
    wb = xlsx.StreamingWorkbook(fileobj, **properties) if fileobj is not None else xlsx.new_workbook(**properties)
    count = xlsx.write_sheet(wb, DATA_SHEET, HEADERS, register_rows(asset_list(user, flt)),
                             widths=[c.width for c in COLUMNS])
    xlsx.write_key_values(wb, INFO_SHEET, [
        (_("表題"), TITLE),
        (_("団体"), body.name),
        (_("出力日"), f"{to_wareki(today)}（{today:%Y-%m-%d}）"),
        (_("出力者"), user.full_name),
        (_("分類体系"), active_scheme(body).name),
        (_("絞り込み条件"), conditions),
        (_("件数"), count),
        (_("取込み"), _("「%(sheet)s」シートは、このまま「管理番号が一致する資産を更新する」で取り込めます。")
         % {"sheet": DATA_SHEET}),
    ])
    return wb, count


# --- the import template ---------------------------------------------------------------------

def template_workbook(body) -> Workbook:
    """An empty 重要性分類一覧表 with headers, widths and drop-down lists, plus 記入方法 and 選択肢 sheets."""
    scheme = active_scheme(body)
    levels = levels_of(scheme)
    posts = list(Post.objects.filter(body=body).order_by("order", "name").values_list("name", flat=True))
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    wb.properties.title = f"{TITLE}（{body.name}）取込み用"
    wb.properties.creator = "Tejun"
    for i, column in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i, value=column.header)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        ws.column_dimensions[get_column_letter(i)].width = column.width
        if column.kind == "date":
            for row in range(2, 202):  # a date typed into these cells stays a date
                ws.cell(row=row, column=i).number_format = xlsx.DATE_FORMAT
        if column.kind in ("text", "post"):
            for row in range(2, 202):  # 管理番号 "0001" stays text
                ws.cell(row=row, column=i).number_format = "@"
    ws.freeze_panes = "A2"

    # The lists the drop-downs read, on their own sheet (a long list does not fit in a validation formula).
    choices = wb.create_sheet(CHOICES_SHEET)
    lists = {
        "form": list(FORM_TEXT.values()),
        "network": list(NETWORK_TEXT.values()),
        "flag": [FLAG_MARK],
        "status": list(STATUS_TEXT.values()),
        "post": posts,
        **{f"level:{axis.value}": [lv.code for lv in levels[axis.value]] for axis in Axis},
    }
    ranges = {}
    for col, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(col)
        choices.cell(row=1, column=col, value=key)
        for row, value in enumerate(values, start=2):
            choices.cell(row=row, column=col, value=value).number_format = "@"
        if values:
            ranges[key] = f"{quote_sheetname(CHOICES_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
    choices.sheet_state = "hidden"

    last = TEMPLATE_ROWS + 1
    for i, column in enumerate(COLUMNS, start=1):
        key = f"level:{Axis(column.field).value}" if column.kind == "level" else column.kind
        if key not in ranges:
            continue
        dv = DataValidation(type="list", formula1=ranges[key], allow_blank=True, showDropDown=False,
                            showErrorMessage=column.kind != "post")
        dv.errorTitle = column.header
        dv.error = _("一覧から選んでください。")
        dv.promptTitle = column.header
        dv.prompt = column.help[:250]
        dv.showInputMessage = True
        letter = get_column_letter(i)
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)

    guide = wb.create_sheet(HELP_SHEET, 1)
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 8
    guide.column_dimensions["C"].width = 90
    wrap = Alignment(vertical="top", wrap_text=True)

    def put(row, *values, bold=False):
        for col, value in enumerate(values, start=1):
            cell = guide.cell(row=row, column=col, value=xlsx.neutralise(value))
            cell.alignment = wrap
            if bold:
                cell.font = HEADER_FONT
        return row + 1

    r = put(1, f"{TITLE} 記入方法（{body.name}）", bold=True)
    r = put(r, _("「%(sheet)s」シートの 2 行目から 1 行に 1 件ずつ記入します。見出し行は変更しないでください。")
            % {"sheet": DATA_SHEET})
    r = put(r, _("日付は Excel の日付のほか、2025-04-01、2025/4/1、令和7年4月1日、R7.4.1 の形式で書けます。"))
    r = put(r + 1, _("列"), _("必須"), _("記入方法"), bold=True)
    for column in COLUMNS:
        r = put(r, column.header, _("必須") if column.required else "", column.help)
    r = put(r + 1, _("分類体系: %(name)s") % {"name": scheme.name}, bold=True)
    r = put(r, _("区分"), _("記号"), _("定義"), bold=True)
    for axis in Axis:
        for level in levels[axis.value]:
            r = put(r, str(axis.label), level.code, level.definition)
    r = put(r + 1, _("管理者（役職）に書ける役職名"), bold=True)
    for name in posts:
        r = put(r, name)
    if not posts:
        put(r, _("（役職が登録されていません。空欄にしてください）"))
    wb.active = 0
    return wb


# --- PDF ---------------------------------------------------------------------------------------

NETWORK_SHORT = {Asset.NetworkLayer.MYNUMBER: "マイナンバー", Asset.NetworkLayer.LGWAN: "LGWAN",
                 Asset.NetworkLayer.INTERNET: "インターネット"}
# The PDF's columns: every column of the register, in half-width units (6 pt type on A4 landscape).
PDF_COLUMNS = [
    GridColumn("管理番号", 11), GridColumn("所属", 16), GridColumn("資産名称", 30), GridColumn("業務", 18),
    GridColumn("形態", 9, "center"), GridColumn("保存場所", 22), GridColumn("ネットワーク", 15),
    GridColumn("機密性", 7, "center"), GridColumn("完全性", 7, "center"), GridColumn("可用性", 7, "center"),
    GridColumn("個人\n情報", 7, "center"), GridColumn("要配慮\n個人\n情報", 7, "center"),
    GridColumn("特定\n個人\n情報", 7, "center"), GridColumn("管理者\n（役職）", 14), GridColumn("アクセス権者", 14),
    GridColumn("保存\n年限", 7, "center"), GridColumn("満了日", 10), GridColumn("外部提供・\n委託先", 14),
    GridColumn("確認日", 10), GridColumn("状態", 7, "center"), GridColumn("備考", 26),
]
_PDF_FIELDS = ("number", "department", "name", "business", "form", "location", "network_layer",
               "confidentiality__code", "integrity__code", "availability__code", "has_personal_info",
               "has_sensitive_personal_info", "has_specific_personal_info", "manager_post__name", "access_holders",
               "retention_years", "expires_on", "external_party", "confirmed_on", "status", "note")


def short_wareki(d: date | None) -> str:
    """R7.4.1: the short 和暦 clerks write in narrow columns."""
    return f"{era_short(d)}.{d.month}.{d.day}" if d else ""


def _pdf_values(v: tuple) -> list[str]:
    (number, department, name, business, form, location, network, conf, integ, avail, personal, sensitive,
     specific, manager, holders, years, expires, external, confirmed, status, note) = v
    return [number, department, name, business, FORM_TEXT.get(form, form), location, NETWORK_SHORT.get(network, ""),
            conf, integ, avail, FLAG_MARK if personal else "", FLAG_MARK if sensitive else "",
            FLAG_MARK if specific else "", manager or "", holders, f"{years}年" if years else "常用",
            short_wareki(expires), external, short_wareki(confirmed), STATUS_TEXT.get(status, status), note]


def export_pdf(user, flt: AssetFilter) -> bytes:
    """The filtered register as an A4 landscape PDF (at most PDF_MAX_ROWS rows), every column."""
    _check_view(user)
    qs = asset_list(user, flt)
    count = qs.count()
    if count > PDF_MAX_ROWS:
        raise InvalidInput(_("PDF に出力できるのは %(limit)s 件までです（%(count)s 件）。条件で絞り込むか、Excel で出力してください。")
                           % {"limit": f"{PDF_MAX_ROWS:,}", "count": f"{count:,}"})
    body = user.body
    grid = TextGrid(PDF_COLUMNS, font_size_pt=6.0)
    rows = [{"text": grid.lines(_pdf_values(v)), "disposed": v[19] == Asset.Status.DISPOSED}
            for v in qs.values_list(*_PDF_FIELDS).iterator(chunk_size=2000)]
    return render_pdf("assets/pdf_register.html", {
        "title": TITLE, "body": body, "printed_on": to_wareki(timezone.localdate()), "scheme": active_scheme(body),
        "filter_text": describe_filter(flt), "rows": rows, "count": count,
        "grid_css": grid.css(), "grid_header": grid.lines([c.header for c in PDF_COLUMNS], center_all=True, bottom=True),
    })
