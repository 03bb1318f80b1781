"""Incidents (P-04, P-06, P-10, P-11): reports in every procedure and state, with their timelines (IN-00001..)."""

from datetime import timedelta

from tejun.incidents.models import DisconnectionStep, Incident, TimelineEntry
from tejun.incidents.workflows import BREACH, FAILURE, MALFUNCTION, SECURITY

from .common import BASE, SPAN_DAYS, Gen, fast
from .history import add_steps, write_logs
from .names import INCIDENT_PLACES, INCIDENT_TEXT, SYSTEMS, TIMELINE_NOTES

# transition, acting role, the fields it fills
PATHS = {
    SECURITY: [("take_up", "officer"), ("report_to_manager", "officer"), ("report_to_supreme", "manager"),
               ("instruct", "supreme_admin"), ("complete", "manager")],
    MALFUNCTION: [("take_up_malfunction", "staff_in_charge"), ("contact_vendor", "staff_in_charge"),
                  ("remedy", "staff_in_charge")],
    FAILURE: [("take_up", "officer"), ("report_to_manager", "officer"), ("accept_failure_record", "manager")],
    BREACH: [("take_up_breach", "manager"), ("report_to_supreme", "manager"), ("instruct", "supreme_admin"),
             ("complete", "manager")],
}
KINDS = ["unauthorized_access", "virus", "virus", "other", "malfunction", "malfunction", "malfunction", "failure",
         "failure", "leak_loss", "leak_loss", "theft"]


def create_incidents(g: Gen) -> None:
    rng, n = g.rng, g.scale.incidents
    actors = {"officer": g.users.get(f"{g.prefix}-officer") or g.admin, "manager": g.admin,
              "supreme_admin": g.admin, "staff_in_charge": g.users.get(f"{g.prefix}-tanto") or g.admin}
    moments = sorted(g.moment(0.1, SPAN_DAYS - 10) for _ in range(n))
    rows, plans = [], []
    for i, at in enumerate(moments, start=1):
        kind = rng.choice(KINDS)
        procedure = Incident.KIND_PROCEDURE[kind]
        full = PATHS[procedure]
        age = (BASE - at).total_seconds() / 86400
        if rng.random() < 0.03:
            path = [("withdraw", "requester")]
        elif age > 30:
            path = full
        else:  # recent: somewhere on the way
            path = full[:rng.randint(0, len(full))]
        title, text = INCIDENT_TEXT[kind]
        closed = path and path[-1][0] in ("complete", "remedy", "accept_failure_record")
        done = {name for name, _r in path}
        end = at + timedelta(hours=6 * (len(path) + 1))
        rows.append(Incident(
            body=g.body, requester=rng.choice(g.staff), number=f"IN-{i:05d}", kind=kind,
            title=f"{title}（{rng.choice(INCIDENT_PLACES)}）", description=text,
            location=rng.choice(INCIDENT_PLACES), occurred_at=at - timedelta(minutes=rng.randint(5, 600)),
            reported_at=at, findings="ログを確認し、影響範囲を調査した。" if "report_to_manager" in done else "",
            cause="機器の経年劣化" if closed else "", instruction="被害の拡大防止を最優先とすること。"
            if "instruct" in done else "", action_taken="対処を完了し、動作を確認した。" if closed else "",
            prevention="定期点検の項目に追加する。" if closed else "",
            vendor_name="保守委託事業者" if "contact_vendor" in done else "",
            vendor_note="保守窓口に電話で連絡した。" if "contact_vendor" in done else "",
            system_name=rng.choice(SYSTEMS) if procedure == FAILURE else "",
            failure_started_at=at if procedure == FAILURE else None,
            failure_ended_at=at + timedelta(hours=rng.randint(1, 30)) if procedure == FAILURE and closed else None,
            persons_affected=rng.randint(1, 300) if procedure == BREACH else None,
            closed_at=end if closed or done == {"withdraw"} else None,
            state=_target(path), created_at=at, updated_at=end))
        plans.append(path)
    fast(Incident, rows, key="number", body=g.body)
    logs, timeline, steps_p11 = [], [], []
    for inc, path in zip(rows, plans, strict=True):
        g.event(inc.reported_at, inc.requester, "create", "incidents.Incident", inc.pk, str(inc),
                {"number": inc.number, "kind": inc.kind, "state": "reported"})
        timeline.append(TimelineEntry(incident=inc, kind="transition", at=inc.reported_at, author=inc.requester,
                                      text=f"報告：{inc.get_kind_display()}（{inc.procedure_label}）",
                                      recorded_at=inc.reported_at))
        steps, at = [], inc.reported_at
        for name, role in path:
            at = at + timedelta(hours=rng.randint(1, 6))
            actor = inc.requester if role == "requester" else actors[role]
            comment = "誤って報告したため。" if name == "withdraw" else ""
            steps.append((name, actor, role, at, comment))
            label = Incident.workflow.get(name).label
            timeline.append(TimelineEntry(incident=inc, kind="transition", at=at, author=actor, text=str(label),
                                          recorded_at=at))
            if rng.random() < 0.5:
                note_at = at + timedelta(minutes=rng.randint(5, 120))
                timeline.append(TimelineEntry(incident=inc, kind="note", at=note_at, author=actor,
                                              text=rng.choice(TIMELINE_NOTES), recorded_at=note_at))
        add_steps(g, logs, inc, steps)
        # P-11: the network-disconnection checklist for about a third of the security incidents.
        if inc.procedure == SECURITY and rng.random() < 0.3:
            done_upto = 10 if inc.state == "closed" else rng.randint(0, 10)
            for step in DisconnectionStep.Step:
                finished = step.value <= done_upto
                steps_p11.append(DisconnectionStep(
                    incident=inc, step=step.value, done_at=inc.reported_at + timedelta(hours=step.value)
                    if finished else None, done_by=actors["officer"] if finished else None))
    write_logs(g, logs)
    fast(TimelineEntry, timeline)
    fast(DisconnectionStep, steps_p11)
    open_ = [inc for inc in rows if inc.state not in Incident.workflow.final]
    g.ids["incident_id"] = (open_ or rows)[-1].pk
    g.ids["incident_id_closed"] = next((inc.pk for inc in reversed(rows) if inc.state == "closed"), None)
    g.counts.update(incidents=len(rows), timeline_entries=len(timeline), disconnection_steps=len(steps_p11))


def _target(path) -> str:
    state = Incident.workflow.initial
    for name, _role in path:
        state = Incident.workflow.get(name).target
    return state
