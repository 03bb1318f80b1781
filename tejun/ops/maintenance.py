"""Database housekeeping that `tejun tick` does once a day."""

from django.db import connection


def refresh_statistics(today=None) -> int:
    """SQLite: ANALYZE, so the planner knows a body's 1,000,000 audit events from one object's ten.

    Without statistics SQLite picked the index that walks the whole body's events in time order for an
    asset's history (800 ms at the loadgen size; 30 ms after ANALYZE). PostgreSQL's autovacuum keeps its
    own statistics. Returns 1 when statistics were refreshed (tick prints what each check did)."""
    if connection.vendor != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return 1
