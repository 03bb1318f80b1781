"""私のタスク lists the vendor workflows for whoever acts next; the demo loader sets up the vendor records."""

import pytest
from django.urls import reverse

from tejun.vendors import services
from tejun.workflow.selectors import my_tasks

from .conftest import pdf_file

pytestmark = pytest.mark.django_db


def _titles(user) -> dict:
    return {str(g["title"]): [i["object"].number for i in g["items"]] for g in my_tasks(user)}


def test_officer_sees_the_application_and_the_keepers_the_return_to_confirm(new_provision, provided, officer,
                                                                           vendor, vendor_account, vendor_b,
                                                                           staff_in_charge):
    from tejun.vendors import services as s

    waiting = new_provision()
    out = provided()
    assert waiting.number in _titles(officer)["データ提供（P-12）"]
    # The return is not a task of every vendor account (the engine would tell them all): the contractor's own
    # accounts are told by services.provide and find the button on the provision's page.
    assert "データ提供（P-12）" not in _titles(vendor) and "データ提供（P-12）" not in _titles(vendor_b)
    s.return_data(out, actor=vendor)
    assert out.number in _titles(staff_in_charge)["データ提供（P-12）"]


def test_report_waiting_for_confirmation_is_a_task_for_staff(onsite_work, vendor, vendor_account, staff,
                                                             staff_in_charge):
    assert onsite_work.number in _titles(vendor)["庁舎内作業の報告書（P-05）"]
    services.upload_work_report(onsite_work, actor=vendor, file=pdf_file())
    assert onsite_work.number in _titles(staff_in_charge)["庁舎内作業の報告書（P-05）"]
    assert "庁舎内作業の報告書（P-05）" not in _titles(staff)
    assert "庁舎内作業の報告書（P-05）" not in _titles(vendor)


def test_task_page_for_a_vendor(login, vendor, vendor_account, onsite_work, vendor_b):
    assert onsite_work.number in login(vendor).get(reverse("my-tasks")).content.decode()
    assert onsite_work.number not in login(vendor_b).get(reverse("my-tasks")).content.decode()


def test_pages_keep_a_constant_number_of_queries(login, staff_in_charge, contractor, contract, provided,
                                                 django_assert_max_num_queries, onsite_work, repair,
                                                 equipment_disposal):
    for _i in range(4):
        p = provided()
    c = login(staff_in_charge)
    for url in (contractor.get_absolute_url(), reverse("vendors:contractor-list"), reverse("vendors:onsite-list"),
                reverse("vendors:repair-list"), reverse("vendors:disposal-list"), repair.get_absolute_url(),
                onsite_work.get_absolute_url(), equipment_disposal.get_absolute_url(), p.get_absolute_url()):
        with django_assert_max_num_queries(15):
            assert c.get(url).status_code == 200, url


def test_demo_loader(db):
    from django.core.management import call_command

    from tejun.orgs.models import User
    from tejun.vendors.models import Contractor, DataProvision

    call_command("demo", verbosity=0)
    contractor = Contractor.objects.get(name="〇〇システム株式会社")
    assert contractor.contracts.filter(has_confidentiality_clause=True).exists()
    assert User.objects.get(login_id="vendor1").contractor_account.contractor == contractor
    assert set(DataProvision.objects.values_list("state", flat=True)) >= {"submitted", "provided"}
