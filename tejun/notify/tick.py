"""`tejun tick`: every periodic check of every app. Each is idempotent: run twice, notify once."""

from django.utils.module_loading import import_string

# Each returns how many reminders it sent. Apps add theirs here.
PERIODIC_CHECKS = [
    "tejun.media.tasks.remind_overdue_carry_outs",
    "tejun.media.tasks.warn_expiring_exceptions",
    "tejun.orgs.tasks.remind_password_expiry",
    "tejun.assets.tasks.remind_asset_confirmation",
]


def run_all(today=None) -> dict[str, int]:
    results = {}
    for path in PERIODIC_CHECKS:
        results[path.rsplit(".", 1)[1]] = import_string(path)(today=today)
    return results
