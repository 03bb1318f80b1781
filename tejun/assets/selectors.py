"""Reads of the register shared by the pages, the API and the exports."""

import unicodedata
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.access.policy import can, visible
from tejun.lib.errors import NotFound
from tejun.lib.wareki import TOKYO

from . import search
from .models import Asset, RegisterSettings

SORTS = {
    "number": "number", "-number": "-number", "name": "name", "-name": "-name",
    "department": "department", "-department": "-department",
    "form": "form", "-form": "-form", "location": "location", "-location": "-location",
    "confidentiality": "confidentiality__rank", "-confidentiality": "-confidentiality__rank",
    "integrity": "integrity__rank", "-integrity": "-integrity__rank",
    "availability": "availability__rank", "-availability": "-availability__rank",
    "manager_post": "manager_post__order", "-manager_post": "-manager_post__order",
    "expires_on": "expires_on", "-expires_on": "-expires_on",
    "confirmed_on": "confirmed_on", "-confirmed_on": "-confirmed_on",
    "updated_at": "updated_at", "-updated_at": "-updated_at",
}
FLAGS = ("has_personal_info", "has_sensitive_personal_info", "has_specific_personal_info")
TRUE_FALSE = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}
HISTORY_LIMIT = 200


@dataclass
class AssetFilter:
    """The filters of the list, the API and the exports: one definition for all three."""

    q: str = ""                 # partial match on name, 所属, 業務, 保存場所, 管理番号
    department: str = ""
    confidentiality: str = ""   # a level code of the body's scheme ("2", "3A")
    integrity: str = ""
    availability: str = ""
    confidentiality_min: int | None = None  # "機密性2以上" → 2
    form: str = ""
    network_layer: str = ""     # "none" for 該当なし (the empty value means "any")
    status: str = "in_use"      # "" for all
    has_personal_info: bool | None = None
    has_sensitive_personal_info: bool | None = None
    has_specific_personal_info: bool | None = None
    manager_post: int | None = None
    due: bool = False           # due for the periodic confirmation (the body's cycle)
    sort: str = "number"

    @classmethod
    def from_params(cls, params) -> "AssetFilter":
        """From GET parameters; bad values are ignored, not errors (a list must always open)."""
        f = cls()
        for field in fields(cls):
            if field.name not in params:
                continue
            raw = params.get(field.name)
            # NUL cannot reach PostgreSQL (DataError, a 500): dropped like any other bad filter value.
            raw = raw.replace("\x00", "").strip() if isinstance(raw, str) else ""
            if field.name in FLAGS:
                setattr(f, field.name, TRUE_FALSE.get(raw.lower()))
            elif field.name == "due":
                f.due = TRUE_FALSE.get(raw.lower()) is True
            elif field.name in ("confidentiality_min", "manager_post"):
                setattr(f, field.name, int(raw) if raw.isdecimal() and len(raw) < 10 else None)
            else:
                setattr(f, field.name, raw[:200])
        if f.sort not in SORTS:
            f.sort = "number"
        return f

    def as_query(self) -> dict:
        """Non-default values, for links that keep the filter (pagination, export)."""
        default = AssetFilter()
        return {k: ("1" if v is True else "0" if v is False else v) for k, v in self.__dict__.items()
                if v != getattr(default, k) and v is not None}

    @property
    def is_filtered(self) -> bool:
        return any(k != "sort" for k in self.as_query())


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


def confirmation_cutoff(body_id, today: date | None = None) -> date:
    """Assets last confirmed (or, never confirmed, registered) on or before this day are due."""
    months = (RegisterSettings.objects.filter(body_id=body_id).values_list("confirmation_months", flat=True)
              .first()) or RegisterSettings._meta.get_field("confirmation_months").default
    return months_before(today or timezone.localdate(), months)


def due_parts(cutoff: date) -> tuple[Q, Q]:
    """The two disjoint kinds of due asset in use: confirmed on or before the cutoff; never confirmed and
    registered by then. Each is a range of asset_due_idx (the dashboard counts them apart)."""
    # "Registered on or before the cutoff" as a range on created_at (Tokyo days), not a date() of every row:
    # the index serves the range and the count reads the index alone.
    next_day = timezone.make_aware(datetime.combine(cutoff + timedelta(days=1), time.min), TOKYO)
    return Q(confirmed_on__lte=cutoff), Q(confirmed_on__isnull=True, created_at__lt=next_day)


def due_q(cutoff: date) -> Q:
    confirmed, never = due_parts(cutoff)
    return Q(status=Asset.Status.IN_USE) & (confirmed | never)


def _variants(word: str) -> set[str]:
    """The word as typed and in NFKC form, so "ＮＡＳ" finds "NAS" and "ｶｲｷﾞ" finds "カイギ"."""
    return {word, unicodedata.normalize("NFKC", word)}


def asset_list(user, flt: AssetFilter | None = None, *, cutoff: date | None = None) -> QuerySet[Asset]:
    """The visible assets matching the filter. `cutoff` (confirmation_cutoff) saves a query when known."""
    flt = flt or AssetFilter()
    qs = visible(user, Asset).select_related("confidentiality", "integrity", "availability", "manager_post")
    if flt.q:
        # Every word must match somewhere (全角スペース splits too): name, 所属, 業務, 保存場所 or 管理番号,
        # through the search index (search.py).
        qs = qs.filter(search.word_filter([_variants(word) for word in flt.q.split()[:5]], using=qs.db))
    if flt.department:
        qs = qs.filter(department=flt.department)
    for axis in ("confidentiality", "integrity", "availability"):
        code = getattr(flt, axis)
        if code:
            qs = qs.filter(**{f"{axis}__code": code})
    if flt.confidentiality_min:
        qs = qs.filter(confidentiality__base_class__gte=flt.confidentiality_min)
    if flt.form:
        qs = qs.filter(form=flt.form)
    if flt.network_layer:
        qs = qs.filter(network_layer="" if flt.network_layer == "none" else flt.network_layer)
    if flt.status:
        qs = qs.filter(status=flt.status)
    for flag in FLAGS:
        value = getattr(flt, flag)
        if value is not None:
            qs = qs.filter(**{flag: value})
    if flt.manager_post:
        qs = qs.filter(manager_post_id=flt.manager_post)
    if flt.due:
        qs = qs.filter(due_q(cutoff or confirmation_cutoff(getattr(user, "body_id", None))))
    return qs.order_by(SORTS[flt.sort], "id")


def asset_get(user, pk) -> Asset:
    """One visible asset with its levels, post and confirmer, or NotFound (another body's asset: 404)."""
    try:
        return (visible(user, Asset).select_related("confidentiality", "integrity", "availability", "manager_post",
                                                    "confirmed_by").get(pk=pk))
    except (Asset.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("見つかりません。")) from None


def departments(user) -> list[str]:
    return list(visible(user, Asset).order_by("department").values_list("department", flat=True).distinct())


def is_due(asset: Asset, cutoff: date) -> bool:
    if asset.status != Asset.Status.IN_USE:
        return False
    last = asset.confirmed_on or timezone.localdate(asset.created_at)
    return last <= cutoff


def asset_history(user, asset: Asset):
    """The audit events of one asset, newest first, for whoever may see the asset.

    The audit page is for the audit readers only, but an asset's own history belongs to the
    asset: anyone who can see the asset (same body, assets.view) sees what happened to it.
    """
    from tejun.audit.models import AuditEvent

    if asset.body_id != getattr(user, "body_id", None) or not can(user, "assets.view"):
        return AuditEvent.objects.none()
    return (AuditEvent.objects.filter(body_id=asset.body_id, object_type=Asset._meta.label,
                                      object_id=str(asset.pk))
            .order_by("-created_at", "-id")[:HISTORY_LIMIT])
