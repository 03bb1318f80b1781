"""`tejun tick`: every periodic check of every app. Each is idempotent: run twice, notify once."""

from django.utils.module_loading import import_string

# Each returns how many reminders it sent. Apps add theirs here.
PERIODIC_CHECKS = [
    "tejun.media.tasks.remind_overdue_carry_outs",
    "tejun.media.tasks.warn_expiring_exceptions",
    "tejun.orgs.tasks.remind_password_expiry",
    "tejun.assets.tasks.remind_asset_confirmation",
    "tejun.vendors.tasks.remind_data_returns",
    "tejun.vendors.tasks.remind_unconfirmed_work_reports",
    "tejun.governance.tasks.remind_policy_reviews",
    "tejun.governance.tasks.remind_self_inspections",
    "tejun.governance.tasks.remind_acknowledgements",
    "tejun.backups.tasks.check_backups",
    "tejun.backups.tasks.remind_restore_tests",
    "tejun.incidents.tasks.remind_waiting_steps",
]


# Run after every check above, so that the day's reminders go into the day's digest.
FINAL_CHECKS = [
    "tejun.notify.digest.send_daily_digests",
    "tejun.ops.maintenance.refresh_statistics",
]


def run_all(today=None) -> dict[str, int]:
    results = {}
    for path in PERIODIC_CHECKS + FINAL_CHECKS:
        results[path.rsplit(".", 1)[1]] = import_string(path)(today=today)
    return results
