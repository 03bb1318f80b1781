"""Pages of the backups (P-03): the board, a target with its history, forms, a contractor's report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tejun.access.policy import can
from tejun.audit.history import readable_history
from tejun.lib.errors import DomainError, InvalidInput, NotFound
from tejun.lib.uploads import attachment_response
from tejun.orgs.models import Post, User
from tejun.vendors.models import Contractor
from tejun.web.views import apply_errors

from . import selectors, services
from .forms import AcknowledgeForm, CheckInForm, DecisionForm, ReportForm, RestoreTestForm, TargetForm
from .models import BackupReport, BackupTarget

HISTORY_SIZE = 50
SHOWN_ONCE_KEY = "backups_token_%d"


def _forbidden(request, message):
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def _target(request, pk):
    try:
        return selectors.target_get(request.user, pk)
    except NotFound:
        raise Http404 from None


def _form_status(form) -> int:
    return 400 if form.errors else 200


# ------------------------------------------------------------------------------------------ board

@login_required
def board(request):
    user = request.user
    rows = selectors.backup_board(user)
    if not can(user, "backups.view") and not rows:
        return _forbidden(request, _("バックアップの状況を閲覧する権限がありません。"))
    return render(request, "backups/board.html", {
        "rows": rows, "down": [r for r in rows if r.down], "can_manage": can(user, "backups.manage"),
        "is_vendor": not can(user, "backups.view"),
    })


# ------------------------------------------------------------------------------------------ targets

def _target_form_page(request, target):
    user = request.user
    initial = TargetForm.initial_from(target) if target else {"schedule_kind": "cron", "cron": "0 2 * * *",
                                                               "grace_hours": 2, "active": True}
    form = TargetForm(request.POST or None, body=user.body, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if target is None:
                saved, token = services.create_target(actor=user, **data)
                request.session[SHOWN_ONCE_KEY % saved.pk] = token
                messages.success(request, _("「%(name)s」を登録しました。チェックインURLはこの画面でだけ表示されます。")
                                 % {"name": saved.name})
            else:
                saved = services.update_target(target, actor=user, **data)
                messages.success(request, _("「%(name)s」を修正しました。") % {"name": saved.name})
        except InvalidInput as e:
            apply_errors(form, e)
        except NotFound:
            raise Http404 from None
        except DomainError as e:
            return _forbidden(request, e.message)
        else:
            return redirect(saved)
    return render(request, "backups/target_form.html", {"form": form, "editing": target},
                  status=400 if request.method == "POST" else 200)


@login_required
def target_new(request):
    if not can(request.user, "backups.manage"):
        return _forbidden(request, _("バックアップ対象を登録する権限がありません。"))
    return _target_form_page(request, None)


@login_required
def target_edit(request, pk):
    target = _target(request, pk)
    if not can(request.user, "backups.manage"):
        return _forbidden(request, _("バックアップ対象を編集する権限がありません。"))
    return _target_form_page(request, target)


def ping_urls(request, token: str) -> dict[str, str]:
    """The check-in URLs of one token (or of the placeholder "TOKEN"), absolute, for the script's curl lines."""
    sample = "x" * 32  # reverse() needs a token of the real shape; the placeholder goes in afterwards
    base = request.build_absolute_uri(reverse("backups:ping-base", kwargs={"token": sample})).rstrip("/") + "/"
    base = base.replace(sample, token)
    return {"start": f"{base}start", "success": f"{base}success", "fail": f"{base}fail", "base": base}


ACTION_LABELS = {"create": gettext_lazy("登録"), "update": gettext_lazy("修正"),
                 "regenerate_token": gettext_lazy("チェックインURLの作り直し")}
HIDDEN_IN_HISTORY = {"created_at", "updated_at", "monitoring_since"}


def _history_rows(events, body) -> list[dict]:
    """Audit events as rows a clerk can read, with names instead of ids (one query per kind of name)."""
    ids: dict[str, set] = {name: set() for name in ("responsible_post", "responsible_person",
                                                     "responsible_contractor")}
    for e in events:
        for data in (e.before or {}, e.after or {}):
            for name in ids:
                if isinstance(data.get(name), int):
                    ids[name].add(data[name])
    models = {"responsible_post": (Post, "name"), "responsible_person": (User, "full_name"),
              "responsible_contractor": (Contractor, "name")}
    names = {name: dict(models[name][0].objects.filter(pk__in=found, body=body).values_list("pk", models[name][1]))
             for name, found in ids.items() if found}
    return readable_history(events, model=BackupTarget, action_labels=ACTION_LABELS, names=names,
                            hidden=HIDDEN_IN_HISTORY)


@login_required
def target_detail(request, pk):
    user = request.user
    target = _target(request, pk)
    row = selectors.board_rows([target])[0]
    token = request.session.pop(SHOWN_ONCE_KEY % target.pk, None)
    can_manage = can(user, "backups.manage")
    staff_view = can(user, "backups.view")
    checkins = list(selectors.target_checkins(user, target)[:HISTORY_SIZE])
    alerts = list(selectors.target_alerts(user, target)[:20])
    return render(request, "backups/target_detail.html", {
        "target": target, "row": row, "token": token,
        "urls": ping_urls(request, token or "TOKEN"), "can_manage": can_manage,
        "can_record": can(user, "backups.record", target), "can_acknowledge": can(user, "backups.acknowledge", target),
        "can_report": can(user, "backups.report", target), "can_decide": can(user, "backups.accept_report"),
        "staff_view": staff_view,
        "checkins": checkins, "alerts": alerts,
        # At most one alert is open, and it is the newest (none is raised while one is open).
        "open_alert": next((a for a in alerts if a.acknowledged_at is None), None),
        "restore_tests": list(selectors.target_restore_tests(user, target)[:20]),
        "reports": list(selectors.target_reports(user, target)[:20]) if target.has_reports else [],
        "ack_form": AcknowledgeForm(), "decision_form": DecisionForm(),
        "history": _history_rows(list(selectors.target_history(user, target)), user.body) if staff_view else None,
    })


@login_required
@require_POST
def target_token(request, pk):
    target = _target(request, pk)
    try:
        token = services.regenerate_token(target, actor=request.user)
    except DomainError as e:
        return _forbidden(request, e.message)
    request.session[SHOWN_ONCE_KEY % target.pk] = token
    messages.success(request, _("チェックインURLを作り直しました。古いURLは使えません。スクリプトを書き換えてください。"))
    return redirect(target)


@login_required
@require_POST
def target_acknowledge(request, pk):
    target = _target(request, pk)
    form = AcknowledgeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.acknowledge(target, actor=request.user, note=note)
    except InvalidInput as e:
        messages.error(request, e.text())
    except DomainError as e:
        if e.status == 403:
            return _forbidden(request, e.message)
        messages.error(request, e.text())
    else:
        messages.success(request, _("アラートを確認済にしました。"))
    return redirect(target)


# ------------------------------------------------------------------------------------------ check-ins

@login_required
def checkin_new(request, pk):
    """A run recorded by hand (the backup was done without the script, or the script cannot call out)."""
    target = _target(request, pk)
    if not can(request.user, "backups.record", target):
        return _forbidden(request, _("このバックアップの実施を記録する権限がありません。"))
    form = CheckInForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_checkin(target, actor=request.user, kind=data["kind"], ran_at=data["ran_at"],
                                    note=data["note"], file=data.get("file"))
        except InvalidInput as e:
            apply_errors(form, e)
        except DomainError as e:
            return _forbidden(request, e.message)
        else:
            messages.success(request, _("バックアップの実施を記録しました。"))
            return redirect(target)
    return render(request, "backups/checkin_form.html", {"form": form, "target": target},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def checkin_file(request, pk):
    try:
        checkin = selectors.checkin_get(request.user, pk)
    except NotFound:
        raise Http404 from None
    if not checkin.file:
        raise Http404
    return attachment_response(checkin.file, checkin.file_name)


@login_required
@require_GET
def checkin_log(request, pk):
    try:
        checkin = selectors.checkin_get(request.user, pk)
    except NotFound:
        raise Http404 from None
    return render(request, "backups/checkin_log.html", {"checkin": checkin, "target": checkin.target})


# ------------------------------------------------------------------------------------------ restore tests

@login_required
def restore_new(request, pk):
    target = _target(request, pk)
    if not can(request.user, "backups.record", target):
        return _forbidden(request, _("復元テストを記録する権限がありません。"))
    form = RestoreTestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_restore_test(target, actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        except DomainError as e:
            return _forbidden(request, e.message)
        else:
            messages.success(request, _("復元テストを記録しました。"))
            return redirect(target)
    return render(request, "backups/restore_form.html", {"form": form, "target": target},
                  status=400 if request.method == "POST" else 200)


# ------------------------------------------------------------------------------------------ contractors' reports

@login_required
def report_new(request, pk):
    """The contractor's account uploads its periodic backup report for a target it answers for."""
    target = _target(request, pk)
    if not can(request.user, "backups.report", target):
        return _forbidden(request, _("このバックアップの報告を提出できるのは、責任者の委託事業者のアカウントだけです。"))
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_report(target, actor=request.user, **form.cleaned_data)
        except InvalidInput as e:
            apply_errors(form, e)
        except DomainError as e:
            return _forbidden(request, e.message)
        else:
            messages.success(request, _("報告を提出しました。職員が確認して受理します。"))
            return redirect(target)
    return render(request, "backups/report_form.html", {"form": form, "target": target},
                  status=400 if request.method == "POST" else 200)


def _report(request, pk) -> BackupReport:
    try:
        return selectors.report_get(request.user, pk)
    except NotFound:
        raise Http404 from None


@login_required
@require_POST
def report_decide(request, pk, decision):
    report = _report(request, pk)
    form = DecisionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    decide = services.accept_report if decision == "accept" else services.return_report
    try:
        decide(report, actor=request.user, comment=comment)
    except DomainError as e:
        if e.status == 403:
            return _forbidden(request, e.message)
        messages.error(request, e.text())
    else:
        messages.success(request, _("報告を受理しました。") if decision == "accept" else _("報告を差し戻しました。"))
    return redirect(report.target)


@login_required
@require_GET
def report_file(request, pk):
    report = _report(request, pk)
    return attachment_response(report.file, report.file_name)
