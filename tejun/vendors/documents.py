"""Printed documents of the vendor procedures: A4 PDFs with 和暦 dates, .xlsx registers, the memorandum.

- データ提供申請書   one data provision (P-12), with its 決裁欄 (申請者 / 責任者 / 管理者)
- 覚書               the generated memorandum as .docx (editable) and PDF, with 記名押印 blocks
- 委託事業者一覧     contractors and their contracts (PDF and .xlsx)
- 庁舎内作業記録簿   on-site work (P-05)
- 修理記録簿         repairs (P-08)
- 廃棄・返却記録簿   equipment disposal / lease return (P-09)

Callers (views, API) check who may print what; these functions only read and render.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.lib import xlsx
from tejun.lib.errors import InvalidInput
from tejun.lib.pdf import GridColumn, TextGrid, page_units, render_pdf
from tejun.lib.wareki import to_wareki, to_wareki_datetime
from tejun.media.documents import kessai_boxes
from tejun.workflow.engine import history

from . import selectors
from .memorandum import period_text, structure

PDF_MAX_ROWS = 3000
# The registers are TextGrids (tejun.lib.pdf): 6 pt monospaced type on A4 landscape between 10 mm margins,
# widths in half-width units summing to GRID_UNITS. 1,000 rows print in seconds.
GRID_PT = 6.0
GRID_UNITS = page_units(277, GRID_PT)  # 261
GRID_MAX_LINES = 20
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _common(user) -> dict:
    return {"body": user.body, "printed_on": to_wareki(timezone.localdate()), "user": user}


def _w(value) -> str:
    if value is None or value == "":
        return ""
    return to_wareki_datetime(value) if hasattr(value, "hour") else to_wareki(value)


def _log_rows(logs) -> list[dict]:
    return [{"at": to_wareki_datetime(h.at), "label": h.action_label + (_("（代決）") if h.deputy_decision else ""),
             "actor": h.actor.full_name, "post": h.actor.post.name if h.actor.post_id else "",
             "comment": h.comment, "deputy_reason": h.deputy_reason} for h in logs]


def _too_many(count: int):
    if count > PDF_MAX_ROWS:
        raise InvalidInput(_("PDF に出力できるのは %(limit)s 件までです。Excel で出力してください。")
                           % {"limit": f"{PDF_MAX_ROWS:,}"})


# --- データ提供申請書 -------------------------------------------------------------------------------------

def application_pdf(user, provision) -> bytes:
    logs = list(history(provision))
    return render_pdf("vendors/pdf_application.html", {
        **_common(user), "obj": provision, "boxes": kessai_boxes(provision, logs), "logs": _log_rows(logs),
        "created_on": to_wareki(provision.created_at), "period": period_text(provision.period_start,
                                                                            provision.period_end),
        "received_on": _w(provision.received_on), "provided_on": _w(provision.provided_on),
        "returned_on": _w(provision.returned_on), "erased_on": _w(provision.erased_on),
    })


# --- 覚書 ---------------------------------------------------------------------------------------------

def _require_memorandum(provision):
    if not provision.memorandum_text:
        raise InvalidInput(_("覚書は申請が承認されると作成されます。"))


def memorandum_pdf(provision) -> bytes:
    _require_memorandum(provision)
    doc = structure(provision)
    return render_pdf("vendors/pdf_memorandum.html", {"doc": doc, "body": provision.body, "obj": provision})


def memorandum_docx(provision) -> bytes:
    """The same memorandum as an editable Word file (python-docx), in a Japanese font, A4."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    _require_memorandum(provision)
    doc = structure(provision)
    word = Document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    style = word.styles["Normal"]
    style.font.name = "MS Mincho"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "ＭＳ 明朝")
    word.core_properties.title = doc.title
    word.core_properties.author = provision.body.name

    def para(text, *, align=None, indent_mm=0, hanging_mm=0, bold=False, size=None, space_before=0):
        p = word.add_paragraph()
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        fmt = p.paragraph_format
        fmt.space_after = Pt(2)
        fmt.space_before = Pt(space_before)
        if align is not None:
            p.alignment = align
        if indent_mm or hanging_mm:
            fmt.left_indent = Mm(indent_mm + hanging_mm)
            fmt.first_line_indent = Mm(-hanging_mm)
        return p

    for b in doc.blocks:
        if b.kind == "title":
            para(b.text, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=14).paragraph_format.space_after = Pt(12)
        elif b.kind == "caption":
            para(b.text, indent_mm=3.7, space_before=6)
        elif b.kind == "article":
            para(b.text, hanging_mm=3.7)
        elif b.kind == "subpara":
            para(b.text, hanging_mm=3.7)
        elif b.kind == "item":
            para(b.text, indent_mm=3.7, hanging_mm=7.4)
        elif b.kind == "date":
            para(b.text, indent_mm=10, space_before=12)
        else:
            para(b.text, indent_mm=0, space_before=6 if b.kind == "closing" else 0).paragraph_format.first_line_indent = Mm(3.7)
    for party in doc.parties:
        para("", space_before=6)
        para(f"{party.role}　{_('住所')}　{party.address}", indent_mm=60)
        para(f"　　{_('名称')}　{party.name}", indent_mm=60)
        para(f"　　{_('代表者')}　{party.representative}　　　　　　{_('印')}", indent_mm=60)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# --- registers ----------------------------------------------------------------------------------------

def _register_pdf(user, title: str, headers, rows, *, empty: str, widths, aligned=(), split_times=()) -> bytes:
    """A register as a TextGrid; aligned: columns listing one item per line (contracts and their clauses);
    split_times: columns of 和暦 date and time, printed on two lines."""
    grid = TextGrid([GridColumn(h, w) for h, w in zip(headers, widths, strict=True)], font_size_pt=GRID_PT,
                    max_lines=GRID_MAX_LINES)
    texts = []
    for row in rows:
        if len(texts) >= PDF_MAX_ROWS + 1:
            break
        values = ["" if v is None else str(v) for v in row]
        for i in split_times:
            values[i] = values[i].replace(" ", "\n", 1)
        texts.append({"text": grid.lines(values, aligned=aligned)})
    _too_many(len(texts))
    return render_pdf("vendors/pdf_register.html", {
        **_common(user), "title": title, "rows": texts, "count": len(texts), "empty": empty,
        **grid.template_context()})


def _register_xlsx(user, title: str, headers, rows, filename: str):
    wb = xlsx.new_workbook(title=title, subject=str(user.body.name))
    count = xlsx.write_sheet(wb, title, headers, rows)
    xlsx.write_key_values(wb, _("出力情報"), [
        (_("団体"), user.body.name), (_("件数"), count),
        (_("出力日"), to_wareki(timezone.localdate())), (_("出力者"), user.full_name)])
    return xlsx.workbook_response(wb, filename)


def contractor_headers():
    return [_("事業者名"), _("所在地"), _("代表者"), _("担当者"), _("電話番号"), _("メールアドレス"), _("取引"),
            _("契約"), _("守秘義務条項"), _("再委託")]


def contractor_rows(user, *, wareki=True):
    from .models import Contract

    contractors = list(selectors.contractor_list(user))
    contracts: dict[int, list] = {}
    for c in Contract.objects.filter(contractor__in=contractors).order_by("-starts_on", "id"):
        contracts.setdefault(c.contractor_id, []).append(c)
    for c in contractors:
        own = contracts.get(c.pk, [])
        period = (lambda k: f"{_w(k.starts_on)}～{_w(k.ends_on)}") if wareki else (
            lambda k: f"{k.starts_on}～{k.ends_on or ''}")
        yield [c.name, c.address, c.representative, c.contact_person, c.phone, c.email,
               _("取引中") if c.active else _("取引終了"),
               "\n".join(f"{k.title}（{period(k)}）" for k in own),
               "\n".join(k.confidentiality_article if k.has_confidentiality_clause else _("なし") for k in own),
               "\n".join(_("可") if k.subcontracting_allowed else _("不可") for k in own)]


def onsite_headers():
    return [_("番号"), _("作業日"), _("委託事業者"), _("作業者"), _("作業場所"), _("目的・内容"), _("対象システム"),
            _("状態"), _("報告書"), _("確認者"), _("確認日時")]


def onsite_rows(user, *, wareki=True):
    qs = selectors.onsite_list(user).select_related("confirmed_by").order_by("work_date", "id")
    for w in qs.iterator(chunk_size=500):
        yield [w.number, _w(w.work_date) if wareki else w.work_date, w.contractor.name, w.workers, w.area,
               w.purpose, w.systems, str(w.state_label), w.report_name,
               w.confirmed_by.full_name if w.confirmed_by_id else "",
               _w(w.confirmed_at) if wareki else (timezone.localtime(w.confirmed_at).replace(tzinfo=None)
                                                   if w.confirmed_at else None)]


def repair_headers():
    return [_("番号"), _("機器"), _("記録媒体"), _("修理業者"), _("契約"), _("記録媒体の取扱い"), _("守秘義務の再確認"),
            _("状態"), _("修理に出した日"), _("返却日")]


def repair_rows(user, *, wareki=True):
    qs = selectors.repair_list(user).select_related("clause_reconfirmed_by", "clause_contract").order_by(
        "created_at", "id")
    for r in qs.iterator(chunk_size=500):
        reconfirmed = ""
        if r.clause_reconfirmed:
            reconfirmed = f"{r.clause_contract.title} {r.clause_article}（{r.clause_reconfirmed_by.full_name}、" \
                          f"{_w(r.clause_reconfirmed_at)}）"
        yield [r.number, r.equipment, r.storage, r.contractor.name, r.contract.title, r.get_storage_handling_display(),
               reconfirmed, str(r.state_label), _w(r.sent_on) if wareki else r.sent_on,
               _w(r.returned_on) if wareki else r.returned_on]


def disposal_headers():
    return [_("番号"), _("区分"), _("機器"), _("記録媒体"), _("委託事業者"), _("復元不可能にする方法"), _("確認（相手・職員・日時）"),
            _("証明書"), _("状態"), _("完了日")]


def disposal_rows(user, *, wareki=True):
    qs = selectors.disposal_list(user).select_related("agreed_by").order_by("created_at", "id")
    for d in qs.iterator(chunk_size=500):
        method = " ".join(p for p in (d.get_method_display() if d.method else "", d.method_detail) if p)
        agreed = f"{d.agreed_with}／{d.agreed_by.full_name}／{_w(d.agreed_at)}" if d.agreed_at else ""
        yield [d.number, d.get_kind_display(), d.equipment, d.storage, d.contractor.name, method, agreed,
               " ".join(p for p in (d.certificate_number, d.certificate_name) if p), str(d.state_label),
               _w(d.closed_on) if wareki else d.closed_on]


REGISTERS = {
    # key: (title, headers, rows, empty message)
    "contractors": (lambda: _("委託事業者一覧"), contractor_headers, contractor_rows,
                    lambda: _("登録された委託事業者はありません。")),
    "onsite": (lambda: _("庁舎内作業記録簿"), onsite_headers, onsite_rows, lambda: _("記録はありません。")),
    "repairs": (lambda: _("修理記録簿"), repair_headers, repair_rows, lambda: _("記録はありません。")),
    "disposals": (lambda: _("機器の廃棄・リース返却記録簿"), disposal_headers, disposal_rows,
                  lambda: _("記録はありません。")),
}
# key: (column widths in half-width units summing to GRID_UNITS, aligned columns, date-and-time columns)
PDF_LAYOUT = {
    "contractors": ((34, 36, 24, 10, 14, 26, 9, 77, 24, 7), (7, 8, 9), ()),
    "onsite": ((13, 16, 30, 20, 20, 61, 38, 10, 24, 13, 16), (), (10,)),
    "repairs": ((13, 34, 24, 30, 40, 20, 58, 10, 16, 16), (), ()),
    "disposals": ((13, 10, 30, 24, 30, 46, 52, 30, 10, 16), (), ()),
}


def register_pdf(user, key: str) -> tuple[bytes, str]:
    title, headers, rows, empty = REGISTERS[key]
    widths, aligned, split_times = PDF_LAYOUT[key]
    return _register_pdf(user, title(), headers(), rows(user), empty=empty(), widths=widths, aligned=aligned,
                         split_times=split_times), f"{title()}.pdf"


def register_xlsx(user, key: str):
    title, headers, rows, _empty = REGISTERS[key]
    return _register_xlsx(user, title(), headers(), rows(user, wareki=False), f"{title()}.xlsx")


# --- one record: 庁舎内作業記録 / 修理記録 / 廃棄・返却記録 ---------------------------------------------------

def _record_rows(obj) -> tuple[str, list[tuple[str, str]]]:
    from .models import EquipmentDisposal, OnsiteWork, Repair

    if isinstance(obj, OnsiteWork):
        return _("庁舎内作業記録"), [
            (_("番号"), obj.number), (_("委託事業者"), obj.contractor.name), (_("作業日"), _w(obj.work_date)),
            (_("作業者"), obj.workers), (_("作業場所"), obj.area), (_("作業目的・内容"), obj.purpose),
            (_("対象システム・機器"), obj.systems), (_("作業報告書"), obj.report_name),
            (_("内容の確認"), f"{obj.confirmed_by.full_name}（{_w(obj.confirmed_at)}）" if obj.confirmed_at else ""),
            (_("状態"), str(obj.state_label))]
    if isinstance(obj, Repair):
        reconfirmed = ""
        if obj.clause_reconfirmed:
            reconfirmed = (f"{obj.clause_contract.title} {obj.clause_article}　{obj.clause_reconfirmed_by.full_name}"
                           f"（{_w(obj.clause_reconfirmed_at)}）{obj.clause_note}")
        return _("修理記録"), [
            (_("番号"), obj.number), (_("機器"), obj.equipment), (_("記録媒体"), obj.storage), (_("故障の内容"), obj.fault),
            (_("修理業者"), obj.contractor.name), (_("契約"), obj.contract.title),
            (_("記録媒体の取扱い"), f"{obj.get_storage_handling_display()} {obj.handling_note}".strip()),
            (_("守秘義務の再確認"), reconfirmed), (_("修理に出した日"), _w(obj.sent_on)), (_("返却日"), _w(obj.returned_on)),
            (_("状態"), str(obj.state_label))]
    if isinstance(obj, EquipmentDisposal):
        method = f"{obj.get_method_display()} {obj.method_detail}".strip() if obj.method else ""
        agreed = f"{obj.agreed_with}／{obj.agreed_by.full_name}（{_w(obj.agreed_at)}）" if obj.agreed_at else ""
        return _("機器の廃棄・リース返却記録"), [
            (_("番号"), obj.number), (_("区分"), obj.get_kind_display()), (_("機器"), obj.equipment),
            (_("記録媒体"), obj.storage), (_("委託事業者"), obj.contractor.name), (_("予定日"), _w(obj.planned_on)),
            (_("復元不可能にする方法"), method), (_("方法の確認（相手／職員）"), agreed),
            (_("消去・破壊証明書"), f"{obj.certificate_number} {obj.certificate_name}".strip()),
            (_("完了日"), _w(obj.closed_on)), (_("状態"), str(obj.state_label))]
    raise TypeError(type(obj))


def record_pdf(user, obj) -> tuple[bytes, str]:
    title, rows = _record_rows(obj)
    logs = list(history(obj))
    data = render_pdf("vendors/pdf_record.html", {
        **_common(user), "title": title, "obj": obj, "rows": rows, "logs": _log_rows(logs),
        "created_on": to_wareki(obj.created_at)})
    return data, f"{title}_{obj.number}.pdf"
