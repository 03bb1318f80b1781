"""Contractors (委託事業者) with contracts, the bench vendor account, and data provisions (P-12, DP-<年度>-0001..)."""

from datetime import timedelta

from tejun.lib.wareki import fiscal_year
from tejun.vendors.memorandum import DEFAULT_TEXT, fill, period_text
from tejun.vendors.models import Contract, Contractor, ContractorAccount, DataProvision

from .common import BASE, SPAN_DAYS, Gen, bulk, fast
from .history import add_steps, write_logs
from .names import COMPANY_FORMS, COMPANY_HEADS, COMPANY_TAILS, PROVISION_DATA, SURNAMES, SYSTEMS

PATHS = {
    "submitted": [], "sent_back": ["send_back"], "rejected": ["reject"], "withdrawn": ["withdraw"],
    "approved": ["approve"], "signed": ["approve", "attach_signed"],
    "provided": ["approve", "attach_signed", "provide"],
    "returned": ["approve", "attach_signed", "provide", "record_return"],
    "erased": ["approve", "attach_signed", "provide", "record_erasure"],
    "closed": ["approve", "attach_signed", "provide", "record_return", "close"],
}
NEWEST = ["approved", "submitted", "provided", "signed"]


def _company(rng, taken: set) -> str:
    while True:
        name = f"{rng.choice(COMPANY_HEADS)}{rng.choice(COMPANY_TAILS)}{rng.choice(COMPANY_FORMS)}"
        if name in taken:  # more contractors than combinations: a branch name keeps names unique per body
            name = f"{name} 第{len(taken) + 1}営業所"
        if name not in taken:
            taken.add(name)
            return name


def create_vendors(g: Gen) -> None:
    rng = g.rng
    taken: set = set()
    contractors = []
    for _ in range(g.scale.contractors):
        at = g.moment(400, SPAN_DAYS - 5)
        sn = rng.choice(SURNAMES)[0]
        contractors.append(Contractor(
            body=g.body, name=_company(rng, taken), address=f"愛知県名古屋市中区〇〇{rng.randint(1, 9)}丁目{rng.randint(1, 30)}番",
            representative=f"代表取締役 {sn} {rng.choice(['一郎', '花子', '健'])}", contact_person=f"{rng.choice(SURNAMES)[0]}",
            phone=f"052-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}", active=rng.random() < 0.9,
            created_at=at, updated_at=at))
    bulk(Contractor, contractors)
    contracts = []
    for c in contractors:
        for _ in range(rng.choice([1, 1, 2])):
            start = (c.created_at + timedelta(days=rng.randint(0, 300))).date()
            system = rng.choice(SYSTEMS)
            contracts.append(Contract(
                body=g.body, contractor=c, title=f"{system}保守業務委託", system_name=system, starts_on=start,
                ends_on=start + timedelta(days=rng.choice([365, 730, 1095, 1825])),
                has_confidentiality_clause=rng.random() < 0.9, confidentiality_article=f"第{rng.randint(8, 15)}条（秘密の保持）",
                created_at=c.created_at, updated_at=c.created_at))
    bulk(Contract, contracts)
    for c in contractors:
        g.event(c.created_at, g.admin, "create", "vendors.Contractor", c.pk, c.name, {"name": c.name})
    for k in contracts:
        g.event(k.created_at, g.admin, "create", "vendors.Contract", k.pk, str(k), {"title": k.title})
    vendor = g.users.get(f"{g.prefix}-vendor")
    if vendor is not None:
        account = ContractorAccount.objects.create(body=g.body, contractor=contractors[0], user=vendor)
        g.event(contractors[0].created_at, g.admin, "create", "vendors.ContractorAccount", account.pk, str(account),
                {"user": vendor.pk})
    g.ids["contractor_id"] = contractors[0].pk
    g.counts.update(contractors=len(contractors), contracts=len(contracts))
    create_provisions(g, contracts)


def create_provisions(g: Gen, contracts) -> None:
    rng, n = g.rng, g.scale.provisions
    keeper = g.users.get(f"{g.prefix}-tanto") or g.admin
    officer = g.users.get(f"{g.prefix}-officer") or g.admin
    moments = sorted(g.moment(1, SPAN_DAYS - 400) for _ in range(n))
    seq: dict[int, int] = {}
    rows, plans = [], []
    for at in moments:
        fy = fiscal_year(at)
        seq[fy] = seq.get(fy, 0) + 1
        age = (BASE - at).total_seconds() / 86400
        state = rng.choices(list(PATHS), [3, 1, 1, 1, 4, 3, 6, 3, 2, 76] if age > 120 else
                            [15, 5, 3, 2, 20, 15, 25, 5, 5, 5])[0]
        if age > 120 and state in ("provided", "submitted", "approved", "signed", "sent_back"):
            state = rng.choice([state, "closed"])
        # The newest few are at the steps the benchmark opens (the memorandum of an approved one), at any size.
        left = n - len(rows)
        if left <= len(NEWEST):
            state = NEWEST[left - 1]
        contract = rng.choice(contracts)
        start = (at + timedelta(days=rng.randint(3, 30))).date()
        p = DataProvision(
            body=g.body, state=state, requester=rng.choice(g.staff), number=f"DP-{fy}-{seq[fy]:04d}",
            contractor=contract.contractor, contract=contract, system_name=contract.system_name,
            data_description=rng.choice(PROVISION_DATA), purpose=f"{contract.system_name}の構築・保守のため",
            period_start=start, period_end=start + timedelta(days=rng.randint(14, 180)), medium="暗号化USBメモリ",
            received_on=at.date(), created_at=at, updated_at=at)
        path = PATHS[state]
        if "approve" in path:  # the memorandum is generated at approval from the default template
            day = (at + timedelta(days=1)).date()
            p.memorandum_date = day
            p.memorandum_text = fill(DEFAULT_TEXT, {
                "甲": g.body.name, "乙": p.contractor.name, "システム名": p.system_name,
                "データ内容": p.data_description, "提供期間": period_text(p.period_start, p.period_end),
                "提供媒体": p.medium, "日付": _wareki(day)})
        if "provide" in path:
            p.provided_on, p.provided_medium = p.period_start, "暗号化USBメモリ"
        if "record_return" in path:
            p.returned_on = p.period_end
        rows.append(p)
        plans.append(path)
    fast(DataProvision, rows, key="number", body=g.body)
    logs = []
    for p, path in zip(rows, plans, strict=True):
        g.event(p.created_at, p.requester, "create", "vendors.DataProvision", p.pk, str(p),
                {"number": p.number, "state": "submitted"})
        steps, at = [], p.created_at
        for name in path:
            at = at + timedelta(hours=rng.randint(2, 72))
            requester = name == "withdraw"
            actor = p.requester if requester else officer if name in ("approve", "send_back", "reject") else keeper
            role = "requester" if requester else "officer" if actor is officer else "staff_in_charge"
            comment = "覚書を取り交わしてから提供すること。" if name == "approve" else \
                "提供するデータの範囲を見直してください。" if name in ("send_back", "reject") else ""
            steps.append((name, actor, role, at, comment))
        add_steps(g, logs, p, steps)
    write_logs(g, logs)
    approved = [p for p in rows if p.state == "approved"]
    g.ids["provision_id_memorandum"] = (approved or [p for p in rows if p.memorandum_text] or rows)[-1].pk
    g.counts["provisions"] = len(rows)


def _wareki(day) -> str:
    from tejun.lib.wareki import to_wareki

    return to_wareki(day)
