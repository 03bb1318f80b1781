"""Recording media (C-1): cabinets, the media register (MD-00001..) and carry-outs (P-01, CO-<年度>-0001..)."""

from datetime import timedelta

from tejun.lib.wareki import fiscal_year
from tejun.media.models import Cabinet, CarryOutRequest, Medium
from tejun.media.register_services import NUMBER_PREFIX

from .common import BASE, SPAN_DAYS, Gen, bulk, fast
from .history import add_steps, write_logs
from .names import CABINETS, CAPACITIES, CARRY_OUT_DATA, DESTINATIONS, MEDIUM_PRODUCTS, PURPOSES

# USB memories and private media need an approved exception (C-1(1)(2)): the bulk register keeps to
# the kinds that do not, so every generated medium is valid as the services would have it.
KINDS = ["hdd", "hdd", "sd", "optical", "optical", "other"]


def create_media(g: Gen) -> None:
    rng, n = g.rng, g.scale.media
    cabinets = []
    for i in range(max(2, n // 500)):
        name, place = CABINETS[i % len(CABINETS)]
        cabinets.append(Cabinet(body=g.body, name=f"{name}{i // len(CABINETS) + 1:02d}", place=place,
                                key_custodian=g.admin))
    bulk(Cabinet, cabinets)
    for c in cabinets:
        g.event(g.moment(SPAN_DAYS - 2, SPAN_DAYS - 1), g.admin, "create", "media.Cabinet", c.pk, c.name,
                {"name": c.name})
    registered = sorted(g.moment(30, SPAN_DAYS - 3) for _ in range(n))
    rows = []
    for i, at in enumerate(registered, start=1):
        kind = rng.choice(KINDS)
        rows.append(Medium(
            body=g.body, number=f"{NUMBER_PREFIX}{i:05d}", kind=kind, product=rng.choice(MEDIUM_PRODUCTS[kind]),
            serial=f"SN{rng.randint(0, 99_999_999):08d}", capacity=CAPACITIES[kind], encrypted=rng.random() < 0.6,
            custodian=rng.choice(g.staff), cabinet=rng.choice(cabinets),
            status="disposed" if rng.random() < 0.05 else "stored", registered_on=at.date(),
            last_stocktake_on=(BASE - timedelta(days=rng.randint(0, 200))).date() if rng.random() < 0.8 else None))
    fast(Medium, rows, key="number", body=g.body)
    for m, at in zip(rows, registered, strict=True):
        g.event(at, rng.choice(g.staff), "create", "media.Medium", m.pk, str(m),
                {"number": m.number, "kind": m.kind})
    g.ids["medium_id"] = rows[0].pk
    g.counts.update(cabinets=len(cabinets), media=len(rows))
    g.media = rows


def _state_for(rng, age_days: float) -> str:
    """Old requests are finished; recent ones are anywhere on their way."""
    if age_days > 60:
        return rng.choices(["closed", "withdrawn", "rejected", "lost"], [95, 3, 2, 0.2])[0]
    return rng.choices(["submitted", "sent_back", "approved", "taken_out", "returned", "closed", "withdrawn"],
                       [20, 5, 15, 25, 10, 22, 3])[0]


NEWEST = ["submitted", "approved", "taken_out", "returned", "sent_back"]
PATHS = {
    "submitted": [], "sent_back": ["send_back"], "approved": ["approve"], "rejected": ["reject"],
    "withdrawn": ["withdraw"], "taken_out": ["approve", "take_out"], "returned": ["approve", "take_out", "bring_back"],
    "closed": ["approve", "take_out", "bring_back", "confirm_return"], "lost": ["approve", "take_out", "report_lost"],
}
COMMENTS = {"send_back": "持ち出す範囲を必要最小限にしてください。", "reject": "持出しの必要性が認められません。",
            "report_lost": "移動中に紛失した。", "approve": "", "withdraw": ""}


def create_carry_outs(g: Gen) -> None:
    rng, n = g.rng, g.scale.carry_outs
    officer = g.users.get(f"{g.prefix}-officer") or g.admin
    stored = [m for m in g.media if m.status == "stored"]
    moments = sorted(g.moment(1, SPAN_DAYS - 30) for _ in range(n))
    seq_of_fy: dict[int, int] = {}
    rows, plans = [], []
    for at in moments:
        fy = fiscal_year(at)
        seq_of_fy[fy] = seq_of_fy.get(fy, 0) + 1
        age = (BASE - at).total_seconds() / 86400
        state = _state_for(rng, age)
        left = n - len(rows)
        if left <= len(NEWEST):  # the newest are at the steps the benchmark opens, at any size
            state = NEWEST[left - 1]
        out = (at + timedelta(days=rng.randint(1, 7))).date()
        due = out + timedelta(days=rng.randint(0, 14))
        times = [at + timedelta(hours=rng.randint(1, 48) * (k + 1)) for k in range(4)]
        path = PATHS[state]
        medium = None
        # An open request holds its own medium (services refuse a second open request for one medium).
        if stored and rng.random() < 0.3:
            medium = stored.pop() if state in ("taken_out", "lost") else rng.choice(stored)
        rows.append(CarryOutRequest(
            body=g.body, state=state, requester=rng.choice(g.staff), number=f"CO-{fy}-{seq_of_fy[fy]:04d}",
            data_description=rng.choice(CARRY_OUT_DATA), confidentiality=rng.choice([1, 2, 2, 3]),
            purpose=rng.choice(PURPOSES), destination=rng.choice(DESTINATIONS), encrypted=rng.random() < 0.7,
            password_protected=rng.random() < 0.5, locked_case=rng.random() < 0.4, out_date=out, due_date=due,
            taken_out_at=times[1] if "take_out" in path else None,
            returned_at=times[2] if "bring_back" in path else None,
            return_confirmed_at=times[3] if "confirm_return" in path else None,
            medium=medium, created_at=at, updated_at=times[len(path) - 1] if path else at))
        plans.append(path)
        if medium is not None and state == "taken_out":
            medium.status = "out"
        elif medium is not None and state == "lost":
            medium.status = "lost"
    fast(CarryOutRequest, rows, key="number", body=g.body)
    Medium.objects.bulk_update([m for m in g.media if m.status in ("out", "lost")], ["status"], batch_size=2000)
    logs = []
    for co, path in zip(rows, plans, strict=True):
        g.event(co.created_at, co.requester, "create", "media.CarryOutRequest", co.pk, str(co),
                {"number": co.number, "state": "submitted"})
        steps, at = [], co.created_at
        for k, name in enumerate(path):
            at = at + timedelta(hours=rng.randint(1, 48) * (k + 1))
            requester_step = name in ("take_out", "bring_back", "withdraw", "report_lost")
            actor = co.requester if requester_step else officer
            steps.append((name, actor, "requester" if requester_step else "officer", at, COMMENTS.get(name, "")))
        add_steps(g, logs, co, steps)
    write_logs(g, logs)
    waiting = [co for co in rows if co.state == "submitted"]
    g.ids["carry_out_id_waiting"] = waiting[-1].pk if waiting else None
    g.ids["carry_out_id"] = rows[-1].pk
    g.counts["carry_outs"] = len(rows)
