"""Pages of the register's Excel import and export and its PDF (issue 3, parts 4 and 5)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tejun.access.policy import can
from tejun.lib import xlsx
from tejun.lib.errors import DomainError, Forbidden, InvalidInput, NotFound, WrongState
from tejun.lib.pdf import pdf_response
from tejun.web.views import apply_errors

from . import exports, imports
from .models import ImportBatch
from .selectors import AssetFilter

PAGE_ERRORS = 1000  # errors listed on the preview page (all are kept, and all are in the API)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel ファイル（.xlsx）"),
                           help_text=gettext_lazy("テンプレートの「重要性分類一覧表」シートに記入したファイル（20 MB まで）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + xlsx.XLSX_CONTENT_TYPE}))
    mode = forms.ChoiceField(label=gettext_lazy("取込方法"), choices=ImportBatch.Mode.choices,
                             initial=ImportBatch.Mode.CREATE, widget=forms.RadioSelect,
                             help_text=gettext_lazy("「新規登録のみ」では、台帳にある管理番号はエラーになります。"
                                                    "更新するときは「管理番号が一致する資産を更新する」を選びます。"))


def _forbidden(request, message):
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _go(request, url):
    """Redirect; an htmx request is told to load the page itself (its swap would show only a fragment)."""
    if _is_htmx(request):
        return HttpResponse(status=200, headers={"HX-Redirect": url})
    return redirect(url)


def _list_url(request) -> str:
    query = AssetFilter.from_params(request.GET).as_query()
    return reverse("assets:asset-list") + (f"?{urlencode(query)}" if query else "")


@login_required
@require_GET
def export_xlsx(request):
    if not can(request.user, "assets.view"):
        return _forbidden(request, _("情報資産台帳を閲覧する権限がありません。"))
    wb, _count = exports.export_workbook(request.user, AssetFilter.from_params(request.GET))
    return xlsx.workbook_response(wb, exports.export_filename(request.user.body, "xlsx"))


@login_required
@require_GET
def export_pdf(request):
    if not can(request.user, "assets.view"):
        return _forbidden(request, _("情報資産台帳を閲覧する権限がありません。"))
    try:
        data = exports.export_pdf(request.user, AssetFilter.from_params(request.GET))
    except InvalidInput as e:
        messages.error(request, e.message)
        return redirect(_list_url(request))
    return pdf_response(data, exports.export_filename(request.user.body, "pdf"))


@login_required
@require_GET
def import_template(request):
    if not can(request.user, "assets.import"):
        return _forbidden(request, _("情報資産を取り込む権限がありません。"))
    wb = exports.template_workbook(request.user.body)
    return xlsx.workbook_response(wb, f"{exports.TITLE}_取込用テンプレート.xlsx")


@login_required
def import_upload(request):
    if not can(request.user, "assets.import"):
        return _forbidden(request, _("情報資産を取り込む権限がありません。"))
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > xlsx.MAX_UPLOAD_BYTES:
                    message = _("ファイルが大きすぎます（上限 %(mb)d MB）。") % {
                        "mb": xlsx.MAX_UPLOAD_BYTES // (1024 * 1024)}
                    raise InvalidInput(message, fields={"file": [message]})
                batch = imports.upload_batch(actor=request.user, file_name=upload.name, data=upload.read(),
                                             mode=form.cleaned_data["mode"])
            except Forbidden as e:
                return _forbidden(request, e.message)
            except InvalidInput as e:
                apply_errors(form, e)
            else:
                if batch.status == ImportBatch.Status.VALIDATED:
                    messages.success(request, _("ファイルを確認しました。内容を確かめて「登録する」を押してください。"))
                else:
                    messages.error(request, _("エラーがあります。ファイルを修正して、もう一度取り込んでください。"))
                return _go(request, batch.get_absolute_url())
        # htmx swaps only 2xx answers: the form with its errors comes back as 200 to htmx, 400 otherwise.
        status = 200 if _is_htmx(request) else 400
    recent = (ImportBatch.objects.filter(body_id=request.user.body_id).defer("content", "errors", "preview")
              .select_related("uploaded_by")[:10])
    return render(request, "assets/import_upload.html", {
        "form": form, "recent": recent, "max_mb": xlsx.MAX_UPLOAD_BYTES // (1024 * 1024),
        "max_rows": imports.MAX_ROWS, "columns": exports.COLUMNS,
    }, status=status)


def _batch(request, pk):
    try:
        return imports.get_batch(request.user, pk)
    except NotFound:
        raise Http404 from None


def _preview_context(batch):
    errors = batch.errors or []
    preview = [{**r, "cells": [(v, h in r.get("changed", ())) for v, h in zip(r["values"], exports.HEADERS, strict=False)]}
               for r in batch.preview or []]
    return {
        "batch": batch, "headers": exports.HEADERS, "errors": errors[:PAGE_ERRORS], "preview": preview,
        "errors_hidden": max(batch.error_count - PAGE_ERRORS, 0),
        "error_rows": len({e["row"] for e in errors}),
        "can_commit": batch.status == ImportBatch.Status.VALIDATED,
        "stored_errors_cut": batch.error_count > len(errors),
    }


@login_required
@require_GET
def import_preview(request, pk):
    try:
        batch = _batch(request, pk)
    except Forbidden as e:
        return _forbidden(request, e.message)
    return render(request, "assets/import_preview.html", _preview_context(batch))


@login_required
@require_POST
def import_commit(request, pk):
    try:
        batch = _batch(request, pk)
        batch = imports.commit_batch(batch, actor=request.user)
    except Forbidden as e:
        return _forbidden(request, e.message)
    except NotFound:
        raise Http404 from None
    except WrongState as e:
        if _is_htmx(request):
            messages.error(request, e.message)
            return _go(request, reverse("assets:import-preview", args=[pk]))
        context = _preview_context(imports.get_batch(request.user, pk))
        context["error"] = e.message
        return render(request, "assets/import_preview.html", context, status=409)
    except DomainError as e:
        detail = "；".join(m for ms in e.fields.values() for m in ms) if e.fields else ""
        messages.error(request, f"{e.message} {detail}".strip())
        return _go(request, reverse("assets:import-preview", args=[pk]))
    messages.success(request, _("%(create)s 件を新規登録し、%(update)s 件を更新しました。") % {
        "create": f"{batch.create_count:,}", "update": f"{batch.update_count:,}"})
    return _go(request, batch.get_absolute_url())
