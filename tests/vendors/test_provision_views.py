"""P-12 pages: filing, approving, the memorandum downloads, the steps, and the vendor's narrow view."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tejun.vendors.models import DataProvision
from tejun.workflow.engine import perform

from .conftest import pdf_file, provision_fields

pytestmark = pytest.mark.django_db


def _post_fields(contractor, contract=None, **overrides):
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in provision_fields(**overrides).items()}
    data["contractor"] = contractor.pk
    if contract:
        data["contract"] = contract.pk
    return data


def test_staff_files_an_application(login, staff_in_charge, contractor, contract):
    c = login(staff_in_charge)
    r = c.get(reverse("vendors:provision-new"))
    assert r.status_code == 200 and "データ提供申請" in r.content.decode()
    r = c.post(reverse("vendors:provision-new"), _post_fields(contractor, contract))
    p = DataProvision.objects.get()
    assert r.status_code == 302 and r.url == p.get_absolute_url()
    page = c.get(p.get_absolute_url()).content.decode()
    assert "申請中" in page and "覚書は責任者の承認後に作成されます" in page


def test_bad_input_shows_the_errors_and_saves_nothing(login, staff_in_charge, contractor):
    c = login(staff_in_charge)
    r = c.post(reverse("vendors:provision-new"), _post_fields(
        contractor, period_end=timezone.localdate().replace(year=timezone.localdate().year - 1)))
    assert r.status_code == 400 and "提供期間の終了は開始以降にしてください" in r.content.decode()
    assert not DataProvision.objects.exists()


def test_vendor_cannot_file(login, vendor, vendor_account, contractor):
    r = login(vendor).post(reverse("vendors:provision-new"), _post_fields(contractor))
    assert r.status_code == 403 and not DataProvision.objects.exists()


def test_officer_approves_from_the_page_and_downloads_the_memorandum(login, officer, new_provision):
    p = new_provision()
    c = login(officer)
    r = c.post(reverse("vendors:provision-transition", args=[p.pk, "approve"]), {"comment": "承認します"})
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.state == "approved"
    r = c.get(reverse("vendors:memorandum", args=[p.pk, "docx"]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    from docx import Document

    text = "\n".join(par.text for par in Document(io.BytesIO(r.content)).paragraphs)
    assert "第9条" in text and "〇〇システム株式会社" in text
    r = c.get(reverse("vendors:memorandum", args=[p.pk, "pdf"]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    r = c.get(reverse("vendors:provision-pdf", args=[p.pk]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_memorandum_before_approval_redirects_with_a_message(login, staff_in_charge, new_provision):
    p = new_provision()
    r = login(staff_in_charge).get(reverse("vendors:memorandum", args=[p.pk, "pdf"]), follow=True)
    assert "覚書は申請が承認されると作成されます" in r.content.decode()


def test_steps_from_the_page(login, officer, staff_in_charge, new_provision):
    p = perform(new_provision(), "approve", officer)
    c = login(staff_in_charge)
    c.post(reverse("vendors:provision-signed", args=[p.pk]), {"file": pdf_file("signed.pdf")})
    p.refresh_from_db()
    assert p.state == "signed"
    c.post(reverse("vendors:provision-provide", args=[p.pk]),
           {"provided_on": timezone.localdate().isoformat(), "provided_medium": "USB"})
    p.refresh_from_db()
    assert p.state == "provided"
    r = c.get(reverse("vendors:provision-file", args=[p.pk, "signed"]))
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]


def test_wrong_state_step_is_refused_with_a_message(login, staff_in_charge, new_provision):
    p = new_provision()
    r = login(staff_in_charge).post(reverse("vendors:provision-provide", args=[p.pk]),
                                    {"provided_on": timezone.localdate().isoformat(), "provided_medium": "USB"},
                                    follow=True)
    assert "できません" in r.content.decode()
    p.refresh_from_db()
    assert p.state == "submitted"


def test_vendor_sees_own_provision_and_confirms_return(login, vendor, vendor_account, provided):
    p = provided()
    c = login(vendor)
    page = c.get(p.get_absolute_url()).content.decode()
    assert "データの返却を報告" in page and "事故の報告（覚書第6条）" in page
    assert "データ提供申請を登録する" not in c.get(reverse("vendors:provision-list")).content.decode()
    c.post(reverse("vendors:provision-transition", args=[p.pk, "return_data"]), {"comment": "返却しました"})
    p.refresh_from_db()
    assert p.state == "returned"


def test_vendor_of_another_contractor_gets_404_everywhere(login, vendor_b, provided):
    p = provided()
    c = login(vendor_b)
    for url in (p.get_absolute_url(), reverse("vendors:memorandum", args=[p.pk, "pdf"]),
                reverse("vendors:provision-pdf", args=[p.pk]), reverse("vendors:contractor-detail", args=[p.contractor_id]),
                reverse("vendors:provision-file", args=[p.pk, "signed"])):
        assert c.get(url).status_code == 404, url
    assert c.post(reverse("vendors:provision-transition", args=[p.pk, "return_data"])).status_code == 404
    assert c.post(reverse("vendors:provision-accident", args=[p.pk]),
                  {"kind": "theft", "description": "x"}).status_code == 404
    assert p.number not in c.get(reverse("vendors:provision-list")).content.decode()


def test_vendor_pages_outside_its_reach_are_404(login, vendor, vendor_account, repair, equipment_disposal):
    c = login(vendor)
    assert c.get(repair.get_absolute_url()).status_code == 404
    assert c.get(equipment_disposal.get_absolute_url()).status_code == 404
    assert c.get(reverse("vendors:contractor-list")).status_code == 404
    assert c.get(reverse("vendors:register-document", args=["contractors", "xlsx"])).status_code == 404
    assert c.get(reverse("vendors:index")).status_code == 302


def test_outsider_gets_404(login, outsider, new_provision):
    p = new_provision()
    assert login(outsider).get(p.get_absolute_url()).status_code == 404


def test_list_query_count_is_constant(login, staff_in_charge, new_provision, django_assert_max_num_queries):
    for _i in range(5):
        new_provision()
    c = login(staff_in_charge)
    with django_assert_max_num_queries(15):
        assert c.get(reverse("vendors:provision-list")).status_code == 200


def test_vendor_reports_an_accident_and_the_page_shows_the_incident(login, vendor, vendor_account, provided):
    p = provided()
    c = login(vendor)
    r = c.post(reverse("vendors:provision-accident", args=[p.pk]),
               {"kind": "theft", "description": "車上荒らしで媒体を盗まれた"}, follow=True)
    page = r.content.decode()
    assert "事故を報告しました" in page and 'id="incidents"' in page


def test_sent_back_application_is_corrected_on_its_page(login, officer, staff_in_charge, staff, new_provision):
    p = perform(new_provision(), "send_back", officer, comment="媒体をDVD-Rに")
    assert login(staff).get(reverse("vendors:provision-edit", args=[p.pk])).status_code == 403
    c = login(staff_in_charge)
    assert "申請内容を修正する" in c.get(p.get_absolute_url()).content.decode()
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in provision_fields(medium="DVD-R").items()}
    r = c.post(reverse("vendors:provision-edit", args=[p.pk]), data)
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.medium == "DVD-R"


def test_contract_with_its_file_from_the_page(login, staff_in_charge, vendor, vendor_account, contractor):
    c = login(staff_in_charge)
    r = c.post(reverse("vendors:contract-new", args=[contractor.pk]),
               {"title": "保守契約", "starts_on": "2026-04-01", "has_confidentiality_clause": "on",
                "confidentiality_article": "第10条", "file": pdf_file("契約書.pdf")})
    assert r.status_code == 302
    contract = contractor.contracts.get(title="保守契約")
    r = c.get(reverse("vendors:contract-file", args=[contract.pk]))
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    assert login(vendor).get(reverse("vendors:contract-file", args=[contract.pk])).status_code == 404
    r = login(staff_in_charge).post(reverse("vendors:contract-new", args=[contractor.pk]),
                                    {"title": "条項番号なし", "starts_on": "2026-04-01",
                                     "has_confidentiality_clause": "on"})
    assert r.status_code == 400 and "守秘義務条項の条番号を入力してください" in r.content.decode()


def test_the_list_pager_query_is_url_encoded(login, officer):
    response = login(officer).get(reverse("vendors:provision-list"), {"q": "A&B #1 100%", "state": "approved"})
    assert response.status_code == 200
    assert response.context["query"] == "state=approved&q=A%26B+%231+100%25&"
