"""Pages of the media register (C-1): cabinets, the 記録媒体管理台帳, exceptions (例外措置), stock-takes (棚卸)."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tejun.access.policy import can
from tejun.audit.history import readable_history
from tejun.lib.errors import DomainError, InvalidInput, NotFound
from tejun.lib.pagination import IdPaginator
from tejun.orgs.models import User
from tejun.web.views import apply_errors
from tejun.workflow.engine import available_transitions, history
from tejun.workflow.views import perform_from_post

from . import register_selectors as selectors
from . import register_services as services
from .forms import TransitionForm
from .models import Cabinet, Medium, MediumException, StocktakeItem
from .register_forms import (
    CabinetForm,
    CloseStocktakeForm,
    DataWrittenForm,
    ExceptionForm,
    MarkForm,
    MediumForm,
    StartStocktakeForm,
)

PAGE_SIZE = 50
ACTION_LABELS = {
    "create": gettext_lazy("登録"), "update": gettext_lazy("修正"), "data_written": gettext_lazy("データの書込み"),
    "link_exception": gettext_lazy("例外措置の承認"), "stocktake_present": gettext_lazy("棚卸（あり）"),
    "stocktake_found": gettext_lazy("棚卸で発見"), "stocktake_missing": gettext_lazy("棚卸で所在不明"),
}
HIDDEN_IN_HISTORY = {"id", "body", "number"}


def _forbidden(request, message):
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def _view_or_403(request):
    if not can(request.user, "media.view"):
        return _forbidden(request, _("記録媒体の台帳を閲覧する権限がありません。"))
    return None


def _get(getter, request, pk):
    try:
        return getter(request.user, pk)
    except NotFound:
        raise Http404 from None


# ------------------------------------------------------------------------------------------ cabinets

@login_required
def cabinet_list(request):
    if denied := _view_or_403(request):
        return denied
    cabinets = list(selectors.cabinet_list(request.user))
    return render(request, "media/cabinet_list.html", {
        "cabinets": cabinets, "can_register": can(request.user, "media.register"),
        "unlockable": [c for c in cabinets if not c.lockable],
    })


def _all_errors(form, validate) -> None:
    """The form refused some fields: let the service check the ones that parsed, so that every problem
    (a cabinet that cannot be locked, a missing exception...) shows at once, not one submit at a time."""
    try:
        validate(dict(form.cleaned_data))
    except InvalidInput as e:
        for name, found in e.fields.items():
            if name in form.fields and name not in form.errors:
                for message in found if isinstance(found, list | tuple) else [found]:
                    form.add_error(name, message)


def _cabinet_form_page(request, cabinet):
    user = request.user
    # Bound on every POST (an empty one too): an unbound form has no cleaned_data for _all_errors.
    form = CabinetForm(request.POST if request.method == "POST" else None, instance=cabinet, body=user.body)
    if request.method == "POST" and not form.is_valid():
        _all_errors(form, lambda f: services.validate_cabinet(user.body, f, instance=cabinet))
    if request.method == "POST" and form.is_valid():
        try:
            if cabinet is None:
                saved = services.create_cabinet(actor=user, **form.cleaned_data)
                messages.success(request, _("キャビネット「%(name)s」を登録しました。") % {"name": saved.name})
            else:
                saved = services.update_cabinet(cabinet, actor=user, **form.cleaned_data)
                messages.success(request, _("キャビネット「%(name)s」を修正しました。") % {"name": saved.name})
        except InvalidInput as e:
            apply_errors(form, e)
        except NotFound:
            raise Http404 from None
        except DomainError as e:
            return _forbidden(request, e.message)
        else:
            if not saved.lockable:
                messages.warning(request, _("このキャビネットは施錠できないため、記録媒体を保管できません（C-1(4)）。"))
            return redirect("media:cabinet-list")
    return render(request, "media/cabinet_form.html", {"form": form, "editing": cabinet},
                  status=400 if form.errors else 200)


@login_required
def cabinet_new(request):
    if not can(request.user, "media.register"):
        return _forbidden(request, _("キャビネットを登録する権限がありません。"))
    return _cabinet_form_page(request, None)


@login_required
def cabinet_edit(request, pk):
    if denied := _view_or_403(request):
        return denied
    cabinet = _get(selectors.cabinet_get, request, pk)
    if not can(request.user, "media.register"):
        return _forbidden(request, _("キャビネットを編集する権限がありません。"))
    return _cabinet_form_page(request, cabinet)


# ------------------------------------------------------------------------------------------ the register

@login_required
def medium_list(request):
    if denied := _view_or_403(request):
        return denied
    user = request.user
    flt = selectors.MediumFilter.from_params(request.GET)
    page = IdPaginator(selectors.medium_list(user, flt), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(flt.as_query())
    today = timezone.localdate()
    # The linked exception is read with the row: no query per medium.
    rows = [{"medium": m, "exception_ok": not m.needs_exception or bool(m.exception_id and m.exception.covers(today))}
            for m in page.object_list]
    return render(request, "media/medium_list.html", {
        "page_obj": page, "rows": rows, "flt": flt, "query": f"{query}&" if query else "",
        "kinds": Medium.Kind.choices, "owners": Medium.Owner.choices, "statuses": Medium.Status.choices,
        "cabinets": Cabinet.objects.filter(body=user.body).order_by("name"),
        "people": User.objects.filter(body=user.body, is_active=True).order_by("furigana", "pk"),
        "can_register": can(user, "media.register"),
    })


def _history_rows(events, *, body, current: Medium | None = None) -> list[dict]:
    """Audit events as rows a clerk can read: what changed, with names instead of ids.

    The names of the medium's present custodian, cabinet, level and exception come from `current` (read with
    them); only earlier ones are looked up (an empty lookup runs no query)."""
    from tejun.assets.models import ClassificationLevel

    ids = {"custodian": set(), "cabinet": set(), "highest_level": set(), "exception": set()}
    for e in events:
        for data in (e.before or {}, e.after or {}):
            for name in ids:
                if isinstance(data.get(name), int):
                    ids[name].add(data[name])
    known = {name: {} for name in ids}
    if current is not None:
        for name, label in (("custodian", lambda o: o.full_name), ("cabinet", lambda o: o.name),
                            ("highest_level", lambda o: o.label), ("exception", lambda o: o.number)):
            related = getattr(current, name)  # selected with the medium (register_selectors.medium_get)
            if related is not None and related.pk in ids[name] and getattr(related, "body_id", body.pk) == body.pk:
                known[name][related.pk] = label(related)
                ids[name].discard(related.pk)
    names = {
        "custodian": {**known["custodian"], **dict(User.objects.filter(pk__in=ids["custodian"], body=body)
                                                   .values_list("pk", "full_name"))},
        "cabinet": {**known["cabinet"], **dict(Cabinet.objects.filter(pk__in=ids["cabinet"], body=body)
                                               .values_list("pk", "name"))},
        "highest_level": {**known["highest_level"], **{
            lv.pk: lv.label for lv in ClassificationLevel.objects.filter(pk__in=ids["highest_level"])}},
        "exception": {**known["exception"], **dict(MediumException.objects.filter(pk__in=ids["exception"], body=body)
                                                   .values_list("pk", "number"))},
    }

    return readable_history(
        events, model=Medium, action_labels=ACTION_LABELS, names=names, hidden=HIDDEN_IN_HISTORY,
        fallback_label=lambda action: _("持出し・廃棄などによる変更") if action.startswith("transition.") else None)


@login_required
def medium_detail(request, pk):
    if denied := _view_or_403(request):
        return denied
    user = request.user
    medium = _get(selectors.medium_get, request, pk)
    from tejun.assets.schemes import active_scheme

    today = timezone.localdate()
    covering = services.exception_covering(medium, today)
    # `medium` and `covering` were read just above: not read again.
    usable, reason = services.medium_usable(medium, today, reread=False, covering=covering)
    needed = services.required_exception_kind(medium.kind, medium.owner)
    can_register = can(user, "media.register")
    disposals = list(selectors.medium_disposals(user, medium))
    for d in disposals:  # every disposal of the medium is listed; its page opens only for whom may see it
        d.viewable = can(user, "media.view_disposal", d)
    return render(request, "media/medium_detail.html", {
        "medium": medium, "usable": usable, "unusable_reason": reason, "covering": covering,
        "needed_label": MediumException.Kind(needed).label if needed else "",
        "history": _history_rows(list(selectors.medium_history(user, medium)), body=user.body, current=medium),
        "carry_outs": list(selectors.medium_carry_outs(user, medium)),
        "disposals": disposals,
        "exceptions": list(selectors.medium_exceptions(user, medium)),
        "can_register": can_register and medium.status != Medium.Status.DISPOSED,
        "data_form": DataWrittenForm(scheme=active_scheme(user.body))
        if medium.status != Medium.Status.DISPOSED else None,
        "lockable": medium.cabinet.lockable,
    })


def _medium_form_page(request, medium):
    from tejun.assets.schemes import active_scheme

    user = request.user
    scheme = active_scheme(user.body)
    initial = {"custodian": user.pk, "registered_on": timezone.localdate()} if medium is None else None
    form = MediumForm(request.POST if request.method == "POST" else None, instance=medium, body=user.body,
                      scheme=scheme, user=user, initial=initial)
    if request.method == "POST" and not form.is_valid():
        _all_errors(form, lambda f: services.validate_medium(user.body, f, instance=medium))
    if request.method == "POST" and form.is_valid():
        try:
            if medium is None:
                saved = services.create_medium(actor=user, **form.cleaned_data)
                messages.success(request, _("記録媒体 %(number)s を登録しました。") % {"number": saved.number})
            else:
                saved = services.update_medium(medium, actor=user, **form.cleaned_data)
                messages.success(request, _("記録媒体 %(number)s を修正しました。") % {"number": saved.number})
        except InvalidInput as e:
            apply_errors(form, e)
        except NotFound:
            raise Http404 from None
        except DomainError as e:
            if e.status == 403:
                return _forbidden(request, e.message)
            messages.error(request, e.text())
            return redirect(medium or "media:medium-list")
        else:
            return redirect(saved)
    return render(request, "media/medium_form.html", {"form": form, "editing": medium, "scheme": scheme},
                  status=400 if form.errors else 200)


@login_required
def medium_new(request):
    if not can(request.user, "media.register"):
        return _forbidden(request, _("記録媒体を登録する権限がありません。"))
    return _medium_form_page(request, None)


@login_required
def medium_edit(request, pk):
    if denied := _view_or_403(request):
        return denied
    medium = _get(selectors.medium_get, request, pk)
    if not can(request.user, "media.register"):
        return _forbidden(request, _("記録媒体を編集する権限がありません。"))
    if medium.status == Medium.Status.DISPOSED:
        messages.error(request, _("廃棄済の記録媒体は修正できません。"))
        return redirect(medium)
    return _medium_form_page(request, medium)


@login_required
@require_POST
def medium_data_written(request, pk):
    if denied := _view_or_403(request):
        return denied
    from tejun.assets.schemes import active_scheme

    medium = _get(selectors.medium_get, request, pk)
    form = DataWrittenForm(request.POST, scheme=active_scheme(request.user.body))
    if not form.is_valid():
        messages.error(request, _("書き込んだデータの機密性を選んでください。"))
        return redirect(medium)
    before = medium.highest_level_id
    try:
        saved = services.record_data_written(medium, form.cleaned_data["level"], actor=request.user)
    except DomainError as e:
        if e.status == 403:
            return _forbidden(request, e.message)
        messages.error(request, e.text())
    else:
        if saved.highest_level_id != before:
            messages.success(request, _("書き込んだデータの最高機密性を %(level)s にしました。")
                             % {"level": saved.highest_level.label})
        else:
            messages.info(request, _("最高機密性（%(level)s）は変わりません。") % {"level": saved.highest_level.label})
    return redirect(medium)


# ------------------------------------------------------------------------------------------ exceptions

@login_required
def exception_list(request):
    if denied := _view_or_403(request):
        return denied
    state = request.GET.get("state", "")
    state = state if state in MediumException.workflow.states else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in MediumException.Kind.values else ""
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]  # NUL: a 500 on PostgreSQL
    page = Paginator(selectors.exception_list(request.user, state=state, kind=kind, q=q), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = urlencode({k: v for k, v in (("state", state), ("kind", kind), ("q", q)) if v})
    return render(request, "media/exception_list.html", {
        "page_obj": page, "state": state, "kind": kind, "q": q, "query": f"{query}&" if query else "",
        "states": MediumException.workflow.states.items(), "kinds": MediumException.Kind.choices,
        "can_create": can(request.user, "media.request_exception"), "today": timezone.localdate(),
    })


def _exception_form_page(request, exc):
    user = request.user
    initial = None
    if exc is None and request.GET.get("medium", "").isdecimal():
        medium = Medium.objects.filter(body=user.body, pk=int(request.GET["medium"])).first()
        if medium is not None:
            needed = services.required_exception_kind(medium.kind, medium.owner)
            initial = {"medium": medium.pk, "kind": needed or "", "medium_description": str(medium)}
    posted = request.method == "POST"
    form = ExceptionForm(request.POST if posted else None, instance=None if posted else exc, body=user.body,
                         initial=initial)
    if request.method == "POST" and not form.is_valid():
        _all_errors(form, lambda f: services.validate_exception(user.body, f))
    if request.method == "POST" and form.is_valid():
        try:
            if exc is None:
                saved = services.create_exception(actor=user, **form.cleaned_data)
                messages.success(request, _("例外措置 %(number)s を申請しました。") % {"number": saved.number})
            else:
                saved = services.update_exception(exc, actor=user, **form.cleaned_data)
                messages.success(request, _("修正しました。「再申請」で提出してください。"))
        except InvalidInput as e:
            apply_errors(form, e)
        except NotFound:
            raise Http404 from None
        except DomainError as e:
            if e.status == 403:
                return _forbidden(request, e.message)
            messages.error(request, e.text())
            return redirect(exc or "media:exception-list")
        else:
            return redirect(saved)
    return render(request, "media/exception_form.html", {"form": form, "editing": exc},
                  status=400 if form.errors else 200)


@login_required
def exception_new(request):
    if not can(request.user, "media.request_exception"):
        return _forbidden(request, _("例外措置を申請する権限がありません。"))
    return _exception_form_page(request, None)


@login_required
def exception_edit(request, pk):
    if denied := _view_or_403(request):
        return denied
    exc = _get(selectors.exception_get, request, pk)
    if not can(request.user, "media.edit_exception", exc):
        return _forbidden(request, _("この申請を修正できるのは申請者だけです。"))
    if exc.state != "sent_back":
        messages.error(request, _("差戻しされた申請だけ修正できます。"))
        return redirect(exc)
    return _exception_form_page(request, exc)


@login_required
def exception_detail(request, pk):
    if denied := _view_or_403(request):
        return denied
    exc = _get(selectors.exception_get, request, pk)
    today = timezone.localdate()
    return render(request, "media/exception_detail.html", {
        "obj": exc, "actions": available_transitions(request.user, exc), "history": history(exc),
        "form": TransitionForm(), "linked_media": list(exc.media.select_related("cabinet").order_by("number")),
        "can_edit": exc.state == "sent_back" and can(request.user, "media.edit_exception", exc),
        "in_force": exc.covers(today), "expired": exc.state == "approved" and exc.valid_to < today,
        "can_register": can(request.user, "media.register"),
        "days_left": (exc.valid_to - today).days if exc.state == "approved" and exc.valid_to >= today else None,
    })


@login_required
@require_POST
def exception_transition(request, pk, name):
    if denied := _view_or_403(request):
        return denied
    return perform_from_post(request, _get(selectors.exception_get, request, pk), name)


# ------------------------------------------------------------------------------------------ stock-takes

@login_required
def stocktake_list(request):
    if denied := _view_or_403(request):
        return denied
    user = request.user
    page = Paginator(selectors.stocktake_list(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "media/stocktake_list.html", {
        "page_obj": page, "query": "", "open_round": selectors.open_stocktake(user),
        "can_stocktake": can(user, "media.stocktake"), "start_form": StartStocktakeForm(),
    })


@login_required
@require_POST
def stocktake_start(request):
    if not can(request.user, "media.stocktake"):
        return _forbidden(request, _("棚卸を行う権限がありません。"))
    form = StartStocktakeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else request.POST.get("note", "")
    try:
        stocktake = services.start_stocktake(actor=request.user, note=note)
    except DomainError as e:
        messages.error(request, e.text())
        return redirect("media:stocktake-list")
    messages.success(request, _("棚卸を開始しました。キャビネットごとに、記録媒体の有無を確認してください。"))
    return redirect(stocktake)


def _stocktake_context(request, stocktake):
    items = list(selectors.stocktake_items(stocktake))
    counts = {"total": len(items),
              "present": sum(1 for i in items if i.result == StocktakeItem.Result.PRESENT),
              "missing": sum(1 for i in items if i.result == StocktakeItem.Result.MISSING)}
    counts["unchecked"] = counts["total"] - counts["present"] - counts["missing"]
    return {"stocktake": stocktake, "groups": selectors.items_by_cabinet(items), "counts": counts,
            "is_open": stocktake.status == stocktake.Status.OPEN,
            "can_mark": stocktake.status == stocktake.Status.OPEN and can(request.user, "media.stocktake")}


@login_required
def stocktake_detail(request, pk):
    if denied := _view_or_403(request):
        return denied
    stocktake = _get(selectors.stocktake_get, request, pk)
    return render(request, "media/stocktake_detail.html", {
        **_stocktake_context(request, stocktake), "close_form": CloseStocktakeForm()})


@login_required
def stocktake_print(request, pk):
    if denied := _view_or_403(request):
        return denied
    stocktake = _get(selectors.stocktake_get, request, pk)
    return render(request, "media/stocktake_print.html", {
        **_stocktake_context(request, stocktake), "printed_on": timezone.localdate()})


@login_required
@require_POST
def stocktake_mark(request, pk, item_pk):
    if denied := _view_or_403(request):
        return denied
    stocktake = _get(selectors.stocktake_get, request, pk)
    item = _get(lambda user, ipk: selectors.stocktake_item_get(user, stocktake, ipk), request, item_pk)
    form = MarkForm(request.POST)
    if not can(request.user, "media.stocktake"):
        return _forbidden(request, _("棚卸を行う権限がありません。"))
    error = ""
    if not form.is_valid():
        error = _("「あり」か「所在不明」を選んでください。")
    else:
        try:
            item = services.mark_item(item, actor=request.user, result=form.cleaned_data["result"],
                                      note=form.cleaned_data["note"] if "note" in request.POST else None)
        except DomainError as e:
            error = e.text()
        item = selectors.stocktake_item_get(request.user, stocktake, item.pk)
    if request.headers.get("HX-Request"):
        # The row, swapped in place, and the counts out of band (htmx swaps 2xx answers only: an error
        # is shown in the row).
        stocktake.refresh_from_db()
        group = selectors.stocktake_counts(stocktake, item.cabinet_id)
        return render(request, "media/stocktake_row.html", {
            "item": item, "stocktake": stocktake, "error": error, "oob": True,
            "counts": selectors.stocktake_counts(stocktake), "is_open": stocktake.status == stocktake.Status.OPEN,
            "g": {"cabinet": item.cabinet, "total": group["total"], "present": group["present"],
                  "missing": group["missing"]},
            "can_mark": stocktake.status == stocktake.Status.OPEN})
    if error:
        messages.error(request, error)
    return redirect(f"{stocktake.get_absolute_url()}#item-{item.pk}")


@login_required
@require_POST
def stocktake_close(request, pk):
    if denied := _view_or_403(request):
        return denied
    stocktake = _get(selectors.stocktake_get, request, pk)
    if not can(request.user, "media.stocktake"):
        return _forbidden(request, _("棚卸を行う権限がありません。"))
    form = CloseStocktakeForm(request.POST)
    form.is_valid()
    try:
        closed = services.close_stocktake(stocktake, actor=request.user,
                                          unchecked_as_missing=form.cleaned_data.get("unchecked_as_missing", False))
    except DomainError as e:
        messages.error(request, e.text())
        return redirect(stocktake)
    missing = closed.items.filter(result=StocktakeItem.Result.MISSING).count()
    if missing:
        messages.warning(request, _("棚卸を完了しました。所在不明の記録媒体が %(n)d 件あり、紛失として記録して責任者・管理者に"
                                    "通知しました。") % {"n": missing})
    else:
        messages.success(request, _("棚卸を完了しました。すべての記録媒体の所在を確認しました。"))
    return redirect(closed)
