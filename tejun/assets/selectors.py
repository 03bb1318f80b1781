"""Reads of the register shared by the pages, the API and the exports."""

from dataclasses import dataclass, fields

from django.db.models import Q, QuerySet

from tejun.access.policy import get_visible, visible

from .models import Asset

SORTS = {
    "number": "number", "-number": "-number", "name": "name", "-name": "-name",
    "department": "department", "-department": "-department",
    "confidentiality": "confidentiality__rank", "-confidentiality": "-confidentiality__rank",
    "integrity": "integrity__rank", "-integrity": "-integrity__rank",
    "availability": "availability__rank", "-availability": "-availability__rank",
    "expires_on": "expires_on", "-expires_on": "-expires_on",
    "confirmed_on": "confirmed_on", "-confirmed_on": "-confirmed_on",
    "updated_at": "updated_at", "-updated_at": "-updated_at",
}
FLAGS = ("has_personal_info", "has_sensitive_personal_info", "has_specific_personal_info")


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
    network_layer: str = ""
    status: str = "in_use"      # "" for all
    has_personal_info: bool | None = None
    has_sensitive_personal_info: bool | None = None
    has_specific_personal_info: bool | None = None
    manager_post: int | None = None
    sort: str = "number"

    @classmethod
    def from_params(cls, params) -> "AssetFilter":
        """From GET parameters; bad values are ignored, not errors (a list must always open)."""
        f = cls()
        for field in fields(cls):
            if field.name not in params:
                continue
            raw = (params.get(field.name) or "").strip()
            if field.name in FLAGS:
                setattr(f, field.name, {"1": True, "true": True, "0": False, "false": False}.get(raw.lower()))
            elif field.name in ("confidentiality_min", "manager_post"):
                setattr(f, field.name, int(raw) if raw.isdigit() else None)
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


def asset_list(user, flt: AssetFilter | None = None) -> QuerySet[Asset]:
    flt = flt or AssetFilter()
    qs = visible(user, Asset).select_related("confidentiality", "integrity", "availability", "manager_post")
    if flt.q:
        for word in flt.q.split()[:5]:  # every word must match somewhere (全角スペース splits too)
            qs = qs.filter(Q(name__icontains=word) | Q(department__icontains=word) | Q(business__icontains=word)
                           | Q(location__icontains=word) | Q(number__icontains=word))
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
        qs = qs.filter(network_layer=flt.network_layer)
    if flt.status:
        qs = qs.filter(status=flt.status)
    for flag in FLAGS:
        value = getattr(flt, flag)
        if value is not None:
            qs = qs.filter(**{flag: value})
    if flt.manager_post:
        qs = qs.filter(manager_post_id=flt.manager_post)
    return qs.order_by(SORTS[flt.sort], "id")


def asset_get(user, pk) -> Asset:
    return get_visible(user, Asset, pk)


def departments(user) -> list[str]:
    return list(visible(user, Asset).order_by("department").values_list("department", flat=True).distinct())
