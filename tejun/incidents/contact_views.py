"""Pages for the body's incident settings and documents: the contact list and matrix, reminder hours,
the incident report PDFs and the インシデント台帳."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tejun.access.policy import can, visible
from tejun.lib.errors import DomainError, InvalidInput
from tejun.lib.pdf import pdf_response
from tejun.media.documents import parse_period
from tejun.web.views import apply_errors

from . import contact_services, documents, selectors
from .forms import CaseEditForm, PartyForm, ReminderForm
from .models import ContactCase, ContactParty, Incident
from .views import _forbidden, _get
from .workflows import DEFAULT_REMINDER_HOURS


@login_required
def contacts(request):
    if not can(request.user, "incidents.view_contacts"):
        return _forbidden(request, _("緊急連絡先を見る権限がありません。"))
    body_id = request.user.body_id
    return render(request, "incidents/contacts.html", {
        "parties": selectors.contact_parties(body_id), "cases": selectors.contact_cases(body_id),
        "can_manage": can(request.user, "incidents.manage_contacts"),
    })


@login_required
@require_GET
def contacts_pdf(request):
    if not can(request.user, "incidents.view_contacts"):
        return _forbidden(request, _("緊急連絡先を見る権限がありません。"))
    body_id = request.user.body_id
    data = documents.contacts_pdf(request.user, selectors.contact_parties(body_id), selectors.contact_cases(body_id))
    return pdf_response(data, "緊急連絡先一覧.pdf")


@login_required
def party_edit(request, pk=None):
    if not can(request.user, "incidents.manage_contacts"):
        return _forbidden(request, _("緊急連絡先を編集する権限がありません。"))
    party = get_object_or_404(ContactParty, pk=pk, body_id=request.user.body_id) if pk else None
    form = PartyForm(request.POST or None, instance=party if request.method == "GET" else None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_services.save_party(actor=request.user, party=party, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("緊急連絡先を保存しました。"))
            return redirect("incidents:contacts")
    return render(request, "incidents/contact_form.html", {"form": form, "title": _("連絡先の編集")})


@login_required
def case_edit(request, pk=None):
    if not can(request.user, "incidents.manage_contacts"):
        return _forbidden(request, _("緊急連絡先を編集する権限がありません。"))
    case = get_object_or_404(ContactCase, pk=pk, body_id=request.user.body_id) if pk else None
    form = CaseEditForm(request.POST or None, instance=case if request.method == "GET" else None,
                        body_id=request.user.body_id)
    if request.method == "POST" and form.is_valid():
        try:
            contact_services.save_case(actor=request.user, case=case, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("事案別の連絡先を保存しました。"))
            return redirect("incidents:contacts")
    return render(request, "incidents/contact_form.html", {"form": form, "title": _("事案別連絡先の編集")})


@login_required
def reminders(request):
    if not can(request.user, "incidents.manage_contacts"):
        return _forbidden(request, _("督促の設定を変更する権限がありません。"))
    hours = selectors.reminder_hours(request.user.body_id)
    labels = {s: Incident.workflow.label(s) for s in DEFAULT_REMINDER_HOURS}
    form = ReminderForm(request.POST or None, hours=hours, labels=labels)
    if request.method == "POST" and form.is_valid():
        try:
            contact_services.set_reminder_hours(actor=request.user, hours=form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("督促の設定を保存しました。"))
            return redirect("incidents:reminders")
    return render(request, "incidents/contact_form.html", {
        "form": form, "title": _("事故対応の督促設定"),
        "lead": _("各段階で、この時間を過ぎても次の手続が行われないとき、担当者に1日1回督促します（時間単位）。")})


@login_required
@require_GET
def report_pdf(request, pk, stage):
    incident = _get(request, pk)
    if not can(request.user, "incidents.view_all"):
        return _forbidden(request, _("報告書を出力する権限がありません。"))
    try:
        data = documents.incident_report_pdf(request.user, incident, stage)
    except DomainError as e:
        messages.error(request, e.text())
        return redirect(incident)
    return pdf_response(data, f"事故報告書_{incident.number}_{documents.STAGES[stage]}.pdf")


@login_required
@require_GET
def register(request, fmt="xlsx"):
    """インシデント台帳 of a period (this fiscal year by default) as .xlsx or A4 PDF."""
    if not can(request.user, "incidents.view_all"):
        return _forbidden(request, _("インシデント台帳を出力する権限がありません。"))
    try:
        start, end = parse_period(request.GET)
        if fmt == "pdf":
            data = documents.register_pdf(request.user, visible(request.user, Incident), start, end)
            return pdf_response(data, f"インシデント台帳_{start:%Y%m%d}-{end:%Y%m%d}.pdf")
    except InvalidInput as e:
        messages.error(request, e.text())
        return redirect("incidents:list")
    return documents.register_xlsx(request.user, visible(request.user, Incident), start, end)
