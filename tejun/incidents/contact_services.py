"""Writes for the body's own incident settings: the P-10 contact matrix and the reminder hours."""

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from tejun.access.policy import can, same_body
from tejun.audit.services import record, snapshot
from tejun.lib.errors import Forbidden, NotFound
from tejun.orgs.roles import Role

from . import validation as v
from .models import ContactCase, ContactParty, ReminderRule
from .workflows import DEFAULT_REMINDER_HOURS


def _check(actor, obj=None):
    if obj is not None and not same_body(actor, obj):
        raise NotFound(_("見つかりません。"))
    if not can(actor, "incidents.manage_contacts"):
        raise Forbidden(_("緊急連絡先を編集する権限がありません。"))


def _party_fields(fields: dict) -> dict:
    errors: dict = {}
    cleaned = {
        "name": v.text(fields.get("name"), "name", errors, limit=100, required=True),
        "contact_details": v.text(fields.get("contact_details"), "contact_details", errors, limit=300),
        "note": v.text(fields.get("note"), "note", errors, limit=300),
    }
    if errors:
        raise v.invalid(errors)
    return cleaned


def save_party(*, actor, party: ContactParty | None = None, **fields) -> ContactParty:
    """Add a contact or change how one is reached (phone numbers change; the matrix follows)."""
    _check(actor, party)
    cleaned = _party_fields(fields)
    with transaction.atomic():
        if party is None:
            order = ContactParty.objects.filter(body_id=actor.body_id).count() + 1
            party = ContactParty.objects.create(body_id=actor.body_id, key=f"party-{uuid.uuid4().hex[:8]}",
                                                order=order, **cleaned)
            record(actor, "create", party, None, snapshot(party))
            return party
        locked = ContactParty.objects.select_for_update().get(pk=party.pk)
        before = snapshot(locked)
        for name, value in cleaned.items():
            setattr(locked, name, value)
        locked.save()
        record(actor, "update", locked, before, snapshot(locked))
    return locked


def save_case(*, actor, case: ContactCase | None = None, name, caller_role=Role.MANAGER, parties=(),
              active=True) -> ContactCase:
    """Add or change one row of the contact matrix."""
    _check(actor, case)
    errors: dict = {}
    name = v.text(name, "name", errors, limit=200, required=True)
    if caller_role not in Role.values or caller_role == Role.VENDOR:
        errors["caller_role"] = _("連絡者の役割を選んでください。")
    parties = list(parties or [])
    if not parties:
        errors["parties"] = _("連絡先を1つ以上選んでください。")
    elif any(not isinstance(p, ContactParty) or p.body_id != actor.body_id for p in parties):
        errors["parties"] = _("選択できない連絡先です。")
    if errors:
        raise v.invalid(errors)
    with transaction.atomic():
        if case is None:
            order = ContactCase.objects.filter(body_id=actor.body_id).count() + 1
            case = ContactCase.objects.create(body_id=actor.body_id, name=name, caller_role=caller_role,
                                              active=bool(active), order=order)
            before = None
        else:
            case = ContactCase.objects.select_for_update().get(pk=case.pk)
            before = {**snapshot(case), "parties": sorted(case.parties.values_list("pk", flat=True))}
            case.name, case.caller_role, case.active = name, caller_role, bool(active)
            case.save()
        case.parties.set(parties)
        after = {**snapshot(case), "parties": sorted(p.pk for p in parties)}
        record(actor, "create" if before is None else "update", case, before, after)
    return case


def set_reminder_hours(*, actor, hours: dict) -> dict:
    """How long each step may wait before its actors are reminded (hours, 1 to 2160)."""
    _check(actor)
    errors: dict = {}
    cleaned = {}
    for state, value in hours.items():
        if state not in DEFAULT_REMINDER_HOURS:
            errors[state] = _("この項目は指定できません。")
            continue
        number = v.count(value, state, errors)
        if number is not None and not 1 <= number <= 24 * 90:
            errors[state] = _("1〜2160の整数で入力してください。")
        elif number is None and state not in errors:
            errors[state] = _("入力してください。")
        cleaned[state] = number
    if errors:
        raise v.invalid(errors)
    with transaction.atomic():
        before = dict(ReminderRule.objects.filter(body_id=actor.body_id).values_list("state", "hours"))
        for state, number in cleaned.items():
            ReminderRule.objects.update_or_create(body_id=actor.body_id, state=state, defaults={"hours": number})
        after = dict(ReminderRule.objects.filter(body_id=actor.body_id).values_list("state", "hours"))
        record(actor, "incident_reminders", actor.body, before, after, body=actor.body,
               object_repr=_("事故対応の督促設定"))
    return after
