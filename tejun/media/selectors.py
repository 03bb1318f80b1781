from django.db.models import Q, QuerySet

from tejun.access.policy import get_visible, visible

from .models import CarryOutRequest


def carry_out_list(user, *, state: str = "", q: str = "") -> QuerySet[CarryOutRequest]:
    qs = visible(user, CarryOutRequest).select_related("requester", "medium")
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(data_description__icontains=q) | Q(destination__icontains=q))
    return qs.order_by("-created_at", "-id")


def carry_out_get(user, pk) -> CarryOutRequest:
    return get_visible(user, CarryOutRequest, pk)


def media_for_carry_out(user, day=None, *, include=None) -> list:
    """The body's media that may be carried out now (the carry-out form offers these), plus `include`."""
    from django.utils import timezone

    from .models import Medium, MediumException
    from .register_services import required_exception_kind
    from .services import OPEN_STATES

    day = day or timezone.localdate()
    body_id = getattr(user, "body_id", None) or -1
    busy = CarryOutRequest.objects.filter(body_id=user.body_id, state__in=OPEN_STATES, medium__isnull=False)
    qs = (Medium.objects.filter(body_id=body_id, status=Medium.Status.STORED)
          .exclude(pk__in=busy.values("medium_id")).select_related("exception", "highest_level")
          .order_by("number"))
    # register_services.medium_usable's answer for every medium at once (it asks twice per medium): a stored
    # medium is usable unless it needs an exception (USB, private) and no approved one of that kind, linked to
    # it or made for it, covers the day. The covering exceptions of the body are few: read them once.
    covering = list(MediumException.objects.filter(
        body_id=body_id, state="approved", valid_from__lte=day, valid_to__gte=day,
        kind__in=[MediumException.Kind.USB, MediumException.Kind.PRIVATE]).values_list("pk", "medium_id", "kind"))
    by_pk = {pk: kind for pk, _medium, kind in covering}
    by_medium = {(medium_id, kind) for _pk, medium_id, kind in covering if medium_id}

    def usable(m) -> bool:
        needed = required_exception_kind(m.kind, m.owner)
        return needed is None or by_pk.get(m.exception_id) == needed or (m.pk, needed) in by_medium

    media = [m for m in qs if usable(m)]
    if include is not None and include not in media:
        media.insert(0, include)
    return media
