from django.db.models import Q, QuerySet

from tejun.access.policy import get_visible, visible

from .models import CarryOutRequest


def carry_out_list(user, *, state: str = "", q: str = "") -> QuerySet[CarryOutRequest]:
    qs = visible(user, CarryOutRequest).select_related("requester")
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(data_description__icontains=q) | Q(destination__icontains=q))
    return qs.order_by("-created_at", "-id")


def carry_out_get(user, pk) -> CarryOutRequest:
    return get_visible(user, CarryOutRequest, pk)
