"""The demo body: the seed's council with one person per role. Names are fictional."""

from datetime import date

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from tejun.audit.services import record, snapshot

from .models import Body, Post, RoleAssignment, User
from .roles import Role

DEMO_BODY = "武豊町議会"
DEMO_PASSWORD = "Demo-Pass-2026!"  # noqa: S105  (printed only in debug mode)

# login id, name, furigana, post, roles held personally (post roles come from POSTS)
POSTS = [("副議長", 10, Role.SUPREME_ADMIN), ("事務局長", 20, Role.MANAGER), ("事務局次長", 30, Role.OFFICER),
         ("書記", 40, None)]
PEOPLE = [
    ("fukugicho", "青木 誠", "あおき まこと", "副議長", [Role.STAFF]),
    ("kyokucho", "石川 恵子", "いしかわ けいこ", "事務局長", [Role.STAFF, Role.AUDITOR]),
    ("jicho", "上田 健一", "うえだ けんいち", "事務局次長", [Role.STAFF]),
    ("tanto", "江藤 裕子", "えとう ゆうこ", "書記", [Role.STAFF, Role.STAFF_IN_CHARGE]),
    ("suishin", "小野 大輔", "おの だいすけ", "書記", [Role.STAFF, Role.PROMOTER]),
    ("shokuin1", "加藤 美咲", "かとう みさき", "書記", [Role.STAFF]),
    ("shokuin2", "木村 翔太", "きむら しょうた", "書記", [Role.STAFF]),
    ("vendor1", "佐藤 隆（〇〇システム株式会社）", "さとう たかし", None, [Role.VENDOR]),
]


def demo_exists() -> bool:
    return Body.objects.filter(name=DEMO_BODY).exists()


@transaction.atomic
def create_demo(password: str = DEMO_PASSWORD) -> Body | None:
    """Create the demo body once. Returns None when it already exists (running again changes nothing)."""
    if demo_exists():
        return None
    # No second factor in the demo, so anyone can try every role; a real body keeps the default
    # (supreme admin, manager and officer log in with a code from an authenticator app).
    body = Body.objects.create(name=DEMO_BODY, kind=Body.Kind.COUNCIL, second_factor_roles=[])
    record(None, "create", body, None, snapshot(body))
    start = date(2025, 4, 1)
    posts = {}
    for name, order, role in POSTS:
        posts[name] = Post.objects.create(body=body, name=name, order=order)
        if role:
            RoleAssignment.objects.create(body=body, role=role, post=posts[name], valid_from=start)
    admin_perms = Permission.objects.filter(content_type__app_label="orgs")
    for login_id, full_name, furigana, post, roles in PEOPLE:
        user = User.objects.create_user(login_id, password, full_name=full_name, furigana=furigana, body=body,
                                        post=posts.get(post), email=f"{login_id}@example.invalid",
                                        password_changed_at=timezone.now())
        for role in roles:
            RoleAssignment.objects.create(body=body, role=role, person=user, valid_from=start)
        if login_id == "kyokucho":  # the director edits people and roles in the admin screens
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.user_permissions.set(admin_perms)
        record(None, "create", user, None, snapshot(user))
    # The person in charge deputises for the officer when the officer is away (代理).
    RoleAssignment.objects.create(body=body, role=Role.OFFICER, person=User.objects.get(login_id="tanto"),
                                  valid_from=start, is_deputy=True, note="責任者不在時の代理")
    for ra in RoleAssignment.objects.filter(body=body):
        record(None, "create", ra, None, snapshot(ra))
    return body
