"""Periodic confirmation of the register for `tejun tick`."""

from datetime import date

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tejun.notify.services import remind_once
from tejun.orgs.models import Body, User
from tejun.orgs.roles import Role
from tejun.orgs.selectors import role_holders

from .models import Asset
from .selectors import confirmation_cutoff, due_q, months_before  # noqa: F401  (months_before: used by callers)


def due_assets(body, today: date):
    """In-use assets whose last confirmation (or registration) is a full cycle old."""
    return Asset.objects.filter(body=body).filter(due_q(confirmation_cutoff(body.pk, today)))


def _list_url(**params) -> str:
    return f"{reverse('assets:asset-list')}?{urlencode({**params, 'due': '1'})}"


def remind_asset_confirmation(today=None) -> int:
    """One reminder a day per manager post: "N assets are due for confirmation" (not one mail per asset).

    The holders of the asset's manager post are told; assets with no manager post, or whose post
    nobody holds, go to the 情報システム・セキュリティ責任者 so that no asset is never confirmed.
    """
    today = today or timezone.localdate()
    sent = 0
    message = _("重要性分類一覧表の記載内容（分類・保存場所・アクセス権者など）を確認し、「確認した」を記録してください。")
    for body in Body.objects.all():
        per_post = {row["manager_post"]: row["n"] for row in
                    due_assets(body, today).values("manager_post").annotate(n=Count("id")).order_by()}
        if not per_post:
            continue
        holders: dict[int, list[User]] = {}
        for person in User.objects.filter(post_id__in=[p for p in per_post if p], is_active=True, body=body):
            holders.setdefault(person.post_id, []).append(person)
        unmanaged = 0
        for post_id, count in per_post.items():
            people = holders.get(post_id) if post_id else None
            if not people:
                unmanaged += count
                continue
            title = _("情報資産の定期確認：%(count)d件が確認時期です") % {"count": count}
            if remind_once(f"asset_confirmation:{body.pk}:{post_id}", people, title, message,
                           _list_url(manager_post=post_id), body=body, day=today):
                sent += 1
        if unmanaged:
            officers = [h.person for h in role_holders(body, Role.OFFICER) if not h.absent]
            title = _("情報資産の定期確認：管理者（役職）のいない%(count)d件が確認時期です") % {"count": unmanaged}
            if officers and remind_once(f"asset_confirmation:{body.pk}:unmanaged", officers, title, message,
                                        _list_url(), body=body, day=today):
                sent += 1
    return sent
