"""open_incident: who may report, the routing by kind, the first receiver told at once, the refusals."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.incidents.models import Incident, TimelineEntry
from tejun.incidents.selectors import open_incidents
from tejun.lib.errors import Forbidden, InvalidInput, NotFound
from tejun.notify.models import Notification
from tejun.vendors.models import Contractor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("kind", "procedure", "receiver"), [
    ("unauthorized_access", "security", "officer"),
    ("virus", "security", "officer"),
    ("other", "security", "officer"),
    ("malfunction", "malfunction", "staff_in_charge"),
    ("failure", "failure", "officer"),
    ("leak_loss", "breach", "manager"),
    ("theft", "breach", "manager"),
])
def test_a_report_routes_by_kind_and_tells_the_first_receiver(everyone, report, kind, procedure, receiver,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        incident = report(everyone["staff"], kind=kind)
    assert incident.procedure == procedure and incident.state == "reported" and incident.is_open
    assert incident.number == "IN-00001" and incident.body_id == everyone["staff"].body_id
    told = {n.recipient for n in Notification.objects.all()}
    assert told == {everyone[receiver]}
    assert mail.outbox and everyone[receiver].email in mail.outbox[0].to
    assert incident.number in Notification.objects.get().title
    assert AuditEvent.objects.filter(object_type="incidents.Incident", action="create").count() == 1
    assert TimelineEntry.objects.filter(incident=incident, kind="transition").count() == 1


def test_numbers_follow_per_body_and_title_is_made_from_the_text(everyone, report, outsider):
    first = report(everyone["staff"], description="画面に身代金要求が表示された\n詳細は後で")
    second = report(everyone["staff"])
    other = report(outsider)
    assert (first.number, second.number, other.number) == ("IN-00001", "IN-00002", "IN-00001")
    assert first.title == "不正アクセス：画面に身代金要求が表示された"
    assert set(open_incidents(everyone["staff"].body)) == {first, second}


def test_nobody_holding_the_first_role_still_reaches_manager_and_supreme_admin(staff, manager, supreme_admin,
                                                                                 report):
    report(staff, kind="virus")  # no officer in this body
    assert {n.recipient for n in Notification.objects.all()} == {manager, supreme_admin}


def test_bad_input_is_refused_with_fields_and_nothing_saved(staff, report):
    with pytest.raises(InvalidInput) as e:
        report(staff, kind="earthquake", description="")
    assert {"kind", "description"} <= set(e.value.fields)
    with pytest.raises(InvalidInput) as e:
        report(staff, occurred_at=timezone.now() + timedelta(days=1))
    assert "occurred_at" in e.value.fields
    with pytest.raises(InvalidInput) as e:
        report(staff, colour="red")
    assert "colour" in e.value.fields
    with pytest.raises(InvalidInput) as e:
        report(staff, persons_affected="many")
    assert "persons_affected" in e.value.fields
    assert not Incident.objects.exists() and not Notification.objects.exists()


def test_vendor_reports_for_its_own_contractor_only(vendor_account, contractor, body, manager, report):
    incident = report(vendor_account, kind="leak_loss", description="預かったUSBメモリを紛失しました。")
    assert incident.contractor == contractor and incident.requester == vendor_account
    other = Contractor.objects.create(body=body, name="別会社")
    with pytest.raises(Forbidden):
        report(vendor_account, contractor=other)


def test_vendor_without_contractor_account_may_not_report(vendor, report):
    with pytest.raises(Forbidden):
        report(vendor)


def test_source_and_contractor_of_another_body_are_not_found(staff, outsider, report):
    foreign = Contractor.objects.create(body=outsider.body, name="他団体の業者")
    with pytest.raises(NotFound):
        report(staff, contractor=foreign)
    with pytest.raises(NotFound):
        report(staff, source=foreign)


def test_source_is_kept(staff, contractor, report):
    incident = report(staff, kind="theft", source=contractor)
    assert incident.source_type.model_class() is Contractor and incident.source_id == str(contractor.pk)
    assert contractor.name in incident.source_label


def test_anonymous_or_bodyless_user_may_not_report(report, django_user_model):
    ghost = django_user_model.objects.create_user(login_id="ghost", password="x" * 12, full_name="無所属")
    with pytest.raises(Forbidden):
        report(ghost)
