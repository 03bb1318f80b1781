"""Findings of the exploratory QA pass (issue 6): each test failed before its fix."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tejun.vendors.models import EquipmentDisposal

pytestmark = pytest.mark.django_db


def test_accident_report_keeps_what_was_typed_on_error(login, vendor, vendor_account, provided):
    """A future 発生日時 used to redirect to the provision page: the contractor's account of the accident was lost."""
    p = provided()
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    r = login(vendor).post(reverse("vendors:provision-accident", args=[p.pk]), {
        "kind": "theft", "description": "駐車場で車上荒らしに遭い媒体を盗まれた", "occurred_at": future})
    assert r.status_code == 400
    html = r.content.decode()
    assert "駐車場で車上荒らしに遭い媒体を盗まれた" in html
    assert "未来の日時は指定できません" in html


def test_accident_report_without_description_shows_the_field_error(login, vendor, vendor_account, provided):
    p = provided()
    r = login(vendor).post(reverse("vendors:provision-accident", args=[p.pk]), {"kind": "theft", "description": ""})
    assert r.status_code == 400
    assert "field-error" in r.content.decode()


def test_disposal_method_form_keeps_what_was_typed_on_error(login, staff_in_charge, equipment_disposal):
    """agreed_with missing: the method detail typed used to be lost by the redirect."""
    r = login(staff_in_charge).post(reverse("vendors:disposal-agree", args=[equipment_disposal.pk]), {
        "method": EquipmentDisposal.Method.choices[0][0], "method_detail": "消去ソフトで3回上書き", "agreed_with": ""})
    assert r.status_code == 400
    assert "消去ソフトで3回上書き" in r.content.decode()
    equipment_disposal.refresh_from_db()
    assert not equipment_disposal.agreed_with


def test_provision_page_links_only_incidents_the_reader_may_open(login, vendor, vendor_account, provided, staff,
                                                                 officer):
    """A member of staff without an incident role saw links to the article 6 incidents, each a 404 for them."""
    p = provided()
    r = login(vendor).post(reverse("vendors:provision-accident", args=[p.pk]),
                           {"kind": "theft", "description": "車上荒らしで媒体を盗まれた"})
    assert r.status_code == 302
    from tejun.incidents.models import Incident

    incident = Incident.objects.get()
    staff_page = login(staff).get(p.get_absolute_url()).content.decode()
    for url in (incident.get_absolute_url(),):
        if url in staff_page:
            assert login(staff).get(url).status_code == 200, "a link shown must open"
    assert incident.get_absolute_url() not in staff_page
    assert incident.get_absolute_url() in login(officer).get(p.get_absolute_url()).content.decode()
    assert incident.get_absolute_url() in login(vendor).get(p.get_absolute_url()).content.decode()


def test_repair_reconfirmation_keeps_what_was_typed_on_error(login, staff_in_charge, repair, contract_without_clause):
    """A contract without a confidentiality clause is refused: the note typed used to be lost by the redirect."""
    r = login(staff_in_charge).post(reverse("vendors:repair-reconfirm", args=[repair.pk]), {
        "contract": contract_without_clause.pk, "article": "", "note": "修理担当の鈴木氏に電話で確認"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "修理担当の鈴木氏に電話で確認" in html and "守秘義務条項がありません" in html
    repair.refresh_from_db()
    assert repair.clause_reconfirmed_at is None
