"""The load run's verification (bench/load_check.py): a success the database does not show, a state that does
not follow from the answer, or one audit event or transition-log row too few or too many fails the check."""

import contextlib
import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import load  # noqa: E402
import load_check  # noqa: E402
from load_check import Success, check  # noqa: E402

CO, INC, ASSET = "media.CarryOutRequest", "incidents.Incident", "assets.Asset"
REACHABLE = {
    CO: {"submitted": ["approved", "withdrawn", "taken_out", "closed"], "approved": ["withdrawn", "taken_out", "closed"],
         "taken_out": ["closed"], "withdrawn": [], "closed": []},
    INC: {"reported": ["closed"]},
}


def facts(**over):
    base = {
        "states": {CO: {"1": "approved", "2": "submitted"}, INC: {"7": "reported"}},
        "confirmed": {ASSET: {"9": "2026-12-02"}},
        "reachable": REACHABLE,
        "audit": [[CO, "create", "2", 1], [CO, "transition.approve", "1", 1], [INC, "create", "7", 1],
                  [ASSET, "confirm", "9", 2]],
        "log": [[CO, "approve", "1", 1]],
    }
    base.update(over)
    return base


SUCCESSES = [
    Success("carry_out.approve", 1, "approved"),
    Success("carry_out.create", 2, "submitted"),
    Success("incident.report", 7, "reported"),
    Success("asset.confirm", 9, "2026-12-02"),
    Success("asset.confirm", 9, "2026-12-02"),  # confirmed twice: two events
]


def test_everything_found_passes_and_counts_each_kind():
    problems, per_kind = check(SUCCESSES, facts())
    assert problems == []
    assert per_kind["carry_out.approve"] == {"succeeded": 1, "in_db": 1, "in_audit": 1, "in_log": 1}
    assert per_kind["asset.confirm"] == {"succeeded": 2, "in_db": 2, "in_audit": 2, "in_log": None}
    assert per_kind["carry_out.withdraw"]["succeeded"] == 0


def test_a_success_missing_from_the_database_fails():
    problems, per_kind = check([*SUCCESSES, Success("carry_out.create", 3, "submitted")],
                               facts(audit=[*facts()["audit"], [CO, "create", "3", 1]]))
    assert any("#3: missing from the database" in p for p in problems)
    assert per_kind["carry_out.create"]["in_db"] == 1


def test_a_later_state_is_accepted_an_earlier_one_is_not():
    later = facts(states={CO: {"1": "closed", "2": "submitted"}, INC: {"7": "reported"}})
    assert check(SUCCESSES, later)[0] == []
    earlier = facts(states={CO: {"1": "submitted", "2": "submitted"}, INC: {"7": "reported"}})
    problems, _ = check(SUCCESSES, earlier)
    assert problems == ["carry_out.approve #1: state submitted in the database, answer said approved"]


def test_a_missing_audit_event_fails():
    problems, per_kind = check(SUCCESSES, facts(audit=[a for a in facts()["audit"] if a[2] != "7"]))
    assert problems == ["audit events create on incidents.Incident #7: 1 successes, 0 in the database"]
    assert per_kind["incident.report"]["in_audit"] == 0


def test_an_extra_audit_event_fails_a_conflict_must_leave_nothing():
    # Request 2 was also approved by a second approver who got 409: its event must not exist.
    extra = facts(audit=[*facts()["audit"], [CO, "transition.approve", "2", 1]])
    problems, _ = check(SUCCESSES, extra)
    assert problems == ["audit events transition.approve on media.CarryOutRequest #2: 0 successes, 1 in the database"]


def test_a_conflict_on_an_object_leaves_only_the_winners_rows():
    conflicts = [("carry_out.approve", 1), ("carry_out.approve", 1)]  # two losers on #1, which was approved once
    assert load_check.conflicts_left_nothing(SUCCESSES, conflicts, facts()) == (1, 1)
    doubled = facts(log=[[CO, "approve", "1", 2]])
    assert load_check.conflicts_left_nothing(SUCCESSES, conflicts, doubled) == (0, 1)
    # A loser on #2, which nobody approved: any approval event on it is the loser's.
    extra = facts(audit=[*facts()["audit"], [CO, "transition.approve", "2", 1]])
    assert load_check.conflicts_left_nothing(SUCCESSES, [("carry_out.approve", 2)], extra) == (0, 1)


def test_one_event_for_two_confirmations_fails():
    problems, per_kind = check(SUCCESSES, facts(audit=[*facts()["audit"][:3], [ASSET, "confirm", "9", 1]]))
    assert problems == ["audit events confirm on assets.Asset #9: 2 successes, 1 in the database"]
    assert per_kind["asset.confirm"]["in_audit"] == 0


def test_a_missing_transition_log_row_fails():
    problems, per_kind = check(SUCCESSES, facts(log=[]))
    assert problems == ["transition-log rows approve on media.CarryOutRequest #1: 1 successes, 0 in the database"]
    assert per_kind["carry_out.approve"]["in_log"] == 0


def test_an_older_confirmation_date_fails():
    problems, _ = check(SUCCESSES, facts(confirmed={ASSET: {"9": "2026-11-30"}}))
    assert problems and all("confirmed on 2026-11-30" in p for p in problems)
    problems, _ = check(SUCCESSES, facts(confirmed={ASSET: {"9": ""}}))
    assert problems and all("not confirmed" in p for p in problems)


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert load.percentile(values, 0.50) == 50
    assert load.percentile(values, 0.95) == 95
    assert load.percentile(values, 0.99) == 99
    assert load.percentile([7.0], 0.99) == 7.0
    assert load.percentile([], 0.5) == 0.0


def test_a_tenth_of_the_users_approve():
    users = load.logins(50)
    assert users[:5] == [("bench-admin", True)] * 5
    assert users[5] == ("bench-user-001", False) and users[-1] == ("bench-user-045", False)
    assert len(load.logins(10)) == 10 and sum(a for _u, a in load.logins(10)) == 1


def test_errors_or_mismatches_fail_the_run():
    ok = {"errors": 0, "problems": [], "audit_verify": {"ok": True}, "error_samples": [],
          "conflicted_objects": 2, "conflicted_objects_clean": 2}
    assert not load.failed(ok)
    assert load.failed({**ok, "errors": 1})
    assert load.failed({**ok, "problems": ["x"]})
    assert load.failed({**ok, "audit_verify": {"ok": False}})
    assert load.failed({**ok, "conflicted_objects_clean": 1})


def _run_script(spec):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(load_check.facts_script(spec), {})  # noqa: S102 - our own script, as `manage.py shell -c` runs it
    return load_check.parse_output(out.getvalue())


@pytest.mark.django_db
def test_the_database_script_reads_what_the_check_needs(staff, officer):
    """The script that runs in `manage.py shell -c`, here on the test database: real models, real rows."""
    from tejun.workflow.engine import perform
    from tests.media.helpers import new_carry_out

    baseline = _run_script(load_check.baseline_spec())
    first = new_carry_out(staff)
    perform(first, "approve", officer)
    second = new_carry_out(staff)
    successes = [Success("carry_out.create", first.pk, "submitted"), Success("carry_out.approve", first.pk, "approved"),
                 Success("carry_out.create", second.pk, "submitted")]
    found = _run_script(load_check.facts_spec(successes, baseline))
    assert found["states"][CO] == {str(first.pk): "approved", str(second.pk): "submitted"}
    assert "taken_out" in found["reachable"][CO]["approved"]
    assert check(successes, found)[0] == []
    assert check(successes, found)[1]["carry_out.approve"] == {"succeeded": 1, "in_db": 1, "in_audit": 1, "in_log": 1}
    # A success the database never saw fails, and so does an approval recorded nowhere.
    problems, _ = check([*successes, Success("carry_out.approve", second.pk, "approved")], found)
    assert len(problems) == 3  # wrong state, no audit event, no transition-log row
