"""/api/v1/disposals/: P-02 through the API; record_destruction as multipart with the file."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.media.disposal_services import create_disposal
from tejun.media.models import DestructionRecord, DisposalRequest, Medium
from tejun.workflow.engine import perform

from ..media.flow_helpers import PNG_BYTES, level, medium, png_upload, text_as_png
from .helpers import assert_error, ids, results, token_client

pytestmark = pytest.mark.django_db

LIST = "/api/v1/disposals/"


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def detail(obj):
    return f"{LIST}{obj.pk}/"


def destruction(**overrides):
    data = {"method": "crush", "performer": "業者 破砕担当", "witness": "職員 立会", "place": "会議室",
            "performed_at": (timezone.now() - timedelta(hours=1)).isoformat()}
    data.update(overrides)
    return data


@pytest.fixture
def submitted(body, staff, officer):
    return create_disposal(actor=staff, medium=medium(body, staff, number="M-301"), reason="故障")


@pytest.fixture
def approved(submitted, officer):
    return perform(submitted, "approve", officer)


def test_create_and_read(staff, officer, body):
    m = medium(body, staff, number="M-300")
    response = token_client(staff).post(LIST, {"medium": m.pk, "reason": "容量不足"}, format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["number"].startswith("DS-") and row["state"] == "submitted" and row["medium_number"] == "M-300"
    assert row["highest_level"] == level(body, "2").pk and row["needs_approval"] is True
    assert row["medium_status"] == "廃棄申請中"
    assert "record_destruction" not in row["available_transitions"]  # class 2 waits for the approval
    assert row["available_transitions"] == ["withdraw"]
    assert ids(token_client(officer).get(LIST)) == {row["id"]}
    officer_row = token_client(officer).get(f"{LIST}{row['id']}/").json()
    assert set(officer_row["available_transitions"]) == {"approve", "send_back", "reject"}


def test_create_refusals(staff, staff2, body, outsider, vendor):
    theirs = medium(outsider.body, outsider)
    error = assert_error(token_client(staff).post(LIST, {"medium": theirs.pk, "reason": "x"}, format="json"),
                         400, "invalid")
    assert "medium" in error["fields"]
    gone = medium(body, staff, status=Medium.Status.DISPOSED)
    error = assert_error(token_client(staff).post(LIST, {"medium": gone.pk, "reason": "x"}, format="json"), 400)
    assert "medium" in error["fields"]
    m = medium(body, staff2)
    assert_error(token_client(staff).post(LIST, {"medium": m.pk, "reason": "x"}, format="json"), 403, "forbidden")
    error = assert_error(token_client(staff2).post(LIST, {"medium": m.pk, "reason": "x", "state": "destroyed"},
                                                   format="json"), 400)
    assert "state" in error["fields"]
    error = assert_error(token_client(staff2).post(
        LIST, {"medium": m.pk, "reason": "x", "highest_level": level(body, "1").pk}, format="json"), 400)
    assert "highest_level" in error["fields"]
    assert not DisposalRequest.objects.exists()
    assert_error(token_client(vendor).post(LIST, {"medium": m.pk, "reason": "x"}, format="json"), 403)


def test_visibility(submitted, staff, staff2, outsider, auditor):
    assert ids(token_client(staff).get(LIST)) == {submitted.pk}
    assert results(token_client(staff2).get(LIST)) == []
    assert_error(token_client(staff2).get(detail(submitted)), 404, "not_found")
    assert_error(token_client(outsider).get(detail(submitted)), 404, "not_found")
    assert ids(token_client(auditor).get(LIST)) == {submitted.pk}


def test_class2_cannot_be_recorded_before_approval(submitted, staff, officer):
    error = assert_error(token_client(staff).post(f"{detail(submitted)}record_destruction/",
                                                  {**destruction(), "file": png_upload()}, format="multipart"),
                         409, "wrong_state")
    assert "承認" in error["message"]
    assert not DestructionRecord.objects.exists()


def test_approve_own_is_refused(body, officer):
    d = create_disposal(actor=officer, medium=medium(body, officer), reason="故障")
    assert_error(token_client(officer).post(f"{detail(d)}approve/", {}, format="json"), 403, "forbidden")


def test_record_destruction_multipart(approved, staff):
    response = token_client(staff).post(f"{detail(approved)}record_destruction/",
                                        {**destruction(), "file": png_upload("写真.png"), "comment": "破砕を確認"},
                                        format="multipart")
    assert response.status_code == 200, response.content
    row = response.json()
    assert row["state"] == "destroyed" and row["medium_status"] == "廃棄済"
    rec = row["destruction"]
    assert rec["method"] == "crush" and rec["method_label"] == "破砕" and rec["file_name"] == "写真.png"
    assert rec["file_sha256"] == hashlib.sha256(PNG_BYTES).hexdigest()
    assert rec["file_url"] == f"/media/disposals/{approved.pk}/file/"
    assert AuditEvent.objects.get(object_type="media.DestructionRecord").after["file_sha256"] == rec["file_sha256"]


def test_record_destruction_refusals(approved, staff, staff2):
    url = f"{detail(approved)}record_destruction/"
    c = token_client(staff)
    error = assert_error(c.post(url, {**destruction(method="overwrite"), "file": png_upload()}, format="multipart"), 400)
    assert "method" in error["fields"]
    error = assert_error(c.post(url, destruction(), format="json"), 400)  # no evidence
    assert "file" in error["fields"]
    error = assert_error(c.post(url, {**destruction(), "file": text_as_png()}, format="multipart"), 400)
    assert "file" in error["fields"] and "形式" in error["fields"]["file"][0]
    error = assert_error(c.post(url, {"method": "crush"}, format="json"), 400)
    assert {"performer", "witness", "place", "performed_at"} <= set(error["fields"])
    error = assert_error(c.post(url, {**destruction(), "colour": "red"}, format="json"), 400)
    assert "colour" in error["fields"]
    assert_error(token_client(staff2).post(url, destruction(certificate_number="C"), format="json"), 404)
    assert DisposalRequest.objects.get(pk=approved.pk).state == "approved"
    assert not DestructionRecord.objects.exists()


def test_oversize_upload(approved, staff, settings, monkeypatch):
    import tejun.lib.uploads as uploads

    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1024)
    big = SimpleUploadedFile("big.png", PNG_BYTES + b"\0" * 2048, content_type="image/png")
    error = assert_error(token_client(staff).post(f"{detail(approved)}record_destruction/",
                                                  {**destruction(), "file": big}, format="multipart"), 400)
    assert "大きすぎます" in error["fields"]["file"][0]


def test_officer_without_permission_gets_403_before_input_is_read(approved, auditor):
    assert_error(token_client(auditor).post(f"{detail(approved)}record_destruction/", {}, format="json"), 403)


def test_reject_withdraw_and_unknown_transition(submitted, staff, officer):
    c = token_client(officer)
    error = assert_error(c.post(f"{detail(submitted)}reject/", {}, format="json"), 400)
    assert "comment" in error["fields"]
    response = c.post(f"{detail(submitted)}reject/", {"comment": "まだ使えます"}, format="json")
    assert response.status_code == 200 and response.json()["medium_status"] == "保管中"
    assert_error(c.post(f"{detail(submitted)}approve/", {}, format="json"), 409, "wrong_state")
    assert_error(c.post(f"{detail(submitted)}explode/", {}, format="json"), 404)


def test_patch_after_send_back(submitted, staff, officer, body):
    c = token_client(staff)
    assert_error(c.patch(detail(submitted), {"reason": "新しい理由"}, format="json"), 409)
    perform(submitted, "send_back", officer, comment="理由を詳しく")
    assert_error(token_client(officer).patch(detail(submitted), {"reason": "x"}, format="json"), 403)
    response = c.patch(detail(submitted), {"reason": "落下により破損", "highest_level": level(body, "3").pk},
                       format="json")
    assert response.status_code == 200 and response.json()["highest_level_label"] == "機密性3"
    error = assert_error(c.patch(detail(submitted), {"medium": 1}, format="json"), 400)
    assert "medium" in error["fields"]


def test_no_delete_no_put(submitted, staff):
    assert_error(token_client(staff).delete(detail(submitted)), 405)
    assert_error(token_client(staff).put(detail(submitted), {}, format="json"), 405)


def test_schema_has_the_disposals(tmp_path):
    import yaml
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--file", str(out))
    paths = yaml.safe_load(out.read_text())["paths"]
    assert set(paths["/api/v1/disposals/"]) == {"get", "post"}
    assert set(paths["/api/v1/disposals/{id}/"]) == {"get", "patch"}
    transition = paths["/api/v1/disposals/{id}/{transition}/"]["post"]
    [name] = [p for p in transition["parameters"] if p["name"] == "transition"]
    assert "record_destruction" in name["schema"]["enum"]
    assert "multipart/form-data" in transition["requestBody"]["content"]
