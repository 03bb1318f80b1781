"""Every write of the backups (P-03): targets, check-ins, alerts, restore tests, contractors' reports.

Each write is checked, audited in the same transaction, and refused with a Japanese message that
names what is wrong (nothing changes then). The check-in URL's token is random; only its SHA-256 is
kept, so it is shown once (on registration or when it is made anew) and looked up by its hash.
"""

import hashlib
import secrets
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tejun.access.policy import can, same_body
from tejun.audit.services import record, snapshot
from tejun.lib.errors import DomainError, Forbidden, InvalidInput, NotFound, WrongState
from tejun.lib.uploads import IMAGES_AND_PDF, check_upload
from tejun.lib.wareki import to_wareki, to_wareki_datetime
from tejun.notify.services import notify
from tejun.orgs.models import Post, User
from tejun.orgs.roles import Role
from tejun.orgs.selectors import role_holders
from tejun.vendors.models import Contractor

from .models import BackupAlert, BackupReport, BackupTarget, CheckIn, RestoreTest
from .schedule import cron_error

MAX_LOG_BYTES = 100 * 1024          # a check-in's log is kept up to this size, cut beyond it
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
RATE_WINDOW = timedelta(minutes=1)
RATE_PER_TARGET = 20                # check-ins per target per minute through its URL
RATE_PER_ADDRESS = 120              # check-ins per sending address per minute, all targets together
TEXT_MAX = 2000
# Fields of a check-in written to the audit log (the log text itself stays in the check-in).
CHECKIN_AUDIT_FIELDS = ["id", "target", "kind", "source", "ran_at", "exit_status", "log_truncated", "note",
                        "remote_ip", "recorded_by", "file", "file_sha256", "report"]


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"


# ------------------------------------------------------------------------------------------ helpers

def _invalid(errors: dict):
    raise InvalidInput(_("入力内容を確認してください。"), fields=errors)


def _int_in(cleaned: dict, errors: dict, name: str, low: int, high: int, *, allow_none=False):
    if name not in cleaned:
        return
    value = cleaned[name]
    if value in (None, "") and allow_none:
        cleaned[name] = None
        return
    if isinstance(value, bool) or not isinstance(value, int):
        errors[name] = [_("整数で入力してください。")]
    elif not low <= value <= high:
        errors[name] = [_("%(low)d〜%(high)dの範囲で入力してください。") % {"low": low, "high": high}]


def _text(cleaned: dict, errors: dict, name: str, limit: int, *, required=False):
    value = cleaned.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = [_("文字で入力してください。")]
        return
    value = value.replace("\x00", "").strip()
    cleaned[name] = value
    if required and not value:
        errors[name] = [_("入力してください。")]
    elif len(value) > limit:
        errors[name] = [_("%(limit)d文字以内で入力してください。") % {"limit": limit}]


def _of_body(model, body, value, **extra):
    """The body's row given as an object or an id; None when it is not the body's (another body's "does not exist")."""
    if isinstance(value, model):
        value = value.pk
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return model.objects.filter(pk=value, body=body, **extra).first()


def _aware(value) -> bool:
    return isinstance(value, datetime) and timezone.is_aware(value)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(24)  # 192 bits: not guessable, so a lookup by its hash is enough
    return token, hash_token(token)


# ------------------------------------------------------------------------------------------ who is told

def responsible_people(target) -> list[User]:
    """Who answers for the target: the person, the post's holders, or the contractor's accounts."""
    if target.responsible_person_id:
        person = target.responsible_person
        return [person] if person.is_active else []
    if target.responsible_post_id:
        return list(User.objects.filter(body_id=target.body_id, post_id=target.responsible_post_id, is_active=True))
    if target.responsible_contractor_id:
        return list(User.objects.filter(contractor_account__contractor_id=target.responsible_contractor_id,
                                        is_active=True))
    return []


def officers(body) -> list[User]:
    return [h.person for h in role_holders(body, Role.OFFICER) if not h.absent]


def keepers(body) -> list[User]:
    people = []
    for role in (Role.OFFICER, Role.STAFF_IN_CHARGE):
        people += [h.person for h in role_holders(body, role) if not h.absent]
    return people


# ------------------------------------------------------------------------------------------ targets

TARGET_FIELDS = ("name", "kind", "description", "responsible_post", "responsible_person", "responsible_contractor",
                 "schedule_kind", "cron", "interval_hours", "grace_hours", "restore_test_days", "active")
RESPONSIBLE = ("responsible_post", "responsible_person", "responsible_contractor")
SCHEDULE_FIELDS = ("schedule_kind", "cron", "interval_hours")


def validate_target(body, fields: dict, *, instance: BackupTarget | None = None) -> dict:
    """Check the fields of a new target (all) or of a change (those given). Returns them cleaned."""
    errors: dict[str, list[str]] = {}
    for name in sorted(set(fields) - set(TARGET_FIELDS)):
        errors[name] = [_("この項目は指定できません。")]
    cleaned = {k: v for k, v in fields.items() if k in TARGET_FIELDS}
    if instance is None or "name" in cleaned:
        _text(cleaned, errors, "name", 200, required=True)
    if "description" in cleaned:
        _text(cleaned, errors, "description", TEXT_MAX)
    if instance is None or "kind" in cleaned:
        cleaned.setdefault("kind", BackupTarget.Kind.NAS)
        if cleaned["kind"] not in BackupTarget.Kind.values:
            errors["kind"] = [_("種類を選んでください。")]
    # The responsible party: exactly one of post, person, contractor (naming one clears the others).
    if instance is None or any(n in cleaned for n in RESPONSIBLE):
        given = {n: cleaned.get(n) for n in RESPONSIBLE if cleaned.get(n) not in (None, "")}
        found = {}
        for name, value in given.items():
            model, extra = {"responsible_post": (Post, {}), "responsible_person": (User, {"is_active": True}),
                            "responsible_contractor": (Contractor, {})}[name]
            found[name] = _of_body(model, body, value, **extra)
            if found[name] is None:
                errors[name] = [_("この団体に登録されているものを選んでください。")]
        if len(given) != 1:
            errors["responsible"] = [_("責任者として、役職・職員・委託事業者のいずれか1つを指定してください。")]
        for name in RESPONSIBLE:
            cleaned[name] = found.get(name)
    # The schedule: a cron expression (Asia/Tokyo) or an interval in hours.
    if instance is None or any(n in cleaned for n in SCHEDULE_FIELDS):
        kind = cleaned.get("schedule_kind", instance.schedule_kind if instance else BackupTarget.ScheduleKind.CRON)
        cron = cleaned.get("cron", instance.cron if instance else "")
        hours = cleaned.get("interval_hours", instance.interval_hours if instance else None)
        if kind not in BackupTarget.ScheduleKind.values:
            errors["schedule_kind"] = [_("予定の指定方法を選んでください。")]
        elif kind == BackupTarget.ScheduleKind.CRON:
            cron = " ".join(str(cron or "").split()) if isinstance(cron, str) or cron is None else cron
            if not isinstance(cron, str):
                errors["cron"] = [_("文字で入力してください。")]
            elif message := cron_error(cron):
                errors["cron"] = [message]
            cleaned.update(schedule_kind=kind, cron=cron, interval_hours=None)
        else:
            cleaned.update(schedule_kind=kind, cron="", interval_hours=hours)
            if hours in (None, ""):
                errors["interval_hours"] = [_("間隔（時間）を入力してください。")]
            else:
                _int_in(cleaned, errors, "interval_hours", 1, 24 * 366)
    _int_in(cleaned, errors, "grace_hours", 0, 24 * 31)
    _int_in(cleaned, errors, "restore_test_days", 1, 3660, allow_none=True)
    if "active" in cleaned and not isinstance(cleaned["active"], bool):
        errors["active"] = [_("はい・いいえで指定してください。")]
    name = cleaned.get("name")
    if name and "name" not in errors:
        clash = BackupTarget.objects.filter(body=body, name=name)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors["name"] = [_("「%(name)s」は既に登録されています。") % {"name": name}]
    if errors:
        _invalid(errors)
    return cleaned


def create_target(*, actor, **fields) -> tuple[BackupTarget, str]:
    """Register a target. Returns it with its check-in token (shown once; only the hash is kept)."""
    if not can(actor, "backups.manage"):
        raise Forbidden(_("バックアップ対象を登録する権限がありません。"))
    cleaned = validate_target(actor.body, fields)
    token, digest = _new_token()
    try:
        with transaction.atomic():
            target = BackupTarget.objects.create(body=actor.body, monitoring_since=timezone.now(), token_hash=digest,
                                                 token_hint=token[:4], **cleaned)
            record(actor, "create", target, None, snapshot(target, _public_fields()))
    except IntegrityError:
        _invalid({"name": [_("同じ名称のバックアップ対象が既にあります。")]})
    return target, token


def _public_fields() -> list[str]:
    return [f.name for f in BackupTarget._meta.concrete_fields if f.name != "token_hash"]


def update_target(target: BackupTarget, *, actor, **fields) -> BackupTarget:
    if not same_body(actor, target):
        raise NotFound(_("見つかりません。"))
    if not can(actor, "backups.manage"):
        raise Forbidden(_("バックアップ対象を編集する権限がありません。"))
    try:
        with transaction.atomic():
            locked = BackupTarget.objects.select_for_update().get(pk=target.pk)
            cleaned = validate_target(actor.body, fields, instance=locked)
            before = snapshot(locked, _public_fields())
            restart = (any(n in cleaned and cleaned[n] != getattr(locked, n) for n in SCHEDULE_FIELDS)
                       or (cleaned.get("active") is True and not locked.active))
            for name, value in cleaned.items():
                setattr(locked, name, value)
            if restart:  # a new schedule (or monitoring again) expects runs from now on, not retroactively
                locked.monitoring_since = timezone.now()
            if snapshot(locked, _public_fields()) != before:
                locked.save()
                record(actor, "update", locked, before, snapshot(locked, _public_fields()))
    except IntegrityError:
        _invalid({"name": [_("同じ名称のバックアップ対象が既にあります。")]})
    return locked


def regenerate_token(target: BackupTarget, *, actor) -> str:
    """A new check-in URL; the old one stops working at once. Returns the new token (shown once)."""
    if not same_body(actor, target):
        raise NotFound(_("見つかりません。"))
    if not can(actor, "backups.manage"):
        raise Forbidden(_("チェックインURLを作り直す権限がありません。"))
    token, digest = _new_token()
    with transaction.atomic():
        locked = BackupTarget.objects.select_for_update().get(pk=target.pk)
        before = {"token_hint": locked.token_hint}
        locked.token_hash, locked.token_hint = digest, token[:4]
        locked.save(update_fields=["token_hash", "token_hint", "updated_at"])
        record(actor, "regenerate_token", locked, before, {"token_hint": locked.token_hint})
    return token


# ------------------------------------------------------------------------------------------ check-ins

def _clean_log(data: bytes) -> tuple[str, bool]:
    truncated = len(data) > MAX_LOG_BYTES
    text = data[:MAX_LOG_BYTES].decode("utf-8", errors="replace").replace("\x00", "")
    return text, truncated


def ping(token: str, kind: str, *, data: bytes = b"", exit_status: int | None = None,
         remote_ip: str | None = None) -> CheckIn:
    """A check-in from the backup script's secret URL. Unknown token: NotFound, and nothing is written."""
    target = (BackupTarget.objects.filter(token_hash=hash_token(token or "")).select_related("body").first()
              if token and len(token) <= 100 else None)
    if target is None or kind not in CheckIn.Kind.values:
        raise NotFound(_("見つかりません。"))
    # Counted in the database, so the limit holds across every worker process of the server.
    since = timezone.now() - RATE_WINDOW
    recent = CheckIn.objects.filter(source=CheckIn.Source.PING, received_at__gte=since)
    if recent.filter(target=target).count() >= RATE_PER_TARGET or (
            remote_ip and recent.filter(remote_ip=remote_ip).count() >= RATE_PER_ADDRESS):
        raise RateLimited(_("チェックインが多すぎます。1分ほど待ってから送ってください。"))
    if exit_status is not None and kind == CheckIn.Kind.SUCCESS and exit_status != 0:
        kind = CheckIn.Kind.FAIL  # a non-zero exit status is a failure, whatever the URL said
    log, truncated = _clean_log(data)
    with transaction.atomic():
        checkin = CheckIn.objects.create(body=target.body, target=target, kind=kind, source=CheckIn.Source.PING,
                                         ran_at=timezone.now(), exit_status=exit_status, log=log,
                                         log_truncated=truncated, remote_ip=remote_ip)
        record(None, "checkin", checkin, None, snapshot(checkin, CHECKIN_AUDIT_FIELDS), body=target.body,
               object_repr=str(checkin), ip_address=remote_ip)
    if kind == CheckIn.Kind.FAIL:
        check_target(target)  # a failure is told at once, not at the next tick
    return checkin


def record_checkin(target: BackupTarget, *, actor, kind: str, ran_at=None, note: str = "", file=None,
                   exit_status=None) -> CheckIn:
    """A run recorded by a member of staff, with evidence (a photo or PDF of the backup's result)."""
    if not same_body(actor, target):
        raise NotFound(_("見つかりません。"))
    if not can(actor, "backups.record", target):
        raise Forbidden(_("このバックアップの実施を記録する権限がありません。"))
    errors: dict[str, list[str]] = {}
    cleaned = {"note": note}
    _text(cleaned, errors, "note", TEXT_MAX)
    if kind not in (CheckIn.Kind.SUCCESS, CheckIn.Kind.FAIL):
        errors["kind"] = [_("結果を「成功」か「失敗」から選んでください。")]
    now = timezone.now()
    ran_at = ran_at or now
    if not _aware(ran_at):
        errors["ran_at"] = [_("実施日時を入力してください。")]
    elif ran_at > now + timedelta(minutes=5):
        errors["ran_at"] = [_("実施日時に未来の日時は指定できません。")]
    elif ran_at < target.created_at - timedelta(days=366):
        errors["ran_at"] = [_("実施日時が古すぎます。")]
    if exit_status is not None and (isinstance(exit_status, bool) or not isinstance(exit_status, int)):
        errors["exit_status"] = [_("整数で入力してください。")]
    checked = None
    if kind == CheckIn.Kind.SUCCESS and file is None:
        errors["file"] = [_("成功を記録するには証跡（バックアップ結果の画面の写真・PDF）を添付してください。")]
    elif file is not None:
        try:
            checked = check_upload(file, field="file", allowed=IMAGES_AND_PDF, max_bytes=MAX_EVIDENCE_BYTES)
        except InvalidInput as e:
            errors.update(e.fields)
    if errors:
        _invalid(errors)
    with transaction.atomic():
        checkin = CheckIn(body=target.body, target=target, kind=kind, source=CheckIn.Source.MANUAL, ran_at=ran_at,
                          note=cleaned["note"], recorded_by=actor, exit_status=exit_status)
        if checked is not None:
            checkin.file, checkin.file_name, checkin.file_sha256 = checked.file, checked.original_name, checked.sha256
        checkin.save()
        record(actor, "checkin", checkin, None, snapshot(checkin, CHECKIN_AUDIT_FIELDS))
    if kind == CheckIn.Kind.FAIL:
        check_target(target)
    return checkin


# ------------------------------------------------------------------------------------------ alerts

ALERT_TITLES = {
    BackupAlert.Reason.LATE: gettext_lazy("バックアップ遅延：%(name)s"),
    BackupAlert.Reason.FAILED: gettext_lazy("バックアップ失敗：%(name)s"),
    BackupAlert.Reason.MISSING: gettext_lazy("バックアップ未実施：%(name)s"),
}


def _alert_message(target, ev) -> str:
    if ev.status == "failed":
        text = _("「%(name)s」のバックアップが失敗しました。")
    elif ev.status == "late":
        text = _("「%(name)s」のバックアップが予定（%(due)s）の猶予時間を過ぎても実施されていません。")
    else:
        text = _("「%(name)s」のバックアップが一度も実施されていません（予定：%(due)s）。")
    message = text % {"name": target.name, "due": to_wareki_datetime(ev.overdue_since) if ev.overdue_since else "—"}
    return message + "\n" + _("原因を確認して対応し、画面で「確認した」を記録してください（記録するまで異常として表示されます）。")


def check_target(target: BackupTarget, now: datetime | None = None) -> BackupAlert | None:
    """Raise one alert if the target is late, failed or missing and none is open. Idempotent."""
    from .selectors import evaluation_of, with_runs

    target = with_runs(BackupTarget.objects.filter(pk=target.pk)).select_related("body").get()
    if not target.active or target.open_alert_id is not None:
        return None
    ev = evaluation_of(target, now)
    if not ev.alerting:
        return None
    try:
        with transaction.atomic():
            alert = BackupAlert.objects.create(body=target.body, target=target, reason=ev.status,
                                               problem_key=ev.problem_key, due_at=ev.overdue_since)
            record(None, "alert", alert, None, snapshot(alert), body=target.body)
            notify([*responsible_people(target), *officers(target.body)],
                   ALERT_TITLES[ev.status] % {"name": target.name}, _alert_message(target, ev),
                   target.get_absolute_url(), body=target.body)
    except IntegrityError:
        return None  # this problem was alerted already (and acknowledged), or another process just did
    return alert


def acknowledge(target: BackupTarget, *, actor, note: str) -> BackupAlert:
    """Someone has seen the alert and says what was done: the target is no longer down."""
    if not same_body(actor, target):
        raise NotFound(_("見つかりません。"))
    if not can(actor, "backups.acknowledge", target):
        raise Forbidden(_("このアラートを確認済にする権限がありません。"))
    cleaned = {"note": note}
    errors: dict[str, list[str]] = {}
    _text(cleaned, errors, "note", TEXT_MAX, required=True)
    if errors:
        _invalid({"note": [_("確認した内容・対応を入力してください。")] if not cleaned.get("note") else errors["note"]})
    with transaction.atomic():
        alert = (BackupAlert.objects.select_for_update()
                 .filter(target=target, acknowledged_at__isnull=True).first())
        if alert is None:
            raise WrongState(_("確認待ちのアラートはありません。"))
        before = snapshot(alert)
        alert.acknowledged_at, alert.acknowledged_by, alert.acknowledge_note = timezone.now(), actor, cleaned["note"]
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledge_note"])
        record(actor, "acknowledge", alert, before, snapshot(alert))
    return alert


# ------------------------------------------------------------------------------------------ restore tests

def record_restore_test(target: BackupTarget, *, actor, performed_on, restored: str, result: str,
                        note: str = "") -> RestoreTest:
    if not same_body(actor, target):
        raise NotFound(_("見つかりません。"))
    if not can(actor, "backups.record", target):
        raise Forbidden(_("復元テストを記録する権限がありません。"))
    errors: dict[str, list[str]] = {}
    cleaned = {"restored": restored, "note": note}
    _text(cleaned, errors, "restored", 300, required=True)
    _text(cleaned, errors, "note", TEXT_MAX)
    if result not in RestoreTest.Result.values:
        errors["result"] = [_("結果を選んでください。")]
    if not isinstance(performed_on, date) or isinstance(performed_on, datetime):
        errors["performed_on"] = [_("実施日を入力してください。")]
    elif performed_on > timezone.localdate():
        errors["performed_on"] = [_("実施日に未来の日付は指定できません。")]
    if errors:
        _invalid(errors)
    with transaction.atomic():
        test = RestoreTest.objects.create(body=target.body, target=target, performed_on=performed_on,
                                          restored=cleaned["restored"], result=result, note=cleaned["note"],
                                          recorded_by=actor)
        record(actor, "create", test, None, snapshot(test))
    return test


# ------------------------------------------------------------------------------------------ contractors' reports

def submit_report(target: BackupTarget, *, actor, period_from, period_to, last_run_at, result: str,
                  note: str = "", file=None) -> BackupReport:
    """The contractor's periodic backup report (P-03: cloud systems are backed up by the contractor)."""
    if not same_body(actor, target):
        raise NotFound(_("見つかりません。"))
    if not can(actor, "backups.report", target):
        raise Forbidden(_("このバックアップの報告を提出する権限がありません。"))
    errors: dict[str, list[str]] = {}
    cleaned = {"note": note}
    _text(cleaned, errors, "note", TEXT_MAX)
    today = timezone.localdate()
    for name, value in (("period_from", period_from), ("period_to", period_to)):
        if not isinstance(value, date) or isinstance(value, datetime):
            errors[name] = [_("日付を入力してください。")]
        elif value > today:
            errors[name] = [_("未来の日付は指定できません。")]
    if "period_from" not in errors and "period_to" not in errors and period_to < period_from:
        errors["period_to"] = [_("終了日は開始日以降にしてください。")]
    if not _aware(last_run_at):
        errors["last_run_at"] = [_("最終実施日時を入力してください。")]
    elif last_run_at > timezone.now() + timedelta(minutes=5):
        errors["last_run_at"] = [_("未来の日時は指定できません。")]
    if result not in BackupReport.Result.values:
        errors["result"] = [_("結果を選んでください。")]
    try:
        checked = check_upload(file, field="file", allowed=IMAGES_AND_PDF, max_bytes=MAX_EVIDENCE_BYTES)
    except InvalidInput as e:
        errors.update(e.fields)
    if errors:
        _invalid(errors)
    with transaction.atomic():
        report = BackupReport.objects.create(
            body=target.body, target=target, contractor_id=target.responsible_contractor_id, period_from=period_from,
            period_to=period_to, last_run_at=last_run_at, result=result, note=cleaned["note"], file=checked.file,
            file_name=checked.original_name, file_sha256=checked.sha256, submitted_by=actor)
        record(actor, "submit", report, None, snapshot(report))
        notify(keepers(target.body), _("バックアップ報告が提出されました：%(name)s") % {"name": target.name},
               _("%(contractor)s から %(from)s〜%(to)s の報告が提出されました。内容を確認して受理してください。") % {
                   "contractor": report.contractor.name, "from": to_wareki(period_from), "to": to_wareki(period_to)},
               target.get_absolute_url(), body=target.body)
    return report


def _decide(report: BackupReport, actor, comment: str, *, accept: bool) -> BackupReport:
    if not same_body(actor, report):
        raise NotFound(_("見つかりません。"))
    if not can(actor, "backups.accept_report"):
        raise Forbidden(_("バックアップ報告を受理・差戻しする権限がありません。"))
    cleaned = {"comment": comment}
    errors: dict[str, list[str]] = {}
    _text(cleaned, errors, "comment", TEXT_MAX, required=not accept)
    if errors:
        _invalid({"comment": [_("差戻しの理由を入力してください。")] if not cleaned.get("comment") else errors["comment"]})
    with transaction.atomic():
        locked = BackupReport.objects.select_for_update().select_related("target", "contractor").get(pk=report.pk)
        if locked.state != BackupReport.State.SUBMITTED:
            raise WrongState(_("この報告は既に%(state)sです。") % {"state": locked.get_state_display()})
        before = snapshot(locked)
        locked.state = BackupReport.State.ACCEPTED if accept else BackupReport.State.RETURNED
        locked.decided_by, locked.decided_at, locked.decision_comment = actor, timezone.now(), cleaned["comment"]
        locked.save()
        record(actor, "accept" if accept else "return", locked, before, snapshot(locked))
        if accept:  # the accepted report is the run's check-in, at the time the contractor says it ran
            checkin = CheckIn.objects.create(
                body=locked.body, target=locked.target, kind=locked.result, source=CheckIn.Source.REPORT,
                ran_at=locked.last_run_at, note=locked.note, recorded_by=actor, report=locked)
            record(actor, "checkin", checkin, None, snapshot(checkin, CHECKIN_AUDIT_FIELDS))
        title = (_("バックアップ報告を受理しました：%(name)s") if accept
                 else _("バックアップ報告が差し戻されました：%(name)s")) % {"name": locked.target.name}
        notify([locked.submitted_by], title, cleaned["comment"], locked.target.get_absolute_url(), body=locked.body)
    if accept and locked.result == BackupReport.Result.FAIL:
        check_target(locked.target)
    return locked


def accept_report(report: BackupReport, *, actor, comment: str = "") -> BackupReport:
    return _decide(report, actor, comment, accept=True)


def return_report(report: BackupReport, *, actor, comment: str) -> BackupReport:
    return _decide(report, actor, comment, accept=False)
