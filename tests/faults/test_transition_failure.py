"""A database error in the middle of a transition leaves nothing half-written: no state change, no
transition log, no audit event, no notification (DESIGN rule 6)."""

import pytest
from django.db import DatabaseError

from tejun.audit.models import AuditEvent
from tejun.media.models import CarryOutRequest
from tejun.notify.models import Notification
from tejun.workflow import engine
from tejun.workflow.engine import perform
from tejun.workflow.models import TransitionLog

from ..media.helpers import new_carry_out


def _counts():
    return (AuditEvent.objects.count(), TransitionLog.objects.count(), Notification.objects.count())


@pytest.mark.parametrize("where", ["record", "notify_transition", "TransitionLog"])
def test_an_error_at_any_step_undoes_the_whole_transition(monkeypatch, staff, officer, where):
    request = new_carry_out(staff)
    before = _counts()

    def broken(*args, **kwargs):
        raise DatabaseError("injected: the disk is full")

    if where == "record":
        monkeypatch.setattr(engine, "record", broken)
    elif where == "TransitionLog":
        monkeypatch.setattr(engine.TransitionLog.objects, "create", broken)
    else:
        import tejun.notify.services as notify_services

        monkeypatch.setattr(notify_services, "notify_transition", broken)
    with pytest.raises(DatabaseError):
        perform(request, "approve", officer, comment="承認します")
    assert CarryOutRequest.objects.get(pk=request.pk).state == "submitted"
    assert _counts() == before
    monkeypatch.undo()
    # The same decision goes through once the fault is gone.
    perform(request, "approve", officer, comment="承認します")
    assert CarryOutRequest.objects.get(pk=request.pk).state == "approved"


def test_a_failing_page_post_shows_an_error_and_changes_nothing(monkeypatch, client, login, staff, officer):
    request = new_carry_out(staff)

    def broken(*args, **kwargs):
        raise DatabaseError("injected")

    client = login(officer)  # the login itself is audited: count from here
    client.raise_request_exception = False
    before = _counts()
    monkeypatch.setattr(engine, "record", broken)
    response = client.post(f"/media/carry-outs/{request.pk}/approve/", {"comment": "承認"})
    assert response.status_code == 500
    assert CarryOutRequest.objects.get(pk=request.pk).state == "submitted"
    assert _counts() == before
