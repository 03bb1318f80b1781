"""Pages of the information-asset register (C-3): the list, one asset, the forms and the scheme."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tejun.access.policy import can
from tejun.audit.history import readable_history
from tejun.lib.errors import DomainError, InvalidInput, NotFound
from tejun.lib.pagination import IdPaginator
from tejun.orgs.models import Post
from tejun.web.views import apply_errors

from . import schemes, selectors, services
from .forms import AssetForm, ConfirmationMonthsForm, DisposeForm, LevelForm, SchemeChangeForm
from .models import Asset, Axis, ClassificationLevel
from .presets import PRESETS

PAGE_SIZE = 50
# The sortable columns of the list: (sort key, heading).
COLUMNS = [
    ("number", gettext_lazy("管理番号")), ("name", gettext_lazy("資産名称")), ("department", gettext_lazy("所属")),
    ("form", gettext_lazy("形態")), ("location", gettext_lazy("保存場所")),
    ("confidentiality", gettext_lazy("機密性")), ("integrity", gettext_lazy("完全性")),
    ("availability", gettext_lazy("可用性")), (None, gettext_lazy("個人情報")),
    ("manager_post", gettext_lazy("管理者")), ("confirmed_on", gettext_lazy("確認日")),
]
ACTION_LABELS = {
    "create": gettext_lazy("登録"), "update": gettext_lazy("修正"), "dispose": gettext_lazy("廃棄"),
    "confirm": gettext_lazy("定期確認"), "change_scheme": gettext_lazy("分類体系の変更"),
    "import.create": gettext_lazy("Excel から登録"), "import.update": gettext_lazy("Excel から更新"),
}
HIDDEN_IN_HISTORY = {"id", "body", "created_at", "updated_at", "confirmed_by"}


def _forbidden(request, message):
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def _get(request, pk) -> Asset:
    try:
        return selectors.asset_get(request.user, pk)
    except NotFound:
        raise Http404 from None


# ---------------------------------------------------------------- the list

def _sort_links(flt: selectors.AssetFilter) -> list[dict]:
    """Column headings: a click sorts by the column, a second click reverses; the filters stay."""
    base = {k: v for k, v in flt.as_query().items() if k != "sort"}
    current = flt.sort.lstrip("-")
    descending = flt.sort.startswith("-")
    columns = []
    for key, label in COLUMNS:
        if key is None:
            columns.append({"label": label})
            continue
        active = key == current
        target = f"-{key}" if active and not descending else key
        columns.append({"key": key, "label": label, "url": "?" + urlencode({**base, "sort": target}),
                        "active": active, "aria_sort": ("descending" if descending else "ascending") if active else "",
                        "arrow": ("▼" if descending else "▲") if active else ""})
    return columns


@login_required
def asset_list(request):
    user = request.user
    if not can(user, "assets.view"):
        return _forbidden(request, _("情報資産の一覧を閲覧する権限がありません。"))
    flt = selectors.AssetFilter.from_params(request.GET)
    scheme = schemes.active_scheme_with_levels(user.body)
    cutoff = selectors.confirmation_cutoff(user.body_id)
    page = IdPaginator(selectors.asset_list(user, flt, cutoff=cutoff), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"asset": a, "due": selectors.is_due(a, cutoff)} for a in page.object_list]
    query = urlencode(flt.as_query())
    return render(request, "assets/asset_list.html", {
        "page_obj": page, "flt": flt, "scheme": scheme, "levels": schemes.levels_of(scheme),
        "query": f"{query}&" if query else "", "export_query": f"?{query}" if query else "",
        "columns": _sort_links(flt),
        "departments": selectors.departments(user),
        "posts": Post.objects.filter(body=user.body).order_by("order", "name"),
        "forms": Asset.Form.choices, "network_layers": [("none", _("該当なし"))] + [
            c for c in Asset.NetworkLayer.choices if c[0]],
        "statuses": Asset.Status.choices,
        "flags": [(f, Asset._meta.get_field(f).verbose_name, getattr(flt, f)) for f in selectors.FLAGS],
        "rows": rows, "cutoff": cutoff,
        "can_edit": can(user, "assets.edit"), "can_import": can(user, "assets.import"),
        "can_manage_scheme": can(user, "assets.manage_scheme"),
    })


# ---------------------------------------------------------------- one asset

def _history_rows(events, scheme_levels: dict[int, str], posts: dict[int, str]) -> list[dict]:
    names = {axis: scheme_levels for axis in schemes.AXIS_FIELDS.values()} | {"manager_post": posts}
    return readable_history(events, model=Asset, action_labels=ACTION_LABELS, names=names,
                            hidden=HIDDEN_IN_HISTORY, create_actions=("create", "import.create"),
                            extra_labels={"scheme": _("分類体系")})


@login_required
def asset_detail(request, pk):
    user = request.user
    asset = _get(request, pk)
    events = list(selectors.asset_history(user, asset))
    level_ids, post_ids = set(), set()
    for e in events:
        for data in (e.before or {}, e.after or {}):
            level_ids.update(v for k, v in data.items() if k in schemes.AXIS_FIELDS.values() and isinstance(v, int))
            if isinstance(data.get("manager_post"), int):
                post_ids.add(data["manager_post"])
    level_labels = {lv.pk: lv.label for lv in ClassificationLevel.objects.filter(pk__in=level_ids)}
    post_names = dict(Post.objects.filter(pk__in=post_ids, body=user.body).values_list("pk", "name"))
    cutoff = selectors.confirmation_cutoff(user.body_id)
    return render(request, "assets/asset_detail.html", {
        "asset": asset, "history": _history_rows(events, level_labels, post_names),
        "is_due": selectors.is_due(asset, cutoff),
        "can_edit": can(user, "assets.edit"), "can_confirm": can(user, "assets.confirm", asset),
        "dispose_form": DisposeForm(),
    })


def _asset_form_page(request, asset: Asset | None):
    user = request.user
    scheme = schemes.active_scheme(user.body)
    form = AssetForm(request.POST or None, instance=asset, scheme=scheme, body=user.body)
    if request.method == "POST" and form.is_valid():
        try:
            if asset is None:
                saved = services.create_asset(actor=user, **form.cleaned_data)
                messages.success(request, _("情報資産 %(number)s を登録しました。") % {"number": saved.number})
            else:
                saved = services.update_asset(asset, actor=user, **form.cleaned_data)
                messages.success(request, _("情報資産 %(number)s を修正しました。") % {"number": saved.number})
        except InvalidInput as e:
            apply_errors(form, e)
        except NotFound:
            raise Http404 from None
        except DomainError as e:
            return _forbidden(request, e.message) if e.status == 403 else redirect(asset or "assets:asset-list")
        else:
            return redirect(saved)
    return render(request, "assets/asset_form.html", {
        "form": form, "editing": asset, "scheme": scheme, "departments": selectors.departments(user),
        "axes": [(Axis(axis).label, levels) for axis, levels in schemes.levels_of(scheme).items()],
    }, status=400 if form.errors else 200)


@login_required
def asset_new(request):
    if not can(request.user, "assets.edit"):
        return _forbidden(request, _("情報資産を登録する権限がありません。"))
    return _asset_form_page(request, None)


@login_required
def asset_edit(request, pk):
    asset = _get(request, pk)
    if not can(request.user, "assets.edit"):
        return _forbidden(request, _("情報資産を編集する権限がありません。"))
    return _asset_form_page(request, asset)


@login_required
@require_POST
def asset_confirm(request, pk):
    asset = _get(request, pk)
    if not can(request.user, "assets.confirm", asset):
        return _forbidden(request, _("この情報資産を確認する権限がありません。"))
    try:
        services.confirm_asset(asset, actor=request.user)
    except DomainError as e:
        messages.error(request, e.text())
    else:
        messages.success(request, _("記載内容を確認したことを記録しました。"))
    return redirect(asset)


@login_required
@require_POST
def asset_dispose(request, pk):
    asset = _get(request, pk)
    if not can(request.user, "assets.edit"):
        return _forbidden(request, _("情報資産を編集する権限がありません。"))
    form = DisposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("廃棄済にするには、確認のチェックを入れてください。"))
        return redirect(asset)
    try:
        services.dispose_asset(asset, actor=request.user, note=form.cleaned_data["note"])
    except DomainError as e:
        messages.error(request, e.text())
    else:
        messages.success(request, _("情報資産 %(number)s を廃棄済にしました。") % {"number": asset.number})
    return redirect(asset)


# ---------------------------------------------------------------- the scheme

@login_required
def scheme(request):
    user = request.user
    if not can(user, "assets.view"):
        return _forbidden(request, _("分類体系を閲覧する権限がありません。"))
    can_manage = can(user, "assets.manage_scheme")
    current = schemes.active_scheme(user.body)
    settings_ = services.register_settings(user.body)
    months_form = ConfirmationMonthsForm(initial={"confirmation_months": settings_.confirmation_months})
    status = 200
    if request.method == "POST":
        if not can_manage:
            return _forbidden(request, _("台帳の設定を変更する権限がありません。"))
        months_form = ConfirmationMonthsForm(request.POST)
        if months_form.is_valid():
            try:
                services.set_confirmation_months(actor=user, months=months_form.cleaned_data["confirmation_months"])
            except InvalidInput as e:
                apply_errors(months_form, e)
            else:
                messages.success(request, _("定期確認の周期を変更しました。"))
                return redirect("assets:scheme")
        status = 400
    levels = schemes.levels_of(current)
    return render(request, "assets/scheme.html", {
        "scheme": current, "axes": [(Axis(axis).label, levels[axis]) for axis in levels],
        "can_manage": can_manage, "months_form": months_form, "settings": settings_,
        "other_presets": [(k, v["name"]) for k, v in PRESETS.items() if k != current.preset],
    }, status=status)


@login_required
def level_edit(request, pk):
    user = request.user
    level = ClassificationLevel.objects.filter(pk=pk, scheme__body_id=user.body_id, scheme__is_active=True).first()
    if level is None or not can(user, "assets.view"):
        raise Http404
    if not can(user, "assets.manage_scheme"):
        return _forbidden(request, _("分類体系を編集できるのは管理者・統括管理者・推進担当です。"))
    form = LevelForm(request.POST or None, initial={"definition": level.definition,
                                                    "handling_restrictions": level.handling_restrictions})
    if request.method == "POST" and form.is_valid():
        try:
            schemes.update_level(level, actor=user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        except DomainError as e:
            messages.error(request, e.text())
            return redirect("assets:scheme")
        else:
            messages.success(request, _("%(label)s の定義と取扱制限を保存しました。") % {"label": level.label})
            return redirect("assets:scheme")
    return render(request, "assets/level_form.html", {"form": form, "level": level},
                  status=400 if form.errors else 200)


@login_required
def scheme_change(request):
    user = request.user
    if not can(user, "assets.manage_scheme"):
        return _forbidden(request, _("分類体系を変更できるのは管理者・統括管理者・推進担当です。"))
    current = schemes.active_scheme(user.body)
    others = [k for k in PRESETS if k != current.preset]
    if not others:
        messages.error(request, _("変更できる分類体系がありません。"))
        return redirect("assets:scheme")
    data = request.POST if request.method == "POST" else None
    preset = (data or request.GET).get("preset", others[0])
    if preset not in others:
        preset = others[0]
    used = schemes.used_levels(user.body)
    form = SchemeChangeForm(data, current_preset=current.preset, preset=preset, used=used,
                            suggestion=schemes.suggest_mapping([lv for lv, _n in used], preset))
    error = ""
    if data is not None and form.is_valid():
        try:
            new = schemes.change_scheme(actor=user, preset=form.cleaned_data["preset"], mapping=form.mapping())
        except InvalidInput as e:
            apply_errors(form, e)
            error = e.message
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            moved = Asset.objects.filter(body=user.body).count()
            messages.success(request, _("分類体系を「%(name)s」に変更しました（情報資産 %(count)d 件の分類を移行）。")
                             % {"name": new.name, "count": moved})
            return redirect("assets:scheme")
    return render(request, "assets/scheme_change.html", {
        "form": form, "error": error, "current": current, "preset": preset, "preset_name": PRESETS[preset]["name"],
        "used": used, "asset_count": Asset.objects.filter(body=user.body).count(),
    }, status=400 if form.errors else 200)
