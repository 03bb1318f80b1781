"""The transition engine, driven through the P-01 carry-out workflow."""

import pytest
from django.db import DatabaseError

from tejun.audit.models import AuditEvent
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.media.models import CarryOutRequest
from tejun.media.services import update_carry_out
from tejun.notify.models import Notification
from tejun.orgs.roles import Role
from tejun.workflow.engine import available_transitions, history, next_actors, perform
from tejun.workflow.models import TransitionLog
from tests.factories import UserFactory, give_role
from tests.media.helpers import new_carry_out


@pytest.fixture
def req(staff, officer, manager):
    """A request filed by plain staff, with an officer and a manager in the body."""
    return new_carry_out(staff)


def _reload(obj):
    return CarryOutRequest.objects.get(pk=obj.pk)


def _names(user, obj) -> set[str]:
    """What the buttons would offer on a fresh page load: current state, no cached roles."""
    user = type(user).objects.get(pk=user.pk)
    return {t.name for t, _a in available_transitions(user, _reload(obj))}


def _audit(obj):
    return AuditEvent.objects.filter(object_type="media.CarryOutRequest", object_id=str(obj.pk)).order_by("seq")


def _snapshot(obj):
    """Everything a refused transition must leave unchanged."""
    fresh = _reload(obj)
    return (fresh.state, fresh.updated_at, history(obj).count(), _audit(obj).count(),
            Notification.objects.count())


# --- the happy path -------------------------------------------------------------------------------

def test_happy_path_logs_and_audits_every_step(req, staff, officer):
    assert req.state == "submitted"
    steps = [("approve", officer, "approved"), ("take_out", staff, "taken_out"),
             ("bring_back", staff, "returned"), ("confirm_return", officer, "closed")]
    for name, actor, target in steps:
        obj = perform(_reload(req), name, actor, comment=f"{name} のコメント")
        assert obj.state == target
        assert _reload(req).state == target

    done = _reload(req)
    assert done.taken_out_at and done.returned_at and done.return_confirmed_at
    assert done.taken_out_at <= done.returned_at <= done.return_confirmed_at

    logs = list(history(req))
    assert [(log.transition, log.from_state, log.to_state, log.actor) for log in logs] == [
        ("approve", "submitted", "approved", officer), ("take_out", "approved", "taken_out", staff),
        ("bring_back", "taken_out", "returned", staff), ("confirm_return", "returned", "closed", officer),
    ]
    assert [log.acting_role for log in logs] == ["officer", "requester", "requester", "officer"]
    assert not any(log.deputy_decision for log in logs)
    assert logs[0].comment == "approve のコメント" and logs[0].label == "承認"
    assert all(log.body_id == req.body_id for log in logs)

    events = list(_audit(req))
    assert [e.action for e in events] == ["create", "transition.approve", "transition.take_out",
                                         "transition.bring_back", "transition.confirm_return"]
    approve = events[1]
    assert approve.actor == officer
    assert approve.before["state"] == "submitted" and approve.after["state"] == "approved"
    assert approve.after["_transition"] == {"name": "approve", "role": "officer", "deputy": False,
                                            "deputy_reason": "", "comment": "approve のコメント"}
    assert [e.seq for e in events] == sorted(e.seq for e in events)


def test_unknown_transition_is_not_found(req, officer):
    with pytest.raises(NotFound):
        perform(req, "delete_everything", officer)


# --- separation of duties and roles ---------------------------------------------------------------

def test_requester_cannot_approve_own_request(req, staff):
    before = _snapshot(req)
    with pytest.raises(Forbidden, match="自分の申請"):
        perform(req, "approve", staff)
    assert _snapshot(req) == before


def test_officer_cannot_approve_own_request(officer, manager):
    own = new_carry_out(officer)
    for name in ("approve", "send_back", "reject"):
        with pytest.raises(Forbidden):
            perform(own, name, officer, comment="自分で")
    assert _reload(own).state == "submitted"
    assert _names(officer, own) == {"withdraw"}
    assert not history(own).exists()


def test_officer_cannot_approve_own_request_even_when_absent_officer_would_allow_deputy(
        officer, manager, make_absent):
    """代決 never lets a requester decide: the absent officer's own request goes to the manager."""
    own = new_carry_out(officer)
    make_absent(officer)
    with pytest.raises(Forbidden):
        perform(own, "approve", officer)
    perform(own, "approve", manager)
    assert _reload(own).state == "approved"


@pytest.mark.parametrize("who", ["staff2", "staff_in_charge", "auditor", "vendor"])
def test_people_without_the_role_cannot_decide(request, req, who):
    user = request.getfixturevalue(who)
    before = _snapshot(req)
    for name in ("approve", "send_back", "reject"):
        with pytest.raises(Forbidden):
            perform(req, name, user, comment="理由")
    with pytest.raises(Forbidden):
        perform(req, "withdraw", user)
    assert _snapshot(req) == before


def test_manager_may_not_decide_while_the_officer_is_present(req, manager):
    before = _snapshot(req)
    with pytest.raises(Forbidden):
        perform(req, "approve", manager)
    assert _snapshot(req) == before
    assert _names(manager, req) == set()


def test_another_bodys_officer_gets_not_found(req, outsider):
    before = _snapshot(req)
    for name in ("approve", "reject", "withdraw", "confirm_return"):
        with pytest.raises(NotFound):
            perform(req, name, outsider, comment="x")
    assert _names(outsider, req) == set()
    assert _snapshot(req) == before


# --- wrong state ----------------------------------------------------------------------------------

def test_approve_twice_is_wrong_state(req, officer):
    perform(req, "approve", officer)
    before = _snapshot(req)
    with pytest.raises(WrongState, match="承認済"):
        perform(req, "approve", officer)
    # even through a stale copy still saying "submitted": the engine reads the locked row
    assert req.state == "submitted"
    with pytest.raises(WrongState):
        perform(req, "reject", officer, comment="遅い")
    assert _snapshot(req) == before


def test_take_out_before_approval_is_wrong_state(req, staff):
    with pytest.raises(WrongState):
        perform(req, "take_out", staff)
    with pytest.raises(WrongState):
        perform(req, "bring_back", staff)
    assert _reload(req).state == "submitted" and _reload(req).taken_out_at is None
    assert not history(req).exists()


def test_nothing_moves_a_closed_request(req, staff, officer):
    for name, actor in (("approve", officer), ("take_out", staff), ("bring_back", staff),
                        ("confirm_return", officer)):
        perform(req, name, actor)
    for name, actor in (("withdraw", staff), ("take_out", staff), ("confirm_return", officer)):
        with pytest.raises(WrongState):
            perform(req, name, actor)
    assert _names(staff, req) == _names(officer, req) == set()


# --- comments, send back, resubmit, withdraw ------------------------------------------------------

@pytest.mark.parametrize("name", ["send_back", "reject"])
@pytest.mark.parametrize("comment", ["", "   \n"])
def test_send_back_and_reject_need_a_comment(req, officer, name, comment):
    before = _snapshot(req)
    with pytest.raises(InvalidInput) as exc:
        perform(req, name, officer, comment=comment)
    assert exc.value.fields["comment"] == "理由・コメントを入力してください。"
    assert _snapshot(req) == before


def test_reject_with_comment_is_final(req, staff, officer):
    perform(req, "reject", officer, comment="必要性が認められません")
    assert _reload(req).state == "rejected"
    assert history(req).get().comment == "必要性が認められません"
    assert _names(staff, req) == set()
    with pytest.raises(WrongState):
        perform(req, "resubmit", staff)


def test_send_back_edit_resubmit_approve(req, staff, officer):
    perform(req, "send_back", officer, comment="保護措置を追加してください")
    assert _reload(req).state == "sent_back"
    assert _names(staff, req) == {"resubmit", "withdraw"}
    assert _names(officer, req) == set()
    with pytest.raises(Forbidden):
        perform(req, "resubmit", officer)
    update_carry_out(_reload(req), actor=staff, locked_case=True, destination="委員長の自宅（施錠保管）")
    perform(req, "resubmit", staff, comment="施錠ケースを追加しました")
    assert _reload(req).state == "submitted"
    perform(req, "approve", officer)
    fresh = _reload(req)
    assert fresh.state == "approved" and fresh.locked_case
    assert [log.transition for log in history(req)] == ["send_back", "resubmit", "approve"]
    assert [e.action for e in _audit(req)] == ["create", "transition.send_back", "update",
                                              "transition.resubmit", "transition.approve"]


@pytest.mark.parametrize("state_path", [[], ["approve"]])
def test_requester_withdraws(req, staff, officer, state_path):
    for name in state_path:
        perform(req, name, officer)
    with pytest.raises(Forbidden):
        perform(req, "withdraw", officer)
    perform(req, "withdraw", staff, comment="不要になりました")
    assert _reload(req).state == "withdrawn"
    assert _names(staff, req) == set() and _names(officer, req) == set()


def test_withdraw_after_send_back(req, staff, officer):
    perform(req, "send_back", officer, comment="要修正")
    perform(req, "withdraw", staff)
    assert _reload(req).state == "withdrawn"


# --- confirm return: someone other than the requester ---------------------------------------------

def test_requester_cannot_confirm_own_return(req, staff, officer):
    perform(req, "approve", officer)
    perform(req, "take_out", staff)
    perform(req, "bring_back", staff)
    with pytest.raises(Forbidden, match="申請者以外"):
        perform(req, "confirm_return", staff)
    assert _reload(req).state == "returned"


def test_officer_requester_return_is_confirmed_by_the_manager(officer, manager, make_absent):
    own = new_carry_out(officer)
    make_absent(officer)
    perform(own, "approve", manager)
    perform(own, "take_out", officer)
    perform(own, "bring_back", officer)
    with pytest.raises(Forbidden):
        perform(own, "confirm_return", officer)
    assert _names(officer, own) == set()
    assert _names(manager, own) == {"confirm_return"}
    perform(own, "confirm_return", manager)
    assert _reload(own).state == "closed"


# --- 代決 and deputies ------------------------------------------------------------------------------

def test_manager_decides_when_the_officer_is_absent(req, officer, manager, make_absent):
    make_absent(officer, reason="出張")
    assert _names(manager, req) == {"approve", "send_back", "reject"}
    perform(req, "approve", manager, comment="代わりに承認します")
    log = history(req).get()
    assert log.deputy_decision is True
    assert log.acting_role == "manager"
    assert officer.full_name in log.deputy_reason and "不在" in log.deputy_reason
    event = _audit(req).get(action="transition.approve")
    assert event.after["_transition"]["deputy"] is True
    assert event.after["_transition"]["deputy_reason"] == log.deputy_reason


def test_deputy_reason_given_by_the_decider_is_kept(req, officer, manager, make_absent):
    make_absent(officer)
    perform(req, "send_back", manager, comment="修正を", deputy_reason="責任者が病気休暇のため")
    log = history(req).get()
    assert log.deputy_decision and log.deputy_reason == "責任者が病気休暇のため"


def test_a_decision_by_the_officer_is_not_a_deputy_decision(req, officer):
    perform(req, "approve", officer, deputy_reason="関係ない理由")
    log = history(req).get()
    assert not log.deputy_decision and log.deputy_reason == ""


def test_manager_cannot_decide_again_once_the_officer_is_back(req, officer, manager, make_absent):
    absence = make_absent(officer)
    assert _names(manager, req) == {"approve", "send_back", "reject"}
    absence.delete()
    manager = type(manager).objects.get(pk=manager.pk)  # a new request: no cached roles
    with pytest.raises(Forbidden):
        perform(req, "approve", manager)


def test_deputy_officer_acts_only_while_the_officer_is_absent(req, body, officer, make_absent):
    deputy = UserFactory(body=body, login_id="dairi", full_name="代理 八郎")
    give_role(deputy, Role.STAFF)
    give_role(deputy, Role.OFFICER, deputy=True)
    assert _names(deputy, req) == set()
    with pytest.raises(Forbidden):
        perform(req, "approve", deputy)
    assert _reload(req).state == "submitted"

    make_absent(officer)
    deputy = type(deputy).objects.get(pk=deputy.pk)
    assert _names(deputy, req) == {"approve", "send_back", "reject"}
    perform(req, "approve", deputy)
    log = history(req).get()
    assert log.actor == deputy and log.acting_role == "officer" and log.deputy_decision
    assert officer.full_name in log.deputy_reason


def test_deputy_cannot_approve_own_request(body, officer, make_absent):
    deputy = UserFactory(body=body, login_id="dairi", full_name="代理 八郎")
    give_role(deputy, Role.STAFF)
    give_role(deputy, Role.OFFICER, deputy=True)
    own = new_carry_out(deputy)
    make_absent(officer)
    with pytest.raises(Forbidden):
        perform(own, "approve", deputy)


# --- available transitions ------------------------------------------------------------------------

def test_available_transitions_per_user_and_state(req, staff, staff2, officer, manager, auditor, outsider):
    def table():
        return {name: _names(user, _reload(req)) for name, user in (
            ("staff", staff), ("staff2", staff2), ("officer", officer), ("manager", manager),
            ("auditor", auditor), ("outsider", outsider))}

    nobody = {"staff2": set(), "auditor": set(), "outsider": set()}
    assert table() == {"staff": {"withdraw"}, "officer": {"approve", "send_back", "reject"},
                       "manager": set(), **nobody}
    perform(req, "approve", officer)
    assert table() == {"staff": {"withdraw", "take_out"}, "officer": set(), "manager": set(), **nobody}
    perform(req, "take_out", staff)
    assert table() == {"staff": {"bring_back", "report_lost"}, "officer": {"report_lost"},
                       "manager": {"report_lost"}, **nobody}
    perform(req, "bring_back", staff)
    assert table() == {"staff": set(), "officer": {"confirm_return"}, "manager": {"confirm_return"}, **nobody}


def test_available_transitions_are_all_performable(req, staff, officer):
    """Every listed transition really passes the engine's permission check (the buttons never lie)."""
    for user in (staff, officer):
        for t, authority in available_transitions(user, req):
            assert authority.role in ("officer", "requester")
            assert t.name in {"withdraw", "approve", "send_back", "reject"}


# --- notifications --------------------------------------------------------------------------------

def test_filing_notifies_the_officer_not_the_requester(req, staff, officer, manager):
    to_officer = Notification.objects.filter(recipient=officer)
    assert to_officer.count() == 1
    note = to_officer.get()
    assert req.number in note.title and note.url == req.get_absolute_url() and note.body_id == req.body_id
    assert not Notification.objects.filter(recipient=staff).exists()
    assert not Notification.objects.filter(recipient=manager).exists()  # officer present: not the manager's turn


def test_filing_notifies_the_manager_when_the_officer_is_absent(staff, officer, manager, make_absent):
    make_absent(officer)
    new_carry_out(staff)
    assert Notification.objects.filter(recipient=manager).count() == 1
    assert not Notification.objects.filter(recipient=officer).exists()


def test_approving_notifies_the_requester(req, staff, officer):
    perform(req, "approve", officer, comment="気をつけて")
    note = Notification.objects.filter(recipient=staff).get()
    assert "承認" in note.title and "気をつけて" in note.message
    assert Notification.objects.filter(recipient=officer).count() == 1  # only the filing notice


def test_bring_back_notifies_those_who_confirm(req, staff, officer, manager):
    perform(req, "approve", officer)
    perform(req, "take_out", staff)
    Notification.objects.all().delete()
    perform(req, "bring_back", staff)
    assert set(Notification.objects.values_list("recipient", flat=True)) == {officer.pk, manager.pk}
    assert next_actors(_reload(req)) == {officer, manager}


def test_email_leaves_only_after_commit(req, staff, officer, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        perform(req, "approve", officer)
    assert mailoutbox == []  # not committed yet: nothing left
    assert callbacks
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [[staff.email]]
    assert req.number in mailoutbox[0].subject
    assert req.get_absolute_url() in mailoutbox[0].body
    assert Notification.objects.get(recipient=staff).emailed_at is not None


def test_email_is_sent_with_execute(staff, officer, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = new_carry_out(staff)
    assert [m.to for m in mailoutbox] == [[officer.email]]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        perform(request, "approve", officer)
    assert [m.to for m in mailoutbox] == [[staff.email]]


def test_no_email_when_the_transition_fails(req, staff, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Forbidden):
        perform(req, "approve", staff)
    assert callbacks == [] and mailoutbox == []


# --- a database error mid-transition leaves nothing half-made -------------------------------------

def _boom(*args, **kwargs):
    raise DatabaseError("disk full")


def test_failure_writing_the_log_changes_nothing(req, officer, monkeypatch, django_capture_on_commit_callbacks):
    before = _snapshot(req)
    monkeypatch.setattr(TransitionLog.objects, "create", _boom)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(DatabaseError):
        perform(req, "approve", officer)
    monkeypatch.undo()
    assert _snapshot(req) == before
    assert callbacks == []
    perform(req, "approve", officer)  # and the engine still works afterwards
    assert _reload(req).state == "approved"


def test_failure_writing_the_audit_event_changes_nothing(req, staff, officer, monkeypatch):
    perform(req, "approve", officer)
    before = _snapshot(req)
    monkeypatch.setattr("tejun.workflow.engine.record", _boom)
    with pytest.raises(DatabaseError):
        perform(req, "take_out", staff)
    assert _snapshot(req) == before
    assert _reload(req).taken_out_at is None  # the hook's change was rolled back too


def test_failure_sending_notifications_changes_nothing(req, officer, monkeypatch):
    before = _snapshot(req)
    monkeypatch.setattr(Notification.objects, "create", _boom)
    with pytest.raises(DatabaseError):
        perform(req, "approve", officer)
    assert _snapshot(req) == before


def test_forget_roles_clears_the_cache_through_a_lazy_user(officer):
    from django.utils.functional import SimpleLazyObject

    from tejun.access.policy import forget_roles, roles_of

    lazy = SimpleLazyObject(lambda: officer)
    assert "officer" in roles_of(lazy)
    assert officer._tejun_acting  # cached on the real user, through the wrapper
    forget_roles(lazy)
    assert getattr(officer, "_tejun_acting", None) is None


def test_the_logged_step_is_named_in_the_readers_language(staff, officer):
    from django.utils import translation

    from tejun.workflow.engine import history

    from ..media.helpers import new_carry_out

    request = new_carry_out(staff)
    perform(request, "approve", officer)
    entry = history(request).get()
    assert entry.label == "承認"  # the words used when it happened are kept
    with translation.override("en"):
        assert entry.action_label == "Approve"
    with translation.override("ja"):
        assert entry.action_label == "承認"
