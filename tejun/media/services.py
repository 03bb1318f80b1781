"""Writes for carry-out requests (P-01, C-1(3)). Pages and API call these, nothing else.

A request may name a registered medium. Filing is refused when the medium may not be used (the
register's medium_usable: disposed, lost, out, disposal requested, no valid exception for a USB
memory or private medium) over the whole period out_date..due_date, and again at take-out: an
exception may have expired in between. The medium's status follows the request: 持出中 at take-out,
保管中 once someone other than the requester confirms the return, 紛失 when reported lost.
"""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.access.policy import can, same_body
from tejun.audit.services import record, snapshot
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.lib.wareki import fiscal_year
from tejun.notify.services import notify
from tejun.orgs.roles import Role
from tejun.orgs.selectors import role_holders
from tejun.workflow.engine import next_actors

from .models import CarryOutRequest, Confidentiality, Medium

EDITABLE_FIELDS = ("data_description", "confidentiality", "purpose", "destination", "encrypted",
                   "password_protected", "locked_case", "protection_note", "out_date", "due_date")
REQUIRED_FIELDS = ("data_description", "confidentiality", "purpose", "destination", "out_date", "due_date")
TEXT_FIELDS = ("data_description", "purpose", "destination", "protection_note")
DATE_FIELDS = ("out_date", "due_date")
FLAG_FIELDS = ("encrypted", "password_protected", "locked_case")
PURPOSE_MAX_LENGTH = 2000
# States in which a request still holds on to its medium: a second request for it must wait.
OPEN_STATES = ("submitted", "sent_back", "approved", "taken_out", "returned")


def validate_carry_out(fields: dict, *, today: date | None = None) -> dict:
    """Check one request's fields; raise InvalidInput naming every bad field. Returns the cleaned fields."""
    today = today or timezone.localdate()
    errors = {}
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        errors.update({name: _("この項目は指定できません。") for name in sorted(unknown)})
    for name in REQUIRED_FIELDS:
        value = fields.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[name] = _("入力してください。")
    # Callers pass parsed values (forms, serializers); anything else is refused here, not by the database.
    for name in TEXT_FIELDS:
        if fields.get(name) is not None and not isinstance(fields[name], str):
            errors[name] = _("文字で入力してください。")
    for name in DATE_FIELDS:
        value = fields.get(name)
        if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
            errors[name] = _("日付を入力してください。")
    for name in FLAG_FIELDS:
        if fields.get(name) is not None and not isinstance(fields[name], bool):
            errors[name] = _("はい・いいえで指定してください。")
    level = fields.get("confidentiality")
    if level is not None and (isinstance(level, bool) or level not in Confidentiality.values):
        errors["confidentiality"] = _("機密性分類は 1、2、3 のいずれかです。")
    out_date, due_date = fields.get("out_date"), fields.get("due_date")
    dates_ok = not ({"out_date", "due_date"} & errors.keys())
    if dates_ok and out_date is not None and out_date < today:
        errors["out_date"] = _("持出し日に過去の日付は指定できません。")
    if dates_ok and out_date is not None and due_date is not None and due_date < out_date:
        errors["due_date"] = _("返却予定日は持出し日以降にしてください。")
    note = fields.get("protection_note")
    protected = any(fields.get(f) is True for f in FLAG_FIELDS) or (isinstance(note, str) and bool(note.strip()))
    if "confidentiality" not in errors and level is not None and level >= 2 and not protected:
        errors["encrypted"] = _("機密性2以上のデータは、暗号化・パスワード保護・施錠ケースなどの保護措置が必要です。")
    for name in ("data_description", "destination", "protection_note"):
        limit = CarryOutRequest._meta.get_field(name).max_length
        value = fields.get(name)
        if isinstance(value, str) and len(value.strip()) > limit:
            errors[name] = _("%(limit)d文字以内で入力してください。") % {"limit": limit}
    if isinstance(fields.get("purpose"), str) and len(fields["purpose"]) > PURPOSE_MAX_LENGTH:
        errors["purpose"] = _("%(limit)d文字以内で入力してください。") % {"limit": PURPOSE_MAX_LENGTH}
    if errors:
        raise InvalidInput(_("入力内容を確認してください。"), fields=errors)
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    for name in FLAG_FIELDS:  # not given = not applied
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = False
    if "protection_note" in cleaned and cleaned["protection_note"] is None:
        cleaned["protection_note"] = ""
    return cleaned


def medium_usable(medium: Medium, day: date) -> tuple[bool, str]:
    """The register's answer (tejun/media/register_services.py): may `medium` be used on `day`?"""
    from .register_services import medium_usable as usable

    return usable(medium, day)


def _refuse_medium(message) -> InvalidInput:
    return InvalidInput(_("入力内容を確認してください。"), fields={"medium": str(message)})


def check_medium_for_carry_out(medium: Medium, *, actor, out_date: date, due_date: date,
                               request: CarryOutRequest | None = None) -> None:
    """May `medium` be carried out from out_date to due_date? Raises InvalidInput on the `medium` field."""
    if not isinstance(medium, Medium) or medium.body_id != actor.body_id:
        raise _refuse_medium(_("選択できない記録媒体です。"))
    # Our own guard first: a disposed or lost medium is never carried out, whatever the register says.
    if medium.status == Medium.Status.DISPOSED:
        raise _refuse_medium(_("廃棄済の記録媒体は持ち出せません。"))
    if medium.status == Medium.Status.LOST:
        raise _refuse_medium(_("紛失した記録媒体は持ち出せません。"))
    for day in dict.fromkeys((out_date, due_date)):
        ok, reason = medium_usable(medium, day)
        if not ok:
            raise _refuse_medium(reason)
    others = CarryOutRequest.objects.filter(medium=medium, state__in=OPEN_STATES)
    if request is not None:
        others = others.exclude(pk=request.pk)
    other = others.values_list("number", flat=True).first()
    if other:
        raise _refuse_medium(_("この記録媒体には処理中の持出し申請（%(number)s）があります。") % {"number": other})


def _next_number(body_id: int, today: date) -> str:
    fy = fiscal_year(today)
    prefix = f"CO-{fy}-"
    # Longest first, so CO-2026-10000 sorts after CO-2026-9999.
    last = (CarryOutRequest.objects.filter(body_id=body_id, number__startswith=prefix)
            .order_by(Length("number").desc(), "-number").values_list("number", flat=True).first())
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def create_carry_out(*, actor, medium: Medium | None = None, **fields) -> CarryOutRequest:
    if not can(actor, "media.create_carry_out"):
        raise Forbidden(_("持出し申請を行う権限がありません。"))
    cleaned = validate_carry_out(fields)
    for attempt in range(3):
        try:
            with transaction.atomic():
                if medium is not None:
                    # Locked, so a disposal request cannot slip in between the check and the filing.
                    locked_medium = Medium.objects.select_for_update().filter(pk=medium.pk).first()
                    check_medium_for_carry_out(locked_medium, actor=actor, out_date=cleaned["out_date"],
                                               due_date=cleaned["due_date"])
                    cleaned["medium"] = locked_medium
                request = CarryOutRequest.objects.create(
                    body_id=actor.body_id, requester=actor,
                    number=_next_number(actor.body_id, timezone.localdate()), **cleaned,
                )
                record(actor, "create", request, None, snapshot(request))
                # Whoever decides next; not the requester, who may only withdraw at this point.
                notify(next_actors(request) - {actor}, _("持出し申請 %(number)s が届きました") % {"number": request.number},
                       _("%(name)s さんから「%(data)s」の持出し申請です。")
                       % {"name": actor.full_name, "data": request.data_description},
                       request.get_absolute_url(), body=request.body)
                return request
        except IntegrityError:
            if attempt == 2:  # two requests took the same number three times: give up clearly
                raise
    raise AssertionError("unreachable")


_UNSET = object()


def update_carry_out(request: CarryOutRequest, *, actor, medium=_UNSET, **fields) -> CarryOutRequest:
    """The requester corrects a request that was sent back (差戻し), before resubmitting it."""
    with transaction.atomic():
        locked = CarryOutRequest.objects.select_for_update().filter(pk=request.pk).first()
        if locked is None or not same_body(actor, locked):
            raise NotFound(_("見つかりません。"))  # another body's request does not exist for them
        if not can(actor, "media.edit_carry_out", locked):
            raise Forbidden(_("この申請を修正できるのは申請者だけです。"))
        if locked.state != "sent_back":
            raise WrongState(_("差戻しされた申請だけ修正できます。"))
        current = {name: getattr(locked, name) for name in EDITABLE_FIELDS}
        cleaned = validate_carry_out({**current, **fields})
        new_medium = locked.medium if medium is _UNSET else medium
        if new_medium is not None:
            new_medium = Medium.objects.select_for_update().filter(pk=new_medium.pk).first()
            check_medium_for_carry_out(new_medium, actor=actor, out_date=cleaned["out_date"],
                                       due_date=cleaned["due_date"], request=locked)
        before = snapshot(locked)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.medium = new_medium
        locked.save()
        record(actor, "update", locked, before, snapshot(locked))
    return locked


# --- the medium's side of the workflow (called by CarryOutRequest's hooks, inside the engine's transaction)


def _set_medium_status(medium: Medium, status: str, *, actor) -> Medium:
    before = snapshot(medium)
    medium.status = status
    medium.save(update_fields=["status"])
    record(actor, "update", medium, before, snapshot(medium))
    return medium


def _locked_medium(request: CarryOutRequest) -> Medium | None:
    if request.medium_id is None:
        return None
    return Medium.objects.select_for_update().get(pk=request.medium_id)


def medium_taken_out(request: CarryOutRequest, *, actor) -> None:
    """take_out: checked again now (an exception may have expired since the approval), then 持出中."""
    medium = _locked_medium(request)
    if medium is None:
        return
    today = timezone.localdate()
    if medium.status != Medium.Status.STORED:
        raise WrongState(_("記録媒体 %(number)s は現在「%(status)s」のため持ち出せません。")
                         % {"number": medium.number, "status": medium.get_status_display()})
    for day in dict.fromkeys((today, max(today, request.due_date))):
        ok, reason = medium_usable(medium, day)
        if not ok:
            raise WrongState(_("記録媒体 %(number)s は持ち出せません：%(reason)s")
                             % {"number": medium.number, "reason": reason})
    _set_medium_status(medium, Medium.Status.OUT, actor=actor)
    request.medium = _data_written(medium, request.confidentiality, actor=actor)


def _data_written(medium: Medium, confidentiality: int, *, actor) -> Medium:
    """The copy is on the medium now: the register's highest classification rises to the data's class, so a
    later disposal cannot default to a lower class than the medium ever held (P-02)."""
    from tejun.assets.models import Axis, ClassificationLevel
    from tejun.assets.schemes import active_scheme

    from .register_services import record_data_written

    current = medium.highest_level
    if current is not None and current.base_class >= confidentiality:
        return medium
    # The least of the levels of that class (機密性3C when the scheme splits 3 into 3A/3B/3C).
    level = (ClassificationLevel.objects.filter(scheme=active_scheme(medium.body), axis=Axis.CONFIDENTIALITY,
                                                base_class=confidentiality).order_by("rank").first())
    if level is None:
        return medium
    return record_data_written(medium, level, actor=actor)


def medium_return_confirmed(request: CarryOutRequest, *, actor) -> None:
    """confirm_return (by someone other than the requester): back to 保管中."""
    medium = _locked_medium(request)
    if medium is not None and medium.status == Medium.Status.OUT:
        _set_medium_status(medium, Medium.Status.STORED, actor=actor)
        request.medium = medium


def _officers_and_managers(body) -> set:
    people = set()
    for role in (Role.OFFICER, Role.MANAGER):
        people.update(h.person for h in role_holders(body, role) if not h.absent)
    return people


def medium_lost(request: CarryOutRequest, *, actor, comment: str) -> None:
    """report_lost: the medium becomes 紛失, an incident (P-10, 情報の漏えい・紛失) is opened with the
    carry-out as its source, and the officer and the manager are told at once."""
    from tejun.incidents.models import Incident
    from tejun.incidents.services import open_incident

    medium = _locked_medium(request)
    what = request.data_description
    if medium is not None:
        _set_medium_status(medium, Medium.Status.LOST, actor=actor)
        request.medium = medium
        description = _("持出し申請 %(number)s（%(data)s）で持ち出した記録媒体 %(medium)s の紛失。\n%(comment)s") % {
            "number": request.number, "data": what, "medium": medium.number, "comment": comment}
        what = f"{what}（{medium.number}）"
    else:
        description = _("持出し申請 %(number)s（%(data)s）で持ち出したデータの紛失。\n%(comment)s") % {
            "number": request.number, "data": what, "comment": comment}
    open_incident(reporter=actor, kind=Incident.Kind.LEAK_LOSS, description=description, source=request,
                  title=_("持出し中の紛失：%(what)s") % {"what": what})
    notify(_officers_and_managers(request.body) - {actor},
           _("紛失の報告：持出し申請 %(number)s") % {"number": request.number},
           _("%(name)s さんが「%(data)s」の紛失を報告しました。事故として対応してください。\n%(comment)s")
           % {"name": actor.full_name, "data": what, "comment": comment},
           request.get_absolute_url(), body=request.body)
