"""The breach contact checklist (P-10) and the network-disconnection checklist (P-11)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.audit.services import record, snapshot
from tejun.lib.errors import InvalidInput, NotFound, WrongState

from . import matrix
from . import validation as v
from .models import ContactCase, ContactParty, DisconnectionStep, Incident, IncidentContact, TimelineEntry
from .services import check_handler

Step = DisconnectionStep.Step
# Recovery only after the evidence is preserved and the interim prevention considered.
STEP_PREREQUISITES = {Step.RECOVER: (Step.PRESERVE_EVIDENCE, Step.INTERIM_PREVENTION)}


def ensure_contact_matrix(body_id: int) -> None:
    """Seed the source's five cases for a body that has none yet (new bodies, first time needed)."""
    matrix.seed(body_id, ContactParty, ContactCase)


def _timeline(incident, actor, text, at=None):
    TimelineEntry.objects.create(incident=incident, kind=TimelineEntry.Kind.CHECKLIST, at=at or timezone.now(),
                                 author=actor, text=text)


def choose_case(incident: Incident, *, actor, case) -> Incident:
    """Pick the case of the contact matrix; its contacts become the incident's checklist.
    Contacts already made stay; the others follow the new case."""
    check_handler(incident, actor)
    if not incident.is_breach:
        raise WrongState(_("事案の区分は情報資産への侵害（P-10）の事故で選びます。"))
    if not isinstance(case, ContactCase) or case.body_id != incident.body_id or not case.active:
        raise InvalidInput(_("入力内容を確認してください。"), fields={"case": _("事案の区分を選んでください。")})
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        before = snapshot(locked)
        kept = list(locked.contacts.filter(done_at__isnull=False))
        locked.contacts.filter(done_at__isnull=True).delete()
        kept_parties = {c.party_id for c in kept}
        for order, party in enumerate(case.parties.order_by("order", "id"), start=1):
            if party.pk in kept_parties:
                continue
            IncidentContact.objects.create(incident=locked, party=party, name=party.name,
                                           contact_details=party.contact_details, caller_role=case.caller_role,
                                           order=order)
        locked.case = case
        locked.save()
        record(actor, "choose_case", locked, before, snapshot(locked))
        _timeline(locked, actor, _("事案の区分：%(case)s") % {"case": case.name})
    return locked


def _locked_contact(contact: IncidentContact, actor) -> IncidentContact:
    check_handler(contact.incident, actor)
    return IncidentContact.objects.select_for_update().select_related("incident").get(pk=contact.pk)


def record_contact(contact: IncidentContact, *, actor, done_at=None, note: str = "") -> IncidentContact:
    """連絡済: when, by whom (the actor), what was said."""
    errors: dict = {}
    when = v.past_datetime(done_at, "done_at", errors) or timezone.now()
    note = v.text(note, "note", errors, limit=300)
    if errors:
        raise v.invalid(errors)
    with transaction.atomic():
        locked = _locked_contact(contact, actor)
        before = snapshot(locked)
        locked.done_at, locked.done_by, locked.note, locked.waived_reason = when, actor, note, ""
        locked.save()
        record(actor, "contact_done", locked, before, snapshot(locked), body=locked.incident.body,
               object_repr=f"{locked.incident.number} {locked.name}")
        _timeline(locked.incident, actor, _("連絡：%(name)s %(note)s") % {"name": locked.name, "note": note}, when)
    return locked


def waive_contact(contact: IncidentContact, *, actor, reason: str) -> IncidentContact:
    """連絡不要: a required contact is left out only with a reason."""
    errors: dict = {}
    reason = v.text(reason, "waived_reason", errors, limit=300, required=True)
    if errors:
        raise v.invalid(errors)
    with transaction.atomic():
        locked = _locked_contact(contact, actor)
        if locked.done_at:
            raise WrongState(_("連絡済みの連絡先は連絡不要にできません。"))
        before = snapshot(locked)
        locked.waived_reason = reason
        locked.save()
        record(actor, "contact_waived", locked, before, snapshot(locked), body=locked.incident.body,
               object_repr=f"{locked.incident.number} {locked.name}")
        _timeline(locked.incident, actor, _("連絡不要：%(name)s（理由：%(reason)s）") % {
            "name": locked.name, "reason": reason})
    return locked


def attach_disconnection(incident: Incident, *, actor) -> Incident:
    """P-11: attach the ten network-disconnection steps to the incident."""
    check_handler(incident, actor)
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if locked.disconnection_steps.exists():
            raise WrongState(_("ネットワーク切断のチェックリストは既にあります。"))
        DisconnectionStep.objects.bulk_create([DisconnectionStep(incident=locked, step=s) for s in Step.values])
        record(actor, "disconnection_attached", locked, None, {"steps": list(Step.values)})
        _timeline(locked, actor, _("ネットワーク切断の手順（P-11）を開始"))
    return locked


def mark_step(step: DisconnectionStep, *, actor, done_at=None, note: str = "") -> DisconnectionStep:
    """One step done: when, by whom, with a note. Recovery waits for the evidence to be preserved."""
    if not isinstance(step, DisconnectionStep):
        raise NotFound(_("見つかりません。"))
    check_handler(step.incident, actor)
    errors: dict = {}
    when = v.past_datetime(done_at, "done_at", errors) or timezone.now()
    note = v.text(note, "note", errors, limit=300)
    if errors:
        raise v.invalid(errors)
    with transaction.atomic():
        locked = DisconnectionStep.objects.select_for_update().select_related("incident").get(pk=step.pk)
        if locked.done_at:
            raise WrongState(_("この手順は実施済みです。"))
        needed = STEP_PREREQUISITES.get(locked.step, ())
        if needed:
            done = set(DisconnectionStep.objects.filter(incident_id=locked.incident_id, step__in=needed,
                                                        done_at__isnull=False).values_list("step", flat=True))
            missing = [str(Step(s).label) for s in needed if s not in done]
            if missing:
                raise WrongState(_("復旧の前に次の手順を実施してください：%(steps)s") % {"steps": "、".join(missing)})
        before = snapshot(locked)
        locked.done_at, locked.done_by, locked.note = when, actor, note
        locked.save()
        record(actor, "disconnection_step", locked, before, snapshot(locked), body=locked.incident.body,
               object_repr=f"{locked.incident.number} {locked.get_step_display()}")
        _timeline(locked.incident, actor, _("ネットワーク切断：%(step)s %(note)s") % {
            "step": locked.get_step_display(), "note": note}, when)
    return locked
