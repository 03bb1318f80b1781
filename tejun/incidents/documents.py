"""The printed documents of incidents: the incident report (第一報・続報・最終報告) with its 決裁欄, the
インシデント台帳 (.xlsx) and the 緊急連絡先一覧 (PDF). Views check who may print; these only read and render."""

from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tejun.lib import xlsx
from tejun.lib.errors import WrongState
from tejun.lib.pdf import GridColumn, TextGrid, render_pdf
from tejun.lib.wareki import to_wareki, to_wareki_datetime
from tejun.media.documents import Box, _box, _log_rows, period_text
from tejun.orgs.roles import Role
from tejun.workflow.engine import history

from .models import Incident

STAGES = {
    "first": gettext_lazy("第一報"),
    "followup": gettext_lazy("続報"),
    "final": gettext_lazy("最終報告"),
}


def _w(value) -> str:
    return to_wareki_datetime(value) if value else ""


def kessai_boxes(incident: Incident, logs) -> list[Box]:
    """報告者 / 責任者 / 管理者 / 統括管理者: the last step each took; a 代決 is stamped in the absent one's box."""
    boxes = [_box(_("報告者"), incident.requester, incident.reported_at, _("報告"))]
    columns = ((_("責任者"), (Role.OFFICER, Role.STAFF_IN_CHARGE)), (_("管理者"), (Role.MANAGER,)),
               (_("統括管理者"), (Role.SUPREME_ADMIN,)))
    for head, roles in columns:
        if Role.SUPREME_ADMIN in roles:
            step = next((h for h in reversed(logs) if h.transition == "instruct"), None)
        else:
            step = next((h for h in reversed(logs) if h.acting_role in roles and not
                         (h.transition == "instruct" and h.deputy_decision)), None)
        if step is None:
            boxes.append(Box(head=head))
        else:
            note = step.action_label + (_("（代決）") if step.deputy_decision else "")
            boxes.append(_box(head, step.actor, step.at, note))
    return boxes


def incident_report_pdf(user, incident: Incident, stage: str) -> bytes:
    if stage not in STAGES:
        raise WrongState(_("報告書の種類が正しくありません。"))
    if stage == "final" and incident.is_open:
        raise WrongState(_("最終報告は事故が完了してから出力できます。"))
    logs = list(history(incident))
    return render_pdf("incidents/pdf_report.html", {
        "body": user.body, "printed_on": to_wareki(timezone.localdate()), "user": user,
        "title": f"{_('事故報告書')}（{STAGES[stage]}）", "stage": stage, "stage_label": STAGES[stage],
        "obj": incident, "boxes": kessai_boxes(incident, logs), "logs": _log_rows(logs),
        "reported": _w(incident.reported_at), "occurred": _w(incident.occurred_at),
        "failure_started": _w(incident.failure_started_at), "failure_ended": _w(incident.failure_ended_at),
        "vendor_contacted": _w(incident.vendor_contacted_at), "closed": _w(incident.closed_at),
        "deputy": next((h for h in logs if h.transition == "instruct" and h.deputy_decision), None),
        "contacts": [{"name": c.name, "caller": c.get_caller_role_display(), "details": c.contact_details,
                      "done": _w(c.done_at), "by": c.done_by.full_name if c.done_by_id else "",
                      "waived": c.waived_reason, "note": c.note}
                     for c in incident.contacts.select_related("done_by")],
        "steps": [{"label": s.get_step_display(), "done": _w(s.done_at),
                   "by": s.done_by.full_name if s.done_by_id else "", "note": s.note}
                  for s in incident.disconnection_steps.select_related("done_by")],
        "timeline": [{"at": _w(e.at), "author": e.author.full_name, "text": e.text}
                     for e in incident.timeline.select_related("author")] if stage != "first" else [],
    })


REGISTER_HEADERS = ["事故番号", "種類", "手順", "状態", "件名", "報告者", "報告日時", "発生日時", "場所・機器",
                    "事案の内容", "調査結果", "原因", "確認した被害", "影響範囲", "統括管理者の指示", "代決",
                    "措置・対処の内容", "再発防止策", "事案の区分", "発生元", "委託事業者", "完了日時"]


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M") if value else None


def register_xlsx(user, qs, start, end):
    """インシデント台帳: every incident reported in the period, with what was done."""
    from tejun.workflow.models import TransitionLog

    rows = list(qs.filter(reported_at__date__gte=start, reported_at__date__lte=end)
                .select_related("requester", "case", "contractor").order_by("reported_at", "pk"))
    deputy_ids = set(TransitionLog.objects.filter(
        content_type__app_label="incidents", content_type__model="incident", transition="instruct",
        deputy_decision=True, object_id__in=[str(r.pk) for r in rows]).values_list("object_id", flat=True))
    wb = xlsx.new_workbook(title=_("インシデント台帳"), subject=str(user.body.name))
    xlsx.write_sheet(wb, _("インシデント台帳"), REGISTER_HEADERS, (
        [r.number, r.get_kind_display(), str(r.procedure_label), str(r.state_label), r.title, r.requester.full_name,
         _local(r.reported_at), _local(r.occurred_at), r.location, r.description, r.findings, r.cause, r.damage,
         r.scope, r.instruction, _("代決") if str(r.pk) in deputy_ids else "", r.action_taken, r.prevention,
         r.case.name if r.case_id else "", r.source_label, r.contractor.name if r.contractor_id else "",
         _local(r.closed_at)] for r in rows),
        widths=(11, 14, 20, 14, 30, 12, 16, 16, 16, 40, 30, 30, 30, 30, 30, 6, 30, 30, 24, 20, 16, 16))
    xlsx.write_key_values(wb, _("出力情報"), [
        (_("団体"), user.body.name), (_("期間"), period_text(start, end)), (_("件数"), len(rows)),
        (_("出力日"), to_wareki(timezone.localdate())), (_("出力者"), user.full_name)])
    return xlsx.workbook_response(wb, f"インシデント台帳_{start:%Y%m%d}-{end:%Y%m%d}.xlsx")


REGISTER_PDF_MAX_ROWS = 2000


def register_pdf_columns() -> list[GridColumn]:
    """インシデント台帳's columns: 7 pt monospaced type, half-width units summing to page_units(269, 7) = 217."""
    return [GridColumn(_("事故番号"), 11), GridColumn(_("種類"), 19), GridColumn(_("状態"), 21),
            GridColumn(_("件名"), 36), GridColumn(_("報告者"), 13), GridColumn(_("報告日時"), 16),
            GridColumn(_("措置・対処"), 85), GridColumn(_("完了日時"), 16)]


def register_pdf(user, qs, start, end) -> bytes:
    """インシデント台帳 on A4 landscape: one line per incident with what was done and by when."""
    rows = list(qs.filter(reported_at__date__gte=start, reported_at__date__lte=end)
                .select_related("requester").order_by("reported_at", "pk")[:REGISTER_PDF_MAX_ROWS + 1])
    if len(rows) > REGISTER_PDF_MAX_ROWS:
        from tejun.lib.errors import InvalidInput

        raise InvalidInput(_("件数が多すぎます（%(n)d件まで）。期間を短くするか Excel で出力してください。")
                           % {"n": REGISTER_PDF_MAX_ROWS})
    grid = TextGrid(register_pdf_columns(), font_size_pt=7.0, max_lines=20)

    def two_lines(value) -> str:  # 和暦 date, then the time under it
        return _w(value).replace(" ", "\n", 1)

    return render_pdf("incidents/pdf_register.html", {
        "body": user.body, "printed_on": to_wareki(timezone.localdate()), "user": user,
        "title": _("インシデント台帳"), "period": period_text(start, end), "count": len(rows),
        "rows": [{"text": grid.lines([r.number, r.get_kind_display(), str(r.state_label), r.title,
                                      r.requester.full_name, two_lines(r.reported_at),
                                      Truncator(r.action_taken or r.instruction or r.findings).chars(120),
                                      two_lines(r.closed_at) or "—"])} for r in rows],
        "empty": _("この期間の事故報告はありません。"), **grid.template_context(),
    })


def contacts_pdf(user, parties, cases) -> bytes:
    """緊急連絡先一覧: how to reach each party, and whom to contact for which case (P-10)."""
    return render_pdf("incidents/pdf_contacts.html", {
        "body": user.body, "printed_on": to_wareki(timezone.localdate()), "user": user,
        "title": _("緊急連絡先一覧"), "parties": parties, "cases": cases,
    })
