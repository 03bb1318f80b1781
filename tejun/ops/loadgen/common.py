"""What every generator module shares: the sizes, the fixed calendar, bulk inserts and the audit collector."""

import contextlib
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db import transaction

BODY_NAME = "ベンチ市議会"
PASSWORD = "bench-password-2026"  # noqa: S105  (a loadgen database is never production; printed at the end)
# A fixed "today" so the same seed gives the same rows whenever it runs; everything lies before it.
BASE = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
BASE_DAY = date(2026, 4, 1)
SPAN_DAYS = 3650  # ten years of history
BATCH = 5000


@dataclass(frozen=True)
class Scale:
    assets: int
    media: int
    carry_outs: int
    incidents: int
    contractors: int
    provisions: int
    audit_events: int
    extra_staff: int = 50
    load_users: int = 50


FULL = Scale(assets=100_000, media=20_000, carry_outs=50_000, incidents=10_000, contractors=1_000,
             provisions=2_000, audit_events=1_000_000)
SCALES = {
    "full": FULL,
    "quick": Scale(assets=1_000, media=200, carry_outs=500, incidents=100, contractors=10, provisions=20,
                   audit_events=10_000),
    # Tests only (hidden option): small enough to run twice per test on PostgreSQL.
    "tiny": Scale(assets=60, media=20, carry_outs=40, incidents=16, contractors=4, provisions=12,
                  audit_events=600, extra_staff=3, load_users=3),
}
# The K more bodies of --bodies: ordinary size.
ORDINARY = Scale(assets=200, media=50, carry_outs=100, incidents=20, contractors=5, provisions=5,
                 audit_events=2_000, extra_staff=8, load_users=0)


def log(message: str) -> None:
    print(f"[loadgen {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Gen:
    """State of one body's generation: its Random, people and the audit events to write at the end."""

    rng: random.Random
    body: object
    scale: Scale
    prefix: str                       # login id prefix: "bench" for the loadgen body, "b07" for the others
    users: dict = field(default_factory=dict)   # login_id -> User
    staff: list = field(default_factory=list)   # plain staff (requesters, reporters)
    admin: object = None
    events: list = field(default_factory=list)  # (at, actor, action, object_type, object_id, repr, after)
    ids: dict = field(default_factory=dict)     # ids the benchmark needs
    counts: dict = field(default_factory=dict)
    assets: list = field(default_factory=list)  # kept for the audit events that refer to them
    media: list = field(default_factory=list)

    def moment(self, lo_days: float = 0.0, hi_days: float = SPAN_DAYS) -> datetime:
        """A moment `lo_days`..`hi_days` before BASE, to the second."""
        back = self.rng.uniform(lo_days, hi_days)
        return (BASE - timedelta(days=back)).replace(microsecond=0)

    def event(self, at, actor, action, obj_type, obj_id, obj_repr, after=None) -> None:
        self.events.append((at, actor, action, obj_type, str(obj_id), obj_repr[:300], after))


@contextlib.contextmanager
def plain_dates(*models):
    """Let bulk_create keep the historic created_at / updated_at we give (auto_now(_add) would set now).

    Only inside the generator: the fields are restored on exit."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def bulk(model, objs, batch: int = BATCH) -> list:
    """bulk_create in batches in one transaction, keeping our dates; returns the objects with their ids."""
    objs = list(objs)
    with transaction.atomic(), plain_dates(model):
        for i in range(0, len(objs), batch):
            model.objects.bulk_create(objs[i:i + batch], batch_size=batch)
    return objs


def fast(model, objs, *, key: str | None = None, body=None) -> list:
    """Like bulk() for the big tables: plain INSERT / COPY; with `key`, the ids are read back by that field."""
    from .fastinsert import insert_objects

    objs = list(objs)
    with transaction.atomic():
        insert_objects(model, objs, key=key, body=body)
    return objs
