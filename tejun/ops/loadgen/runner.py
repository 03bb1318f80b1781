"""Generate the loadgen body (and K ordinary ones) domain by domain; return what the benchmark needs."""

import random
import time

from django.db import connection, transaction

from tejun.audit.models import AuditChain
from tejun.orgs.models import Body

from . import assets, audit, extras, incidents, media, people, vendors
from .common import BODY_NAME, ORDINARY, PASSWORD, SCALES, Gen, log


class AlreadyLoaded(Exception):
    pass


def generate_body(name: str, scale, seed: str, prefix: str, pw_hash: str, *, backup_targets: int) -> Gen:
    """One body, in one transaction: a failure leaves nothing half made (and the next run may try again)."""
    started = time.monotonic()
    with transaction.atomic():
        body = people.make_body(name)
        g = Gen(rng=random.Random(seed), body=body, scale=scale, prefix=prefix)
        steps = [("people", lambda: people.create_people(g, pw_hash)), ("assets", lambda: assets.create_assets(g)),
                 ("media", lambda: media.create_media(g)), ("carry-outs", lambda: media.create_carry_outs(g)),
                 ("vendors", lambda: vendors.create_vendors(g)), ("incidents", lambda: incidents.create_incidents(g)),
                 ("audit", lambda: (audit.fill_everyday(g), audit.write_chain(g))),
                 ("governance", lambda: extras.create_governance(g)),
                 ("backups", lambda: extras.create_backups(g, backup_targets))]
        for label, step in steps:
            t = time.monotonic()
            step()
            log(f"{name}: {label} done in {time.monotonic() - t:.1f}s")
        # The services of the last steps appended to the chain too.
        g.counts["audit_events"] = AuditChain.objects.get(key=body.pk).seq
    log(f"{name}: body {body.pk} in {time.monotonic() - started:.1f}s")
    return g


def run(*, scale: str = "quick", seed: int = 1, bodies: int = 0, name: str = BODY_NAME,
        prefix: str = "bench") -> dict:
    if Body.objects.filter(name=name).exists():
        raise AlreadyLoaded(name)
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        # Only this process's connection: a crash could lose the last writes of a throw-away database.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    pw_hash = people.password_hash(PASSWORD)
    size = SCALES[scale]
    main = generate_body(name, size, f"{seed}-main", prefix, pw_hash, backup_targets=6 if scale == "full" else 3)
    others = []
    for k in range(1, bodies + 1):
        other = generate_body(f"{name} 比較団体{k:02d}", ORDINARY, f"{seed}-{k}", f"{prefix}{k:02d}", pw_hash,
                              backup_targets=2)
        others.append(other.body.pk)
    return {
        "body_id": main.body.pk, "body_name": name, "scale": scale, "seed": seed,
        "counts": main.counts, **main.ids,
        "logins": {"admin": f"{prefix}-admin", "staff": f"{prefix}-staff", "vendor": f"{prefix}-vendor",
                   "load_users": [f"{prefix}-user-{i:03d}" for i in range(1, size.load_users + 1)]},
        "password": PASSWORD, "other_body_ids": others,
    }
