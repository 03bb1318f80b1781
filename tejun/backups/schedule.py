"""When is a backup due, and what is its status now. Pure functions: no database, no clock.

Schedules are cron expressions read in Asia/Tokyo (by cronsim, never parsed here) or an interval
in hours. A run is expected at the first scheduled time the last successful run does not account
for (see Schedule.covered_after), and not before monitoring began; it is overdue once that time
plus the grace period has passed.

Status (code → label):
- ok       正常   the last finished run succeeded and the next run is not overdue
- failed   失敗   the last finished run failed (until a later run succeeds)
- late     遅延   a run succeeded before, but the run expected since is overdue
- missing  未実施 no run has ever succeeded (overdue once the first expected run passes its grace period)
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cronsim import CronSim, CronSimError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TOKYO = ZoneInfo("Asia/Tokyo")

OK, LATE, FAILED, MISSING = "ok", "late", "failed", "missing"
STATUS_LABELS = {OK: gettext_lazy("正常"), LATE: gettext_lazy("遅延"), FAILED: gettext_lazy("失敗"),
                 MISSING: gettext_lazy("未実施")}
ALERTING = {LATE, FAILED, MISSING}


def cron_error(expr: str) -> str | None:
    """A Japanese message when `expr` is not a five-field cron expression cronsim accepts, else None."""
    expr = (expr or "").strip()
    if len(expr.split()) != 5:
        return _("cron 式は「分 時 日 月 曜日」の5項目で指定してください（例：0 2 * * * は毎日2時0分）。")
    try:
        it = CronSim(expr, datetime(2026, 1, 1, tzinfo=TOKYO))
        next(it)
    except (CronSimError, StopIteration, ValueError) as e:
        return _("cron 式が正しくありません（%(reason)s）。例：0 2 * * * は毎日2時0分。") % {"reason": str(e)}
    return None


@dataclass(frozen=True)
class Schedule:
    cron: str = ""
    interval_hours: int | None = None
    grace_hours: int = 0

    @classmethod
    def of(cls, target) -> "Schedule":
        if target.schedule_kind == "cron":
            return cls(cron=target.cron, grace_hours=target.grace_hours)
        return cls(interval_hours=target.interval_hours, grace_hours=target.grace_hours)

    @property
    def grace(self) -> timedelta:
        return timedelta(hours=self.grace_hours)

    def next_after(self, moment: datetime) -> datetime:
        """The first scheduled run strictly after `moment`."""
        if self.cron:
            return next(CronSim(self.cron, moment.astimezone(TOKYO)))
        return moment + timedelta(hours=self.interval_hours)

    def _at_or_before(self, moment: datetime) -> datetime | None:
        """The last scheduled cron run at or before `moment`."""
        return next(CronSim(self.cron, (moment + timedelta(seconds=1)).astimezone(TOKYO), reverse=True), None)

    def covered_after(self, ran_at: datetime) -> datetime:
        """The first scheduled run that a run at `ran_at` does not account for.

        A run a little early still counts for the coming scheduled time (a report handed in on the
        4th for "by the 5th"): up to the grace period early, but never more than half the gap between
        two scheduled times, so that one run never stands for two.
        """
        if not self.cron:
            return ran_at + timedelta(hours=self.interval_hours)
        following = self.next_after(ran_at)
        before = self._at_or_before(ran_at) or following - timedelta(days=1)
        early = min(self.grace, (following - before) / 2)
        return self.next_after(ran_at + early)

    def first_expected(self, monitoring_since: datetime, last_success_at: datetime | None) -> datetime:
        """The first run not yet accounted for (by a success, or by monitoring having begun after it)."""
        first = self.next_after(monitoring_since)
        return max(first, self.covered_after(last_success_at)) if last_success_at else first

    def latest_due(self, first: datetime, now: datetime) -> datetime | None:
        """The latest scheduled run from `first` on whose grace period has passed by `now` (None: none)."""
        limit = now - self.grace
        if first > limit:
            return None
        if self.cron:
            return self._at_or_before(limit)
        step = timedelta(hours=self.interval_hours)
        return first + step * ((limit - first) // step)


@dataclass(frozen=True)
class Evaluation:
    status: str
    overdue_since: datetime | None  # the missed run's scheduled time (late/missing)
    next_due: datetime              # the next run expected
    problem_key: str                # identifies the problem for one alert ("" when ok)

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def alerting(self) -> bool:
        return bool(self.problem_key)


def evaluate(schedule: Schedule, *, monitoring_since: datetime, last_success_at: datetime | None,
             last_finished_kind: str | None = None, last_finished_id: int | None = None,
             last_finished_at: datetime | None = None, now: datetime) -> Evaluation:
    """The status of one target at `now` from its last successful and last finished run."""
    next_due = schedule.first_expected(monitoring_since, last_success_at)
    missed = schedule.latest_due(next_due, now)
    if last_finished_kind == "fail":
        # Each run missed after the failure is a new problem too (once the failure was acknowledged).
        after_fail = schedule.latest_due(max(next_due, schedule.covered_after(last_finished_at)), now) \
            if last_finished_at else None
        key = f"failed:{last_finished_id}" + (f":{after_fail.astimezone(TOKYO):%Y%m%d%H%M}" if after_fail else "")
        return Evaluation(FAILED, missed, next_due, key)
    if missed is not None:
        status = LATE if last_success_at is not None else MISSING
        return Evaluation(status, missed, next_due, f"{status}:{missed.astimezone(TOKYO):%Y%m%d%H%M}")
    if last_success_at is None:
        return Evaluation(MISSING, None, next_due, "")
    return Evaluation(OK, None, next_due, "")
