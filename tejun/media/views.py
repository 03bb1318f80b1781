from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tejun.access.policy import can
from tejun.lib.errors import DomainError, InvalidInput, NotFound
from tejun.web.views import apply_errors
from tejun.workflow.engine import available_transitions, history, perform

from . import selectors, services
from .forms import CarryOutForm, TransitionForm
from .models import CarryOutRequest


def _get(request, pk):
    try:
        return selectors.carry_out_get(request.user, pk)
    except NotFound:
        raise Http404 from None


@login_required
def carry_out_list(request):
    state = request.GET.get("state", "")
    q = request.GET.get("q", "").strip()
    qs = selectors.carry_out_list(request.user, state=state, q=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = "".join(f"{k}={v}&" for k, v in (("state", state), ("q", q)) if v)
    return render(request, "media/carry_out_list.html", {
        "page_obj": page, "state": state, "q": q, "query": query,
        "states": CarryOutRequest.workflow.states.items(),
        "can_create": can(request.user, "media.create_carry_out"),
    })


@login_required
def carry_out_new(request):
    if not can(request.user, "media.create_carry_out"):
        return render(request, "web/forbidden.html", {"message": _("持出し申請を行う権限がありません。")}, status=403)
    form = CarryOutForm(request.POST or None)
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
    form = CarryOutForm(request.POST or None, instance=None if request.method == "POST" else obj)
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
    obj = _get(request, pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        perform(obj, name, request.user, comment=form.cleaned_data.get("comment", ""),
                deputy_reason=form.cleaned_data.get("deputy_reason", ""))
    except NotFound:
        raise Http404 from None
    except DomainError as e:
        detail = "；".join(str(m) for m in e.fields.values()) if e.fields else ""
        messages.error(request, f"{e.message} {detail}".strip())
    else:
        t = obj.workflow.get(name)
        messages.success(request, _("「%(action)s」を行いました。") % {"action": t.label})
    return redirect("media:carry-out-detail", pk=pk)
