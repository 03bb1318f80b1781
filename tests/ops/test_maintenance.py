"""tick's housekeeping: SQLite gets fresh planner statistics each day."""

import pytest
from django.core.management import call_command
from django.db import connection

from tejun.ops.maintenance import refresh_statistics

pytestmark = pytest.mark.django_db


def _stat_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'audit_auditevent'")
        return cursor.fetchone()[0]


def test_tick_refreshes_the_statistics(staff, capsys):
    from tejun.audit.services import record

    record(staff, "test", staff)
    if connection.vendor != "sqlite":
        assert refresh_statistics() == 0  # PostgreSQL's autovacuum analyses on its own
        return
    assert _stat_rows() == 0
    call_command("tick")
    assert "refresh_statistics: 1" in capsys.readouterr().out
    assert _stat_rows() > 0  # the audit table's indexes are described to the planner
