"""The P-10 contact matrix as the source gives it: seeded per body, then edited by the body.

Plain data (no model imports), so the data migration and the services seed the same rows.
"""

# key, name (the source says 武豊町議会管理者; each body edits its own), order
PARTIES = (
    ("council_admin", "議会管理者"),
    ("supreme_admin", "情報システム・セキュリティ統括管理者"),
    ("police", "警察"),
    ("affected", "影響が考えられる個人及び法人"),
    ("contractor", "情報システムに係る外部委託事業者"),
    ("related_bodies", "関係機関等"),
)

# case, the caller's role, the parties to contact
CASES = (
    ("サイバーテロその他の住民に重大な被害が生じる恐れがあるとき", "manager",
     ("council_admin", "supreme_admin", "police", "affected")),
    ("不正アクセスその他犯罪と思慮されるとき", "manager", ("council_admin", "supreme_admin", "police")),
    ("踏み台となって他者に被害を与える恐れがあるとき", "manager", ("council_admin", "supreme_admin", "police")),
    ("情報システムに関する被害", "manager", ("contractor",)),
    ("その他情報資産に関する被害", "manager", ("related_bodies",)),
)


def seed(body_id: int, ContactParty, ContactCase) -> bool:
    """Create the source's rows for one body unless it has a matrix already. Returns True when seeded."""
    if ContactCase.objects.filter(body_id=body_id).exists():
        return False
    parties = {}
    for order, (key, name) in enumerate(PARTIES, start=1):
        parties[key], _created = ContactParty.objects.get_or_create(
            body_id=body_id, key=key, defaults={"name": name, "order": order})
    for order, (name, role, keys) in enumerate(CASES, start=1):
        case = ContactCase.objects.create(body_id=body_id, name=name, caller_role=role, order=order)
        case.parties.set([parties[k] for k in keys])
    return True
