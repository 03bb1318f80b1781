"""Due runs and status from a schedule (cron in Asia/Tokyo by cronsim, or an interval): no database."""

from datetime import datetime, timedelta

import pytest

from tejun.backups.schedule import TOKYO, Schedule, cron_error, evaluate

DAILY = Schedule(cron="0 2 * * *", grace_hours=2)
SINCE = datetime(2026, 11, 1, 12, 0, tzinfo=TOKYO)


def at(day, hour, minute=0):
    return datetime(2026, 12, day, hour, minute, tzinfo=TOKYO)


def test_cron_is_read_in_tokyo_time():
    assert DAILY.next_after(at(1, 12)) == at(2, 2)
    # 17:30 UTC on 12/1 is 2:30 on 12/2 in Tokyo: the next 2:00 is on 12/3.
    assert DAILY.next_after(at(2, 2, 30).astimezone(TOKYO)) == at(3, 2)


def test_ok_while_the_next_run_is_not_overdue():
    ev = evaluate(DAILY, monitoring_since=SINCE, last_success_at=at(1, 2, 15), now=at(2, 3, 59))
    assert (ev.status, ev.label, ev.alerting) == ("ok", "正常", False)
    assert ev.next_due == at(2, 2)


def test_late_once_due_time_plus_grace_has_passed():
    ev = evaluate(DAILY, monitoring_since=SINCE, last_success_at=at(1, 2, 15), now=at(2, 4, 1))
    assert (ev.status, ev.label, ev.overdue_since) == ("late", "遅延", at(2, 2))
    assert ev.problem_key == "late:202612020200"
    # The next missed run is another problem (for a new alert once the first was acknowledged).
    later = evaluate(DAILY, monitoring_since=SINCE, last_success_at=at(1, 2, 15), now=at(3, 5))
    assert later.problem_key == "late:202612030200"


def test_missing_when_nothing_ever_ran_alerts_only_after_the_first_due_run():
    new = evaluate(DAILY, monitoring_since=at(1, 12), last_success_at=None, now=at(2, 3))
    assert (new.status, new.label, new.alerting) == ("missing", "未実施", False)
    overdue = evaluate(DAILY, monitoring_since=at(1, 12), last_success_at=None, now=at(2, 4, 30))
    assert (overdue.status, overdue.alerting, overdue.overdue_since) == ("missing", True, at(2, 2))


def test_failed_until_a_later_success():
    ev = evaluate(DAILY, monitoring_since=SINCE, last_success_at=at(1, 2, 15), last_finished_kind="fail",
                  last_finished_id=7, last_finished_at=at(2, 2, 10), now=at(2, 2, 11))
    assert (ev.status, ev.label, ev.problem_key) == ("failed", "失敗", "failed:7")
    next_night = evaluate(DAILY, monitoring_since=SINCE, last_success_at=at(1, 2, 15), last_finished_kind="fail",
                          last_finished_id=7, last_finished_at=at(2, 2, 10), now=at(3, 5))
    assert next_night.problem_key == "failed:7:202612030200"


def test_interval_counts_from_the_last_success():
    every_day = Schedule(interval_hours=24, grace_hours=1)
    assert evaluate(every_day, monitoring_since=SINCE, last_success_at=at(1, 10), now=at(2, 10, 59)).status == "ok"
    late = evaluate(every_day, monitoring_since=SINCE, last_success_at=at(1, 10), now=at(2, 11, 1))
    assert (late.status, late.overdue_since) == ("late", at(2, 10))
    assert evaluate(every_day, monitoring_since=SINCE, last_success_at=at(1, 10),
                    now=at(4, 12)).overdue_since == at(4, 10)


def test_weekly_and_monthly_cron():
    monthly = Schedule(cron="0 9 5 * *", grace_hours=72)
    assert monthly.next_after(at(1, 0)) == at(5, 9)
    assert evaluate(monthly, monitoring_since=SINCE, last_success_at=datetime(2026, 11, 4, tzinfo=TOKYO),
                    now=at(8, 8)).status == "ok"
    assert evaluate(monthly, monitoring_since=SINCE, last_success_at=datetime(2026, 11, 4, tzinfo=TOKYO),
                    now=at(8, 10)).status == "late"
    weekly = Schedule(cron="0 17 * * 1", grace_hours=24)  # Mondays 17:00; 2026-12-07 is a Monday
    assert weekly.next_after(at(2, 0)) == at(7, 17)
    assert weekly.latest_due(at(1, 0), at(8, 17) + timedelta(seconds=1)) == at(7, 17)


@pytest.mark.parametrize("expr", ["", "0 2 * *", "0 25 * * *", "x 2 * * *", "0 2 31 2 *", "0 0 2 * * * *",
                                  "0 2 * * 8"])
def test_bad_cron_gets_a_japanese_message(expr):
    message = cron_error(expr)
    assert message and "cron" in message and ("5項目" in message or "正しくありません" in message)


@pytest.mark.parametrize("expr", ["0 2 * * *", "*/15 * * * *", "30 1 * * 1-5", "0 9 5 * *", "0 17 * * MON"])
def test_good_cron(expr):
    assert cron_error(expr) is None


def test_a_run_a_little_early_counts_for_the_coming_time_but_never_for_two():
    # 1:55 counts for 2:00 (within the grace period before it).
    assert evaluate(DAILY, monitoring_since=SINCE, last_success_at=at(2, 1, 55), now=at(2, 5)).status == "ok"
    # With a day's grace a nightly run is still one run: the next night is expected.
    lenient = Schedule(cron="0 2 * * *", grace_hours=24)
    ev = evaluate(lenient, monitoring_since=SINCE, last_success_at=at(1, 2, 15), now=at(3, 2, 30))
    assert (ev.status, ev.overdue_since) == ("late", at(2, 2))


def test_monitoring_start_is_not_retroactive():
    # Registered at noon: the 2:00 run of that morning was never expected.
    ev = evaluate(DAILY, monitoring_since=at(1, 12), last_success_at=None, now=at(1, 23))
    assert (ev.status, ev.alerting, ev.next_due) == ("missing", False, at(2, 2))
