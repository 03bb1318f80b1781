"""Walk each chain and name the first event that was altered or removed."""

from dataclasses import dataclass, field

from .models import AuditChain, AuditEvent
from .services import GENESIS, event_hash

FIELDS = ["id", "chain_key", "seq", "created_at", "actor_id", "actor_label", "action", "object_type",
          "object_id", "object_repr", "before", "after", "ip_address", "prev_hash", "hash"]


@dataclass
class Problem:
    chain_key: int
    seq: int
    event_id: int | None
    reason: str

    def __str__(self):
        where = f"event id {self.event_id}" if self.event_id else "no event"
        return f"chain {self.chain_key}, seq {self.seq} ({where}): {self.reason}"


@dataclass
class VerifyResult:
    checked: int = 0
    chains: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(key: int) -> tuple[int, Problem | None]:
    expected_seq, prev = 1, GENESIS
    checked = 0
    rows = AuditEvent.objects.filter(chain_key=key).order_by("seq").values_list(*FIELDS)
    for row in rows.iterator(chunk_size=5000):
        ev = dict(zip(FIELDS, row, strict=True))
        checked += 1
        if ev["seq"] != expected_seq:
            return checked, Problem(key, expected_seq, None,
                                    f"missing: next present event is seq {ev['seq']} (id {ev['id']})")
        if ev["prev_hash"] != prev:
            return checked, Problem(key, ev["seq"], ev["id"], "link to the previous event is broken")
        stored = ev.pop("hash")
        ev_id = ev.pop("id")
        if event_hash(**ev) != stored:
            return checked, Problem(key, ev["seq"], ev_id, "content was altered (hash mismatch)")
        prev, expected_seq = stored, expected_seq + 1
    found = expected_seq - 1
    head = AuditChain.objects.filter(key=key).first()
    if head is None:
        if found:
            return checked, Problem(key, 1, None, f"the chain head is missing, found {found} events")
        return checked, None
    if head.seq > found:
        return checked, Problem(key, expected_seq, None,
                                f"missing: the chain head says {head.seq} events, found {found}")
    if head.seq < found:
        # Appended without going through record(): the head never moved.
        extra = AuditEvent.objects.filter(chain_key=key, seq=head.seq + 1).values_list("id", flat=True).first()
        return checked, Problem(key, head.seq + 1, extra,
                                f"not recorded by the chain head (head says {head.seq} events, found {found})")
    if head.seq and head.head_hash != prev:
        return checked, Problem(key, head.seq, None, "the last event differs from the chain head")
    return checked, None


def verify(body_id: int | None = None) -> VerifyResult:
    if body_id is not None:
        keys = [body_id]
    else:
        keys = sorted(set(AuditChain.objects.values_list("key", flat=True))
                      | set(AuditEvent.objects.values_list("chain_key", flat=True).distinct()))
    result = VerifyResult()
    for key in keys:
        checked, problem = verify_chain(key)
        result.checked += checked
        result.chains += 1
        if problem:
            result.problems.append(problem)
    return result
