"""Two `tejun tick` at the same moment (cron and a person running it by hand) notify once (PostgreSQL).

Each thread has its own connection, so the data is committed first: a transactional test whose teardown
flush needs the audit triggers off (see tests/media/test_carry_out_media_concurrency.py).
"""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tejun.notify.models import Notification, ReminderLog
from tejun.notify.tick import run_all

from ..media.helpers import new_carry_out

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def flushable_audit():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("the test database user cannot switch triggers off for the teardown flush")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")


def test_two_ticks_at_once_notify_once(flushable_audit, staff, officer):
    from tejun.workflow.engine import perform

    request = new_carry_out(staff)
    perform(request, "approve", officer)
    perform(request, "take_out", staff)
    today = timezone.localdate() + timedelta(days=30)  # long past the due date: a reminder is due
    start = threading.Barrier(2)
    errors = []

    def tick():
        try:
            start.wait(timeout=10)
            run_all(today=today)
        except Exception as e:  # noqa: BLE001  (reported below)
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    keys = Counter(ReminderLog.objects.values_list("key", "day"))
    assert keys and max(keys.values()) == 1
    sent = Counter(Notification.objects.values_list("recipient_id", "title"))
    assert sent and max(sent.values()) == 1, sent
    overdue = [title for (_r, title) in sent if "返却期限" in title and request.number in title]
    assert len(overdue) == 2  # the requester and the officer, once each
    # And a third run the same day sends nothing more.
    total = Notification.objects.count()
    run_all(today=today)
    assert Notification.objects.count() == total
