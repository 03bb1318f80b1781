"""Two officers approve the same carry-out of a medium at the same moment (PostgreSQL only).

Each thread has its own database connection, so the fixture data must be committed first: the test runs
in a transactional test case. Its teardown empties the tables with TRUNCATE, which the audit log's
append-only trigger refuses; `flushable_audit` turns the session's triggers off (session_replication_role
= replica, superuser only) just before that flush. Django closes every connection after a transactional
test, so the setting never outlives this test. The sequential version runs on every database:
test_carry_out_media.py::test_two_officers_approving_one_after_the_other.
"""

import threading

import pytest
from django.db import connection

from tejun.audit.models import AuditEvent
from tejun.lib.errors import DomainError, WrongState
from tejun.media.models import CarryOutRequest, Medium
from tejun.workflow.engine import perform
from tejun.workflow.models import TransitionLog

from ..factories import UserFactory, give_role
from .flow_helpers import medium
from .helpers import new_carry_out

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks (select_for_update) need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def flushable_audit():
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("the test database user cannot switch triggers off for the teardown flush")
    yield
    # Runs before pytest-django's flush (its fixture was set up first, so it is torn down last).
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")


def test_two_officers_approve_at_once(flushable_audit, body, staff, officer):
    second = UserFactory(body=body, full_name="責任 二郎", login_id="sekinin2")
    give_role(second, "officer")
    request = new_carry_out(staff, medium=medium(body, staff))
    start = threading.Barrier(2)
    results: dict[str, object] = {}

    def approve(person):
        try:
            start.wait(timeout=10)
            perform(CarryOutRequest.objects.get(pk=request.pk), "approve", person, comment=person.full_name)
            results[person.login_id] = "ok"
        except DomainError as e:
            results[person.login_id] = e
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=approve, args=(p,)) for p in (officer, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)

    outcomes = sorted(results.values(), key=lambda v: v != "ok")
    assert outcomes[0] == "ok", results
    assert isinstance(outcomes[1], WrongState) and outcomes[1].status == 409, results
    assert CarryOutRequest.objects.get(pk=request.pk).state == "approved"
    assert AuditEvent.objects.filter(object_type="media.CarryOutRequest", object_id=str(request.pk),
                                     action="transition.approve").count() == 1
    assert TransitionLog.objects.filter(object_id=str(request.pk), transition="approve").count() == 1
    assert Medium.objects.get(pk=request.medium_id).status == Medium.Status.STORED
