"""Pages of the vendors app. Every object is read through the selectors (another body's, or for a vendor
account another contractor's, is a 404) and every write goes through the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tejun.access.policy import can, visible
from tejun.lib.errors import DomainError, InvalidInput, NotFound
from tejun.lib.pagination import IdPaginator
from tejun.lib.pdf import pdf_response
from tejun.lib.uploads import attachment_response
from tejun.web.views import apply_errors
from tejun.workflow.engine import available_transitions, history

from . import documents, forms, selectors, services
from .memorandum import DEFAULT_TEXT, current_template
from .models import (
    Contract,
    Contractor,
    ContractorAccount,
    DataProvision,
    EquipmentDisposal,
    MemorandumTemplate,
    OnsiteWork,
    Repair,
)
from .workflows import FORM_TRANSITIONS


def _forbidden(request, message):
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def _get(getter, request, pk):
    try:
        return getter(request.user, pk)
    except NotFound:
        raise Http404 from None


def _buttons(user, obj):
    return [(t, a) for t, a in available_transitions(user, obj) if t.name not in FORM_TRANSITIONS]


def _allowed(user, obj, name) -> bool:
    return any(t.name == name for t, _a in available_transitions(user, obj))


def _flash_outcome(request, call, success: str):
    try:
        call()
    except NotFound:
        raise Http404 from None
    except DomainError as e:
        messages.error(request, e.text())
        return False
    messages.success(request, success)
    return True


def _transition(request, getter, pk, name):
    obj = _get(getter, request, pk)
    if name in FORM_TRANSITIONS:  # needs its form (a file, dates): shown on the object's page
        return redirect(obj)
    form = forms.TransitionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    t = obj.workflow.get(name)
    _flash_outcome(request, lambda: services.transition(obj, name, actor=request.user, comment=data.get("comment", ""),
                                                        deputy_reason=data.get("deputy_reason", "")),
                   _("「%(action)s」を行いました。") % {"action": t.label if t else name})
    return redirect(obj)


def _list_page(request, template, qs, *, states=None, extra=None):
    state = request.GET.get("state", "").replace("\x00", "")
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    page = Paginator(qs(state=state, q=q), 50).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in (("state", state), ("q", q)) if v])
    return render(request, template, {"page_obj": page, "state": state, "q": q, "query": f"{query}&" if query else "",
                                      "states": states.items() if states else (), **(extra or {})})


def _form_page(request, form, *, title, lead="", cancel, status=200, obj=None):
    return render(request, "vendors/form.html", {"form": form, "title": title, "lead": lead, "cancel": cancel,
                                                 "obj": obj}, status=status)


def _contractor_choices(user):
    return visible(user, Contractor).filter(active=True)


def _contract_choices(user):
    return visible(user, Contract).select_related("contractor").order_by("contractor__name", "-starts_on")


# --- index, contractors, contracts, accounts ----------------------------------------------------------

@login_required
def index(request):
    if can(request.user, "vendors.view"):
        return redirect("vendors:contractor-list")
    contractor = selectors.contractor_of(request.user)
    if contractor is None:
        raise Http404
    return redirect(contractor)


PAGE_SIZE = 50
ACTIVE_FILTER = {"1": True, "0": False}  # ?active=1 still dealt with, 0 no longer, anything else both


def _paged(request, qs):
    """The page asked for (?page=N, or ?page=last), read by ids (tejun.lib.pagination)."""
    return IdPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def contractor_list(request):
    if not can(request.user, "vendors.view"):
        raise Http404
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    active = request.GET.get("active", "")
    active = active if active in ACTIVE_FILTER else ""
    qs = selectors.contractor_list(request.user, q=q, active=ACTIVE_FILTER.get(active))
    page = _paged(request, qs.prefetch_related("contracts"))  # the page's contracts: one query
    query = urlencode({k: v for k, v in (("q", q), ("active", active)) if v})
    return render(request, "vendors/contractor_list.html", {
        "page_obj": page, "q": q, "active": active, "filtered": bool(q or active),
        "query": f"{query}&" if query else "",
        "can_manage": can(request.user, "vendors.manage"),
        "can_edit_template": can(request.user, "vendors.edit_template")})


@login_required
def contractor_new(request):
    if not can(request.user, "vendors.manage"):
        return _forbidden(request, _("委託事業者を登録する権限がありません。"))
    form = forms.ContractorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.create_contractor(actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("委託事業者「%(name)s」を登録しました。") % {"name": obj.name})
            return redirect(obj)
    return _form_page(request, form, title=_("委託事業者の登録"), cancel=reverse("vendors:contractor-list"),
                      status=400 if form.errors else 200)


@login_required
def contractor_edit(request, pk):
    obj = _get(selectors.contractor_get, request, pk)
    if not can(request.user, "vendors.manage"):
        return _forbidden(request, _("委託事業者を編集する権限がありません。"))
    form = forms.ContractorForm(request.POST or None, instance=None if request.method == "POST" else obj)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contractor(obj, actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("保存しました。"))
            return redirect(obj)
    return _form_page(request, form, title=_("委託事業者の編集"), cancel=obj.get_absolute_url(), obj=obj,
                      status=400 if form.errors else 200)


@login_required
def contractor_detail(request, pk):
    obj = _get(selectors.contractor_get, request, pk)
    user = request.user
    staff = can(user, "vendors.view")
    return render(request, "vendors/contractor_detail.html", {
        "obj": obj, "staff": staff, "can_manage": can(user, "vendors.manage"),
        "contracts": selectors.contracts_of(user, obj) if staff else (),
        "onsite_works": selectors.onsite_list(user, contractor=obj)[:20],
        "provisions": selectors.provision_list(user, contractor=obj)[:20],
        "repairs": selectors.repair_list(user, contractor=obj)[:20] if staff else (),
        "disposals": selectors.disposal_list(user, contractor=obj)[:20] if staff else (),
    })


@login_required
def contract_new(request, pk):
    contractor = _get(selectors.contractor_get, request, pk)
    if not can(request.user, "vendors.manage"):
        return _forbidden(request, _("契約を登録する権限がありません。"))
    form = forms.ContractForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.create_contract(actor=request.user, contractor=contractor, **data)
        except InvalidInput as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("契約を登録しました。"))
            return redirect(contractor)
    return _form_page(request, form, title=_("契約の登録：%(name)s") % {"name": contractor.name},
                      cancel=contractor.get_absolute_url(), status=400 if form.errors else 200)


@login_required
def contract_edit(request, pk):
    obj = _get(selectors.contract_get, request, pk)
    if not can(request.user, "vendors.manage"):
        return _forbidden(request, _("契約を編集する権限がありません。"))
    form = forms.ContractForm(request.POST or None, request.FILES or None,
                              instance=None if request.method == "POST" else obj)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contract(obj, actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("保存しました。"))
            return redirect(obj.contractor)
    return _form_page(request, form, title=_("契約の編集：%(title)s") % {"title": obj.title},
                      cancel=obj.contractor.get_absolute_url(), status=400 if form.errors else 200)


@login_required
@require_GET
def contract_file(request, pk):
    obj = _get(selectors.contract_get, request, pk)
    if not obj.file:
        raise Http404
    return attachment_response(obj.file, obj.file_name)


def _linkable_users(user):
    from tejun.orgs.models import RoleAssignment, User
    from tejun.orgs.roles import Role

    vendor_ids = RoleAssignment.objects.filter(body_id=user.body_id, role=Role.VENDOR).values("person_id")
    linked = ContractorAccount.objects.values("user_id")
    return User.objects.filter(body_id=user.body_id, pk__in=vendor_ids, is_active=True).exclude(
        pk__in=linked).order_by("login_id")


@login_required
def account_list(request):
    if not can(request.user, "vendors.manage"):
        return _forbidden(request, _("事業者アカウントを設定する権限がありません。"))
    form = forms.AccountLinkForm(request.POST or None, users=_linkable_users(request.user),
                                 contractors=_contractor_choices(request.user))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.link_account(actor=request.user, **form.cleaned_data)
            except InvalidInput as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("事業者アカウントを設定しました。"))
                return redirect("vendors:account-list")
        status = 400
    accounts = selectors.accounts_of(request.user).order_by("contractor__name", "user__login_id", "pk")
    return render(request, "vendors/account_list.html", {
        "page_obj": _paged(request, accounts), "query": "", "form": form}, status=status)


@login_required
@require_POST
def account_unlink(request, pk):
    try:
        account = selectors.accounts_of(request.user).get(pk=pk)
    except (ContractorAccount.DoesNotExist, ValueError):
        raise Http404 from None
    _flash_outcome(request, lambda: services.unlink_account(account, actor=request.user),
                   _("事業者アカウントの設定を解除しました。"))
    return redirect("vendors:account-list")


# --- P-05 on-site work --------------------------------------------------------------------------------

@login_required
def onsite_list(request):
    return _list_page(request, "vendors/onsite_list.html",
                      lambda **kw: selectors.onsite_list(request.user, **kw), states=OnsiteWork.workflow.states,
                      extra={"can_create": can(request.user, "vendors.record"),
                             "can_print": can(request.user, "vendors.view")})


def _new_record(request, form_class, create, *, title, lead, cancel, contracts=False):
    if not can(request.user, "vendors.record"):
        return _forbidden(request, _("記録する権限がありません。"))
    initial = {"contractor": request.GET.get("contractor")} if request.method == "GET" else None
    form = form_class(request.POST or None, initial=initial)
    form.set_choices(_contractor_choices(request.user), _contract_choices(request.user) if contracts else None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = create(actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("%(number)s を登録しました。") % {"number": obj.number})
            return redirect(obj)
    return _form_page(request, form, title=title, lead=lead, cancel=cancel, status=400 if form.errors else 200)


@login_required
def onsite_new(request):
    return _new_record(request, forms.OnsiteWorkForm, services.create_onsite_work, title=_("庁舎内作業の記録"),
                       lead=_("委託事業者が庁舎内で作業するときの記録です。作業後に報告書を受け取ったら、内容を確認して記録します"
                              "（実施手順 P-05）。"), cancel=reverse("vendors:onsite-list"), contracts=True)


@login_required
def onsite_detail(request, pk):
    obj = _get(selectors.onsite_get, request, pk)
    can_upload = (can(request.user, "vendors.upload_report", obj)
                  and any(_allowed(request.user, obj, n) for n in ("submit_report", "attach_report", "replace_report")))
    return render(request, "vendors/onsite_detail.html", {
        "obj": obj, "actions": _buttons(request.user, obj), "history": history(obj),
        "upload_form": forms.FileForm() if can_upload else None,
        "staff": can(request.user, "vendors.view")})


@login_required
@require_POST
def onsite_report(request, pk):
    obj = _get(selectors.onsite_get, request, pk)
    form = forms.FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("作業報告書のファイルを選択してください。"))
        return redirect(obj)
    _flash_outcome(request, lambda: services.upload_work_report(obj, actor=request.user, **form.cleaned_data),
                   _("作業報告書を登録しました。"))
    return redirect(obj)


@login_required
@require_GET
def onsite_report_file(request, pk):
    obj = _get(selectors.onsite_get, request, pk)
    if not obj.report_file:
        raise Http404
    return attachment_response(obj.report_file, obj.report_name)


@login_required
@require_POST
def onsite_transition(request, pk, name):
    return _transition(request, selectors.onsite_get, pk, name)


# --- P-08 repair --------------------------------------------------------------------------------------

@login_required
def repair_list(request):
    return _list_page(request, "vendors/repair_list.html", lambda **kw: selectors.repair_list(request.user, **kw),
                      states=Repair.workflow.states, extra={"can_create": can(request.user, "vendors.record")})


@login_required
def repair_new(request):
    return _new_record(request, forms.RepairForm, services.create_repair, title=_("記録媒体を含む機器の修理"),
                       lead=_("修理に出す前に、契約に盛り込まれた守秘義務条項をこの修理について再確認します（実施手順 P-08）。"),
                       cancel=reverse("vendors:repair-list"), contracts=True)


@login_required
def repair_detail(request, pk):
    return _repair_page(request, _get(selectors.repair_get, request, pk))


def _repair_page(request, obj, refused=None, status=200):
    """The repair's page; `refused` is a refused reconfirmation form, shown again with what was typed."""
    contracts = visible(request.user, Contract).filter(contractor=obj.contractor).select_related("contractor")
    reconfirm = None
    if obj.state == "preparing" and can(request.user, "vendors.record"):
        reconfirm = refused or forms.ReconfirmForm(initial={"contract": obj.contract_id}, contracts=contracts)
    return render(request, "vendors/repair_detail.html", {
        "obj": obj, "actions": _buttons(request.user, obj), "history": history(obj), "reconfirm_form": reconfirm},
        status=status)


@login_required
@require_POST
def repair_reconfirm(request, pk):
    obj = _get(selectors.repair_get, request, pk)
    form = forms.ReconfirmForm(request.POST, contracts=visible(request.user, Contract).filter(
        contractor=obj.contractor).select_related("contractor"))
    if form.is_valid():
        try:
            services.reconfirm_clause(obj, actor=request.user, **form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except InvalidInput as e:
            apply_errors(form, e)
        except DomainError as e:
            messages.error(request, e.text())
            return redirect(obj)
        else:
            messages.success(request, _("守秘義務条項の再確認を記録しました。"))
            return redirect(obj)
    messages.error(request, _("入力内容を確認してください。"))
    if obj.state == "preparing" and can(request.user, "vendors.record"):  # shown again with what was typed
        return _repair_page(request, obj, refused=form, status=400)
    return redirect(obj)


@login_required
@require_POST
def repair_transition(request, pk, name):
    return _transition(request, selectors.repair_get, pk, name)


# --- P-09 equipment disposal / lease return -------------------------------------------------------------

@login_required
def disposal_list(request):
    return _list_page(request, "vendors/disposal_list.html",
                      lambda **kw: selectors.disposal_list(request.user, **kw),
                      states=EquipmentDisposal.workflow.states, extra={"can_create": can(request.user, "vendors.record")})


@login_required
def disposal_new(request):
    return _new_record(request, forms.EquipmentDisposalForm, services.create_equipment_disposal,
                       title=_("記録媒体を含む機器の廃棄・リース返却"),
                       lead=_("復元不可能な状態にしてから廃棄・返却します。業者に委託する場合は、その方法をその都度両者で"
                              "確認し、消去・破壊証明書を受け取ります（実施手順 P-09）。"),
                       cancel=reverse("vendors:disposal-list"))


@login_required
def disposal_detail(request, pk):
    return _disposal_page(request, _get(selectors.disposal_get, request, pk))


def _disposal_page(request, obj, refused=None, status=200):
    """The record's page; `refused` ({context name: bound form}) shows a refused form again with what was typed."""
    editable = obj.state == "planned" and can(request.user, "vendors.record")
    return render(request, "vendors/disposal_detail.html", {
        "obj": obj, "actions": _buttons(request.user, obj), "history": history(obj),
        "agree_form": forms.AgreeMethodForm(initial={"method": obj.method, "method_detail": obj.method_detail,
                                                     "agreed_with": obj.agreed_with}) if editable else None,
        "certificate_form": forms.CertificateForm() if editable else None, **(refused or {})}, status=status)


@login_required
@require_POST
def disposal_agree(request, pk):
    obj = _get(selectors.disposal_get, request, pk)
    form = forms.AgreeMethodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("方法と確認した相手を入力してください。"))
        if obj.state == "planned" and can(request.user, "vendors.record"):  # shown again with what was typed
            return _disposal_page(request, obj, refused={"agree_form": form}, status=400)
        return redirect(obj)
    _flash_outcome(request, lambda: services.agree_method(obj, actor=request.user, **form.cleaned_data),
                   _("今回の方法の確認を記録しました。"))
    return redirect(obj)


@login_required
@require_POST
def disposal_certificate(request, pk):
    obj = _get(selectors.disposal_get, request, pk)
    form = forms.CertificateForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("証明書のファイルを選択してください。"))
        return redirect(obj)
    _flash_outcome(request, lambda: services.attach_certificate(obj, actor=request.user, **form.cleaned_data),
                   _("証明書を登録しました。"))
    return redirect(obj)


@login_required
@require_GET
def disposal_certificate_file(request, pk):
    obj = _get(selectors.disposal_get, request, pk)
    if not obj.certificate:
        raise Http404
    return attachment_response(obj.certificate, obj.certificate_name)


@login_required
@require_POST
def disposal_transition(request, pk, name):
    return _transition(request, selectors.disposal_get, pk, name)


# --- P-12 data provision ------------------------------------------------------------------------------

@login_required
def provision_list(request):
    return _list_page(request, "vendors/provision_list.html",
                      lambda **kw: selectors.provision_list(request.user, **kw),
                      states=DataProvision.workflow.states, extra={"can_create": can(request.user, "vendors.record")})


@login_required
def provision_new(request):
    return _new_record(request, forms.ProvisionForm, services.create_provision, title=_("データ提供申請"),
                       lead=_("事業者からデータ提供申請書を受け取ったら登録します。責任者の承認後に覚書が作成されます"
                              "（実施手順 P-12）。"), cancel=reverse("vendors:provision-list"), contracts=True)


@login_required
def provision_edit(request, pk):
    obj = _get(selectors.provision_get, request, pk)
    if obj.requester_id != request.user.pk:
        return _forbidden(request, _("この申請を修正できるのは申請者だけです。"))
    if obj.state != "sent_back":
        messages.error(request, _("差戻しされた申請だけ修正できます。"))
        return redirect(obj)
    form = forms.ProvisionEditForm(request.POST or None, instance=None if request.method == "POST" else obj)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_provision(obj, actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("修正しました。「再申請」で提出してください。"))
            return redirect(obj)
    return _form_page(request, form, title=_("データ提供申請の修正"), cancel=obj.get_absolute_url(),
                      status=400 if form.errors else 200)


@login_required
def provision_detail(request, pk):
    return _provision_page(request, _get(selectors.provision_get, request, pk))


def _provision_page(request, obj, refused=None, status=200):
    """The provision's page; `refused` ({context name: bound form}) shows a refused step again with what was typed."""
    user = request.user
    allowed = {t.name for t, _a in available_transitions(user, obj)}
    step_forms = {
        "signed_form": forms.FileForm() if "attach_signed" in allowed else None,
        "provide_form": forms.ProvideForm() if "provide" in allowed else None,
        "erasure_form": forms.ErasureForm() if "record_erasure" in allowed else None,
        "accident_form": forms.AccidentForm() if (obj.state in services.ACCIDENT_STATES
                                                  and can(user, "vendors.report_accident", obj)) else None,
    }
    # Only a step the page offers anyway comes back with its errors.
    step_forms.update({name: form for name, form in (refused or {}).items() if step_forms.get(name) is not None})
    return render(request, "vendors/provision_detail.html", {
        "obj": obj, "actions": _buttons(user, obj), "history": history(obj), **step_forms,
        "incidents": selectors.incidents_of(obj, user), "staff": can(user, "vendors.view"),
        "can_edit": obj.state == "sent_back" and obj.requester_id == user.pk,
    }, status=status)


def _provision_step(request, pk, form_class, call, success, *, files=False, form_name=None):
    obj = _get(selectors.provision_get, request, pk)
    form = form_class(request.POST, request.FILES) if files else form_class(request.POST)
    if form.is_valid():
        try:
            call(obj, actor=request.user, **form.cleaned_data)
        except NotFound:
            raise Http404 from None
        except InvalidInput as e:
            apply_errors(form, e)
        except DomainError as e:
            messages.error(request, e.text())
            return redirect(obj)
        else:
            messages.success(request, success)
            return redirect(obj)
    if form_name is None:  # a step without its form on the page (return): the errors as a message
        messages.error(request, InvalidInput(_("入力内容を確認してください。"), fields={
            str(form.fields[k].label) if k in form.fields else k: v for k, v in form.errors.items()}).text())
        return redirect(obj)
    # Shown again on the page with what was typed (a redirect would lose it).
    messages.error(request, _("入力内容を確認してください。"))
    return _provision_page(request, obj, refused={form_name: form}, status=400)


@login_required
@require_POST
def provision_signed(request, pk):
    return _provision_step(request, pk, forms.FileForm, services.upload_signed_memorandum,
                           _("署名済みの覚書を登録しました。"), files=True, form_name="signed_form")


@login_required
@require_POST
def provision_provide(request, pk):
    return _provision_step(request, pk, forms.ProvideForm, services.provide, _("データの提供を記録しました。"),
                           form_name="provide_form")


@login_required
@require_POST
def provision_return(request, pk):
    return _provision_step(request, pk, forms.ReturnForm, services.return_data, _("データの返却を記録しました。"))


@login_required
@require_POST
def provision_erasure(request, pk):
    return _provision_step(request, pk, forms.ErasureForm, services.record_erasure,
                           _("消去証明書を登録しました。"), files=True, form_name="erasure_form")


@login_required
@require_POST
def provision_accident(request, pk):
    return _provision_step(request, pk, forms.AccidentForm, services.report_accident,
                           _("事故を報告しました。責任者・管理者に通知されます。"), form_name="accident_form")


@login_required
@require_POST
def provision_transition(request, pk, name):
    if name == "return_data":
        return provision_return(request, pk)
    return _transition(request, selectors.provision_get, pk, name)


@login_required
@require_GET
def provision_pdf(request, pk):
    obj = _get(selectors.provision_get, request, pk)
    return pdf_response(documents.application_pdf(request.user, obj), f"データ提供申請書_{obj.number}.pdf")


@login_required
@require_GET
def memorandum(request, pk, fmt):
    obj = _get(selectors.provision_get, request, pk)
    if not obj.memorandum_text:
        messages.error(request, _("覚書は申請が承認されると作成されます。"))
        return redirect(obj)
    name = f"覚書_{obj.number}"
    if fmt == "docx":
        response = HttpResponse(documents.memorandum_docx(obj), content_type=documents.DOCX_CONTENT_TYPE)
        from django.utils.http import content_disposition_header

        response["Content-Disposition"] = content_disposition_header(True, f"{name}.docx")
        return response
    return pdf_response(documents.memorandum_pdf(obj), f"{name}.pdf")


@login_required
@require_GET
def provision_file(request, pk, which):
    obj = _get(selectors.provision_get, request, pk)
    field, name = {"signed": (obj.signed_file, obj.signed_name),
                   "erasure": (obj.erasure_certificate, obj.erasure_name)}[which]
    if not field:
        raise Http404
    return attachment_response(field, name)


# --- the memorandum template --------------------------------------------------------------------------

@login_required
def memorandum_template(request):
    if not can(request.user, "vendors.edit_template"):
        return _forbidden(request, _("覚書のひな形を編集する権限がありません。"))
    from .memorandum import save_template

    current = current_template(request.user.body)
    form = forms.TemplateForm(request.POST or None, initial={"text": current.text if current else DEFAULT_TEXT})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                tpl = save_template(actor=request.user, **form.cleaned_data)
            except InvalidInput as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("覚書のひな形 第%(v)d版 を保存しました。") % {"v": tpl.version})
                return redirect("vendors:memorandum-template")
        status = 400
    versions = visible(request.user, MemorandumTemplate).select_related("created_by")[:20]
    return render(request, "vendors/memorandum_template.html", {
        "form": form, "current": current, "versions": versions, "placeholders": forms.placeholder_help()},
        status=status)


@login_required
@require_GET
def record_pdf(request, kind, pk):
    """庁舎内作業記録 / 修理記録 / 廃棄・返却記録 of one record (whoever may see it may print it)."""
    getter = {"onsite": selectors.onsite_get, "repairs": selectors.repair_get, "disposals": selectors.disposal_get}[kind]
    data, name = documents.record_pdf(request.user, _get(getter, request, pk))
    return pdf_response(data, name)


# --- registers ----------------------------------------------------------------------------------------

@login_required
@require_GET
def register_document(request, key, fmt):
    if not can(request.user, "vendors.view") or key not in documents.REGISTERS:
        raise Http404
    if fmt == "xlsx":
        return documents.register_xlsx(request.user, key)
    try:
        data, name = documents.register_pdf(request.user, key)
    except InvalidInput as e:
        messages.error(request, e.text())
        return redirect("vendors:contractor-list")
    return pdf_response(data, name)

