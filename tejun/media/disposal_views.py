"""Pages of disposal (P-02, C-1(5)): request, decide, record the destruction, print."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tejun.access.policy import can
from tejun.assets.schemes import active_scheme, levels_of
from tejun.lib.errors import DomainError, Forbidden, InvalidInput, NotFound, WrongState
from tejun.lib.pdf import pdf_response
from tejun.lib.uploads import attachment_response
from tejun.web.views import apply_errors
from tejun.workflow.engine import history
from tejun.workflow.views import perform_from_post

from . import disposal_selectors as selectors
from . import disposal_services as services
from . import documents
from .forms import DestructionForm, DisposalEditForm, DisposalForm, TransitionForm
from .models import DisposalRequest


def _get(request, pk) -> DisposalRequest:
    try:
        return selectors.disposal_get(request.user, pk)
    except NotFound:
        raise Http404 from None


def _forbidden(request, message):
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def _levels(user):
    return levels_of(active_scheme(user.body))["confidentiality"]


@login_required
def disposal_list(request):
    state = request.GET.get("state", "")
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]  # NUL: a 500 on PostgreSQL
    qs = selectors.disposal_list(request.user, state=state if state in DisposalRequest.workflow.states else "", q=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = "".join(f"{k}={v}&" for k, v in (("state", state), ("q", q)) if v)
    start, end = documents.parse_period({})
    return render(request, "media/disposal_list.html", {
        "page_obj": page, "state": state, "q": q, "query": query,
        "states": DisposalRequest.workflow.states.items(),
        "can_create": can(request.user, "media.request_disposal"),
        "can_print_log": can(request.user, "media.view_all_disposals"), "period_start": start, "period_end": end,
    })


@login_required
def disposal_new(request):
    if not can(request.user, "media.request_disposal"):
        return _forbidden(request, _("廃棄申請を行う権限がありません。"))
    initial = {"medium": request.GET.get("medium")} if request.method == "GET" else None
    form = DisposalForm(request.POST or None, initial=initial, user=request.user, levels=_levels(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.create_disposal(actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("廃棄申請 %(number)s を提出しました。") % {"number": obj.number})
            return redirect(obj)
    return render(request, "media/disposal_form.html", {"form": form, "editing": None,
                                                       "no_media": not form.medium_count})


@login_required
def disposal_edit(request, pk):
    obj = _get(request, pk)
    try:
        services.check_editable(obj, request.user)
    except Forbidden as e:
        return _forbidden(request, e.message)
    except WrongState as e:
        messages.error(request, e.message)
        return redirect(obj)
    initial = {"reason": obj.reason, "highest_level": obj.highest_level_id}
    form = DisposalEditForm(request.POST or None, initial=initial, levels=_levels(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_disposal(obj, actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        except DomainError as e:
            messages.error(request, e.message)
            return redirect(obj)
        else:
            messages.success(request, _("修正しました。「再申請」で提出してください。"))
            return redirect(obj)
    return render(request, "media/disposal_form.html", {"form": form, "editing": obj})


@login_required
def disposal_detail(request, pk):
    obj = _get(request, pk)
    actions = services.disposal_actions(request.user, obj)
    return render(request, "media/disposal_detail.html", {
        "obj": obj, "medium": obj.medium, "history": history(obj), "form": TransitionForm(),
        "actions": [(t, a) for t, a in actions if t.name != "record_destruction"],
        "can_record": any(t.name == "record_destruction" for t, _a in actions),
        "waiting_for_approval": obj.state == "submitted" and obj.needs_approval,
        "destruction": getattr(obj, "destruction", None) if obj.state == "destroyed" else None,
        "can_edit": obj.state == "sent_back" and can(request.user, "media.edit_disposal", obj),
    })


@login_required
@require_POST
def disposal_transition(request, pk, name):
    obj = _get(request, pk)
    if name == "record_destruction":  # needs its record: the form page
        return redirect("media:disposal-destruction", pk=pk)
    return perform_from_post(request, obj, name)


@login_required
def disposal_destruction(request, pk):
    """破壊の記録: the form, and its POST (multipart, with the photo or certificate)."""
    obj = _get(request, pk)
    try:
        services.precheck_destruction(obj, request.user)
    except Forbidden as e:
        return _forbidden(request, e.message)
    except WrongState as e:
        messages.error(request, e.message)
        return redirect(obj)
    form = DestructionForm(request.POST or None, request.FILES or None, physical_only=obj.needs_approval)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            comment = data.pop("comment", "")
            try:
                services.record_destruction(obj, actor=request.user, comment=comment, **data)
            except InvalidInput as e:
                apply_errors(form, e)
            except DomainError as e:
                messages.error(request, e.text())
                return redirect(obj)
            else:
                messages.success(request, _("破壊を記録しました。記録媒体 %(number)s は廃棄済になりました。")
                                 % {"number": obj.medium.number})
                return redirect(obj)
        status = 400
    return render(request, "media/disposal_destruction_form.html", {"form": form, "obj": obj}, status=status)


@login_required
@require_GET
def destruction_file(request, pk):
    """The photo or certificate, only to those who may see the request, always as a download."""
    obj = _get(request, pk)
    destruction = getattr(obj, "destruction", None) if obj.state == "destroyed" else None
    if destruction is None or not destruction.file or not can(request.user, "media.view_disposal", obj):
        raise Http404
    return attachment_response(destruction.file, destruction.file_name)


@login_required
@require_GET
def disposal_pdf(request, pk):
    """廃棄申請書 with its destruction record."""
    obj = _get(request, pk)
    return pdf_response(documents.disposal_form_pdf(request.user, obj), f"廃棄申請書_{obj.number}.pdf")


@login_required
@require_GET
def destruction_log(request, fmt):
    """廃棄記録簿 over ?from=&to= (this fiscal year by default), as PDF or .xlsx."""
    if not can(request.user, "media.view_all_disposals"):
        return _forbidden(request, _("廃棄記録簿を出力する権限がありません。"))
    try:
        start, end = documents.parse_period(request.GET)
        if fmt == "xlsx":
            return documents.destruction_log_xlsx(request.user, start, end)
        data = documents.destruction_log_pdf(request.user, start, end)
    except InvalidInput as e:
        messages.error(request, e.text())
        return redirect("media:disposal-list")
    return pdf_response(data, f"廃棄記録簿_{start:%Y%m%d}-{end:%Y%m%d}.pdf")
