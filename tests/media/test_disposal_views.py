"""Disposal pages: request, decide, record the destruction with its file, download the file."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tejun.media.disposal_services import create_disposal, record_destruction
from tejun.media.models import DestructionRecord, DisposalRequest, Medium
from tejun.workflow.engine import perform

from .flow_helpers import PNG_BYTES, destruction_fields, level, medium, png_upload, text_as_png


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def destruction_post(**overrides):
    at = timezone.localtime() - timedelta(hours=2)
    data = {"method": "crush", "performer": "業者 破砕担当", "witness": "職員 立会", "place": "会議室",
            "performed_at": at.strftime("%Y-%m-%dT%H:%M"), "certificate_number": "", "comment": ""}
    data.update(overrides)
    return data


@pytest.fixture
def approved(body, staff, officer):
    d = create_disposal(actor=staff, medium=medium(body, staff, number="M-201"), reason="故障")
    return perform(d, "approve", officer)


def test_list_and_new(login, staff, body):
    m = medium(body, staff, number="M-200")
    medium(body, staff, number="M-OUT", status=Medium.Status.OUT)
    c = login(staff)
    assert c.get("/media/disposals/").status_code == 200
    page = c.get(f"/media/disposals/new/?medium={m.pk}").content.decode()
    assert "M-200" in page and "M-OUT" not in page and f'value="{m.pk}" selected' in page
    response = c.post("/media/disposals/new/", {"medium": m.pk, "reason": "容量不足", "highest_level": ""})
    d = DisposalRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/media/disposals/{d.pk}/"
    assert d.highest_level == level(body, "2") and Medium.objects.get(pk=m.pk).status == "disposal_requested"
    page = c.get(f"/media/disposals/{d.pk}/").content.decode()
    assert "責任者の承認を受けてから破壊を記録します" in page
    assert "/destruction/" not in page  # no 破壊を記録 button before the approval
    assert "廃棄申請中" in page


def test_lowering_the_level_is_refused_on_the_form(login, staff, body):
    m = medium(body, staff, level_code="3")
    response = login(staff).post("/media/disposals/new/",
                                 {"medium": m.pk, "reason": "故障", "highest_level": level(body, "1").pk})
    assert response.status_code == 200 and "より低くはできません" in response.content.decode()
    assert not DisposalRequest.objects.exists()


def test_vendor_may_not_request(login, vendor):
    assert login(vendor).get("/media/disposals/new/").status_code == 403


def test_officer_approves_from_the_page(login, staff, officer, body):
    d = create_disposal(actor=staff, medium=medium(body, staff), reason="故障")
    login(staff).post(f"/media/disposals/{d.pk}/approve/")
    assert DisposalRequest.objects.get(pk=d.pk).state == "submitted"  # not one's own
    login(officer).post(f"/media/disposals/{d.pk}/approve/", {"comment": "破砕すること"})
    assert DisposalRequest.objects.get(pk=d.pk).state == "approved"


def test_class2_destruction_page_before_approval_is_refused(login, staff, officer, body):
    d = create_disposal(actor=staff, medium=medium(body, staff), reason="故障")
    c = login(staff)
    response = c.get(f"/media/disposals/{d.pk}/destruction/")
    assert response.status_code == 302
    response = c.post(f"/media/disposals/{d.pk}/destruction/", destruction_post(file=png_upload()), follow=True)
    assert "承認を受けてから" in response.content.decode()
    assert not DestructionRecord.objects.exists()


def test_record_destruction_with_a_photo(login, staff, approved):
    c = login(staff)
    page = c.get(f"/media/disposals/{approved.pk}/destruction/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'value="overwrite"' not in page  # class 2: physical methods only
    response = c.post(f"/media/disposals/{approved.pk}/destruction/",
                      destruction_post(file=png_upload("写真.png")))
    assert response.status_code == 302
    d = DisposalRequest.objects.get(pk=approved.pk)
    assert d.state == "destroyed" and d.medium.status == "disposed"
    page = c.get(f"/media/disposals/{d.pk}/").content.decode()
    assert "写真.png" in page and d.destruction.file_sha256 in page and "廃棄済" in page
    download = c.get(f"/media/disposals/{d.pk}/file/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PNG_BYTES


def test_the_file_only_for_those_who_see_the_request(login, staff, staff2, officer, outsider, auditor, approved):
    record_destruction(approved, actor=staff, file=png_upload(), **destruction_fields())
    url = f"/media/disposals/{approved.pk}/file/"
    assert login(staff2).get(url).status_code == 404
    assert login(outsider).get(url).status_code == 404
    assert login(auditor).get(url).status_code == 200
    assert login(officer).get(url).status_code == 200


def test_no_file_no_download(login, staff, approved):
    record_destruction(approved, actor=staff, **destruction_fields(certificate_number="C-1"))
    assert login(staff).get(f"/media/disposals/{approved.pk}/file/").status_code == 404


def test_text_named_png_is_refused_on_the_page(login, staff, approved):
    response = login(staff).post(f"/media/disposals/{approved.pk}/destruction/",
                                 destruction_post(file=text_as_png()))
    assert response.status_code == 400
    assert "ファイルの形式が正しくありません" in response.content.decode()
    assert DisposalRequest.objects.get(pk=approved.pk).state == "approved"
    assert not DestructionRecord.objects.exists()


def test_oversize_is_refused_on_the_page(login, staff, approved):
    big = SimpleUploadedFile("big.png", PNG_BYTES + b"\0" * (10 * 1024 * 1024), content_type="image/png")
    response = login(staff).post(f"/media/disposals/{approved.pk}/destruction/", destruction_post(file=big))
    assert response.status_code == 400 and "大きすぎます" in response.content.decode()
    assert not DestructionRecord.objects.exists()


def test_overwrite_is_refused_for_class2_on_the_page(login, staff, approved):
    response = login(staff).post(f"/media/disposals/{approved.pk}/destruction/",
                                 destruction_post(method="overwrite", file=png_upload()))
    assert response.status_code == 400  # not even a choice on the form
    assert not DestructionRecord.objects.exists()


def test_missing_fields_on_the_page(login, staff, approved):
    response = login(staff).post(f"/media/disposals/{approved.pk}/destruction/",
                                 destruction_post(performer="", witness="", file=png_upload()))
    assert response.status_code == 400
    assert DisposalRequest.objects.get(pk=approved.pk).state == "approved"


def test_others_may_not_record(login, staff2, approved, outsider):
    assert login(staff2).get(f"/media/disposals/{approved.pk}/destruction/").status_code == 404  # not visible
    assert login(outsider).get(f"/media/disposals/{approved.pk}/destruction/").status_code == 404
    assert login(outsider).get(f"/media/disposals/{approved.pk}/").status_code == 404


def test_auditor_sees_but_may_not_record(login, auditor, approved):
    assert login(auditor).get(f"/media/disposals/{approved.pk}/").status_code == 200
    assert login(auditor).get(f"/media/disposals/{approved.pk}/destruction/").status_code == 403


def test_class1_may_record_right_away(login, staff, body):
    d = create_disposal(actor=staff, medium=medium(body, staff, level_code="1"), reason="更新")
    c = login(staff)
    page = c.get(f"/media/disposals/{d.pk}/").content.decode()
    assert f"/media/disposals/{d.pk}/destruction/" in page
    assert 'value="overwrite"' in c.get(f"/media/disposals/{d.pk}/destruction/").content.decode()
    response = c.post(f"/media/disposals/{d.pk}/destruction/", destruction_post(method="overwrite"))
    assert response.status_code == 302
    assert DisposalRequest.objects.get(pk=d.pk).state == "destroyed"


def test_reject_from_the_page_puts_the_medium_back(login, staff, officer, body):
    m = medium(body, staff)
    d = create_disposal(actor=staff, medium=m, reason="故障")
    login(officer).post(f"/media/disposals/{d.pk}/reject/", {"comment": ""})
    assert DisposalRequest.objects.get(pk=d.pk).state == "submitted"  # a reason is required
    login(officer).post(f"/media/disposals/{d.pk}/reject/", {"comment": "修理で使えます"})
    assert DisposalRequest.objects.get(pk=d.pk).state == "rejected"
    assert Medium.objects.get(pk=m.pk).status == Medium.Status.STORED


def test_edit_after_send_back(login, staff, officer, body):
    d = create_disposal(actor=staff, medium=medium(body, staff), reason="故障")
    perform(d, "send_back", officer, comment="理由を詳しく")
    c = login(staff)
    assert c.get(f"/media/disposals/{d.pk}/edit/").status_code == 200
    response = c.post(f"/media/disposals/{d.pk}/edit/", {"reason": "落下により破損", "highest_level": ""})
    assert response.status_code == 302
    assert DisposalRequest.objects.get(pk=d.pk).reason == "落下により破損"
    assert login(officer).get(f"/media/disposals/{d.pk}/edit/").status_code == 403


def test_my_tasks_lists_the_disposal_for_the_officer(login, staff, officer, body):
    d = create_disposal(actor=staff, medium=medium(body, staff, number="M-TASK"), reason="故障")
    page = login(officer).get("/tasks/").content.decode()
    assert d.number in page and "M-TASK" in page and "記録媒体の廃棄（P-02）" in page
