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

    from .models import Medium
    from .services import OPEN_STATES, medium_usable

    day = day or timezone.localdate()
    busy = CarryOutRequest.objects.filter(body_id=user.body_id, state__in=OPEN_STATES, medium__isnull=False)
    qs = (Medium.objects.filter(body_id=getattr(user, "body_id", None) or -1, status=Medium.Status.STORED)
          .exclude(pk__in=busy.values("medium_id")).select_related("exception", "highest_level")
          .order_by("number"))
    media = [m for m in qs if medium_usable(m, day)[0]]
    if include is not None and include not in media:
        media.insert(0, include)
    return media
