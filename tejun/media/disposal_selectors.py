"""Reads of disposal requests and destruction records, shared by the pages, the API and the documents."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from tejun.access.policy import can, get_visible, visible

from .models import CarryOutRequest, DestructionRecord, DisposalRequest, Medium


def disposal_list(user, *, state: str = "", q: str = "", medium=None) -> QuerySet[DisposalRequest]:
    qs = visible(user, DisposalRequest).select_related("requester", "medium", "highest_level")
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(medium__number__icontains=q) | Q(reason__icontains=q))
    if medium is not None:
        qs = qs.filter(medium=medium)
    return qs.order_by("-created_at", "-id")


def disposal_get(user, pk) -> DisposalRequest:
    return get_visible(user, DisposalRequest, pk)


def disposable_media(user) -> QuerySet:
    """Stored media of the body the user may ask to dispose of, with no carry-out under way, by number.

    access.policy decides on a stand-in medium the user does not keep: when it allows that (the officer,
    the manager, the staff in charge), every such medium; otherwise only the media the user keeps (the
    policy is asked again for each of those when the request is filed).
    """
    from .services import OPEN_STATES

    if not can(user, "media.request_disposal"):
        return Medium.objects.none()
    busy = CarryOutRequest.objects.filter(body_id=user.body_id, state__in=OPEN_STATES, medium__isnull=False)
    qs = (visible(user, Medium).filter(status=Medium.Status.STORED).exclude(pk__in=busy.values("medium_id"))
          .select_related("highest_level").order_by("number"))
    if not can(user, "media.request_disposal", Medium(body_id=user.body_id, custodian_id=None)):
        qs = qs.filter(custodian_id=user.pk)
    return qs


def disposal_refusal(user, medium) -> str:
    """Why `medium` (of the user's body) is not offered for a disposal request, in the service's words."""
    from django.utils.translation import gettext as _

    from .services import OPEN_STATES

    if medium.status != Medium.Status.STORED:
        return _("保管中の記録媒体だけ廃棄を申請できます（現在：%(status)s）。") % {"status": medium.get_status_display()}
    busy = (CarryOutRequest.objects.filter(medium=medium, state__in=OPEN_STATES)
            .values_list("number", flat=True).first())
    if busy:
        return _("この記録媒体には処理中の持出し申請（%(number)s）があります。") % {"number": busy}
    if not can(user, "media.request_disposal", medium):
        return _("この記録媒体の廃棄を申請できるのは、媒体の管理者または責任者・管理者・担当者です。")
    return _("選択できない記録媒体です。")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def destruction_records(user, start: date, end: date) -> QuerySet[DestructionRecord]:
    """Destruction records performed from `start` to `end` (both inclusive, Tokyo days), oldest first."""
    return (visible(user, DestructionRecord)
            .filter(performed_at__gte=_day_start(start), performed_at__lt=_day_start(end + timedelta(days=1)))
            .select_related("disposal", "disposal__medium", "disposal__highest_level", "disposal__requester",
                            "recorded_by")
            .order_by("performed_at", "pk"))
