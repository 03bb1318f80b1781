"""The incidents API: body-scoped, vendors see only what they reported, every refusal in the one envelope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tejun.incidents.models import ContactCase, ContactParty, Incident
from tejun.workflow.models import TransitionLog
from tests.api.helpers import assert_error, ids, results, token_client

from .helpers import fresh

pytestmark = pytest.mark.django_db
LIST = "/api/v1/incidents/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def url(incident, tail=""):
    return f"{LIST}{incident.pk}/{tail}"


def test_report_and_carry_a_security_incident_to_closure(everyone, make_absent):
    staff, officer, manager, supreme = (everyone[k] for k in ("staff", "officer", "manager", "supreme_admin"))
    response = token_client(staff).post(LIST, {"kind": "unauthorized_access", "description": "不審なログイン"},
                                        format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["number"] == "IN-00001" and row["procedure"] == "security" and row["state"] == "reported"
    assert row["available_transitions"] == ["withdraw"]
    incident = Incident.objects.get(pk=row["id"])
    assert token_client(officer).get(url(incident)).json()["available_transitions"] == ["take_up"]
    assert token_client(officer).post(url(incident, "take_up/"), {}, format="json").status_code == 200
    error = assert_error(token_client(officer).post(url(incident, "report_to_manager/"), {}, format="json"), 400)
    assert "findings" in error["fields"]
    response = token_client(officer).post(url(incident, "report_to_manager/"), {"findings": "確認済"}, format="json")
    assert response.json()["state"] == "with_manager"
    token_client(manager).post(url(incident, "report_to_supreme/"), {}, format="json")
    make_absent(supreme)
    response = token_client(manager).post(url(incident, "instruct/"),
                                          {"instruction": "管理者の判断で遮断", "deputy_reason": "出張"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "responding"
    assert TransitionLog.objects.get(transition="instruct").deputy_decision
    response = token_client(manager).post(url(incident, "complete/"), {"action_taken": "遮断済"}, format="json")
    assert response.json()["state"] == "closed" and response.json()["closed_at"]


def test_refusals_wrong_role_wrong_state_unknown_other_body(everyone, report, outsider):
    incident = report(everyone["staff"])
    assert_error(token_client(everyone["staff"]).post(url(incident, "take_up/"), {}, format="json"), 403)
    assert_error(token_client(everyone["manager"]).post(url(incident, "complete/"), {"action_taken": "x"},
                                                        format="json"), 409)
    assert_error(token_client(everyone["officer"]).post(url(incident, "fly_away/"), {}, format="json"), 404)
    assert_error(token_client(outsider).get(url(incident)), 404)
    assert_error(token_client(outsider).post(url(incident, "take_up/"), {}, format="json"), 404)
    assert_error(token_client(everyone["officer"]).post(url(incident, "take_up/"), {"state": "closed"},
                                                        format="json"), 400)
    assert fresh(incident).state == "reported"


def test_bad_report_input(staff):
    error = assert_error(token_client(staff).post(LIST, {"kind": "flood", "description": ""}, format="json"), 400)
    assert {"kind", "description"} <= set(error["fields"])
    error = assert_error(token_client(staff).post(LIST, {"kind": "virus", "description": "x",
                                                         "occurred_at": "2099-01-01T00:00:00+09:00"},
                                                  format="json"), 400)
    assert "occurred_at" in error["fields"]
    assert not Incident.objects.exists()


def test_listing_is_scoped(everyone, report, staff2, vendor_account, outsider):
    mine = report(everyone["staff"])
    theirs = report(staff2)
    vendors = report(vendor_account, kind="theft")
    report(outsider)
    assert ids(token_client(everyone["officer"]).get(LIST)) == {mine.pk, theirs.pk, vendors.pk}
    assert ids(token_client(everyone["staff"]).get(LIST)) == {mine.pk}
    assert ids(token_client(vendor_account).get(LIST)) == {vendors.pk}
    assert_error(token_client(vendor_account).get(url(mine)), 404)
    assert ids(token_client(everyone["officer"]).get(f"{LIST}?kind=theft")) == {vendors.pk}
    assert_error(token_client(everyone["officer"]).get(f"{LIST}?kind=flood"), 400)


def test_vendor_reports_through_the_api(vendor_account, contractor, manager):
    response = token_client(vendor_account).post(LIST, {"kind": "leak_loss", "description": "提供データを紛失"},
                                                 format="json")
    assert response.status_code == 201 and response.json()["contractor"] == contractor.pk


def test_patch_details_by_handlers(everyone, report):
    incident = report(everyone["staff"], kind="leak_loss")
    assert_error(token_client(everyone["staff"]).patch(url(incident), {"cause": "x"}, format="json"), 403)
    response = token_client(everyone["manager"]).patch(url(incident), {"cause": "施錠忘れ", "persons_affected": 3,
                                                                       "sensitive_data": True}, format="json")
    assert response.status_code == 200 and response.json()["ppc_report_likely"] is True
    assert_error(token_client(everyone["manager"]).patch(url(incident), {"number": "X"}, format="json"), 400)


def test_breach_case_contacts_and_closing_refused_until_settled(everyone, report):
    manager, supreme = everyone["manager"], everyone["supreme_admin"]
    incident = report(everyone["staff"], kind="leak_loss")
    client = token_client(manager)
    client.post(url(incident, "take_up_breach/"), {}, format="json")
    cases = results(token_client(everyone["staff"]).get("/api/v1/incident-contact-cases/"))
    assert len(cases) == 5
    response = client.post(url(incident, "case/"), {"case": cases[3]["id"]}, format="json")
    assert response.status_code == 200 and len(response.json()["contacts"]) == 1
    client.post(url(incident, "report_to_supreme/"), {"cause": "c", "damage": "d", "scope": "s"}, format="json")
    token_client(supreme).post(url(incident, "instruct/"), {"instruction": "連絡せよ"}, format="json")
    error = assert_error(client.post(url(incident, "complete/"), {"action_taken": "済"}, format="json"), 409)
    assert "未連絡" in error["message"]
    contact_id = fresh(incident).contacts.get().pk
    assert_error(client.post(url(incident, "contacts/"), {"contact": contact_id, "action": "waive"}, format="json"),
                 400)
    response = client.post(url(incident, "contacts/"), {"contact": contact_id, "note": "電話"}, format="json")
    assert response.json()["contacts"][0]["settled"] is True
    assert client.post(url(incident, "complete/"), {"action_taken": "済"}, format="json").json()["state"] == "closed"


def test_disconnection_timeline_and_attachments(everyone, report, staff2):
    incident = report(everyone["staff"], kind="virus")
    officer = token_client(everyone["officer"])
    assert_error(token_client(everyone["staff"]).post(url(incident, "disconnection/"), {}, format="json"), 403)
    response = officer.post(url(incident, "disconnection/"), {}, format="json")
    assert len(response.json()["disconnection_steps"]) == 10
    assert_error(officer.post(url(incident, "disconnection/"), {"step": 7}, format="json"), 409)
    response = officer.post(url(incident, "disconnection/"), {"step": 1, "note": "保存"}, format="json")
    assert response.json()["disconnection_steps"][0]["done_by"] == everyone["officer"].full_name
    reporter = token_client(everyone["staff"])
    response = reporter.post(url(incident, "timeline/"), {"at": "2026-12-01T10:00:00+09:00", "text": "再起動せず"},
                             format="json")
    assert response.status_code == 201
    assert_error(reporter.post(url(incident, "timeline/"), {"at": "2099-12-01T10:00:00+09:00", "text": "x"},
                               format="json"), 400)
    assert any(e["text"] == "再起動せず" for e in reporter.get(url(incident, "timeline/")).json())
    response = reporter.post(url(incident, "attachments/"),
                             {"file": SimpleUploadedFile("s.png", PNG, "image/png")}, format="multipart")
    assert response.status_code == 201 and len(response.json()["sha256"]) == 64
    attachment_id = response.json()["id"]
    assert reporter.get(url(incident, f"attachments/{attachment_id}/")).status_code == 200
    assert_error(token_client(staff2).get(url(incident, f"attachments/{attachment_id}/")), 404)
    assert_error(reporter.post(url(incident, "attachments/"),
                               {"file": SimpleUploadedFile("s.png", b"GIF89a", "image/png")}, format="multipart"), 400)


def test_contact_matrix_api(everyone, vendor_account, outsider):
    staff, manager = everyone["staff"], everyone["manager"]
    parties = results(token_client(staff).get("/api/v1/incident-contact-parties/"))
    assert [p["name"] for p in parties][:3] == ["議会管理者", "情報システム・セキュリティ統括管理者", "警察"]
    police = next(p for p in parties if p["key"] == "police")
    assert_error(token_client(staff).patch(f"/api/v1/incident-contact-parties/{police['id']}/",
                                           {"contact_details": "110"}, format="json"), 403)
    response = token_client(manager).patch(f"/api/v1/incident-contact-parties/{police['id']}/",
                                           {"contact_details": "0569-00-0110"}, format="json")
    assert response.status_code == 200 and ContactParty.objects.get(pk=police["id"]).contact_details == "0569-00-0110"
    response = token_client(manager).post("/api/v1/incident-contact-cases/",
                                          {"name": "ランサムウェア", "caller_role": "manager",
                                           "parties": [police["id"]]}, format="json")
    assert response.status_code == 201 and ContactCase.objects.filter(name="ランサムウェア").exists()
    assert_error(token_client(manager).post("/api/v1/incident-contact-cases/",
                                            {"name": "x", "caller_role": "manager", "parties": []}, format="json"), 400)
    assert_error(token_client(vendor_account).get("/api/v1/incident-contact-parties/"), 403)
    assert_error(token_client(outsider).get(f"/api/v1/incident-contact-parties/{police['id']}/"), 404)

    # The role is judged before the input: staff get 403 for an empty body and for a valid one, and nothing is saved.
    for path, valid in (("incident-contact-parties/", {"name": "消防", "contact_details": "119"}),
                        ("incident-contact-cases/", {"name": "火災", "caller_role": "manager", "parties": []})):
        for data in ({}, valid):
            assert_error(token_client(staff).post(f"/api/v1/{path}", data, format="json"), 403, "forbidden")
    assert not ContactParty.objects.filter(name="消防").exists() and not ContactCase.objects.filter(name="火災").exists()


def test_reminder_hours_api(manager, staff):
    assert token_client(manager).get("/api/v1/incident-reminder-hours/").json()["reported"] == 2
    response = token_client(manager).post("/api/v1/incident-reminder-hours/", {"reported": 1}, format="json")
    assert response.json()["reported"] == 1
    assert_error(token_client(manager).post("/api/v1/incident-reminder-hours/", {"reported": 0}, format="json"), 400)
    assert_error(token_client(manager).post("/api/v1/incident-reminder-hours/", {"closed": 5}, format="json"), 400)
    assert_error(token_client(staff).post("/api/v1/incident-reminder-hours/", {"reported": 3}, format="json"), 403)
    assert_error(token_client(manager).post("/api/v1/incident-reminder-hours/", [1, 2], format="json"), 400)
    assert_error(token_client(manager).post("/api/v1/incident-reminder-hours/", {"reported": [1]}, format="json"), 400)
