"""Writes for carry-out requests (P-01). Pages and API call these, nothing else."""

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
from tejun.workflow.engine import next_actors

from .models import CarryOutRequest, Confidentiality

EDITABLE_FIELDS = ("data_description", "confidentiality", "purpose", "destination", "encrypted",
                   "password_protected", "locked_case", "protection_note", "out_date", "due_date")
REQUIRED_FIELDS = ("data_description", "confidentiality", "purpose", "destination", "out_date", "due_date")
TEXT_FIELDS = ("data_description", "purpose", "destination", "protection_note")
DATE_FIELDS = ("out_date", "due_date")
FLAG_FIELDS = ("encrypted", "password_protected", "locked_case")
PURPOSE_MAX_LENGTH = 2000


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


def _next_number(body_id: int, today: date) -> str:
    fy = fiscal_year(today)
    prefix = f"CO-{fy}-"
    # Longest first, so CO-2026-10000 sorts after CO-2026-9999.
    last = (CarryOutRequest.objects.filter(body_id=body_id, number__startswith=prefix)
            .order_by(Length("number").desc(), "-number").values_list("number", flat=True).first())
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def create_carry_out(*, actor, **fields) -> CarryOutRequest:
    if not can(actor, "media.create_carry_out"):
        raise Forbidden(_("持出し申請を行う権限がありません。"))
    cleaned = validate_carry_out(fields)
    for attempt in range(3):
        try:
            with transaction.atomic():
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


def update_carry_out(request: CarryOutRequest, *, actor, **fields) -> CarryOutRequest:
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
        before = snapshot(locked)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.save()
        record(actor, "update", locked, before, snapshot(locked))
    return locked
