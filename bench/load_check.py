"""After a load run: is every transition that answered success in the database, in the audit chain and in the
transition log — exactly once per success, and nothing more (a refused or conflicting request leaves no row)?

Pure logic (`check`) on the facts a small Django script reads from the database (`facts_script`), so the
verification itself is tested without a server (tests/bench/test_load_check.py).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

# What each kind of transition leaves behind: (model label, audit action, transition-log name or None).
WATCHED = {
    "carry_out.create": ("media.CarryOutRequest", "create", None),
    "carry_out.approve": ("media.CarryOutRequest", "transition.approve", "approve"),
    "carry_out.withdraw": ("media.CarryOutRequest", "transition.withdraw", "withdraw"),
    "carry_out.take_out": ("media.CarryOutRequest", "transition.take_out", "take_out"),
    "incident.report": ("incidents.Incident", "create", None),
    "asset.confirm": ("assets.Asset", "confirm", None),
}
# Kinds whose target is a date (confirmed_on), not a workflow state.
DATED = {"asset.confirm"}


@dataclass(frozen=True)
class Success:
    """One transition that answered success: the object and the state (or date) the answer claimed."""

    kind: str
    object_id: int
    target: str


def expected_counts(successes: list[Success]) -> tuple[Counter, Counter]:
    """(audit events, transition-log rows) the successes must have left, keyed (model, action, object id)."""
    audit, log = Counter(), Counter()
    for s in successes:
        model, action, transition = WATCHED[s.kind]
        audit[(model, action, str(s.object_id))] += 1
        if transition:
            log[(model, transition, str(s.object_id))] += 1
    return audit, log


def _counter(rows) -> Counter:
    return Counter({(model, action, str(oid)): int(n) for model, action, oid, n in rows})


def check(successes: list[Success], facts: dict) -> tuple[list[str], dict]:
    """Compare the recorded successes with the database facts. Returns (problems, per-kind counts).

    facts: {"states": {model: {id: state}}, "confirmed": {model: {id: iso date}},
            "reachable": {model: {state: [states reachable from it]}},
            "audit": [[model, action, object id, count], ...] for events after the run began,
            "log": [[model, transition, object id, count], ...] for transition-log rows after it began}
    """
    problems: list[str] = []
    per_kind = {k: {"succeeded": 0, "in_db": 0, "in_audit": 0, "in_log": 0} for k in WATCHED}
    for s in successes:
        model, _action, _t = WATCHED[s.kind]
        per_kind[s.kind]["succeeded"] += 1
        if s.kind in DATED:
            found = facts.get("confirmed", {}).get(model, {}).get(str(s.object_id))
            if not found:
                problems.append(f"{s.kind} #{s.object_id}: not confirmed in the database (answer said {s.target})")
            elif found < s.target:
                problems.append(f"{s.kind} #{s.object_id}: confirmed on {found} in the database, answer said {s.target}")
            else:
                per_kind[s.kind]["in_db"] += 1
            continue
        state = facts.get("states", {}).get(model, {}).get(str(s.object_id))
        later = set(facts.get("reachable", {}).get(model, {}).get(s.target, [])) | {s.target}
        if state is None:
            problems.append(f"{s.kind} #{s.object_id}: missing from the database (answer said {s.target})")
        elif state not in later:
            problems.append(f"{s.kind} #{s.object_id}: state {state} in the database, answer said {s.target}")
        else:
            per_kind[s.kind]["in_db"] += 1

    want_audit, want_log = expected_counts(successes)
    problems += _compare("audit events", want_audit, _counter(facts.get("audit", [])))
    problems += _compare("transition-log rows", want_log, _counter(facts.get("log", [])))
    found_audit, found_log = _counter(facts.get("audit", [])), _counter(facts.get("log", []))
    for kind, (model, action, transition) in WATCHED.items():
        ids = {str(s.object_id) for s in successes if s.kind == kind}
        # Counted only where the number matches the successes exactly: more is as wrong as fewer.
        per_kind[kind]["in_audit"] = sum(want_audit[(model, action, i)] for i in ids
                                         if found_audit[(model, action, i)] == want_audit[(model, action, i)])
        if transition:
            per_kind[kind]["in_log"] = sum(want_log[(model, transition, i)] for i in ids
                                           if found_log[(model, transition, i)] == want_log[(model, transition, i)])
        else:
            per_kind[kind]["in_log"] = None
    return problems, per_kind


def conflicts_left_nothing(successes: list[Success], conflicts: list[tuple[str, int]], facts: dict) -> tuple[int, int]:
    """(clean, total) over the objects that answered 409: clean when their audit events and transition-log rows
    are exactly those of the successes on them (the winner's), so the refused request wrote nothing."""
    want_audit, want_log = expected_counts(successes)
    found_audit, found_log = _counter(facts.get("audit", [])), _counter(facts.get("log", []))
    objects = sorted(set(conflicts))
    clean = 0
    for kind, oid in objects:
        model, action, transition = WATCHED[kind]
        a, t = (model, action, str(oid)), (model, transition, str(oid))
        if found_audit[a] == want_audit[a] and (not transition or found_log[t] == want_log[t]):
            clean += 1
    return clean, len(objects)


def _compare(what: str, want: Counter, found: Counter) -> list[str]:
    problems = []
    for key in sorted(set(want) | set(found)):
        if want[key] != found[key]:
            model, action, oid = key
            problems.append(f"{what} {action} on {model} #{oid}: {want[key]} successes, {found[key]} in the database")
    return problems


def watched_pairs() -> dict:
    """For the database script: the (model, action) and (model, transition) pairs to count."""
    audit = sorted({(m, a) for m, a, _t in WATCHED.values()})
    log = sorted({(m, t) for m, _a, t in WATCHED.values() if t})
    return {"audit": audit, "log": log}


# Run with `manage.py shell -c`: __SPEC__ is replaced by a JSON literal. Prints `LOADCHECK {json}`.
# Mode "baseline": the highest audit-event and transition-log ids before the run.
# Mode "facts": what check() needs, for the ids in spec["ids"] ({model: [ids]}) and rows after the baseline.
_SCRIPT = r'''
import json
from collections import deque
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max
from tejun.audit.models import AuditEvent
from tejun.workflow.models import TransitionLog

spec = json.loads(__SPEC__)
out = {}
if spec["mode"] == "baseline":
    out["audit_id"] = AuditEvent.objects.aggregate(m=Max("id"))["m"] or 0
    out["log_id"] = TransitionLog.objects.aggregate(m=Max("id"))["m"] or 0
else:
    out["states"], out["confirmed"], out["reachable"] = {}, {}, {}
    for label, ids in spec["ids"].items():
        model = apps.get_model(label)
        rows = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            if label == "assets.Asset":
                rows.update({str(pk): (d.isoformat() if d else "")
                             for pk, d in model.objects.filter(pk__in=chunk).values_list("pk", "confirmed_on")})
            else:
                rows.update({str(pk): s for pk, s in model.objects.filter(pk__in=chunk).values_list("pk", "state")})
        (out["confirmed"] if label == "assets.Asset" else out["states"])[label] = rows
        workflow = getattr(model, "workflow", None)
        if workflow is not None:
            reach = {}
            for start in workflow.states:
                seen, todo = set(), deque([start])
                while todo:
                    s = todo.popleft()
                    for t in workflow.transitions:
                        if s in t.source and t.target not in seen:
                            seen.add(t.target)
                            todo.append(t.target)
                reach[start] = sorted(seen)
            out["reachable"][label] = reach
    audit_pairs = {tuple(p) for p in spec["pairs"]["audit"]}
    qs = (AuditEvent.objects.filter(id__gt=spec["audit_id"], object_type__in={m for m, _a in audit_pairs},
                                    action__in={a for _m, a in audit_pairs})
          .values("object_type", "action", "object_id").annotate(n=Count("id")).order_by())
    out["audit"] = [[r["object_type"], r["action"], r["object_id"], r["n"]] for r in qs
                    if (r["object_type"], r["action"]) in audit_pairs]
    log_pairs = {tuple(p) for p in spec["pairs"]["log"]}
    cts = {ContentType.objects.get_for_model(apps.get_model(m)).pk: m for m, _t in log_pairs}
    qs = (TransitionLog.objects.filter(id__gt=spec["log_id"], content_type__in=list(cts))
          .values("content_type", "transition", "object_id").annotate(n=Count("id")).order_by())
    out["log"] = [[cts[r["content_type"]], r["transition"], r["object_id"], r["n"]] for r in qs
                  if (cts[r["content_type"]], r["transition"]) in log_pairs]
print("LOADCHECK " + json.dumps(out))
'''


def facts_script(spec: dict) -> str:
    return _SCRIPT.replace("__SPEC__", repr(json.dumps(spec)))


def baseline_spec() -> dict:
    return {"mode": "baseline"}


def facts_spec(successes: list[Success], baseline: dict) -> dict:
    ids: dict[str, set] = {}
    for s in successes:
        ids.setdefault(WATCHED[s.kind][0], set()).add(int(s.object_id))
    return {"mode": "facts", "ids": {m: sorted(v) for m, v in ids.items()}, "pairs": watched_pairs(),
            "audit_id": baseline["audit_id"], "log_id": baseline["log_id"]}


def parse_output(stdout: str) -> dict:
    for line in reversed(stdout.splitlines()):
        if line.startswith("LOADCHECK "):
            return json.loads(line[len("LOADCHECK "):])
    raise RuntimeError("the database script printed no LOADCHECK line:\n" + stdout[-2000:])
