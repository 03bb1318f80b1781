"""P-12 through the services: the application, the officer's approval (代決), the memorandum, the return."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.vendors import services
from tejun.vendors.models import DataProvision
from tejun.workflow.engine import available_transitions, perform

from .conftest import pdf_file, provision_fields

pytestmark = pytest.mark.django_db


def test_application_is_numbered_and_audited(new_provision, staff_in_charge):
    from tejun.audit.models import AuditEvent

    p = new_provision()
    assert p.state == "submitted" and p.number.startswith("DP-")
    assert AuditEvent.objects.filter(object_id=str(p.pk), action="create").exists()


def test_bad_input_names_the_fields_and_saves_nothing(staff_in_charge, contractor):
    with pytest.raises(InvalidInput) as e:
        services.create_provision(actor=staff_in_charge, contractor=contractor,
                                  **provision_fields(period_end=timezone.localdate() - timedelta(days=1),
                                                     data_description=""))
    assert "data_description" in e.value.fields
    with pytest.raises(InvalidInput) as e:
        services.create_provision(actor=staff_in_charge, contractor=contractor,
                                  **provision_fields(period_end=timezone.localdate() - timedelta(days=1)))
    assert "period_end" in e.value.fields
    assert not DataProvision.objects.exists()


def test_contractor_of_another_body_is_refused(staff_in_charge, other_contractor):
    with pytest.raises(InvalidInput) as e:
        services.create_provision(actor=staff_in_charge, contractor=other_contractor, **provision_fields())
    assert "contractor" in e.value.fields


def test_vendor_may_not_file(vendor, vendor_account, contractor):
    with pytest.raises(Forbidden):
        services.create_provision(actor=vendor, contractor=contractor, **provision_fields())


def test_approval_generates_the_memorandum(new_provision, officer):
    p = perform(new_provision(), "approve", officer)
    assert p.state == "approved"
    text = p.memorandum_text
    for n in range(1, 10):
        assert f"第{n}条" in text
    assert "テスト町議会（以下「甲」という。）" in text and "〇〇システム株式会社（以下「乙」という。）" in text
    assert "会議録検索システム構築業務" in text and "本書2通を作成" in text and "本通" not in text
    assert "令和" in text and "{" not in text


def test_requester_cannot_approve_and_manager_decides_when_officer_absent(new_provision, officer, manager,
                                                                         staff_in_charge, make_absent):
    p = new_provision()
    with pytest.raises(Forbidden):
        perform(p, "approve", staff_in_charge)
    with pytest.raises(Forbidden):
        perform(p, "approve", manager)  # the officer is present
    make_absent(officer)
    p = perform(p, "approve", manager)
    from tejun.workflow.engine import history

    log = list(history(p))[-1]
    assert log.deputy_decision and p.state == "approved"


def test_steps_in_order_and_refusals(new_provision, officer, staff_in_charge):
    p = new_provision()
    with pytest.raises(WrongState):
        services.upload_signed_memorandum(p, actor=staff_in_charge, file=pdf_file())
    p = perform(p, "approve", officer)
    with pytest.raises(WrongState):
        services.provide(p, actor=staff_in_charge, provided_on=timezone.localdate(), provided_medium="USB")
    with pytest.raises(InvalidInput):
        services.upload_signed_memorandum(p, actor=staff_in_charge, file=pdf_file().__class__(
            "x.pdf", b"not a pdf", content_type="application/pdf"))
    p.refresh_from_db()
    assert p.state == "approved" and not p.signed_file
    p = services.upload_signed_memorandum(p, actor=staff_in_charge, file=pdf_file("signed.pdf"))
    assert p.state == "signed" and p.signed_name == "signed.pdf"
    with pytest.raises(InvalidInput):
        services.provide(p, actor=staff_in_charge, provided_on=timezone.localdate() + timedelta(days=1),
                         provided_medium="USB")
    p = services.provide(p, actor=staff_in_charge, provided_on=timezone.localdate(), provided_medium="USB 1本")
    assert p.state == "provided" and p.provided_medium == "USB 1本"


def test_vendor_confirms_return_staff_closes(provided, vendor, vendor_account, staff_in_charge):
    p = provided()
    assert [t.name for t, _a in available_transitions(vendor, p)] == ["return_data"]
    p = services.return_data(p, actor=vendor)
    assert p.state == "returned" and p.returned_on == timezone.localdate()
    with pytest.raises(Forbidden):
        services.transition(p, "close", actor=vendor)
    p = services.transition(p, "close", actor=staff_in_charge)
    assert p.state == "closed"


def test_erasure_with_certificate(provided, staff_in_charge, vendor, vendor_account):
    p = provided()
    with pytest.raises(Forbidden):
        services.record_erasure(p, actor=vendor, file=pdf_file(), erased_on=timezone.localdate())
    p = services.record_erasure(p, actor=staff_in_charge, file=pdf_file("cert.pdf"), erased_on=timezone.localdate())
    assert p.state == "erased" and p.erasure_name == "cert.pdf"


def test_vendor_of_another_contractor_gets_not_found(provided, vendor_b):
    p = provided()
    with pytest.raises(NotFound):
        services.return_data(p, actor=vendor_b)
    with pytest.raises(NotFound):
        services.transition(p, "return_data", actor=vendor_b)
    with pytest.raises(NotFound):
        services.report_accident(p, actor=vendor_b, kind="theft", description="盗まれた")


def test_outsider_gets_not_found(new_provision, outsider):
    p = new_provision()
    with pytest.raises(NotFound):
        services.transition(p, "approve", actor=outsider)


def test_sent_back_application_is_corrected_by_its_requester(new_provision, officer, staff_in_charge, staff):
    p = perform(new_provision(), "send_back", officer, comment="期間を短く")
    with pytest.raises(Forbidden):
        services.update_provision(p, actor=officer, medium="DVD-R")
    p = services.update_provision(p, actor=staff_in_charge, medium="DVD-R")
    assert p.medium == "DVD-R"
    p = perform(p, "resubmit", staff_in_charge)
    with pytest.raises(WrongState):
        services.update_provision(p, actor=staff_in_charge, medium="USB")


def test_article_6_accident_opens_an_incident_linked_to_the_provision(provided, vendor, vendor_account):
    from tejun.vendors.selectors import incidents_of

    p = provided()
    incident = services.report_accident(p, actor=vendor, kind="leak_loss", description="USBメモリを紛失した")
    assert incident.contractor_id == p.contractor_id and incident.body_id == p.body_id
    assert [i.pk for i in incidents_of(p)] == [incident.pk]


def test_accident_refusals(new_provision, provided, vendor, vendor_account):
    with pytest.raises(InvalidInput) as e:
        services.report_accident(provided(), actor=vendor, kind="fire", description="")
    assert {"kind", "description"} <= set(e.value.fields)
    with pytest.raises(WrongState):
        services.report_accident(new_provision(), actor=vendor, kind="theft", description="盗難")


def test_only_the_contractors_own_accounts_hear_about_its_provision(provided, vendor, vendor_account, vendor_b):
    from tejun.notify.models import Notification

    p = provided()
    assert Notification.objects.filter(recipient=vendor, title__contains=p.number).exists()
    assert not Notification.objects.filter(recipient=vendor_b).exists()
    services.return_data(p, actor=vendor)
    assert not Notification.objects.filter(recipient=vendor_b).exists()
