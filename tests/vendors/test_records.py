"""P-05 on-site work, P-08 repairs, P-09 equipment disposal: services, pages and their refusals."""

import pytest
from django.urls import reverse

from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.vendors import services
from tejun.workflow.engine import available_transitions

from .conftest import not_a_pdf, pdf_file

pytestmark = pytest.mark.django_db


# --- P-05 ---------------------------------------------------------------------------------------------

def test_vendor_submits_the_report_staff_confirms(onsite_work, vendor, vendor_account, staff, officer):
    w = services.upload_work_report(onsite_work, actor=vendor, file=pdf_file("作業報告書.pdf"))
    assert w.state == "reported" and w.report_uploaded_by == vendor and w.report_name == "作業報告書.pdf"
    with pytest.raises(Forbidden):
        services.transition(w, "confirm", actor=vendor)
    with pytest.raises(Forbidden):
        services.transition(w, "confirm", actor=staff)  # neither the recorder nor a keeper of the records
    w = services.transition(w, "confirm", actor=officer)
    assert w.state == "confirmed" and w.confirmed_by == officer and w.confirmed_at is not None


def test_staff_registers_a_paper_report(onsite_work, staff_in_charge):
    w = services.upload_work_report(onsite_work, actor=staff_in_charge, file=pdf_file())
    assert w.state == "reported"


def test_report_refusals(onsite_work, vendor_b, staff_in_charge, outsider):
    with pytest.raises(NotFound):
        services.upload_work_report(onsite_work, actor=vendor_b, file=pdf_file())
    with pytest.raises(NotFound):
        services.upload_work_report(onsite_work, actor=outsider, file=pdf_file())
    with pytest.raises(InvalidInput):
        services.upload_work_report(onsite_work, actor=staff_in_charge, file=not_a_pdf())
    onsite_work.refresh_from_db()
    assert onsite_work.state == "awaiting_report" and not onsite_work.report_file
    with pytest.raises(WrongState):
        services.transition(onsite_work, "confirm", actor=staff_in_charge)


def test_onsite_bad_input(staff_in_charge, contractor):
    with pytest.raises(InvalidInput) as e:
        services.create_onsite_work(actor=staff_in_charge, contractor=contractor, work_date="昨日", workers="",
                                    area="事務局", purpose="点検")
    assert {"work_date", "workers"} <= set(e.value.fields)


def test_onsite_pages(login, onsite_work, vendor, vendor_account, staff_in_charge, vendor_b):
    c = login(vendor)
    page = c.get(onsite_work.get_absolute_url()).content.decode()
    assert "作業報告書の提出" in page
    c.post(reverse("vendors:onsite-report", args=[onsite_work.pk]), {"file": pdf_file()})
    onsite_work.refresh_from_db()
    assert onsite_work.state == "reported"
    assert login(vendor_b).get(onsite_work.get_absolute_url()).status_code == 404
    c = login(staff_in_charge)
    c.post(reverse("vendors:onsite-transition", args=[onsite_work.pk, "confirm"]))
    onsite_work.refresh_from_db()
    assert onsite_work.state == "confirmed"
    assert "確認済" in c.get(reverse("vendors:onsite-list")).content.decode()


# --- P-08 ---------------------------------------------------------------------------------------------

def test_repair_cannot_be_sent_before_the_clause_is_reconfirmed(repair, staff_in_charge):
    assert "send" not in [t.name for t, _a in available_transitions(staff_in_charge, repair)]
    with pytest.raises(WrongState) as e:
        services.send_repair(repair, actor=staff_in_charge)
    assert "守秘義務条項" in str(e.value.message)
    repair.refresh_from_db()
    assert repair.state == "preparing"
    r = services.reconfirm_clause(repair, actor=staff_in_charge, note="電話で確認")
    assert r.clause_contract == repair.contract and r.clause_article == "第12条"
    assert r.clause_reconfirmed_by == staff_in_charge and r.clause_reconfirmed_at
    r = services.send_repair(r, actor=staff_in_charge)
    assert r.state == "sent" and r.sent_on
    r = services.transition(r, "receive", actor=staff_in_charge)
    assert r.state == "returned"


def test_a_contract_without_the_clause_cannot_be_reconfirmed(repair, staff_in_charge, contract_without_clause):
    with pytest.raises(InvalidInput) as e:
        services.reconfirm_clause(repair, actor=staff_in_charge, contract=contract_without_clause)
    assert "守秘義務条項がありません" in e.value.text()


def test_repair_refusals(repair, vendor, vendor_account, outsider, staff_in_charge, contractor_b):
    with pytest.raises(Forbidden):
        services.reconfirm_clause(repair, actor=vendor)
    with pytest.raises(NotFound):
        services.send_repair(repair, actor=vendor)  # a vendor never sees repairs
    with pytest.raises(NotFound):
        services.send_repair(repair, actor=outsider)
    with pytest.raises(InvalidInput) as e:
        services.create_repair(actor=staff_in_charge, contractor=contractor_b, contract=repair.contract,
                               equipment="PC", storage="SSD", fault="x", storage_handling="burn")
    assert {"contract", "storage_handling"} & set(e.value.fields)


def test_repair_pages(login, repair, staff_in_charge):
    c = login(staff_in_charge)
    r = c.post(reverse("vendors:repair-transition", args=[repair.pk, "send"]), follow=True)
    assert "守秘義務条項をこの修理のために再確認するまで" in r.content.decode()
    c.post(reverse("vendors:repair-reconfirm", args=[repair.pk]), {"contract": repair.contract_id, "article": ""})
    c.post(reverse("vendors:repair-transition", args=[repair.pk, "send"]))
    repair.refresh_from_db()
    assert repair.state == "sent"


# --- P-09 ---------------------------------------------------------------------------------------------

def test_disposal_closes_only_with_the_agreed_method_and_certificate(equipment_disposal, staff_in_charge):
    d = equipment_disposal
    with pytest.raises(WrongState):
        services.transition(d, "close", actor=staff_in_charge)
    d = services.agree_method(d, actor=staff_in_charge, method="overwrite", method_detail="3回上書き",
                              agreed_with="〇〇システム 佐藤")
    assert "close" not in [t.name for t, _a in available_transitions(staff_in_charge, d)]
    with pytest.raises(WrongState) as e:
        services.transition(d, "close", actor=staff_in_charge)
    assert "証明書" in str(e.value.message)
    d = services.attach_certificate(d, actor=staff_in_charge, file=pdf_file("消去証明書.pdf"),
                                    certificate_number="C-1")
    d = services.transition(d, "close", actor=staff_in_charge)
    assert d.state == "closed" and d.closed_on


def test_disposal_refusals(equipment_disposal, staff_in_charge, vendor, vendor_account):
    with pytest.raises(InvalidInput) as e:
        services.agree_method(equipment_disposal, actor=staff_in_charge, method="other", agreed_with="")
    assert {"agreed_with"} <= set(e.value.fields)
    with pytest.raises(InvalidInput):
        services.agree_method(equipment_disposal, actor=staff_in_charge, method="other", agreed_with="佐藤")
    with pytest.raises(Forbidden):
        services.attach_certificate(equipment_disposal, actor=vendor, file=pdf_file())


def test_disposal_pages(login, equipment_disposal, staff_in_charge):
    c = login(staff_in_charge)
    d = equipment_disposal
    c.post(reverse("vendors:disposal-agree", args=[d.pk]), {"method": "physical", "agreed_with": "佐藤"})
    c.post(reverse("vendors:disposal-certificate", args=[d.pk]), {"file": pdf_file()})
    page = c.get(d.get_absolute_url()).content.decode()
    assert "完了（証明書を確認）" in page
    c.post(reverse("vendors:disposal-transition", args=[d.pk, "close"]))
    d.refresh_from_db()
    assert d.state == "closed"
    assert c.get(reverse("vendors:disposal-certificate-file", args=[d.pk])).status_code == 200


# --- contractors and accounts -------------------------------------------------------------------------

def test_contractor_and_contract_management(staff_in_charge, staff, contractor):
    with pytest.raises(Forbidden):
        services.create_contractor(actor=staff, name="新規")
    with pytest.raises(InvalidInput):
        services.create_contractor(actor=staff_in_charge, name=contractor.name)
    with pytest.raises(InvalidInput) as e:
        services.create_contract(actor=staff_in_charge, contractor=contractor, title="保守", starts_on=None,
                                 has_confidentiality_clause=True, confidentiality_article="")
    assert "starts_on" in e.value.fields
    from datetime import date

    k = services.create_contract(actor=staff_in_charge, contractor=contractor, title="保守", starts_on=date(2026, 4, 1),
                                 has_confidentiality_clause=True, confidentiality_article="第8条", file=pdf_file())
    assert k.file_name == "report.pdf" and k.file_sha256


def test_linking_accounts(staff_in_charge, vendor, contractor, staff, outsider):
    with pytest.raises(InvalidInput):
        services.link_account(actor=staff_in_charge, contractor=contractor, user=staff)  # not a vendor
    with pytest.raises(InvalidInput):
        services.link_account(actor=staff_in_charge, contractor=contractor, user=outsider)
    with pytest.raises(Forbidden):
        services.link_account(actor=staff, contractor=contractor, user=vendor)
    account = services.link_account(actor=staff_in_charge, contractor=contractor, user=vendor)
    with pytest.raises(InvalidInput):
        services.link_account(actor=staff_in_charge, contractor=contractor, user=vendor)
    services.unlink_account(account, actor=staff_in_charge)


def test_account_page(login, staff_in_charge, vendor, contractor, staff):
    assert login(staff).get(reverse("vendors:account-list")).status_code == 403
    c = login(staff_in_charge)
    assert "業者 六郎" in c.get(reverse("vendors:account-list")).content.decode()
    r = c.post(reverse("vendors:account-list"), {"user": vendor.pk, "contractor": contractor.pk})
    assert r.status_code == 302
    assert vendor.contractor_account.contractor == contractor


def test_contractor_pages(login, staff_in_charge, staff, contractor, contract):
    c = login(staff_in_charge)
    r = c.post(reverse("vendors:contractor-new"), {"name": "新しい事業者", "active": "on"})
    assert r.status_code == 302
    page = c.get(contractor.get_absolute_url()).content.decode()
    assert contract.title in page and "第12条" in page
    assert login(staff).get(reverse("vendors:contractor-new")).status_code == 403


@pytest.mark.parametrize("kind", ["onsite", "repairs", "disposals"])
def test_record_pdfs(login, staff_in_charge, vendor_b, kind, onsite_work, repair, equipment_disposal):
    obj = {"onsite": onsite_work, "repairs": repair, "disposals": equipment_disposal}[kind]
    r = login(staff_in_charge).get(reverse("vendors:record-pdf", args=[kind, obj.pk]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert login(vendor_b).get(reverse("vendors:record-pdf", args=[kind, obj.pk])).status_code == 404


def test_the_contractors_accounts_are_asked_for_the_report(vendor, vendor_account, vendor_b, onsite_work):
    from tejun.notify.models import Notification

    assert Notification.objects.filter(recipient=vendor, title__contains=onsite_work.number).exists()
    assert not Notification.objects.filter(recipient=vendor_b).exists()
