"""The audit chain: record() links events per body, the database refuses UPDATE/DELETE, verify finds tampering.

Every test runs on SQLite and on PostgreSQL (DATABASE_URL=postgres://... pytest).
"""

import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tejun.audit.models import AuditChain, AuditEvent
from tejun.audit.services import GENESIS, event_hash, record
from tejun.audit.verify import verify
from tejun.cli import main as tejun_main


@pytest.fixture(autouse=True, params=["one segment", "segments of 2"])
def _segments(request, monkeypatch):
    """Every test twice: the chain read as one segment, and split into segments of two events that are
    joined as the forked processes' would be (test_verify_parallel.py runs the real fork)."""
    if request.param == "segments of 2":
        from tejun.audit import verify as verify_module

        def in_twos(key, top):
            return [verify_module.verify_segment(key, start, min(start + 1, top)) for start in range(1, top + 1, 2)]
        monkeypatch.setattr(verify_module, "_run_segments", in_twos)


TRIGGERS = {"sqlite": ["audit_event_no_update", "audit_event_no_delete"], "postgresql": ["audit_event_no_update"]}


def _trigger_enabled(name: str) -> bool:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
        else:
            cur.execute("SELECT count(*) FROM pg_trigger WHERE tgname = %s AND tgenabled <> 'D'", [name])
        return cur.fetchone()[0] == 1


def _disable_append_only_triggers():
    """What an attacker with database access would do before editing the log."""
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER audit_event_no_update")
            cur.execute("DROP TRIGGER audit_event_no_delete")
        else:
            cur.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update")
    for name in TRIGGERS[connection.vendor]:
        assert not _trigger_enabled(name)


def _raw(sql: str, params=()):
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount


def _events(chain_key):
    return list(AuditEvent.objects.filter(chain_key=chain_key).order_by("seq"))


@pytest.fixture
def chains(body, other_body, manager, outsider):
    """Five events in our body, three in the other, interleaved; two with no body."""
    for i in range(5):
        record(manager, "test.change", body, {"n": i}, {"n": i + 1, "名前": "テスト"})
        if i < 3:
            record(outsider, "test.change", other_body, None, {"n": i})
    record(None, "system.start", None, after={"ok": True})
    record(None, "system.stop", None)
    return _events(body.pk), _events(other_body.pk)


# --- record() ---------------------------------------------------------------------------------

def test_record_chains_events_per_body(chains, body, other_body, manager):
    ours, theirs = chains
    assert [e.seq for e in ours] == [1, 2, 3, 4, 5]
    assert [e.seq for e in theirs] == [1, 2, 3]
    for events in (ours, theirs):
        assert events[0].prev_hash == GENESIS
        for prev, ev in zip(events, events[1:], strict=False):
            assert ev.prev_hash == prev.hash
            assert ev.hash != prev.hash
    assert {e.body_id for e in ours} == {body.pk}
    assert {e.body_id for e in theirs} == {other_body.pk}
    first = ours[0]
    assert first.actor_id == manager.pk and manager.login_id in first.actor_label
    assert first.object_type == "orgs.Body" and first.object_id == str(body.pk)
    assert first.before == {"n": 0} and first.after == {"n": 1, "名前": "テスト"}
    head = AuditChain.objects.get(key=body.pk)
    assert (head.seq, head.head_hash) == (5, ours[-1].hash)


def test_event_without_body_goes_to_chain_zero(chains):
    zero = _events(0)
    assert [e.action for e in zero] == ["system.start", "system.stop"]
    assert [e.seq for e in zero] == [1, 2]
    assert zero[0].body_id is None and zero[0].actor_id is None
    assert zero[0].prev_hash == GENESIS and zero[1].prev_hash == zero[0].hash


def test_stored_hash_matches_the_content_after_a_database_round_trip(chains):
    ours, _theirs = chains
    for ev in ours:
        fields = {name: getattr(ev, name) for name in (
            "chain_key", "seq", "created_at", "actor_id", "actor_label", "action", "object_type", "object_id",
            "object_repr", "before", "after", "ip_address", "prev_hash")}
        assert event_hash(**fields) == ev.hash


def test_record_rolls_back_with_the_callers_transaction(body, manager):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(manager, "test.change", body)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.filter(chain_key=body.pk).exists()
    ev = record(manager, "test.change", body)
    assert ev.seq == 1  # the rolled-back event did not take a sequence number
    assert verify(body.pk).ok


# --- append-only, enforced by the database ------------------------------------------------------

def test_database_refuses_update(chains):
    ev = chains[0][1]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["forged", ev.pk])
    ev.refresh_from_db()
    assert ev.action == "test.change"


def test_database_refuses_delete(chains):
    ev = chains[0][1]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [ev.pk])
    assert AuditEvent.objects.filter(pk=ev.pk).exists()


def test_deleting_the_whole_log_is_refused(chains):
    count = AuditEvent.objects.count()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("DELETE FROM audit_auditevent")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _raw("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == count


def test_orm_update_and_delete_are_refused_too(chains):
    ev = chains[0][0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).update(after={"forged": True})
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=ev.pk).delete()
    assert AuditEvent.objects.get(pk=ev.pk).after == ev.after


# --- verify -------------------------------------------------------------------------------------

def test_intact_chain_verifies(chains, capsys):
    result = verify()
    assert result.ok and result.checked == 10 and result.chains == 3
    call_command("audit", "verify")
    assert "OK: 10 events in 3 chain(s)" in capsys.readouterr().out


def test_altered_event_is_named_and_other_body_still_passes(chains, body, other_body, capsys):
    ours, _theirs = chains
    victim = ours[2]
    _disable_append_only_triggers()
    changed = AuditEvent.objects.filter(pk=victim.pk).update(after={"n": 999, "名前": "テスト"})
    assert changed == 1

    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    message = str(exc.value)
    assert f"chain {body.pk}, seq 3 (event id {victim.pk})" in message
    assert "altered" in message
    assert exc.value.returncode == 1
    assert "BROKEN" in capsys.readouterr().err

    with pytest.raises(CommandError, match=f"seq 3 \\(event id {victim.pk}\\)"):
        call_command("audit", "verify", "--body", str(body.pk))
    call_command("audit", "verify", "--body", str(other_body.pk))
    assert "OK: 3 events in 1 chain(s)" in capsys.readouterr().out


def test_altered_event_through_raw_sql_is_named(chains, body):
    victim = chains[0][0]
    _disable_append_only_triggers()
    cast = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    _raw(f'UPDATE audit_auditevent SET "after" = {cast} WHERE id = %s', ['{"n": 1, "名前": "改ざん"}', victim.pk])
    result = verify(body.pk)
    assert not result.ok
    problem = result.problems[0]
    assert (problem.seq, problem.event_id) == (1, victim.pk)


def test_deleted_middle_event_is_reported_missing(chains, body, other_body):
    ours, _theirs = chains
    _disable_append_only_triggers()
    assert _raw("DELETE FROM audit_auditevent WHERE id = %s", [ours[1].pk]) == 1
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify", "--body", str(body.pk))
    assert f"chain {body.pk}, seq 2" in str(exc.value) and "missing" in str(exc.value)
    assert f"id {ours[2].pk}" in str(exc.value)  # the next event still present is named
    call_command("audit", "verify", "--body", str(other_body.pk))


def test_deleted_last_event_is_caught_by_the_chain_head(chains, body):
    ours, _theirs = chains
    _disable_append_only_triggers()
    assert _raw("DELETE FROM audit_auditevent WHERE id = %s", [ours[-1].pk]) == 1
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert f"chain {body.pk}, seq 5" in str(exc.value)
    assert "chain head" in str(exc.value)


def test_a_chain_whose_head_row_is_gone_is_still_verified(chains, body, other_body):
    """Every chain the events carry is walked, not only those with a head row (found one index lookup per chain)."""
    _disable_append_only_triggers()
    assert _raw("DELETE FROM audit_auditchain WHERE key = %s", [other_body.pk]) == 1
    result = verify()
    assert result.chains == 3 and result.checked == 10
    assert [(p.chain_key, p.reason) for p in result.problems] == [
        (other_body.pk, "the chain head is missing, found 3 events")]


def test_forged_event_appended_behind_the_head_is_caught(chains, body, manager):
    """An event inserted without moving the chain head (not through record()) is reported."""
    ours, _theirs = chains
    last = ours[-1]
    fields = {name: getattr(last, name) for name in (
        "chain_key", "created_at", "actor_id", "actor_label", "action", "object_type", "object_id",
        "object_repr", "before", "after", "ip_address")}
    fields.update(seq=6, prev_hash=last.hash)
    fields["hash"] = event_hash(**fields)
    AuditEvent.objects.create(body_id=body.pk, **fields)
    result = verify(body.pk)
    assert not result.ok
    assert result.problems[0].seq == 6


def test_trigger_drop_in_a_rolled_back_savepoint_is_undone(chains):
    """DDL is transactional on both databases: the `db` fixture's rollback restores the triggers."""
    with pytest.raises(RuntimeError), transaction.atomic():
        _disable_append_only_triggers()
        raise RuntimeError("roll back")
    for name in TRIGGERS[connection.vendor]:
        assert _trigger_enabled(name)


def test_triggers_are_back_after_a_test_that_dropped_them(chains):
    """Runs after the tampering tests above (pytest keeps file order): their DDL was rolled back."""
    for name in TRIGGERS[connection.vendor]:
        assert _trigger_enabled(name), name
    with pytest.raises(DatabaseError), transaction.atomic():
        _raw("UPDATE audit_auditevent SET action = 'x'")


# --- the `tejun` command ------------------------------------------------------------------------

@pytest.fixture
def keep_connection(monkeypatch):
    """run_from_argv() closes every connection when done; that would end the test's transaction."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def test_tejun_audit_verify_exits_zero_on_intact_chain(chains, monkeypatch, keep_connection, capsys):
    monkeypatch.setattr(sys, "argv", ["tejun", "audit", "verify"])
    try:
        tejun_main()
    except SystemExit as e:  # pragma: no cover - only if the command chose to exit explicitly
        assert e.code in (0, None)
    assert "OK:" in capsys.readouterr().out


def test_tejun_audit_verify_exits_one_on_broken_chain(chains, monkeypatch, keep_connection, capsys):
    _disable_append_only_triggers()
    AuditEvent.objects.filter(pk=chains[0][0].pk).update(action="forged")
    monkeypatch.setattr(sys, "argv", ["tejun", "audit", "verify"])
    with pytest.raises(SystemExit) as exc:
        tejun_main()
    assert exc.value.code == 1
    assert f"event id {chains[0][0].pk}" in capsys.readouterr().err


def _reference_hash(*, chain_key, seq, created_at, actor_id, actor_label, action, object_type, object_id,
                    object_repr, before, after, ip_address, prev_hash) -> str:
    """The chain's definition, as first written: sorted, compact JSON of one dict."""
    import hashlib
    import json
    from datetime import UTC

    payload = {"chain": chain_key, "seq": seq, "at": created_at.astimezone(UTC).isoformat(), "actor": actor_id,
               "actor_label": actor_label, "action": action, "object_type": object_type, "object_id": object_id,
               "object_repr": object_repr, "before": before, "after": after, "ip": ip_address, "prev": prev_hash}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_fast_hash_is_the_chains_definition():
    """event_hash writes the JSON key by key (for speed); every existing chain must still verify."""
    import random
    import string
    from datetime import UTC, datetime, timedelta

    rnd = random.Random(3)
    letters = string.printable + "日本語\u3000\"\\\x01\U0001F600"

    def text():
        return "".join(rnd.choice(letters) for _ in range(rnd.randint(0, 12)))

    def value(depth=0):
        makers = [lambda: None, lambda: True, lambda: rnd.randint(-10**12, 10**12), rnd.random, text]
        if depth < 2:
            makers += [lambda: {text(): value(depth + 1) for _ in range(rnd.randint(0, 4))},
                       lambda: [value(depth + 1) for _ in range(3)]]
        return rnd.choice(makers)()

    for _ in range(3000):
        fields = dict(chain_key=rnd.randint(0, 10**6), seq=rnd.randint(1, 10**7),
                      created_at=datetime(2020, 1, 1, tzinfo=UTC) + timedelta(seconds=rnd.random() * 1e8,
                                                                             microseconds=rnd.choice([0, 123])),
                      actor_id=rnd.choice([None, rnd.randint(1, 10**6)]), actor_label=text(), action=text(),
                      object_type=text(), object_id=text(), object_repr=text(), before=rnd.choice([None, value()]),
                      after=rnd.choice([None, value()]), ip_address=text(), prev_hash=text())
        assert event_hash(**fields) == _reference_hash(**fields)


@pytest.mark.parametrize("micro", [0, 1, 123456, 999999])
def test_times_read_as_text_give_the_hashed_form(micro):
    """verify reads created_at as UTC text (both databases): it must give what event_hash() hashes."""
    from datetime import UTC, datetime, timedelta, timezone

    from tejun.audit.verify import _iso_utc

    moment = datetime(2026, 4, 1, 3, 4, 5, micro, tzinfo=UTC)
    expected = moment.isoformat()
    assert _iso_utc(moment.strftime("%Y-%m-%d %H:%M:%S.%f")) == expected  # PostgreSQL's to_char(.. .US)
    assert _iso_utc(str(moment.replace(tzinfo=None))) == expected  # SQLite's stored text
    assert _iso_utc(moment.astimezone(timezone(timedelta(hours=9)))) == expected
    assert _iso_utc(moment.replace(tzinfo=None)) == expected
