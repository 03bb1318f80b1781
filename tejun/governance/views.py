"""Pages of C-2 (documents, reviews, acknowledgements) and of the self-inspection (C-4, P-07)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tejun.access.policy import can
from tejun.lib.errors import DomainError, InvalidInput, NotFound
from tejun.lib.pdf import pdf_response
from tejun.lib.uploads import attachment_response
from tejun.lib.wareki import fiscal_year
from tejun.web.views import apply_errors

from . import documents, selectors, services
from .forms import (
    ANSWER_CHOICES,
    ActionForm,
    CampaignForm,
    ChecklistItemForm,
    CompleteActionForm,
    DocumentForm,
    ReviewForm,
    VersionForm,
    answers_from_post,
)
from .models import ChecklistItem, ImprovementAction


def _forbidden(request, message):
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def _get(getter, request, pk):
    try:
        return getter(request.user, pk)
    except NotFound:
        raise Http404 from None


def _deny_vendors(view):
    """Every page here is for staff of the body; vendors get a 403 page."""
    def wrapped(request, *args, **kwargs):
        if not can(request.user, "governance.view"):
            return _forbidden(request, _("このページを閲覧する権限がありません。"))
        return view(request, *args, **kwargs)
    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_required(wrapped)


# ---------------------------------------------------------------- documents

@_deny_vendors
def index(request):
    user = request.user
    docs = list(selectors.document_list(user))
    return render(request, "governance/index.html", {
        "documents": docs, "today": timezone.localdate(),
        "missing_documents": len(docs) < len(services.STANDARD_DOCUMENTS),
        "pending_versions": selectors.pending_acknowledgements(user),
        "my_responses": list(selectors.my_open_responses(user)),
        "campaigns": list(selectors.campaign_list(user)[:5]),
        "can_manage": can(user, "governance.manage"),
    })


@_deny_vendors
@require_POST
def setup_documents(request):
    try:
        created = services.setup_documents(actor=request.user)
    except DomainError as e:
        messages.error(request, e.text())
    else:
        messages.success(request, _("規程文書を%(n)d件登録しました。") % {"n": len(created)})
    return redirect("governance:index")


@_deny_vendors
def document_detail(request, pk):
    user = request.user
    doc = _get(selectors.document_get, request, pk)
    can_results = can(user, "governance.view_results")
    status = selectors.acknowledgement_status(doc) if doc.requires_acknowledgement else None
    acknowledged = bool(status and status.version and any(p.pk == user.pk for p, _at in status.acknowledged))
    return render(request, "governance/document_detail.html", {
        "doc": doc, "versions": list(selectors.versions_of(doc)), "reviews": list(selectors.reviews_of(doc)),
        "status": status if can_results else None, "acknowledged": acknowledged,
        "must_acknowledge": bool(status and status.version and not acknowledged),
        "can_manage": can(user, "governance.manage"), "today": timezone.localdate(),
    })


@_deny_vendors
def document_edit(request, pk):
    doc = _get(selectors.document_get, request, pk)
    if not can(request.user, "governance.manage"):
        return _forbidden(request, _("規程文書を編集する権限がありません。"))
    form = DocumentForm(request.POST or None, initial={
        "title": doc.title, "review_cycle_months": doc.review_cycle_months, "next_review_due": doc.next_review_due,
        "requires_acknowledgement": doc.requires_acknowledgement})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_document(doc, actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("保存しました。"))
            return redirect(doc)
    return render(request, "governance/form.html", {"form": form, "doc": doc, "heading": _("規程文書の設定")},
                  status=400 if form.errors else 200)


@_deny_vendors
def version_new(request, pk):
    doc = _get(selectors.document_get, request, pk)
    if not can(request.user, "governance.manage"):
        return _forbidden(request, _("規程文書の版を登録する権限がありません。"))
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.add_version(doc, actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("%(version)s を登録しました。") % {"version": version.label})
            return redirect(doc)
    return render(request, "governance/form.html", {"form": form, "doc": doc, "heading": _("新しい版の登録"),
                                                    "multipart": True}, status=400 if form.errors else 200)


@_deny_vendors
def review_new(request, pk):
    doc = _get(selectors.document_get, request, pk)
    if not can(request.user, "governance.manage"):
        return _forbidden(request, _("見直しを記録する権限がありません。"))
    form = ReviewForm(request.POST or None, people=selectors.staff_members(request.user.body),
                      versions=selectors.versions_of(doc), initial={"reviewed_on": timezone.localdate(),
                                                                   "approved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(doc, actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("見直しを記録しました。"))
            return redirect(doc)
    return render(request, "governance/form.html", {"form": form, "doc": doc, "heading": _("見直しの記録")},
                  status=400 if form.errors else 200)


@_deny_vendors
@require_GET
def version_file(request, pk):
    version = _get(selectors.version_get, request, pk)
    return attachment_response(version.file, version.file_name)


@_deny_vendors
@require_POST
def version_acknowledge(request, pk):
    version = _get(selectors.version_get, request, pk)
    try:
        services.acknowledge(version, actor=request.user)
    except DomainError as e:
        messages.error(request, e.text())
    else:
        messages.success(request, _("「読みました」を記録しました。"))
    return redirect(version.document)


# ---------------------------------------------------------------- self-inspection

@_deny_vendors
def campaign_list(request):
    user = request.user
    form = CampaignForm(request.POST or None, initial={"fiscal_year": fiscal_year(timezone.localdate())})
    if request.method == "POST":
        if not can(user, "governance.manage"):
            return _forbidden(request, _("自己点検を開始する権限がありません。"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.start_campaign(actor=user, due_on=data["due_on"], fiscal_year_=data["fiscal_year"],
                                                   title=data["title"])
            except InvalidInput as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("%(title)s を開始しました。") % {"title": campaign.title})
                return redirect(campaign)
    return render(request, "governance/campaign_list.html", {
        "campaigns": selectors.campaign_list(user), "form": form, "can_manage": can(user, "governance.manage"),
        "my_responses": {r.campaign_id: r for r in selectors.my_open_responses(user)},
    }, status=400 if form.errors else 200)


@_deny_vendors
def campaign_detail(request, pk):
    return _campaign_page(request, _get(selectors.campaign_get, request, pk))


def _campaign_page(request, campaign, action_form=None, status=200):
    """The campaign page; `action_form` is a refused improvement action, shown again with what was typed."""
    user = request.user
    can_results = can(user, "governance.view_results")
    can_manage = can(user, "governance.manage")
    responses = list(selectors.responses_of(campaign)) if can_results else []
    items = list(campaign.items.all())
    return render(request, "governance/campaign_detail.html", {
        "campaign": campaign, "today": timezone.localdate(),
        "totals": selectors.campaign_totals(campaign) if can_results else None,
        "responses": responses, "unanswered": [r for r in responses if r.submitted_at is None],
        "submitted_count": sum(1 for r in responses if r.submitted_at),
        "actions": list(selectors.actions_of(campaign)),
        "my_response": selectors.response_of(campaign, user),
        "can_results": can_results, "can_manage": can_manage,
        "action_form": action_form or (ActionForm(items=items, people=selectors.staff_members(user.body))
                                       if can_manage else None),
        "complete_form": CompleteActionForm(),
    }, status=status)


@_deny_vendors
def campaign_answer(request, pk):
    user = request.user
    campaign = _get(selectors.campaign_get, request, pk)
    items = list(campaign.items.all())
    response = selectors.response_of(campaign, user)
    errors: dict = {}
    posted = None
    if request.method == "POST":
        posted = answers_from_post(request.POST, items)
        try:
            response = services.save_answers(campaign, actor=user, answers=posted,
                                             submit=request.POST.get("submit") == "1")
        except InvalidInput as e:
            errors = e.fields
            messages.error(request, e.message)
        except DomainError as e:
            messages.error(request, e.text())
            return redirect(campaign)
        else:
            messages.success(request, _("回答を提出しました。") if response.submitted_at and
                             request.POST.get("submit") == "1" else _("回答を一時保存しました。"))
            return redirect("governance:campaign-answer", pk=campaign.pk)
    saved = selectors.answers_by_item(response)
    rows = []
    for item in items:
        answer, note = posted[item.pk] if posted else (
            (saved[item.pk].answer, saved[item.pk].note) if item.pk in saved else ("", ""))
        rows.append({"item": item, "answer": answer, "note": note,
                     "errors": errors.get(f"item_{item.pk}", []) + errors.get(f"note_{item.pk}", [])})
    return render(request, "governance/campaign_answer.html", {
        "campaign": campaign, "rows": rows, "response": response, "choices": ANSWER_CHOICES,
    }, status=400 if errors else 200)


@_deny_vendors
@require_POST
def campaign_close(request, pk):
    campaign = _get(selectors.campaign_get, request, pk)
    try:
        services.close_campaign(campaign, actor=request.user)
    except DomainError as e:
        if e.status == 403:
            return _forbidden(request, e.message)
        messages.error(request, e.text())
    else:
        messages.success(request, _("自己点検を締め切りました。"))
    return redirect(campaign)


@_deny_vendors
@require_POST
def action_new(request, pk):
    user = request.user
    campaign = _get(selectors.campaign_get, request, pk)
    if not can(user, "governance.manage"):
        return _forbidden(request, _("改善措置を登録する権限がありません。"))
    form = ActionForm(request.POST, items=list(campaign.items.all()), people=selectors.staff_members(user.body))
    if form.is_valid():
        try:
            services.add_action(campaign, actor=user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        except DomainError as e:
            messages.error(request, e.text())
            return redirect(campaign)
        else:
            messages.success(request, _("改善措置を登録しました。"))
            return redirect(campaign)
    # Shown again with what was typed (a redirect would lose it).
    messages.error(request, _("改善措置の入力内容を確認してください。"))
    return _campaign_page(request, campaign, action_form=form, status=400)


@_deny_vendors
@require_POST
def action_complete(request, pk):
    try:
        action = ImprovementAction.objects.get(pk=pk, body_id=request.user.body_id)
    except (ImprovementAction.DoesNotExist, ValueError):
        raise Http404 from None
    form = CompleteActionForm(request.POST)
    if form.is_valid():
        try:
            services.complete_action(action, actor=request.user, **form.cleaned_data)
        except DomainError as e:
            if e.status == 403:
                return _forbidden(request, e.message)
            messages.error(request, e.text())
        else:
            messages.success(request, _("改善措置を完了にしました。"))
    else:
        messages.error(request, _("実施結果を入力してください。"))
    return redirect(action)


@_deny_vendors
@require_GET
def response_sheet_pdf(request, pk):
    """自己点検票 of one person: their own, or anyone's for those who oversee."""
    response = _get(selectors.response_get, request, pk)
    data = documents.sheet_pdf(response)
    return pdf_response(data, f"自己点検票_{response.campaign.fiscal_year}_{response.person.login_id}.pdf")


@_deny_vendors
@require_GET
def campaign_summary_pdf(request, pk):
    campaign = _get(selectors.campaign_get, request, pk)
    if not can(request.user, "governance.view_results"):
        return _forbidden(request, _("自己点検の集計を閲覧する権限がありません。"))
    return pdf_response(documents.summary_pdf(campaign), f"自己点検結果_{campaign.fiscal_year}.pdf")


# ---------------------------------------------------------------- the checklist template

@_deny_vendors
def checklist(request):
    user = request.user
    can_manage = can(user, "governance.manage")
    form = ChecklistItemForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            return _forbidden(request, _("自己点検項目を編集する権限がありません。"))
        if form.is_valid():
            try:
                services.add_checklist_item(actor=user, **form.cleaned_data)
            except InvalidInput as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("点検項目を追加しました。次に開始する自己点検から使われます。"))
                return redirect("governance:checklist")
    items = ChecklistItem.objects.filter(body=user.body).order_by("order", "code")
    return render(request, "governance/checklist.html", {"items": items, "form": form, "can_manage": can_manage},
                  status=400 if form.errors else 200)


@_deny_vendors
@require_POST
def checklist_toggle(request, pk):
    try:
        item = ChecklistItem.objects.get(pk=pk, body_id=request.user.body_id)
    except (ChecklistItem.DoesNotExist, ValueError):
        raise Http404 from None
    try:
        services.set_checklist_item_active(item, actor=request.user, is_active=request.POST.get("is_active") == "1")
    except DomainError as e:
        if e.status == 403:
            return _forbidden(request, e.message)
        messages.error(request, e.text())
    return redirect("governance:checklist")
