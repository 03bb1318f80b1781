"""Reads of the backups (P-03), shared by the pages, the API, `tejun tick` and the dashboard.

For the dashboard (stable names):
- backup_board(user) -> list[BoardRow]: every target the user may see, with its status now.
- overdue_counts(body) -> dict: how many targets are down, late, failed, missing, due a restore test.
Both read the targets in one query whatever their number (the last runs are subqueries).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tejun.access.policy import can, get_visible, visible
from tejun.lib.errors import NotFound

from .models import BackupAlert, BackupReport, BackupTarget, CheckIn, RestoreTest
from .schedule import ALERTING, Evaluation, Schedule, evaluate

FINISHED = ("success", "fail")
INACTIVE_LABEL = gettext_lazy("監視停止中")


def with_runs(qs: QuerySet) -> QuerySet:
    """Targets annotated with their last runs, open alert, last restore test and reports waiting."""
    checkins = CheckIn.objects.filter(target=OuterRef("pk")).order_by("-ran_at", "-id")
    finished = checkins.filter(kind__in=FINISHED)
    open_alerts = BackupAlert.objects.filter(target=OuterRef("pk"), acknowledged_at__isnull=True)
    pending = (BackupReport.objects.filter(target=OuterRef("pk"), state=BackupReport.State.SUBMITTED)
               .order_by().values("target").annotate(n=Count("pk")).values("n"))
    return qs.select_related("responsible_post", "responsible_person", "responsible_contractor").annotate(
        last_success_at=Subquery(checkins.filter(kind="success").values("ran_at")[:1]),
        last_finished_at=Subquery(finished.values("ran_at")[:1]),
        last_finished_kind=Subquery(finished.values("kind")[:1]),
        last_finished_id=Subquery(finished.values("pk")[:1]),
        last_checkin_at=Subquery(checkins.values("ran_at")[:1]),
        last_checkin_kind=Subquery(checkins.values("kind")[:1]),
        open_alert_id=Subquery(open_alerts.values("pk")[:1]),
        open_alert_reason=Subquery(open_alerts.values("reason")[:1]),
        open_alert_raised_at=Subquery(open_alerts.values("raised_at")[:1]),
        last_restore_on=Subquery(RestoreTest.objects.filter(target=OuterRef("pk"))
                                 .order_by("-performed_on", "-id").values("performed_on")[:1]),
        pending_reports=Subquery(pending),
        has_reports=Exists(BackupReport.objects.filter(target=OuterRef("pk"))),
    )


def evaluation_of(target, now: datetime | None = None) -> Evaluation:
    """The status of a target read through with_runs()."""
    return evaluate(Schedule.of(target), monitoring_since=target.monitoring_since,
                    last_success_at=target.last_success_at, last_finished_kind=target.last_finished_kind,
                    last_finished_id=target.last_finished_id, last_finished_at=target.last_finished_at,
                    now=now or timezone.now())


def restore_test_due(target, today: date) -> bool:
    """No restore test within the target's restore-test period (counted from registration if none yet)."""
    if not target.restore_test_days or not target.active:
        return False
    since = target.last_restore_on or timezone.localdate(target.created_at)
    return since + timedelta(days=target.restore_test_days) < today


@dataclass
class BoardRow:
    target: BackupTarget
    status: str             # ok / late / failed / missing
    status_label: str       # 正常 / 遅延 / 失敗 / 未実施
    alerting: bool          # the status is a problem now (late, failed, or missing past its first due run)
    down: bool              # an alert is open: down until someone acknowledges it
    last_run_at: datetime | None      # the last finished run (success or fail)
    last_result: str | None           # "success" / "fail" / None
    last_result_label: str
    next_due: datetime | None
    overdue_since: datetime | None
    restore_due: bool
    pending_reports: int
    url: str

    @property
    def id(self) -> int:
        return self.target.pk

    @property
    def name(self) -> str:
        return self.target.name


def _row(target, now: datetime, today: date) -> BoardRow:
    active = target.active
    ev = evaluation_of(target, now) if active else None
    result = target.last_finished_kind
    return BoardRow(
        target=target,
        status=ev.status if ev else "inactive",
        status_label=ev.label if ev else str(INACTIVE_LABEL),
        alerting=bool(ev and ev.alerting and ev.status in ALERTING),
        down=target.open_alert_id is not None,
        last_run_at=target.last_finished_at,
        last_result=result,
        last_result_label=str(CheckIn.Kind(result).label) if result else "",
        next_due=ev.next_due if ev else None,
        overdue_since=ev.overdue_since if ev else None,
        restore_due=restore_test_due(target, today),
        pending_reports=target.pending_reports or 0,
        url=target.get_absolute_url(),
    )


def board_rows(targets, now: datetime | None = None) -> list[BoardRow]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    return [_row(t, now, today) for t in targets]


def visible_targets(user) -> QuerySet:
    return with_runs(visible(user, BackupTarget))


def backup_board(user, now: datetime | None = None) -> list[BoardRow]:
    """Every target the user may see with its status now: down ones first, then by name."""
    rows = board_rows(visible_targets(user), now)
    return sorted(rows, key=lambda r: (not r.down, not r.alerting, r.target.name))


def overdue_counts(body, now: datetime | None = None) -> dict[str, int]:
    """Counts for the dashboard: targets down (alert not yet acknowledged), by problem, and restore tests due."""
    rows = board_rows(with_runs(BackupTarget.objects.filter(body=body, active=True)), now)
    counts = {"targets": len(rows), "down": 0, "late": 0, "failed": 0, "missing": 0, "restore_due": 0,
              "pending_reports": 0}
    for r in rows:
        counts["down"] += r.down
        if r.alerting:
            counts[r.status] += 1
        counts["restore_due"] += r.restore_due
        counts["pending_reports"] += r.pending_reports
    counts["problems"] = counts["late"] + counts["failed"] + counts["missing"]
    return counts


def target_get(user, pk) -> BackupTarget:
    """One visible target with its runs (NotFound: another body's, or a vendor's other contractor's)."""
    try:
        return visible_targets(user).get(pk=pk)
    except (BackupTarget.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("見つかりません。")) from None


def target_checkins(user, target) -> QuerySet:
    return visible(user, CheckIn).filter(target=target).select_related("recorded_by", "report")


def target_alerts(user, target) -> QuerySet:
    return visible(user, BackupAlert).filter(target=target).select_related("acknowledged_by")


def target_restore_tests(user, target) -> QuerySet:
    return visible(user, RestoreTest).filter(target=target).select_related("recorded_by")


def target_reports(user, target) -> QuerySet:
    return visible(user, BackupReport).filter(target=target).select_related("submitted_by", "decided_by")


def report_get(user, pk) -> BackupReport:
    return get_visible(user, BackupReport, pk)


def checkin_get(user, pk) -> CheckIn:
    return get_visible(user, CheckIn, pk)


def reports_waiting(user) -> QuerySet:
    return visible(user, BackupReport).filter(state=BackupReport.State.SUBMITTED).select_related("target")


def can_see_backups(user) -> bool:
    """For the menu: staff, or a contractor's account whose contractor answers for some target."""
    return can(user, "backups.view") or visible(user, BackupTarget).exists()


HISTORY_LIMIT = 30


def target_history(user, target):
    """The audit events of one target (registration, changes, new check-in URL), newest first; staff only."""
    from tejun.audit.models import AuditEvent

    if target.body_id != getattr(user, "body_id", None) or not can(user, "backups.view"):
        return AuditEvent.objects.none()
    return (AuditEvent.objects.filter(body_id=target.body_id, object_type=BackupTarget._meta.label,
                                      object_id=str(target.pk)).order_by("-created_at", "-id")[:HISTORY_LIMIT])
