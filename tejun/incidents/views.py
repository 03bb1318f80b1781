"""Incident pages: the quick report, the list, the incident page with its checklists and timeline."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tejun.access.policy import can
from tejun.lib.errors import DomainError, InvalidInput, NotFound
from tejun.lib.pagination import IdPaginator
from tejun.lib.uploads import attachment_response
from tejun.web.views import apply_errors
from tejun.workflow.engine import available_transitions, history, next_actors, perform

from . import checklists, selectors, services
from .forms import (
    AttachmentForm,
    CaseForm,
    ContactDoneForm,
    DetailsForm,
    ReportForm,
    StepForm,
    TimelineForm,
    transition_form,
)
from .models import DisconnectionStep, Incident, IncidentAttachment, IncidentContact
from .transitions import missing_for_closure
from .workflows import PROCEDURE_STEPS


def _get(request, pk) -> Incident:
    try:
        return selectors.incident_get(request.user, pk)
    except NotFound:
        raise Http404 from None


def _forbidden(request, message):
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def _flash_error(request, error: DomainError):
    messages.error(request, error.text())


@login_required
def report(request):
    """何が起きましたか: the one-minute report."""
    if not can(request.user, "incidents.report"):
        return _forbidden(request, _("事故を報告する権限がありません。"))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.open_incident(reporter=request.user, kind=data["kind"],
                                              description=data["description"], occurred_at=data["occurred_at"],
                                              location=data["location"])
        except InvalidInput as e:
            apply_errors(form, e)
        except DomainError as e:
            return _forbidden(request, e.text())
        else:
            messages.success(request, _("報告しました（%(number)s）。担当者に通知しました。") % {"number": incident.number})
            return redirect(incident)
    return render(request, "incidents/report.html", {"form": form})


@login_required
def incident_list(request):
    state = request.GET.get("state", "").replace("\x00", "")
    kind = request.GET.get("kind", "").replace("\x00", "")
    q = request.GET.get("q", "").replace("\x00", "").strip()
    open_only = request.GET.get("open") == "1"
    qs = selectors.incident_list(request.user, state=state, kind=kind, q=q, open_only=open_only)
    page = IdPaginator(qs, 50).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in (("state", state), ("kind", kind), ("q", q),
                                           ("open", "1" if open_only else "")) if v])
    return render(request, "incidents/list.html", {
        "page_obj": page, "state": state, "kind": kind, "q": q, "open_only": open_only,
        "query": f"{query}&" if query else "",
        "states": Incident.workflow.states.items(), "kinds": Incident.Kind.choices,
        "can_report": can(request.user, "incidents.report"),
        "can_view_all": can(request.user, "incidents.view_all"),
        "can_manage": can(request.user, "incidents.manage_contacts"),
        "can_contacts": can(request.user, "incidents.view_contacts"),
    })


def _steps(incident: Incident) -> list[dict]:
    order = PROCEDURE_STEPS[incident.procedure]
    current = order.index(incident.state) if incident.state in order else -1
    return [{"state": s, "label": incident.workflow.label(s), "done": i < current or incident.state == "closed",
             "current": i == current} for i, s in enumerate(order)]


@login_required
def detail(request, pk):
    return _detail_page(request, _get(request, pk))


def _detail_page(request, incident, refused=None, status=200):
    """The incident page; `refused` is a refused transition's form, shown again with what was typed."""
    user = request.user
    handler = can(user, "incidents.handle", incident) and incident.is_open
    actions = [(t, a, refused if refused is not None and refused.prefix == t.name else transition_form(incident, t.name))
               for t, a in available_transitions(user, incident)]
    # Read once with who did them; missing_for_closure() below reads the same prefetched rows.
    prefetch_related_objects([incident], Prefetch("contacts", IncidentContact.objects.select_related("done_by")),
                             Prefetch("disconnection_steps", DisconnectionStep.objects.select_related("done_by")))
    contacts = list(incident.contacts.all())
    if handler and incident.is_breach:
        checklists.ensure_contact_matrix(incident.body_id)  # a body created after the migration: seed now
    steps = list(incident.disconnection_steps.all())
    return render(request, "incidents/detail.html", {
        "obj": incident, "actions": actions, "history": history(incident), "steps_bar": _steps(incident),
        "timeline": incident.timeline.select_related("author"), "attachments": incident.attachments.all(),
        "contacts": contacts, "disconnection": steps, "handler": handler,
        "may_note": incident.is_open and (handler or incident.requester_id == user.pk),
        "missing": missing_for_closure(incident) if incident.is_open else [],
        "case_form": CaseForm(body_id=incident.body_id, initial={"case": incident.case_id})
        if handler and incident.is_breach else None,
        "timeline_form": TimelineForm(), "attachment_form": AttachmentForm(),
        "contact_form": ContactDoneForm(), "step_form": StepForm(),
        "is_staff_reader": can(user, "incidents.view_all"),
        "waiting_for": sorted(next_actors(incident), key=lambda p: p.full_name) if incident.is_open else [],
    }, status=status)


@login_required
def edit(request, pk):
    incident = _get(request, pk)
    if not can(request.user, "incidents.handle", incident):
        return _forbidden(request, _("事故対応の記録を変更する権限がありません。"))
    if not incident.is_open:
        messages.error(request, _("完了・取下げ済みの事故は変更できません。"))
        return redirect(incident)
    form = DetailsForm(request.POST or None, instance=None if request.method == "POST" else incident,
                       procedure=incident.procedure)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_details(incident, actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        except DomainError as e:
            _flash_error(request, e)
            return redirect(incident)
        else:
            messages.success(request, _("記録しました。"))
            return redirect(incident)
    return render(request, "incidents/edit.html", {"form": form, "obj": incident})


@login_required
@require_POST
def transition(request, pk, name):
    incident = _get(request, pk)
    t = incident.workflow.get(name)
    if t is None:
        raise Http404
    form = transition_form(incident, name, request.POST)
    form.is_valid()  # what is missing the engine and the hooks say, in the same words as the API
    cleaned = {k: form.cleaned_data.get(k) for k in form.fields if k in form.cleaned_data}
    data = {k: val for k, val in cleaned.items() if k not in ("comment", "deputy_reason") and val not in (None, "")}
    unreadable = [f"{form.fields[field].label}：{' '.join(errors)}" for field, errors in form.errors.items()
                  if field in form.fields and request.POST.get(f"{name}-{field}", "").strip()]
    if unreadable:  # a date that is not a date: say so, change nothing (empty fields the engine names)
        for text in unreadable:
            messages.error(request, text)
        return _detail_page(request, incident, refused=form, status=400)  # with what was typed
    try:
        perform(incident, name, request.user, comment=request.POST.get(f"{name}-comment", ""),
                deputy_reason=request.POST.get(f"{name}-deputy_reason", ""), data=data)
    except NotFound:
        raise Http404 from None
    except InvalidInput as e:
        _flash_error(request, e)
        return _detail_page(request, incident, refused=form, status=400)  # with what was typed
    except DomainError as e:
        _flash_error(request, e)
    else:
        messages.success(request, _("「%(action)s」を行いました。") % {"action": t.label})
    return redirect(incident)


@login_required
@require_POST
def add_note(request, pk):
    incident = _get(request, pk)
    form = TimelineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("日時と内容を入力してください。"))
        return redirect(incident)
    try:
        services.add_timeline_entry(incident, actor=request.user, **form.cleaned_data)
    except DomainError as e:
        _flash_error(request, e)
    else:
        messages.success(request, _("経過を記録しました。"))
    return redirect(f"{incident.get_absolute_url()}#timeline-h")


@login_required
@require_POST
def attach(request, pk):
    incident = _get(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("ファイルを選択してください。"))
        return redirect(incident)
    try:
        services.add_attachment(incident, actor=request.user, uploaded=form.cleaned_data["file"],
                                description=form.cleaned_data["description"])
    except DomainError as e:
        _flash_error(request, e)
    else:
        messages.success(request, _("ファイルを添付しました。"))
    return redirect(f"{incident.get_absolute_url()}#attachments-h")


@login_required
@require_GET
def attachment_file(request, pk, attachment_pk):
    incident = _get(request, pk)  # 404 unless the incident is visible to the user
    attachment = IncidentAttachment.objects.filter(incident=incident, pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return attachment_response(attachment.file, attachment.file_name)


@login_required
@require_POST
def choose_case(request, pk):
    incident = _get(request, pk)
    form = CaseForm(request.POST, body_id=incident.body_id)
    if not form.is_valid():
        messages.error(request, _("事案の区分を選んでください。"))
        return redirect(incident)
    try:
        checklists.choose_case(incident, actor=request.user, case=form.cleaned_data["case"])
    except DomainError as e:
        _flash_error(request, e)
    else:
        messages.success(request, _("事案の区分を記録し、連絡先のチェックリストを作りました。"))
    return redirect(f"{incident.get_absolute_url()}#contacts-h")


@login_required
@require_POST
def contact(request, pk, contact_pk):
    incident = _get(request, pk)
    row = IncidentContact.objects.filter(incident=incident, pk=contact_pk).select_related("incident").first()
    if row is None:
        raise Http404
    form = ContactDoneForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        if request.POST.get("action") == "waive":
            checklists.waive_contact(row, actor=request.user, reason=data.get("waived_reason", ""))
        else:
            checklists.record_contact(row, actor=request.user, done_at=data.get("done_at"), note=data.get("note", ""))
    except DomainError as e:
        _flash_error(request, e)
    else:
        messages.success(request, _("「%(name)s」を記録しました。") % {"name": row.name})
    return redirect(f"{incident.get_absolute_url()}#contacts-h")


@login_required
@require_POST
def disconnection(request, pk):
    incident = _get(request, pk)
    try:
        checklists.attach_disconnection(incident, actor=request.user)
    except DomainError as e:
        _flash_error(request, e)
    else:
        messages.success(request, _("ネットワーク切断の手順を開始しました。"))
    return redirect(f"{incident.get_absolute_url()}#disconnection-h")


@login_required
@require_POST
def disconnection_step(request, pk, step_pk):
    incident = _get(request, pk)
    step = DisconnectionStep.objects.filter(incident=incident, pk=step_pk).select_related("incident").first()
    if step is None:
        raise Http404
    form = StepForm(request.POST)
    form.is_valid()
    try:
        checklists.mark_step(step, actor=request.user, done_at=form.cleaned_data.get("done_at"),
                             note=form.cleaned_data.get("note", ""))
    except DomainError as e:
        _flash_error(request, e)
    else:
        messages.success(request, _("「%(step)s」を記録しました。") % {"step": step.get_step_display()})
    return redirect(f"{incident.get_absolute_url()}#disconnection-h")
