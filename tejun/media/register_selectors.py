"""Reads of the media register (C-1) shared by the pages and the API. Always the acting user's body."""

import unicodedata
from dataclasses import dataclass, fields

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from tejun.access.policy import can, get_visible, visible
from tejun.lib.errors import NotFound

from .models import Cabinet, Medium, MediumException, Stocktake, StocktakeItem

HISTORY_LIMIT = 200


# ------------------------------------------------------------------------------------------ cabinets

def cabinet_list(user) -> QuerySet[Cabinet]:
    """The body's cabinets with how many media (not disposed) each keeps."""
    # A count per cabinet through the cabinet's index, not a join of every medium grouped by the cabinet's
    # columns (a temporary B-tree over 20,000 media on SQLite).
    kept = (Medium.objects.filter(cabinet=OuterRef("pk")).exclude(status=Medium.Status.DISPOSED)
            .order_by().values("cabinet").annotate(n=Count("pk")).values("n"))
    return (visible(user, Cabinet).select_related("key_custodian")
            .annotate(media_count=Coalesce(Subquery(kept), 0))
            .order_by("name", "id"))


def cabinet_get(user, pk) -> Cabinet:
    return get_visible(user, Cabinet, pk)


# ------------------------------------------------------------------------------------------ media

@dataclass
class MediumFilter:
    """The filters of the register page and the API: one definition for both."""

    q: str = ""          # 登録番号・製品名・製造番号・備考 (every word must match)
    kind: str = ""
    status: str = ""     # "" for all; "active" for every status but 廃棄済
    owner: str = ""
    cabinet: int | None = None
    custodian: int | None = None

    @classmethod
    def from_params(cls, params) -> "MediumFilter":
        """From GET parameters; unknown values are ignored (a list must always open)."""
        f = cls()
        for field in fields(cls):
            raw = params.get(field.name)
            # NUL cannot reach PostgreSQL (DataError, a 500): dropped like any other bad filter value.
            raw = raw.replace("\x00", "").strip()[:200] if isinstance(raw, str) else ""
            if not raw:
                continue
            if field.name in ("cabinet", "custodian"):
                setattr(f, field.name, int(raw) if raw.isdecimal() and len(raw) < 10 else None)
            elif field.name == "kind":
                f.kind = raw if raw in Medium.Kind.values else ""
            elif field.name == "owner":
                f.owner = raw if raw in Medium.Owner.values else ""
            elif field.name == "status":
                f.status = raw if raw in (*Medium.Status.values, "active") else ""
            else:
                f.q = raw
        return f

    def as_query(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in ("", None)}

    @property
    def is_filtered(self) -> bool:
        return bool(self.as_query())


def medium_list(user, flt: MediumFilter | None = None) -> QuerySet[Medium]:
    flt = flt or MediumFilter()
    qs = visible(user, Medium).select_related("cabinet", "custodian", "highest_level", "exception")
    if flt.q:
        for word in flt.q.split()[:5]:
            match = Q()
            for w in {word, unicodedata.normalize("NFKC", word)}:
                match |= (Q(number__icontains=w) | Q(product__icontains=w) | Q(serial__icontains=w)
                          | Q(note__icontains=w))
            qs = qs.filter(match)
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.status == "active":
        qs = qs.exclude(status=Medium.Status.DISPOSED)
    elif flt.status:
        qs = qs.filter(status=flt.status)
    if flt.owner:
        qs = qs.filter(owner=flt.owner)
    if flt.cabinet:
        qs = qs.filter(cabinet_id=flt.cabinet)
    if flt.custodian:
        qs = qs.filter(custodian_id=flt.custodian)
    return qs.order_by("number", "id")


def medium_get(user, pk) -> Medium:
    try:
        return (visible(user, Medium).select_related("cabinet", "custodian", "custodian__post", "highest_level",
                                                     "exception").get(pk=pk))
    except (Medium.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("見つかりません。")) from None


def medium_history(user, medium: Medium):
    """The audit events of one medium, newest first: its own history belongs to whoever may see it."""
    from tejun.audit.models import AuditEvent

    if medium.body_id != getattr(user, "body_id", None) or not can(user, "media.view"):
        return AuditEvent.objects.none()
    return (AuditEvent.objects.filter(body_id=medium.body_id, object_type=Medium._meta.label,
                                      object_id=str(medium.pk))
            .order_by("-created_at", "-id")[:HISTORY_LIMIT])


def medium_carry_outs(user, medium: Medium):
    """The carry-outs of the medium the user may see (all for the officer, own ones for staff)."""
    from .models import CarryOutRequest

    if not any(f.name == "medium" for f in CarryOutRequest._meta.concrete_fields):
        return CarryOutRequest.objects.none()
    return visible(user, CarryOutRequest).filter(medium=medium).select_related("requester").order_by("-created_at")


def medium_disposals(user, medium: Medium):
    from .models import DisposalRequest

    if medium.body_id != getattr(user, "body_id", None) or not can(user, "media.view"):
        return DisposalRequest.objects.none()
    return (DisposalRequest.objects.filter(body_id=medium.body_id, medium=medium).select_related("requester")
            .order_by("-created_at"))


def medium_exceptions(user, medium: Medium):
    """Exceptions the medium is linked to or that were requested for it."""
    cond = Q(medium=medium)
    if medium.exception_id:
        cond |= Q(pk=medium.exception_id)
    return visible(user, MediumException).filter(cond).select_related("requester").order_by("-created_at")


# ------------------------------------------------------------------------------------------ exceptions

def exception_list(user, *, state: str = "", kind: str = "", q: str = "") -> QuerySet[MediumException]:
    qs = visible(user, MediumException).select_related("requester", "medium")
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(medium_description__icontains=q) | Q(purpose__icontains=q))
    return qs.order_by("-created_at", "-id")


def exception_get(user, pk) -> MediumException:
    try:
        return (visible(user, MediumException).select_related("requester", "requester__post", "medium")
                .get(pk=pk))
    except (MediumException.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("見つかりません。")) from None


def approved_exceptions(user) -> QuerySet[MediumException]:
    """The approved exceptions of the body, for the register form's choice."""
    return visible(user, MediumException).filter(state="approved").order_by("-valid_to", "-id")


# ------------------------------------------------------------------------------------------ stock-takes

def stocktake_list(user) -> QuerySet[Stocktake]:
    return (visible(user, Stocktake).select_related("started_by")
            .annotate(item_count=Count("items"),
                      present_count=Count("items", filter=Q(items__result=StocktakeItem.Result.PRESENT)),
                      missing_count=Count("items", filter=Q(items__result=StocktakeItem.Result.MISSING)))
            .order_by("-started_at", "-id"))


def stocktake_get(user, pk) -> Stocktake:
    try:
        return visible(user, Stocktake).select_related("started_by").get(pk=pk)
    except (Stocktake.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("見つかりません。")) from None


def open_stocktake(user) -> Stocktake | None:
    return visible(user, Stocktake).filter(status=Stocktake.Status.OPEN).first()


def stocktake_items(stocktake: Stocktake) -> QuerySet[StocktakeItem]:
    return (StocktakeItem.objects.filter(stocktake=stocktake)
            .select_related("medium", "medium__custodian", "cabinet", "checked_by")
            .order_by("cabinet__name", "cabinet_id", "medium__number"))


def stocktake_item_get(user, stocktake: Stocktake, item_pk) -> StocktakeItem:
    try:
        return stocktake_items(stocktake).get(pk=item_pk)
    except (StocktakeItem.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("見つかりません。")) from None


def stocktake_counts(stocktake: Stocktake, cabinet_id: int | None = None) -> dict:
    """How many items in all (or in one cabinet): total, present, missing, unchecked. One query."""
    qs = StocktakeItem.objects.filter(stocktake=stocktake)
    if cabinet_id is not None:
        qs = qs.filter(cabinet_id=cabinet_id)
    counts = qs.aggregate(total=Count("id"), present=Count("id", filter=Q(result=StocktakeItem.Result.PRESENT)),
                          missing=Count("id", filter=Q(result=StocktakeItem.Result.MISSING)))
    counts["unchecked"] = counts["total"] - counts["present"] - counts["missing"]
    return counts


def items_by_cabinet(items) -> list[dict]:
    """[{"cabinet", "items", "counts"}] in cabinet order, for the round's page and its printout."""
    groups: list[dict] = []
    for item in items:
        if not groups or groups[-1]["cabinet"].pk != item.cabinet_id:
            groups.append({"cabinet": item.cabinet, "items": []})
        groups[-1]["items"].append(item)
    for g in groups:
        g["present"] = sum(1 for i in g["items"] if i.result == StocktakeItem.Result.PRESENT)
        g["missing"] = sum(1 for i in g["items"] if i.result == StocktakeItem.Result.MISSING)
        g["unchecked"] = sum(1 for i in g["items"] if not i.result)
    return groups
