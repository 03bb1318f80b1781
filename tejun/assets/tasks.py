"""Periodic confirmation of the register for `tejun tick`."""

from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.notify.services import remind_once
from tejun.orgs.models import Body, User

from .models import Asset
from .services import register_settings


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    # Clamp the day: 3/31 minus one month is 2/28 (or 29).
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def due_assets(body, today: date):
    """In-use assets whose last confirmation (or registration) is a full cycle old."""
    cutoff = months_before(today, register_settings(body).confirmation_months)
    return Asset.objects.filter(body=body, status=Asset.Status.IN_USE).filter(
        Q(confirmed_on__lte=cutoff) | Q(confirmed_on__isnull=True, created_at__date__lte=cutoff)
    )


def remind_asset_confirmation(today=None) -> int:
    """One reminder a day per manager post: "N assets are due for confirmation" (not one mail per asset)."""
    today = today or timezone.localdate()
    sent = 0
    for body in Body.objects.all():
        per_post = (due_assets(body, today).exclude(manager_post__isnull=True)
                    .values("manager_post").annotate(n=Count("id")))
        for row in per_post:
            people = list(User.objects.filter(post_id=row["manager_post"], is_active=True, body=body))
            if not people:
                continue
            title = _("情報資産の定期確認：%(count)d件が確認時期です") % {"count": row["n"]}
            message = _("重要性分類一覧表の記載内容（分類・保存場所・アクセス権者など）を確認し、「確認した」を記録してください。")
            url = f"/assets/?manager_post={row['manager_post']}&due=1"
            if remind_once(f"asset_confirmation:{body.pk}:{row['manager_post']}", people, title, message, url,
                           body=body, day=today):
                sent += 1
    return sent
