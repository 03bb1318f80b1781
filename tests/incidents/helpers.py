"""Carry an incident along its procedure (service level), for tests that start further down the road."""

from tejun.incidents.checklists import choose_case, ensure_contact_matrix, record_contact
from tejun.incidents.models import ContactCase, Incident
from tejun.incidents.services import update_details
from tejun.workflow.engine import perform


def fresh(incident) -> Incident:
    return Incident.objects.get(pk=incident.pk)


def security_to_instruction(incident, officer, manager) -> Incident:
    perform(incident, "take_up", officer)
    perform(fresh(incident), "report_to_manager", officer, data={"findings": "外部からの不正ログインを確認"})
    return perform(fresh(incident), "report_to_supreme", manager)


def breach_ready_for_supreme(incident, manager, case_order=4) -> Incident:
    perform(incident, "take_up_breach", manager)
    update_details(fresh(incident), actor=manager, cause="施錠忘れ", damage="確認中", scope="職員名簿")
    ensure_contact_matrix(incident.body_id)
    case = ContactCase.objects.get(body_id=incident.body_id, order=case_order)
    return choose_case(fresh(incident), actor=manager, case=case)


def settle_contacts(incident, manager) -> None:
    for contact in fresh(incident).contacts.all():
        record_contact(contact, actor=manager, note="電話")
