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


def usable_media(user, day=None, *, include=None) -> QuerySet:
    """The body's media that may be carried out on `day` (today), plus `include`, as one query ordered by number.

    register_services.medium_usable's answer for every medium at once: stored, no open carry-out request, and,
    for a medium that needs an exception (required_exception_kind: a private medium, the body's USB memory),
    an approved exception of that kind covering the day, linked to the medium or made for it. The covering
    exceptions of a body are few: read once, they become two id lists in the query.
    """
    from django.utils import timezone

    from .models import Medium, MediumException
    from .services import OPEN_STATES

    day = day or timezone.localdate()
    body_id = getattr(user, "body_id", None) or -1
    busy = CarryOutRequest.objects.filter(body_id=body_id, state__in=OPEN_STATES, medium__isnull=False)
    covering = list(MediumException.objects.filter(
        body_id=body_id, state="approved", valid_from__lte=day, valid_to__gte=day,
        kind__in=[MediumException.Kind.USB, MediumException.Kind.PRIVATE]).order_by().values_list("pk", "medium_id", "kind"))

    def covered(kind) -> Q:
        return (Q(exception_id__in=[pk for pk, _m, k in covering if k == kind])
                | Q(pk__in=[m for _pk, m, k in covering if k == kind and m]))

    private = Q(owner=Medium.Owner.PRIVATE)
    usb = Q(kind=Medium.Kind.USB)
    allowed = (~private & ~usb) | (private & covered(MediumException.Kind.PRIVATE)) | (
        ~private & usb & covered(MediumException.Kind.USB))
    usable = Q(status=Medium.Status.STORED) & ~Q(pk__in=busy.values("medium_id")) & allowed
    if include is not None:
        usable |= Q(pk=include.pk)
    return Medium.objects.filter(usable, body_id=body_id).select_related("highest_level").order_by("number")


def carry_out_refusal(user, medium, day=None) -> str:
    """Why `medium` (of the user's body) is not offered for a carry-out now, in the words of the register."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from .register_services import medium_usable
    from .services import OPEN_STATES

    usable, reason = medium_usable(medium, day or timezone.localdate())
    if not usable:
        return str(reason)
    busy = (CarryOutRequest.objects.filter(medium=medium, state__in=OPEN_STATES)
            .values_list("number", flat=True).first())
    if busy:
        return _("この記録媒体には処理中の持出し申請（%(number)s）があります。") % {"number": busy}
    return _("選択できない記録媒体です。")
