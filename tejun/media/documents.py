"""The printed documents of the media procedures (C-1, P-01, P-02): A4 PDFs with 和暦 dates, and .xlsx.

- 持出許可申請書   one carry-out request, with its 決裁欄 (申請者 / 責任者 / 管理者)
- 持出簿           the carry-outs permitted over a period (PDF and .xlsx)
- 例外措置申請書   one exception (USB memory, private medium), with its 決裁欄
- 廃棄申請書       one disposal request with its destruction record, with its 決裁欄
- 廃棄記録簿       the destruction records over a period (PDF and .xlsx)
- 記録媒体管理台帳 the media register (PDF and .xlsx)

The 決裁欄 is filled from the TransitionLog: who decided, in which capacity (代決 marked), on which
day. Callers (the views) check who may print what; these functions only read and render.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tejun.lib import xlsx
from tejun.lib.errors import InvalidInput
from tejun.lib.pdf import GridColumn, Marked, TextGrid, render_pdf
from tejun.lib.wareki import fiscal_year, fiscal_year_range, parse_wareki, to_wareki, to_wareki_datetime
from tejun.orgs.roles import Role
from tejun.workflow.engine import history

from .models import CarryOutRequest

DECISIONS = ("approve", "send_back", "reject")
# The carry-outs the 持出簿 lists: those the officer permitted (withdrawn or refused ones never left).
LOG_STATES = ("approved", "taken_out", "returned", "closed", "lost")
MAX_PERIOD_DAYS = 366 * 5
PDF_MAX_ROWS = 3000
# The long registers are TextGrids (tejun.lib.pdf): 6 pt monospaced type, widths in half-width units, which
# sum to 265 = the 281 mm between the margins of A4 landscape (page_units(281, 6)). 1,000 rows in seconds.
GRID_PT = 6.0
GRID_MAX_LINES = 20


# --- periods ------------------------------------------------------------------------------------------

def parse_period(params, *, today: date | None = None) -> tuple[date, date]:
    """`from` and `to` (2026-04-01, 令和8年4月1日, R8.4.1); this fiscal year by default. InvalidInput if bad."""
    today = today or timezone.localdate()
    default_start, default_end = fiscal_year_range(fiscal_year(today))
    errors = {}
    values = {}
    for name, default in (("from", default_start), ("to", default_end)):
        raw = (params.get(name) or "").strip()
        if not raw:
            values[name] = default
            continue
        try:
            values[name] = parse_wareki(raw[:40])
        except ValueError as e:
            errors[name] = str(e)
    if not errors and values["from"] > values["to"]:
        errors["to"] = _("終了日は開始日以降にしてください。")
    if not errors and (values["to"] - values["from"]).days > MAX_PERIOD_DAYS:
        errors["to"] = _("期間は5年以内にしてください。")
    if errors:
        raise InvalidInput(_("期間の指定を確認してください。"), fields=errors)
    return values["from"], values["to"]


def period_text(start: date, end: date) -> str:
    return f"{to_wareki(start)} ～ {to_wareki(end)}"


# --- the 決裁欄 -----------------------------------------------------------------------------------------

@dataclass
class Box:
    head: str                 # 申請者 / 責任者 / 管理者
    name: str = ""            # full name, printed under the seal
    seal: str = ""            # the family name in the red circle (the name stamp)
    post: str = ""
    day: str = ""             # 和暦
    note: str = ""            # 承認 / 却下 / 代決 / 承認省略 ...


def _seal(full_name: str) -> str:
    family = (full_name or "").replace("\u3000", " ").split(" ")[0]
    return family[:4]


def _box(head: str, person, at, note: str = "") -> Box:
    return Box(head=head, name=person.full_name, seal=_seal(person.full_name),
               post=person.post.name if getattr(person, "post", None) else "", day=to_wareki(at), note=note)


def kessai_boxes(obj, logs, *, skipped_note: str = "") -> list[Box]:
    """申請者 / 責任者 / 管理者 boxes of a request from its transition log.

    責任者: the last decision (承認・差戻し・却下); a 代決 by another role is stamped in this box, marked 代決.
    管理者: stamped when the manager acted on the request other than by that decision (e.g. the return
    confirmation); else left blank for a hand stamp (供覧).
    """
    boxes = [_box(_("申請者"), obj.requester, obj.created_at, _("申請"))]
    decision = next((h for h in reversed(logs) if h.transition in DECISIONS), None)
    if decision is not None:
        note = decision.action_label + (_("（代決）") if decision.deputy_decision else "")
        boxes.append(_box(_("責任者"), decision.actor, decision.at, note))
    else:
        boxes.append(Box(head=_("責任者"), note=skipped_note))
    managed = next((h for h in reversed(logs) if h.acting_role == Role.MANAGER and h is not decision), None)
    if managed is not None:
        boxes.append(_box(_("管理者"), managed.actor, managed.at, managed.action_label))
    else:
        boxes.append(Box(head=_("管理者")))
    return boxes


def _log_rows(logs) -> list[dict]:
    return [{"at": to_wareki_datetime(h.at), "label": h.action_label + (_("（代決）") if h.deputy_decision else ""),
             "actor": h.actor.full_name, "post": h.actor.post.name if h.actor.post_id else "",
             "comment": h.comment, "deputy_reason": h.deputy_reason} for h in logs]


def _common(user) -> dict:
    return {"body": user.body, "printed_on": to_wareki(timezone.localdate()), "user": user}


def _medium_text(medium) -> str:
    if medium is None:
        return ""
    parts = [medium.number, medium.get_kind_display(), medium.product, medium.serial]
    return " ".join(p for p in parts if p)


# --- 持出許可申請書 -------------------------------------------------------------------------------------

def carry_out_form_pdf(user, obj: CarryOutRequest) -> bytes:
    logs = list(history(obj))
    return render_pdf("media/pdf_carry_out.html", {
        **_common(user), "obj": obj, "boxes": kessai_boxes(obj, logs), "logs": _log_rows(logs),
        "medium_text": _medium_text(obj.medium), "protections": "、".join(obj.protections) or _("なし"),
        "created_on": to_wareki(obj.created_at), "out_on": to_wareki(obj.out_date), "due_on": to_wareki(obj.due_date),
        "taken_out": to_wareki_datetime(obj.taken_out_at) if obj.taken_out_at else "",
        "returned": to_wareki_datetime(obj.returned_at) if obj.returned_at else "",
        "confirmed": to_wareki_datetime(obj.return_confirmed_at) if obj.return_confirmed_at else "",
    })


# --- 持出簿 ---------------------------------------------------------------------------------------------

LOG_HEADERS = ["申請番号", "状態", "申請者", "記録媒体", "持ち出すデータ", "機密性", "目的", "持出し先", "保護措置",
               "持出し日", "返却予定日", "持出し日時", "返却日時", "返却確認日時", "返却確認者", "承認者"]


def carry_out_log(user, start: date, end: date):
    from tejun.access.policy import visible

    return (visible(user, CarryOutRequest).filter(out_date__gte=start, out_date__lte=end, state__in=LOG_STATES)
            .select_related("requester", "medium").order_by("out_date", "number"))


def _people_by_transition(requests, names) -> dict:
    """{(request pk, transition): full name of who did it last}, in one query."""
    from django.contrib.contenttypes.models import ContentType

    from tejun.workflow.models import TransitionLog

    ids = [str(r.pk) for r in requests]
    logs = (TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(CarryOutRequest),
                                         object_id__in=ids, transition__in=names)
            .select_related("actor").order_by("at", "id"))
    return {(int(h.object_id), h.transition): h.actor.full_name + ("（代決）" if h.deputy_decision else "")
            for h in logs}


def carry_out_log_rows(user, start: date, end: date) -> list[dict]:
    requests = list(carry_out_log(user, start, end)[:PDF_MAX_ROWS + 1])
    who = _people_by_transition(requests, ("approve", "confirm_return"))
    rows = []
    for r in requests:
        rows.append({
            "number": r.number, "state": str(r.state_label), "overdue": r.is_overdue,
            "requester": r.requester.full_name, "medium": r.medium.number if r.medium_id else "",
            "data": r.data_description, "level": r.get_confidentiality_display(), "purpose": r.purpose,
            "destination": r.destination, "protections": "、".join(r.protections),
            "out_date": r.out_date, "due_date": r.due_date, "taken_out_at": r.taken_out_at,
            "returned_at": r.returned_at, "confirmed_at": r.return_confirmed_at,
            "confirmed_by": who.get((r.pk, "confirm_return"), ""), "approved_by": who.get((r.pk, "approve"), ""),
        })
    return rows


def _too_many(count: int):
    if count > PDF_MAX_ROWS:
        raise InvalidInput(_("PDF に出力できるのは %(limit)s 件までです。期間を短くするか、Excel で出力してください。")
                           % {"limit": f"{PDF_MAX_ROWS:,}"})


def _w(value) -> str:
    """和暦; a date and time on two lines (the narrow columns of the log)."""
    if value is None or value == "":
        return ""
    if hasattr(value, "hour"):
        return to_wareki_datetime(value).replace(" ", "\n", 1)
    return to_wareki(value)


def log_pdf_columns() -> list[GridColumn]:
    return [GridColumn(_("申請番号"), 13), GridColumn(_("状態"), 11), GridColumn(_("申請者"), 13),
            GridColumn(_("記録媒体"), 10), GridColumn(_("持ち出すデータ"), 40), GridColumn(_("機密性"), 8),
            GridColumn(_("目的・持出し先"), 40), GridColumn(_("保護措置"), 30), GridColumn(_("持出し日"), 16),
            GridColumn(_("返却予定日"), 16), GridColumn(_("持出し日時"), 16), GridColumn(_("返却日時"), 16),
            GridColumn(_("返却確認"), 16), GridColumn(_("承認者"), 20)]


def _log_values(r: dict) -> list:
    return [r["number"], [r["state"], Marked(_("期限超過"), "overdue")] if r["overdue"] else r["state"],
            r["requester"], r["medium"], r["data"], r["level"],
            [Truncator(r["purpose"]).chars(80), Marked(r["destination"], "muted")], r["protections"],
            _w(r["out_date"]), _w(r["due_date"]), _w(r["taken_out_at"]), _w(r["returned_at"]),
            [_w(r["confirmed_at"]), r["confirmed_by"]], r["approved_by"]]


def carry_out_log_pdf(user, start: date, end: date) -> bytes:
    rows = carry_out_log_rows(user, start, end)
    _too_many(len(rows))
    grid = TextGrid(log_pdf_columns(), font_size_pt=GRID_PT, max_lines=GRID_MAX_LINES)
    return render_pdf("media/pdf_carry_out_log.html", {
        **_common(user), "title": _("持出簿"), "period": period_text(start, end), "count": len(rows),
        "rows": [{"text": grid.lines(_log_values(r))} for r in rows], **grid.template_context(),
        "empty": _("この期間の持出しはありません。")})


def _local(value):
    """A datetime as Tokyo wall time for a spreadsheet cell (dates stay dates)."""
    if value is None:
        return None
    if hasattr(value, "hour"):
        return timezone.localtime(value).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M")
    return value


def carry_out_log_xlsx(user, start: date, end: date):
    wb = xlsx.new_workbook(title=_("持出簿"), subject=str(user.body.name))
    rows = []
    for r in carry_out_log(user, start, end).iterator(chunk_size=1000):
        rows.append(r)
    who = _people_by_transition(rows, ("approve", "confirm_return"))
    xlsx.write_sheet(wb, _("持出簿"), LOG_HEADERS, (
        [r.number, str(r.state_label), r.requester.full_name, r.medium.number if r.medium_id else "",
         r.data_description, r.get_confidentiality_display(), r.purpose, r.destination, "、".join(r.protections),
         r.out_date, r.due_date, _local(r.taken_out_at), _local(r.returned_at), _local(r.return_confirmed_at),
         who.get((r.pk, "confirm_return"), ""), who.get((r.pk, "approve"), "")] for r in rows),
        widths=(15, 10, 14, 10, 30, 9, 30, 20, 20, 11, 11, 16, 16, 16, 14, 14))
    xlsx.write_key_values(wb, _("出力情報"), [
        (_("団体"), user.body.name), (_("期間"), period_text(start, end)), (_("件数"), len(rows)),
        (_("出力日"), to_wareki(timezone.localdate())), (_("出力者"), user.full_name)])
    return xlsx.workbook_response(wb, f"持出簿_{start:%Y%m%d}-{end:%Y%m%d}.xlsx")


# --- 例外措置申請書 -------------------------------------------------------------------------------------

def exception_form_pdf(user, exc) -> bytes:
    logs = list(history(exc))
    media = list(exc.media.all()) if hasattr(exc, "media") else []
    linked = getattr(exc, "medium", None)
    if linked is not None and linked not in media:
        media.insert(0, linked)
    return render_pdf("media/pdf_exception.html", {
        **_common(user), "obj": exc, "boxes": kessai_boxes(exc, logs), "logs": _log_rows(logs),
        "created_on": to_wareki(exc.created_at), "valid_from": to_wareki(exc.valid_from),
        "valid_to": to_wareki(exc.valid_to), "media": [_medium_text(m) for m in media],
    })


# --- 廃棄申請書 ---------------------------------------------------------------------------------------

def disposal_form_pdf(user, disposal) -> bytes:
    logs = list(history(disposal))
    skipped = "" if disposal.needs_approval else _("承認省略\n（機密性2未満）")
    destruction = getattr(disposal, "destruction", None) if disposal.state == "destroyed" else None
    return render_pdf("media/pdf_disposal.html", {
        **_common(user), "obj": disposal, "medium": disposal.medium, "medium_text": _medium_text(disposal.medium),
        "boxes": kessai_boxes(disposal, logs, skipped_note=skipped), "logs": _log_rows(logs),
        "created_on": to_wareki(disposal.created_at), "destruction": destruction,
        "performed": to_wareki_datetime(destruction.performed_at) if destruction else "",
        "level": disposal.highest_level.label if disposal.highest_level_id else _("（未設定）"),
    })


# --- 廃棄記録簿 ---------------------------------------------------------------------------------------

DESTRUCTION_HEADERS = ["実施日時", "廃棄申請番号", "登録番号", "種類", "製品名・製造番号", "最高機密性", "方法",
                       "実施者", "立会者", "場所", "証明書番号", "写真・証明書", "SHA-256", "承認者", "記録者"]


def _approvers(disposals) -> dict:
    from django.contrib.contenttypes.models import ContentType

    from tejun.workflow.models import TransitionLog

    from .models import DisposalRequest

    logs = (TransitionLog.objects.filter(content_type=ContentType.objects.get_for_model(DisposalRequest),
                                         object_id__in=[str(d.pk) for d in disposals], transition="approve")
            .select_related("actor").order_by("at", "id"))
    return {int(h.object_id): h.actor.full_name + ("（代決）" if h.deputy_decision else "") for h in logs}


def destruction_rows(user, start: date, end: date, *, limit: int | None = None) -> list[dict]:
    from .disposal_selectors import destruction_records

    records = list(destruction_records(user, start, end)[:limit] if limit else destruction_records(user, start, end))
    approvers = _approvers([r.disposal for r in records])
    rows = []
    for r in records:
        d, m = r.disposal, r.disposal.medium
        rows.append({
            "performed_at": r.performed_at, "number": d.number, "medium": m.number, "kind": m.get_kind_display(),
            "product": " ".join(p for p in (m.product, m.serial) if p),
            "level": d.highest_level.label if d.highest_level_id else "", "method": r.get_method_display(),
            "performer": r.performer, "witness": r.witness, "place": r.place,
            "certificate_number": r.certificate_number, "file_name": r.file_name, "sha256": r.file_sha256,
            "approved_by": approvers.get(d.pk, _("承認省略") if not d.needs_approval else ""),
            "recorded_by": r.recorded_by.full_name,
        })
    return rows


def destruction_pdf_columns() -> list[GridColumn]:
    return [GridColumn(_("実施日時"), 16), GridColumn(_("廃棄申請番号"), 14), GridColumn(_("登録番号"), 10),
            GridColumn(_("種類・製品名・製造番号"), 40), GridColumn(_("最高機密性"), 11), GridColumn(_("方法"), 12),
            GridColumn(_("実施者"), 22), GridColumn(_("立会者"), 22), GridColumn(_("場所"), 31),
            GridColumn(_("証明書番号・写真・証明書"), 47), GridColumn(_("承認者"), 20), GridColumn(_("記録者"), 20)]


def _destruction_values(r: dict) -> list:
    files = [r["certificate_number"]] if r["certificate_number"] else []
    if r["file_name"]:
        files += [r["file_name"], Marked(f"SHA-256 {Truncator(r['sha256']).chars(20)}", "muted")]
    return [_w(r["performed_at"]), r["number"], r["medium"], [r["kind"], r["product"]], r["level"], r["method"],
            r["performer"], r["witness"], r["place"], files, r["approved_by"], r["recorded_by"]]


def destruction_log_pdf(user, start: date, end: date) -> bytes:
    rows = destruction_rows(user, start, end, limit=PDF_MAX_ROWS + 1)
    _too_many(len(rows))
    grid = TextGrid(destruction_pdf_columns(), font_size_pt=GRID_PT, max_lines=GRID_MAX_LINES)
    return render_pdf("media/pdf_destruction_log.html", {
        **_common(user), "title": _("廃棄記録簿"), "period": period_text(start, end), "count": len(rows),
        "rows": [{"text": grid.lines(_destruction_values(r))} for r in rows], **grid.template_context(),
        "empty": _("この期間の破壊の記録はありません。")})


def destruction_log_xlsx(user, start: date, end: date):
    rows = destruction_rows(user, start, end)
    wb = xlsx.new_workbook(title=_("廃棄記録簿"), subject=str(user.body.name))
    xlsx.write_sheet(wb, _("廃棄記録簿"), DESTRUCTION_HEADERS, (
        [_local(r["performed_at"]), r["number"], r["medium"], r["kind"], r["product"], r["level"], r["method"],
         r["performer"], r["witness"], r["place"], r["certificate_number"], r["file_name"], r["sha256"],
         r["approved_by"], r["recorded_by"]] for r in rows),
        widths=(16, 14, 10, 10, 24, 10, 10, 16, 16, 20, 16, 20, 24, 14, 14))
    xlsx.write_key_values(wb, _("出力情報"), [
        (_("団体"), user.body.name), (_("期間"), period_text(start, end)), (_("件数"), len(rows)),
        (_("出力日"), to_wareki(timezone.localdate())), (_("出力者"), user.full_name)])
    return xlsx.workbook_response(wb, f"廃棄記録簿_{start:%Y%m%d}-{end:%Y%m%d}.xlsx")


# --- 記録媒体管理台帳 ------------------------------------------------------------------------------------

REGISTER_HEADERS = ["登録番号", "種類", "製品名", "製造番号", "容量", "暗号化", "所有", "管理者", "保管キャビネット",
                    "最高機密性", "例外措置", "例外措置の期間", "状態", "登録日", "最終棚卸日", "備考"]


def register_media(user, params):
    from .register_selectors import MediumFilter, medium_list

    return medium_list(user, MediumFilter.from_params(params)).select_related("cabinet", "custodian",
                                                                               "highest_level", "exception")


def _register_row(m) -> list:
    exc = m.exception
    return [m.number, m.get_kind_display(), m.product, m.serial, m.capacity, _("あり") if m.encrypted else _("なし"),
            m.get_owner_display(), m.custodian.full_name, m.cabinet.name,
            m.highest_level.label if m.highest_level_id else "", exc.number if exc else "",
            f"{to_wareki(exc.valid_from)} ～ {to_wareki(exc.valid_to)}" if exc else "", m.get_status_display(),
            m.registered_on, m.last_stocktake_on, m.note]


def register_pdf_columns() -> list[GridColumn]:
    widths = (10, 11, 28, 16, 8, 7, 9, 13, 25, 11, 12, 34, 8, 16, 16, 41)
    return [GridColumn(h, w) for h, w in zip(REGISTER_HEADERS, widths, strict=True)]


def media_register_pdf(user, params) -> bytes:
    media = list(register_media(user, params)[:PDF_MAX_ROWS + 1])
    _too_many(len(media))
    grid = TextGrid(register_pdf_columns(), font_size_pt=GRID_PT, max_lines=GRID_MAX_LINES)
    rows = []
    for m in media:
        row = _register_row(m)
        row[13] = to_wareki(row[13]) if row[13] else ""
        row[14] = to_wareki(row[14]) if row[14] else ""
        rows.append({"text": grid.lines(["" if c is None else str(c) for c in row]), "disposed": m.status == "disposed"})
    return render_pdf("media/pdf_media_register.html", {
        **_common(user), "title": _("記録媒体管理台帳"), "rows": rows, "count": len(rows), **grid.template_context(),
        "empty": _("登録された記録媒体はありません。")})


def media_register_xlsx(user, params):
    wb = xlsx.new_workbook(title=_("記録媒体管理台帳"), subject=str(user.body.name))
    count = xlsx.write_sheet(wb, _("記録媒体管理台帳"), REGISTER_HEADERS,
                             (_register_row(m) for m in register_media(user, params).iterator(chunk_size=1000)),
                             widths=(10, 11, 20, 14, 8, 7, 8, 14, 16, 10, 12, 30, 9, 11, 11, 30))
    xlsx.write_key_values(wb, _("出力情報"), [
        (_("団体"), user.body.name), (_("件数"), count),
        (_("出力日"), to_wareki(timezone.localdate())), (_("出力者"), user.full_name)])
    return xlsx.workbook_response(wb, "記録媒体管理台帳.xlsx")
