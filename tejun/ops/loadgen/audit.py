"""The body's audit chain in bulk: every generated change plus everyday events, hashed exactly as record() does."""

from django.db import transaction

from tejun.audit.models import AuditChain, AuditEvent
from tejun.audit.services import GENESIS, event_hash

from .common import BATCH, SPAN_DAYS, Gen, log
from .fastinsert import insert_rows

# body_id, then the fields in the order write_chain builds them (the keyword arguments of event_hash + hash).
COLUMNS = ["body_id", "chain_key", "seq", "created_at", "actor_id", "actor_label", "action", "object_type",
           "object_id", "object_repr", "before", "after", "ip_address", "prev_hash", "hash"]


def fill_everyday(g: Gen) -> None:
    """Logins and edits of assets until the body holds `scale.audit_events` events."""
    rng = g.rng
    people = [u for u in g.users.values() if not u.login_id.endswith("-vendor")]
    assets = g.assets
    missing = g.scale.audit_events - len(g.events)
    for _ in range(max(0, missing)):
        at = g.moment(0, SPAN_DAYS - 1)
        if assets and rng.random() < 0.3:
            a = rng.choice(assets)
            old, new = rng.sample(["使用中の確認", "保存場所を変更", "アクセス権者を見直し", "年度末の確認"], 2)
            g.event(at, rng.choice(g.staff), "update", "assets.Asset", a.pk, str(a), {"note": new})
            g.events[-1] = g.events[-1][:6] + ({"note": new},) + ({"note": old},)
        else:
            u = rng.choice(people)
            g.event(at, u, "login", "orgs.User", u.pk, str(u), None)


def write_chain(g: Gen) -> int:
    """Insert the events in time order as one chain (seq 1..n) and set the chain head."""
    key = g.body.pk
    events = sorted(g.events, key=lambda e: e[0])
    g.events = []
    prev, seq, batch = GENESIS, 0, []
    labels: dict = {}
    with transaction.atomic():
        for ev in events:
            at, actor, action, obj_type, obj_id, obj_repr, after = ev[:7]
            before = ev[7] if len(ev) > 7 else None
            seq += 1
            if actor is not None and actor.pk not in labels:
                labels[actor.pk] = f"{actor.full_name} ({actor.login_id})"[:200]
            fields = {"chain_key": key, "seq": seq, "created_at": at, "actor_id": actor.pk if actor else None,
                      "actor_label": labels[actor.pk] if actor else "", "action": action, "object_type": obj_type,
                      "object_id": obj_id, "object_repr": obj_repr, "before": before, "after": after,
                      "ip_address": "192.168.10.20" if action == "login" else "", "prev_hash": prev}
            fields["hash"] = prev = event_hash(**fields)
            batch.append((key, *fields.values()))
            if len(batch) >= BATCH:
                insert_rows(AuditEvent, COLUMNS, batch)
                batch = []
                if seq % 100_000 == 0:
                    log(f"audit: {seq:,} events")
        insert_rows(AuditEvent, COLUMNS, batch)
        AuditChain.objects.create(key=key, seq=seq, head_hash=prev if seq else "")
    g.counts["audit_events"] = seq
    return seq

