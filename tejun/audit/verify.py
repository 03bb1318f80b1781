"""Walk each chain and name the first event that was altered or removed."""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection

from .models import AuditChain, AuditEvent
from .services import GENESIS, hash_of

# Read with a plain cursor, a page at a time by (chain_key, seq): the ORM's per-row work (model fields, JSON
# and date converters) was most of the time over a million events, and one big result set most of the memory.
COLUMNS = ("id", "seq", "created_at", "actor_id", "actor_label", "action", "object_type", "object_id",
           "object_repr", "before", "after", "ip_address", "prev_hash", "hash")
PAGE = 20_000


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


def _iso_utc(value) -> str:
    """created_at as event_hash() writes it. SQLite gives a naive datetime in UTC (or the stored text),
    PostgreSQL an aware one."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _json(value):
    # Both backends hand JSON columns to a plain cursor as text (Django registers jsonb's loader as text).
    return None if value is None else json.loads(value)


def _pages(key: int):
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sql = (f"SELECT {', '.join(COLUMNS)} FROM {table} "  # noqa: S608 (fixed names, values are parameters)
           "WHERE chain_key = %s AND seq > %s ORDER BY seq LIMIT %s")
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(sql, [key, last, PAGE])
            rows = cursor.fetchall()
            if not rows:
                return
            yield rows
            last = rows[-1][1]


def verify_chain(key: int) -> tuple[int, Problem | None]:
    expected_seq, prev = 1, GENESIS
    checked = 0
    for rows in _pages(key):
        for (ev_id, seq, created_at, actor_id, actor_label, action, object_type, object_id, object_repr, before,
             after, ip_address, prev_hash, stored) in rows:
            checked += 1
            if seq != expected_seq:
                return checked, Problem(key, expected_seq, None,
                                        f"missing: next present event is seq {seq} (id {ev_id})")
            if prev_hash != prev:
                return checked, Problem(key, seq, ev_id, "link to the previous event is broken")
            if hash_of(key, seq, _iso_utc(created_at), actor_id, actor_label, action, object_type, object_id,
                       object_repr, _json(before), _json(after), ip_address, prev_hash) != stored:
                return checked, Problem(key, seq, ev_id, "content was altered (hash mismatch)")
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
