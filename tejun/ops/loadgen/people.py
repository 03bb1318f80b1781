"""The body, its posts, the people who log in and their roles."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from tejun.orgs.models import Body, Post, RoleAssignment, User
from tejun.orgs.roles import Role

from .common import BASE, BASE_DAY, Gen, bulk
from .names import GIVEN_NAMES, POSTS, SURNAMES

R = Role


def password_hash(password: str) -> str:
    """One hash for every generated user: hashing 100+ passwords one by one would take minutes."""
    return make_password(password)


def make_body(name: str) -> Body:
    # No second factor: the benchmark and the load run log in with a password only.
    # No password expiry either: the fixed calendar lies in the past, so passwords would look expired.
    return Body.objects.create(name=name, kind=Body.Kind.COUNCIL, second_factor_roles=[], password_expiry_days=0)


def _person(g: Gen) -> tuple[str, str]:
    (sn, sf), (gn, gf) = g.rng.choice(SURNAMES), g.rng.choice(GIVEN_NAMES)
    return f"{sn} {gn}", f"{sf} {gf}"


def create_people(g: Gen, pw_hash: str) -> None:
    """bench-admin, bench-staff, bench-vendor, bench-user-001.., plus plain staff and the role holders."""
    body, p = g.body, g.prefix
    posts = bulk(Post, [Post(body=body, name=n, order=(i + 1) * 10) for i, n in enumerate(POSTS)])
    post = {x.name: x for x in posts}
    joined = BASE - timedelta(days=3660)
    # login id, post, roles (the first four are what the benchmark relies on)
    plan = [(f"{p}-admin", "事務局長", [R.SUPREME_ADMIN, R.MANAGER, R.OFFICER, R.STAFF]),
            (f"{p}-staff", "主事", [R.STAFF]),
            (f"{p}-vendor", None, [R.VENDOR]),
            (f"{p}-officer", "事務局次長", [R.OFFICER, R.STAFF]),
            (f"{p}-tanto", "議事係長", [R.STAFF_IN_CHARGE, R.STAFF]),
            (f"{p}-suishin", "庶務係長", [R.PROMOTER, R.STAFF]),
            (f"{p}-auditor", "主査", [R.AUDITOR, R.STAFF])]
    plan += [(f"{p}-user-{i:03d}", "主事", [R.STAFF]) for i in range(1, g.scale.load_users + 1)]
    plan += [(f"{p}-shokuin-{i:03d}", g.rng.choice(["主事", "主任", "書記", "会計年度任用職員"]), [R.STAFF])
             for i in range(1, g.scale.extra_staff + 1)]
    users = []
    for login_id, post_name, _roles in plan:
        name, kana = _person(g)
        if post_name is None:
            name = f"{name}（{g.rng.choice(['〇〇', '△△'])}システム株式会社）"
        users.append(User(login_id=login_id, full_name=name, furigana=kana, body=body, post=post.get(post_name),
                          email=f"{login_id}@example.invalid", password=pw_hash, date_joined=joined,
                          password_changed_at=timezone.now()))
    bulk(User, users)
    g.users = {u.login_id: u for u in users}
    assignments = [RoleAssignment(body=body, role=role, person=u, valid_from=BASE_DAY - timedelta(days=365))
                   for u, (_l, _p, roles) in zip(users, plan, strict=True) for role in roles]
    bulk(RoleAssignment, assignments)
    g.admin = g.users[f"{p}-admin"]
    g.staff = [u for u in users if "-user-" in u.login_id or "-shokuin-" in u.login_id] or [g.users[f"{p}-staff"]]
    g.staff.append(g.users[f"{p}-staff"])
    g.event(joined - timedelta(days=1), None, "create", "orgs.Body", body.pk, body.name, {"name": body.name})
    for u in users:
        g.event(joined, None, "create", "orgs.User", u.pk, str(u), {"login_id": u.login_id})
    for ra in assignments:
        g.event(joined, None, "create", "orgs.RoleAssignment", ra.pk, f"{ra.role}: {ra.person}",
                {"role": ra.role, "person": ra.person.pk})
    g.counts.update(users=len(users), role_assignments=len(assignments))
