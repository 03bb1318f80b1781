"""What each incident transition records, called by the engine inside its transaction (Incident.on_<name>).

Every transition adds a timeline entry; closing is refused while a required contact is neither
done nor waived, or a network-disconnection step is missing.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.access.policy import roles_of
from tejun.lib.errors import WrongState
from tejun.lib.wareki import to_wareki_datetime
from tejun.orgs.roles import Role

from . import validation as v
from .models import Incident, TimelineEntry

CLOSING = ("complete", "remedy", "accept_failure_record")
# transition -> fields it takes from the posted data, and which of them must not be empty
DATA_FIELDS = {
    "report_to_manager": ("findings", "system_name", "failure_started_at", "failure_ended_at", "impact", "cause"),
    "contact_vendor": ("vendor_name", "vendor_contacted_at", "vendor_note"),
    "remedy": ("cause", "action_taken", "prevention"),
    "report_to_supreme": ("description", "cause", "damage", "scope"),
    "instruct": ("instruction",),
    "complete": ("action_taken", "prevention"),
    "accept_failure_record": ("failure_ended_at", "action_taken", "prevention"),
}
FAILURE_REPORT_FIELDS = ("system_name", "failure_started_at", "impact")
FAILURE_RECORD_FIELDS = ("system_name", "failure_started_at", "failure_ended_at", "impact", "cause",
                         "action_taken", "prevention")
BREACH_REPORT_FIELDS = ("description", "cause", "damage", "scope")


def missing_for_closure(incident: Incident) -> list[str]:
    """What still stands between the incident and its closure, in words for the page and the error."""
    missing = []
    if incident.is_breach and incident.case_id is None:
        missing.append(_("事案の区分（連絡先）が選ばれていません。"))
    open_contacts = [c.name for c in incident.contacts.all() if not c.settled]
    if open_contacts:
        missing.append(_("未連絡の連絡先：%(names)s") % {"names": "、".join(open_contacts)})
    open_steps = [str(s.get_step_display()) for s in incident.disconnection_steps.all() if not s.done_at]
    if open_steps:
        missing.append(_("未実施のネットワーク切断手順：%(steps)s") % {"steps": "、".join(open_steps)})
    if incident.is_failure:
        empty = [str(Incident._meta.get_field(f).verbose_name) for f in FAILURE_RECORD_FIELDS
                 if not getattr(incident, f)]
        if empty:
            missing.append(_("障害記録の未入力項目：%(fields)s") % {"fields": "、".join(empty)})
    return missing


def _empty_fields(incident: Incident, names) -> list[str]:
    return [n for n in names if not getattr(incident, n)]


def _take_data(incident: Incident, name: str, data: dict) -> None:
    errors: dict = {}
    from .services import clean_fields

    given = {k: data[k] for k in DATA_FIELDS.get(name, ()) if k in data and data[k] not in (None, "")}
    if "instruction" in given:
        given_instruction = v.text(given.pop("instruction"), "instruction", errors, limit=5000, required=True)
    else:
        given_instruction = None
    cleaned = clean_fields(given, errors)
    if errors:
        raise v.invalid(errors)
    for field, value in cleaned.items():
        setattr(incident, field, value)
    if given_instruction is not None:
        incident.instruction = given_instruction
    # The vendor contact keeps its time: now unless told otherwise.
    if name == "contact_vendor" and not incident.vendor_contacted_at:
        incident.vendor_contacted_at = timezone.now()
    if name == "contact_vendor" and not incident.vendor_name and incident.contractor_id:
        incident.vendor_name = incident.contractor.name


def _require(incident: Incident, names, message: str) -> None:
    empty = _empty_fields(incident, names)
    if empty:
        raise v.invalid({n: _("入力してください。") for n in empty} | {"__all__": message})


def apply_transition(incident: Incident, name: str, *, actor, data: dict, comment: str) -> None:
    t = incident.workflow.get(name)
    if not incident.transition_allowed(name):
        raise WrongState(_("この事故（%(procedure)s）では、現在の状態（%(state)s）で「%(action)s」はできません。") % {
            "procedure": incident.procedure_label, "state": incident.state_label, "action": t.label})
    _take_data(incident, name, data)
    if name == "report_to_manager" and incident.is_failure:
        _require(incident, FAILURE_REPORT_FIELDS, _("障害の発生したシステム、発生日時、影響を入力してください。"))
    if name == "report_to_supreme" and incident.is_breach:
        _require(incident, BREACH_REPORT_FIELDS, _("事案の内容、原因、確認した被害、影響範囲を入力してください。"))
        if incident.case_id is None:
            raise v.invalid({"case": _("事案の区分を選んでください（連絡先が決まります）。")})
    if name in CLOSING:
        missing = missing_for_closure(incident)
        if missing:
            raise WrongState(_("まだ完了できません。") + " " + " ".join(missing))
        incident.closed_at = timezone.now()
    text = str(t.label)
    for field in DATA_FIELDS.get(name, ()):
        if data.get(field) not in (None, ""):
            label = Incident._meta.get_field(field).verbose_name
            value = getattr(incident, field)
            if isinstance(value, datetime):  # the timeline reads in 和暦, Tokyo time
                value = to_wareki_datetime(value)
            text += f"\n{label}：{value}"
    if name == "instruct" and Role.SUPREME_ADMIN not in roles_of(actor):
        text += "\n" + _("（代決：統括管理者が不在のため、管理者の判断による）")
    if comment:
        text += "\n" + _("コメント：%(comment)s") % {"comment": comment}
    TimelineEntry.objects.create(incident=incident, kind=TimelineEntry.Kind.TRANSITION, at=timezone.now(),
                                 author=actor, text=text)
