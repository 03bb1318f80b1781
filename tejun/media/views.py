from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tejun.access.policy import can
from tejun.lib.errors import DomainError, InvalidInput, NotFound
from tejun.lib.pagination import IdPaginator
from tejun.lib.pdf import pdf_response
from tejun.web.views import apply_errors
from tejun.workflow.engine import available_transitions, history
from tejun.workflow.views import perform_from_post

from . import documents, selectors, services
from .forms import CarryOutWithMediumForm, TransitionForm
from .models import CarryOutRequest


def _get(request, pk):
    try:
        return selectors.carry_out_get(request.user, pk)
    except NotFound:
        raise Http404 from None


@login_required
def carry_out_list(request):
    # NUL cannot reach PostgreSQL (DataError, a 500): dropped.
    state = request.GET.get("state", "").replace("\x00", "")
    q = request.GET.get("q", "").replace("\x00", "").strip()
    qs = selectors.carry_out_list(request.user, state=state, q=q)
    page = IdPaginator(qs, 50).get_page(request.GET.get("page"))
    query = "".join(f"{k}={v}&" for k, v in (("state", state), ("q", q)) if v)
    start, end = documents.parse_period({})
    return render(request, "media/carry_out_list.html", {
        "page_obj": page, "state": state, "q": q, "query": query,
        "states": CarryOutRequest.workflow.states.items(),
        "can_create": can(request.user, "media.create_carry_out"),
        "can_print_log": can(request.user, "media.view_all_carry_outs"), "period_start": start, "period_end": end,
    })


@login_required
def carry_out_new(request):
    if not can(request.user, "media.create_carry_out"):
        return render(request, "web/forbidden.html", {"message": _("持出し申請を行う権限がありません。")}, status=403)
    form = CarryOutWithMediumForm(request.POST or None,
                                  initial={"medium": request.GET.get("medium")} if request.method == "GET" else None)
    form.set_media(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.create_carry_out(actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("持出し申請 %(number)s を提出しました。") % {"number": obj.number})
            return redirect(obj)
    return render(request, "media/carry_out_form.html", {"form": form, "editing": None})


@login_required
def carry_out_edit(request, pk):
    obj = _get(request, pk)
    if not can(request.user, "media.edit_carry_out", obj):
        return render(request, "web/forbidden.html",
                      {"message": _("この申請を修正できるのは申請者だけです。")}, status=403)
    if obj.state != "sent_back":
        messages.error(request, _("差戻しされた申請だけ修正できます。"))
        return redirect(obj)
    form = CarryOutWithMediumForm(request.POST or None, instance=None if request.method == "POST" else obj,
                                  initial={"medium": obj.medium_id})
    form.set_media(request.user, include=obj.medium)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_carry_out(obj, actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        except DomainError as e:
            messages.error(request, e.message)
            return redirect(obj)
        else:
            messages.success(request, _("修正しました。「再申請」で提出してください。"))
            return redirect(obj)
    return render(request, "media/carry_out_form.html", {"form": form, "editing": obj})


@login_required
def carry_out_detail(request, pk):
    obj = _get(request, pk)
    return render(request, "media/carry_out_detail.html", {
        "obj": obj, "actions": available_transitions(request.user, obj), "history": history(obj),
        "form": TransitionForm(), "can_edit": obj.state == "sent_back" and can(request.user, "media.edit_carry_out", obj),
    })


@login_required
@require_POST
def carry_out_transition(request, pk, name):
    return perform_from_post(request, _get(request, pk), name)


# --- printed documents --------------------------------------------------------------------------------


def _forbidden(request, message):
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def _bad_period(request, error: InvalidInput, back: str):
    messages.error(request, error.text())
    return redirect(back)


@login_required
@require_GET
def carry_out_pdf(request, pk):
    """持出許可申請書: whoever may see the request may print it."""
    obj = _get(request, pk)
    return pdf_response(documents.carry_out_form_pdf(request.user, obj), f"持出許可申請書_{obj.number}.pdf")


@login_required
@require_GET
def carry_out_log(request, fmt):
    """持出簿 over ?from=&to= (this fiscal year by default): the officer's register, as PDF or .xlsx."""
    if not can(request.user, "media.view_all_carry_outs"):
        return _forbidden(request, _("持出簿を出力する権限がありません。"))
    try:
        start, end = documents.parse_period(request.GET)
        if fmt == "xlsx":
            return documents.carry_out_log_xlsx(request.user, start, end)
        data = documents.carry_out_log_pdf(request.user, start, end)
    except InvalidInput as e:
        return _bad_period(request, e, "media:carry-out-list")
    return pdf_response(data, f"持出簿_{start:%Y%m%d}-{end:%Y%m%d}.pdf")


@login_required
@require_GET
def exception_pdf(request, pk):
    """例外措置申請書: whoever may see the exception may print it."""
    from .register_selectors import exception_get

    try:
        exc = exception_get(request.user, pk)
    except NotFound:
        raise Http404 from None
    return pdf_response(documents.exception_form_pdf(request.user, exc), f"例外措置申請書_{exc.number}.pdf")


@login_required
@require_GET
def media_register_document(request, fmt):
    """記録媒体管理台帳 with the register page's filters, as PDF or .xlsx."""
    if not can(request.user, "media.view"):
        return _forbidden(request, _("記録媒体管理台帳を閲覧する権限がありません。"))
    if fmt == "xlsx":
        return documents.media_register_xlsx(request.user, request.GET)
    try:
        data = documents.media_register_pdf(request.user, request.GET)
    except InvalidInput as e:
        messages.error(request, e.message)
        return redirect("media:medium-list")
    return pdf_response(data, "記録媒体管理台帳.pdf")
