"""The vendors API: body- and contractor-scoped, the same services and refusals as the pages."""

import io

import pytest
from django.utils import timezone

from tejun.vendors.models import DataProvision

from ..api.helpers import assert_error, ids, results, token_client
from .conftest import pdf_file, provision_fields

pytestmark = pytest.mark.django_db


def _json_fields(contractor, **overrides):
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in provision_fields(**overrides).items()}
    return {**data, "contractor": contractor.pk}


def test_file_approve_sign_provide_return_close(staff_in_charge, officer, vendor, vendor_account, contractor):
    staff_api, officer_api, vendor_api = token_client(staff_in_charge), token_client(officer), token_client(vendor)
    r = staff_api.post("/api/v1/data-provisions/", _json_fields(contractor), format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["available_transitions"] == ["withdraw"]
    r = officer_api.post(f"/api/v1/data-provisions/{pk}/approve/", {"comment": "承認"}, format="json")
    assert r.status_code == 200 and r.json()["has_memorandum"]
    r = staff_api.get(f"/api/v1/data-provisions/{pk}/memorandum.docx/")
    assert r.status_code == 200
    from docx import Document

    assert "第9条" in "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert staff_api.get(f"/api/v1/data-provisions/{pk}/memorandum.pdf/").content.startswith(b"%PDF")
    assert staff_api.get(f"/api/v1/data-provisions/{pk}/application.pdf/").content.startswith(b"%PDF")
    assert_error(staff_api.post(f"/api/v1/data-provisions/{pk}/attach_signed/", {}, format="json"), 400)
    r = staff_api.post(f"/api/v1/data-provisions/{pk}/signed/", {"file": pdf_file()}, format="multipart")
    assert r.status_code == 200 and r.json()["state"] == "signed"
    r = staff_api.post(f"/api/v1/data-provisions/{pk}/provide/",
                       {"provided_on": timezone.localdate().isoformat(), "provided_medium": "USB"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "provided"
    r = vendor_api.get("/api/v1/data-provisions/")
    assert ids(r) == {pk} and results(r)[0]["available_transitions"] == ["return_data"]
    # Steps of the keepers: the vendor is refused before its input is read, a keeper hears the state.
    for step in ("provide/", "signed/"):
        assert_error(vendor_api.post(f"/api/v1/data-provisions/{pk}/{step}", {}, format="json"), 403, "forbidden")
        assert_error(staff_api.post(f"/api/v1/data-provisions/{pk}/{step}", {}, format="json"), 409, "wrong_state")
    r = vendor_api.post(f"/api/v1/data-provisions/{pk}/return/", {}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "returned"
    assert_error(vendor_api.post(f"/api/v1/data-provisions/{pk}/close/", {}, format="json"), 403, "forbidden")
    r = staff_api.post(f"/api/v1/data-provisions/{pk}/close/", {}, format="json")
    assert r.json()["state"] == "closed"


def test_refusals(staff_in_charge, officer, vendor, vendor_account, contractor, outsider, vendor_b, new_provision,
                  other_contractor):
    p = new_provision()
    staff_api = token_client(staff_in_charge)
    # bad input: 400 naming the fields, nothing saved
    error = assert_error(staff_api.post("/api/v1/data-provisions/", {**_json_fields(contractor), "period_end": "x"},
                                        format="json"), 400)
    assert "period_end" in error["fields"]
    error = assert_error(staff_api.post("/api/v1/data-provisions/", {**_json_fields(contractor), "typo": 1},
                                        format="json"), 400)
    assert "typo" in error["fields"]
    error = assert_error(staff_api.post("/api/v1/data-provisions/", _json_fields(other_contractor), format="json"),
                         400)
    assert "contractor" in error["fields"]
    assert DataProvision.objects.count() == 1
    # wrong role: the requester approves, the vendor files
    assert_error(staff_api.post(f"/api/v1/data-provisions/{p.pk}/approve/", {}, format="json"), 403)
    assert_error(token_client(vendor).post("/api/v1/data-provisions/", _json_fields(contractor), format="json"), 403)
    # wrong state
    assert_error(staff_api.post(f"/api/v1/data-provisions/{p.pk}/provide/",
                                {"provided_on": timezone.localdate().isoformat(), "provided_medium": "USB"},
                                format="json"), 409, "wrong_state")
    assert_error(staff_api.get(f"/api/v1/data-provisions/{p.pk}/memorandum.pdf/"), 409)
    # other body, other contractor: 404
    for client in (token_client(outsider), token_client(vendor_b)):
        assert_error(client.get(f"/api/v1/data-provisions/{p.pk}/"), 404)
        assert_error(client.post(f"/api/v1/data-provisions/{p.pk}/return/", {}, format="json"), 404)
        assert ids(client.get("/api/v1/data-provisions/")) == set()
    assert ids(token_client(vendor_b).get("/api/v1/contractors/")) == {vendor_b.contractor_account.contractor_id}
    assert_error(token_client(vendor_b).get(f"/api/v1/contractors/{contractor.pk}/"), 404)


def test_accident_through_the_api(provided, vendor, vendor_account):
    p = provided()
    r = token_client(vendor).post(f"/api/v1/data-provisions/{p.pk}/accident/",
                                  {"kind": "leak_loss", "description": "紛失"}, format="json")
    assert r.status_code == 201 and r.json()["incident"]
    error = assert_error(token_client(vendor).post(f"/api/v1/data-provisions/{p.pk}/accident/",
                                                   {"kind": "fire", "description": ""}, format="json"), 400)
    assert "kind" in error["fields"]


def test_repair_api_refuses_send_before_reconfirmation(staff_in_charge, contractor, contract, vendor, vendor_account):
    api = token_client(staff_in_charge)
    r = api.post("/api/v1/repairs/", {"contractor": contractor.pk, "contract": contract.pk, "equipment": "PC-07",
                                      "storage": "SSD", "fault": "起動しない", "storage_handling": "removed"},
                 format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    error = assert_error(api.post(f"/api/v1/repairs/{pk}/send/", {}, format="json"), 409, "wrong_state")
    assert "守秘義務条項" in error["message"]
    r = api.post(f"/api/v1/repairs/{pk}/reconfirm/", {"note": "電話で確認"}, format="json")
    assert r.status_code == 200 and r.json()["clause_reconfirmed"] and r.json()["clause_article"] == "第12条"
    assert api.post(f"/api/v1/repairs/{pk}/send/", {}, format="json").json()["state"] == "sent"
    assert_error(token_client(vendor).get(f"/api/v1/repairs/{pk}/"), 404)


def test_equipment_disposal_api(staff_in_charge, contractor):
    api = token_client(staff_in_charge)
    r = api.post("/api/v1/equipment-disposals/", {"kind": "disposal", "contractor": contractor.pk,
                                                  "equipment": "サーバー", "storage": "HDD 2台"}, format="json")
    pk = r.json()["id"]
    assert_error(api.post(f"/api/v1/equipment-disposals/{pk}/close/", {}, format="json"), 409)
    api.post(f"/api/v1/equipment-disposals/{pk}/agree/", {"method": "physical", "agreed_with": "佐藤"}, format="json")
    assert_error(api.post(f"/api/v1/equipment-disposals/{pk}/close/", {}, format="json"), 409)
    r = api.post(f"/api/v1/equipment-disposals/{pk}/certificate/", {"file": pdf_file()}, format="multipart")
    assert r.status_code == 200 and r.json()["available_transitions"] == ["close", "cancel"]
    assert api.post(f"/api/v1/equipment-disposals/{pk}/close/", {}, format="json").json()["state"] == "closed"


def test_onsite_work_api(staff_in_charge, staff, contractor, vendor, vendor_account, vendor_b):
    api = token_client(staff_in_charge)
    r = api.post("/api/v1/onsite-works/", {"contractor": contractor.pk, "work_date": timezone.localdate().isoformat(),
                                           "workers": "佐藤", "area": "事務局", "purpose": "点検"}, format="json")
    pk = r.json()["id"]
    assert_error(token_client(vendor_b).post(f"/api/v1/onsite-works/{pk}/report/", {"file": pdf_file()},
                                             format="multipart"), 404)
    r = token_client(vendor).post(f"/api/v1/onsite-works/{pk}/report/", {"file": pdf_file()}, format="multipart")
    assert r.status_code == 200 and r.json()["state"] == "reported"
    assert_error(token_client(vendor).post(f"/api/v1/onsite-works/{pk}/confirm/", {}, format="json"), 403)
    assert_error(token_client(staff).post(f"/api/v1/onsite-works/{pk}/confirm/", {}, format="json"), 403)
    r = api.post(f"/api/v1/onsite-works/{pk}/confirm/", {}, format="json")
    assert r.json()["state"] == "confirmed" and r.json()["confirmed_by"] == staff_in_charge.full_name


def test_contractors_contracts_accounts_templates(staff_in_charge, staff, manager, vendor, contractor):
    api = token_client(staff_in_charge)
    assert_error(token_client(staff).post("/api/v1/contractors/", {"name": "X"}, format="json"), 403)
    r = api.post("/api/v1/contractors/", {"name": "△△データ"}, format="json")
    assert r.status_code == 201
    r = api.post("/api/v1/contracts/", {"contractor": contractor.pk, "title": "保守", "starts_on": "2026-04-01",
                                        "has_confidentiality_clause": True, "confidentiality_article": "第9条"},
                 format="json")
    assert r.status_code == 201, r.content
    r = api.post("/api/v1/contractor-accounts/", {"contractor": contractor.pk, "user": vendor.pk}, format="json")
    assert r.status_code == 201
    assert_error(token_client(staff).get("/api/v1/contractor-accounts/"), 403)
    error = assert_error(token_client(manager).post("/api/v1/memorandum-templates/", {"text": "表題\n第1条 {謎}"},
                                                    format="json"), 400)
    assert "使用できない差し込み項目" in error["message"]
    r = token_client(manager).post("/api/v1/memorandum-templates/", {"text": "表題\n第1条 {甲}と{乙}"}, format="json")
    assert r.status_code == 201 and r.json()["version"] == 1
