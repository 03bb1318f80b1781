"""Periodic duties of P-03 for `tejun tick`: missed backups, and restore tests not done in their period."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.lib.wareki import to_wareki
from tejun.notify.models import ReminderLog
from tejun.notify.services import remind_once

from .models import BackupTarget
from .schedule import TOKYO
from .selectors import board_rows, with_runs
from .services import check_target, officers, responsible_people


def _now_for(today) -> datetime:
    """Now, or (tick --date) the current time of day on the pretended date."""
    now = timezone.now()
    if today is None or today == timezone.localdate(now):
        return now
    return datetime.combine(today, timezone.localtime(now, TOKYO).time().replace(microsecond=0), TOKYO)


def check_backups(today=None) -> int:
    """One alert per late, failed or missing backup; none while the target's alert is not acknowledged.

    Running it twice alerts once: an open alert, or the same problem alerted before, raises nothing.
    """
    now = _now_for(today)
    sent = 0
    for row in board_rows(with_runs(BackupTarget.objects.filter(active=True)), now):
        if row.alerting and not row.down and check_target(row.target, now) is not None:
            sent += 1
    return sent


def remind_restore_tests(today=None) -> int:
    """Once a week per target whose last restore test is older than its restore-test period."""
    today = today or timezone.localdate()
    sent = 0
    rows = board_rows(with_runs(BackupTarget.objects.filter(active=True, restore_test_days__isnull=False)
                                .select_related("body")), datetime.combine(today, time(12), TOKYO))
    year, week, _day = today.isocalendar()
    for row in rows:
        if not row.restore_due:
            continue
        target = row.target
        key = f"backup_restore_test:{target.pk}:{year}-{week}"
        if ReminderLog.objects.filter(key=key).exists():
            continue
        last = to_wareki(target.last_restore_on) if target.last_restore_on else _("なし")
        title = _("復元テストの時期です：%(name)s") % {"name": target.name}
        message = _("「%(name)s」の復元テストが%(days)d日以上行われていません（前回：%(last)s）。バックアップから実際に"
                    "復元できることを確かめ、結果を記録してください。") % {
            "name": target.name, "days": target.restore_test_days, "last": last}
        if remind_once(key, [*responsible_people(target), *officers(target.body)], title, message,
                       target.get_absolute_url(), body=target.body, day=today):
            sent += 1
    return sent
