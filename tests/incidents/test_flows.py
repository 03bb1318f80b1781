"""The four procedures end to end through the engine, the absence path, and every refusal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.incidents.checklists import attach_disconnection, mark_step, record_contact, waive_contact
from tejun.incidents.models import DisconnectionStep, Incident
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.notify.models import Notification
from tejun.workflow.engine import available_transitions, history, next_actors, perform
from tejun.workflow.models import TransitionLog

from .helpers import breach_ready_for_supreme, fresh, security_to_instruction, settle_contacts

pytestmark = pytest.mark.django_db


def names(user, incident):
    return {t.name for t, _a in available_transitions(user, fresh(incident))}


def test_security_incident_p04_full_chain(everyone, report):
    staff, officer, manager, supreme = (everyone[k] for k in ("staff", "officer", "manager", "supreme_admin"))
    incident = report(staff)
    assert names(officer, incident) == {"take_up"} and names(staff, incident) == {"withdraw"}
    assert next_actors(fresh(incident)) == {officer}
    incident = perform(incident, "take_up", officer, comment="ログを確認します")
    assert incident.state == "investigating"
    with pytest.raises(InvalidInput) as e:
        perform(incident, "report_to_manager", officer)
    assert "findings" in e.value.fields
    incident = perform(incident, "report_to_manager", officer, data={"findings": "VPN経由の不正ログイン"})
    assert incident.findings == "VPN経由の不正ログイン" and next_actors(incident) == {manager}
    incident = perform(incident, "report_to_supreme", manager)
    assert next_actors(incident) == {supreme}
    Notification.objects.all().delete()
    incident = perform(incident, "instruct", supreme, data={"instruction": "パスワードを全員変更させること"})
    assert incident.instruction == "パスワードを全員変更させること" and incident.state == "responding"
    assert manager in {n.recipient for n in Notification.objects.all()}
    incident = perform(incident, "complete", manager, data={"action_taken": "全職員のパスワードを変更",
                                                            "prevention": "多要素認証を導入"})
    assert incident.state == "closed" and incident.closed_at and not incident.is_open
    logs = list(history(incident))
    assert [h.transition for h in logs] == ["take_up", "report_to_manager", "report_to_supreme", "instruct",
                                           "complete"]
    assert not any(h.deputy_decision for h in logs)
    texts = [e.text for e in incident.timeline.all()]
    assert len(texts) == 6 and "パスワードを全員変更させること" in texts[4]
    assert names(manager, incident) == set()


def test_absence_path_manager_decides_on_own_judgement_and_it_is_recorded(everyone, report, make_absent):
    staff, officer, manager, supreme = (everyone[k] for k in ("staff", "officer", "manager", "supreme_admin"))
    incident = security_to_instruction(report(staff), officer, manager)
    assert "instruct" not in names(manager, incident)  # the supreme admin is present
    with pytest.raises(Forbidden):
        perform(fresh(incident), "instruct", manager, data={"instruction": "独断"})
    make_absent(supreme)
    assert next_actors(fresh(incident)) == {manager}
    incident = perform(fresh(incident), "instruct", manager, deputy_reason="副議長は海外出張中",
                       data={"instruction": "管理者判断でネットワークを切断する"})
    log = TransitionLog.objects.get(transition="instruct")
    assert log.deputy_decision and log.deputy_reason == "副議長は海外出張中" and log.acting_role == "manager"
    assert "代決" in incident.timeline.last().text
    assert incident.instruction == "管理者判断でネットワークを切断する"


def test_absence_reason_defaults_to_who_is_away(everyone, report, make_absent):
    staff, officer, manager, supreme = (everyone[k] for k in ("staff", "officer", "manager", "supreme_admin"))
    incident = security_to_instruction(report(staff), officer, manager)
    make_absent(supreme)
    perform(fresh(incident), "instruct", manager, data={"instruction": "切断"})
    assert supreme.full_name in TransitionLog.objects.get(transition="instruct").deputy_reason


def test_a_manager_who_reported_may_still_decide_when_the_supreme_admin_is_away(everyone, report, make_absent):
    officer, manager, supreme = everyone["officer"], everyone["manager"], everyone["supreme_admin"]
    incident = security_to_instruction(report(manager), officer, manager)
    make_absent(supreme)
    incident = perform(fresh(incident), "instruct", manager, data={"instruction": "自ら判断"})
    assert incident.state == "responding"


def test_wrong_role_is_refused_403_and_nothing_changes(everyone, report):
    staff, manager = everyone["staff"], everyone["manager"]
    incident = report(staff)
    with pytest.raises(Forbidden):
        perform(incident, "take_up", staff)
    with pytest.raises(Forbidden):
        perform(incident, "take_up", manager)
    assert fresh(incident).state == "reported" and not TransitionLog.objects.exists()


def test_wrong_state_is_refused_409(everyone, report):
    incident = report(everyone["staff"])
    with pytest.raises(WrongState):
        perform(incident, "complete", everyone["manager"], data={"action_taken": "x"})
    with pytest.raises(WrongState):
        perform(incident, "report_to_manager", everyone["officer"], data={"findings": "x"})


def test_a_transition_of_another_procedure_is_refused_409(everyone, report):
    incident = report(everyone["staff"], kind="malfunction")
    assert "take_up" not in names(everyone["officer"], incident)
    with pytest.raises(WrongState):
        perform(incident, "take_up", everyone["officer"])
    breach = report(everyone["staff"], kind="theft")
    with pytest.raises(WrongState):
        perform(breach, "take_up", everyone["officer"])


def test_other_body_is_not_found(everyone, report, outsider):
    incident = report(everyone["staff"])
    with pytest.raises(NotFound):
        perform(incident, "take_up", outsider)


def test_reporter_withdraws_before_take_up_with_a_reason(everyone, report):
    incident = report(everyone["staff"])
    with pytest.raises(InvalidInput):
        perform(incident, "withdraw", everyone["staff"])
    incident = perform(incident, "withdraw", everyone["staff"], comment="誤報でした")
    assert incident.state == "withdrawn" and not incident.is_open
    other = perform(report(everyone["staff"]), "take_up", everyone["officer"])
    with pytest.raises(WrongState):
        perform(other, "withdraw", everyone["staff"], comment="遅すぎ")


def test_malfunction_p04_with_vendor_contact(everyone, report, contractor):
    in_charge = everyone["staff_in_charge"]
    incident = report(everyone["staff"], kind="malfunction", contractor=contractor)
    assert next_actors(fresh(incident)) == {in_charge}
    incident = perform(incident, "take_up_malfunction", in_charge)
    assert names(in_charge, incident) == {"contact_vendor", "remedy"}
    incident = perform(incident, "contact_vendor", in_charge, data={"vendor_note": "部品交換を依頼"})
    assert incident.vendor_name == contractor.name and incident.vendor_contacted_at
    with pytest.raises(InvalidInput):
        perform(incident, "remedy", in_charge, data={"cause": "LED故障"})
    incident = perform(incident, "remedy", in_charge, data={"cause": "LED故障", "action_taken": "交換"})
    assert incident.state == "closed"


def test_malfunction_without_vendor_and_vendor_time_not_in_future(everyone, report):
    in_charge = everyone["staff_in_charge"]
    incident = perform(report(everyone["staff"], kind="malfunction"), "take_up_malfunction", in_charge)
    with pytest.raises(InvalidInput) as e:
        perform(incident, "contact_vendor", in_charge,
                data={"vendor_note": "x", "vendor_contacted_at": timezone.now() + timedelta(days=2)})
    assert "vendor_contacted_at" in e.value.fields
    incident = perform(fresh(incident), "remedy", in_charge, data={"cause": "設定誤り", "action_taken": "修正"})
    assert incident.state == "closed" and not incident.vendor_note


def test_failure_p06_ends_in_a_failure_record(everyone, report):
    officer, manager = everyone["officer"], everyone["manager"]
    incident = perform(report(everyone["staff"], kind="failure", system_name="会議録検索システム"), "take_up", officer)
    with pytest.raises(InvalidInput) as e:
        perform(incident, "report_to_manager", officer, data={"findings": "サーバ停止"})
    assert {"failure_started_at", "impact"} <= set(e.value.fields)
    started = timezone.now() - timedelta(hours=3)
    incident = perform(fresh(incident), "report_to_manager", officer, data={
        "findings": "サーバ停止", "failure_started_at": started, "impact": "検索できない", "cause": "ディスク故障"})
    assert names(manager, incident) == {"accept_failure_record"}
    with pytest.raises(WrongState) as e:
        perform(incident, "accept_failure_record", manager)
    assert "障害記録" in e.value.text()
    incident = perform(fresh(incident), "accept_failure_record", manager, data={
        "failure_ended_at": timezone.now() - timedelta(hours=1), "action_taken": "ディスク交換",
        "prevention": "RAID化"})
    assert incident.state == "closed" and incident.failure_started_at == started
    assert "障害の復旧日時：令和" in incident.timeline.order_by("id").last().text  # shown in 和暦, Tokyo time


def test_failure_end_before_start_is_refused(everyone, report):
    officer = everyone["officer"]
    incident = perform(report(everyone["staff"], kind="failure"), "take_up", officer)
    with pytest.raises(InvalidInput) as e:
        perform(incident, "report_to_manager", officer, data={
            "findings": "x", "system_name": "s", "impact": "i", "failure_started_at": timezone.now(),
            "failure_ended_at": timezone.now() - timedelta(hours=5)})
    assert "failure_ended_at" in e.value.fields


def test_breach_p10_needs_its_fields_and_case_then_contacts_before_closing(everyone, report):
    staff, manager, supreme = everyone["staff"], everyone["manager"], everyone["supreme_admin"]
    incident = report(staff, kind="leak_loss")
    assert next_actors(fresh(incident)) == {manager}
    incident = perform(incident, "take_up_breach", manager)
    with pytest.raises(InvalidInput) as e:
        perform(incident, "report_to_supreme", manager)
    assert {"cause", "damage", "scope"} <= set(e.value.fields)
    incident = breach_ready_for_supreme(report(staff, kind="leak_loss"), manager, case_order=1)
    assert [c.name for c in incident.contacts.all()] == [
        "議会管理者", "情報システム・セキュリティ統括管理者", "警察", "影響が考えられる個人及び法人"]
    incident = perform(fresh(incident), "report_to_supreme", manager)
    incident = perform(incident, "instruct", supreme, data={"instruction": "警察へ届け出ること"})
    with pytest.raises(WrongState) as e:
        perform(incident, "complete", manager, data={"action_taken": "届出済"})
    assert "警察" in e.value.text() and fresh(incident).state == "responding"
    contacts = list(fresh(incident).contacts.all())
    for contact in contacts[:3]:
        record_contact(contact, actor=manager, note="電話連絡")
    with pytest.raises(InvalidInput):
        waive_contact(contacts[3], actor=manager, reason="")
    waive_contact(contacts[3], actor=manager, reason="個人の特定に至らず影響なし")
    incident = perform(fresh(incident), "complete", manager, data={"action_taken": "届出済"})
    assert incident.state == "closed"


def test_choosing_another_case_keeps_contacts_already_made(everyone, report):
    from tejun.incidents.checklists import choose_case
    from tejun.incidents.models import ContactCase

    manager = everyone["manager"]
    incident = breach_ready_for_supreme(report(everyone["staff"], kind="theft"), manager, case_order=2)
    police = fresh(incident).contacts.get(name="警察")
    record_contact(police, actor=manager)
    other = ContactCase.objects.get(body=incident.body, order=4)
    incident = choose_case(fresh(incident), actor=manager, case=other)
    assert {c.name for c in incident.contacts.all()} == {"警察", "情報システムに係る外部委託事業者"}


def test_case_only_for_breaches_and_only_by_handlers(everyone, report, outsider):
    from tejun.incidents.checklists import choose_case, ensure_contact_matrix
    from tejun.incidents.models import ContactCase

    ensure_contact_matrix(everyone["staff"].body_id)
    case = ContactCase.objects.filter(body=everyone["staff"].body).first()
    security = report(everyone["staff"])
    with pytest.raises(WrongState):
        choose_case(security, actor=everyone["manager"], case=case)
    breach = report(everyone["staff"], kind="leak_loss")
    with pytest.raises(Forbidden):
        choose_case(breach, actor=everyone["staff"], case=case)
    with pytest.raises(NotFound):
        choose_case(breach, actor=outsider, case=case)
    ensure_contact_matrix(outsider.body_id)
    foreign = ContactCase.objects.filter(body=outsider.body).first()
    with pytest.raises(InvalidInput):
        choose_case(breach, actor=everyone["manager"], case=foreign)


def test_disconnection_p11_steps_recovery_after_evidence_and_no_closing_with_steps_missing(everyone, report):
    officer, manager, supreme = everyone["officer"], everyone["manager"], everyone["supreme_admin"]
    incident = security_to_instruction(report(everyone["staff"], kind="virus"), officer, manager)
    attach_disconnection(incident, actor=officer)
    with pytest.raises(WrongState):
        attach_disconnection(incident, actor=officer)
    steps = {s.step: s for s in fresh(incident).disconnection_steps.all()}
    assert len(steps) == 10
    with pytest.raises(WrongState) as e:
        mark_step(steps[DisconnectionStep.Step.RECOVER], actor=officer)
    assert "証拠保全" in e.value.text()
    incident = perform(fresh(incident), "instruct", supreme, data={"instruction": "切断して保全"})
    for number in (1, 2, 3, 4, 5, 6):
        mark_step(steps[number], actor=officer, note=f"手順{number}")
    with pytest.raises(WrongState) as e:
        perform(fresh(incident), "complete", manager, data={"action_taken": "駆除"})
    assert "未実施のネットワーク切断手順" in e.value.text()
    for number in (7, 8, 9, 10):
        mark_step(steps[number], actor=officer)
    with pytest.raises(WrongState):
        mark_step(fresh(incident).disconnection_steps.get(step=1), actor=officer)
    assert perform(fresh(incident), "complete", manager, data={"action_taken": "駆除"}).state == "closed"
    assert fresh(incident).disconnection_steps.filter(done_by=officer).count() == 10


def test_checklists_refuse_staff_future_times_and_closed_incidents(everyone, report):
    officer, staff = everyone["officer"], everyone["staff"]
    incident = report(staff)
    with pytest.raises(Forbidden):
        attach_disconnection(incident, actor=staff)
    attach_disconnection(incident, actor=officer)
    step = fresh(incident).disconnection_steps.get(step=1)
    with pytest.raises(Forbidden):
        mark_step(step, actor=staff)
    with pytest.raises(InvalidInput):
        mark_step(step, actor=officer, done_at=timezone.now() + timedelta(hours=2))
    perform(fresh(incident), "withdraw", staff, comment="誤報")
    with pytest.raises(WrongState):
        mark_step(fresh(incident).disconnection_steps.get(step=1), actor=officer)


def test_settle_helper_closes_a_breach(everyone, report):
    manager, supreme = everyone["manager"], everyone["supreme_admin"]
    incident = breach_ready_for_supreme(report(everyone["staff"], kind="leak_loss"), manager)
    perform(fresh(incident), "report_to_supreme", manager)
    perform(fresh(incident), "instruct", supreme, data={"instruction": "事業者へ連絡"})
    settle_contacts(incident, manager)
    assert perform(fresh(incident), "complete", manager, data={"action_taken": "対応済"}).state == "closed"
    assert Incident.objects.get(pk=incident.pk).closed_at
