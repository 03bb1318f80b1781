"""C-2: documents, versions, reviews and acknowledgements — through the service, the page and the API."""

from datetime import timedelta

import pytest

from tejun.audit.models import AuditEvent
from tejun.governance import services
from tejun.governance.models import Acknowledgement, PolicyReview, PolicyVersion
from tejun.governance.selectors import acknowledgement_status, staff_members
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.notify.models import Notification
from tests.api.helpers import assert_error

from .helpers import DOCX_MAIN, TODAY, documents, ooxml, pdf, procedures_with_version

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- services

def test_setup_creates_the_three_documents_once(promoter):
    docs = documents(promoter)
    assert set(docs) == {"policy", "procedures", "emergency_plan"}
    assert docs["procedures"].requires_acknowledgement and not docs["policy"].requires_acknowledgement
    assert services.setup_documents(actor=promoter) == []


def test_only_the_promoter_or_manager_keeps_documents(promoter, staff, officer):
    for person in (staff, officer):
        with pytest.raises(Forbidden):
            services.setup_documents(actor=person)
    doc = documents(promoter)["policy"]
    with pytest.raises(Forbidden):
        services.add_version(doc, actor=staff, file=pdf(), effective_on=TODAY())


def test_a_new_version_becomes_current_and_asks_staff_to_read_it(promoter, staff, staff2, vendor):
    doc, v1 = procedures_with_version(promoter)
    assert doc.current_version == v1 and v1.number == 1 and v1.sha256 and v1.content_type == "application/pdf"
    assert set(Notification.objects.filter(title__contains="新しい版").values_list("recipient", flat=True)) == {
        staff.pk, staff2.pk}  # not the vendor, not the promoter who registered it
    assert AuditEvent.objects.filter(object_type__icontains="policyversion", action="create").exists()
    v2 = services.add_version(doc, actor=promoter, file=ooxml("手順.docx", DOCX_MAIN), effective_on=TODAY())
    doc.refresh_from_db()
    assert v2.number == 2 and doc.current_version == v2 and v2.file_name == "手順.docx"
    assert v2.content_type.endswith("wordprocessingml.document") and v2.file.name.endswith(".docx")


@pytest.mark.parametrize("upload", [
    lambda: pdf("x.pdf", b"MZ\x90\x00 not a pdf"),
    lambda: ooxml("macro.docx", "word/document.xml", extra=["word/vbaProject.bin"]),
    lambda: ooxml("other.docx", "content.xml"),
    lambda: None,
])
def test_bad_files_are_refused_and_nothing_changes(promoter, upload):
    doc = documents(promoter)["policy"]
    with pytest.raises(InvalidInput) as e:
        services.add_version(doc, actor=promoter, file=upload(), effective_on=TODAY())
    assert "file" in e.value.fields
    assert not PolicyVersion.objects.exists()


def test_xlsx_is_accepted(promoter):
    doc = documents(promoter)["emergency_plan"]
    v = services.add_version(doc, actor=promoter, file=ooxml("連絡網.xlsx", "xl/workbook.xml"), effective_on=TODAY())
    assert v.file.name.endswith(".xlsx")


def test_review_records_changes_approver_and_next_due(promoter, manager):
    doc = documents(promoter)["policy"]
    version = services.add_version(doc, actor=promoter, file=pdf(), effective_on=TODAY())
    review = services.record_review(doc, actor=promoter, reviewed_on=TODAY(), outcome="revised",
                                    changes="第3条を改正", approved_by=manager, approved_on=TODAY(), version=version)
    doc.refresh_from_db()
    assert review.approved_by == manager and review.recorded_by == promoter
    assert doc.next_review_due == review.next_review_due and review.next_review_due > TODAY() + timedelta(days=360)


def test_review_refusals(promoter, manager, outsider, staff):
    doc = documents(promoter)["policy"]
    base = dict(reviewed_on=TODAY(), outcome="unchanged", changes="確認", approved_by=manager, approved_on=TODAY())
    with pytest.raises(Forbidden):
        services.record_review(doc, actor=staff, **base)
    with pytest.raises(NotFound):
        services.record_review(doc, actor=outsider, **base)
    bad = [dict(outcome="revised"), dict(approved_by=outsider), dict(changes="  "),
           dict(reviewed_on=TODAY() + timedelta(days=1)), dict(approved_on=TODAY() - timedelta(days=1)),
           dict(next_review_due=TODAY()), dict(outcome="maybe")]
    for change in bad:
        with pytest.raises(InvalidInput):
            services.record_review(doc, actor=promoter, **{**base, **change})
    assert not PolicyReview.objects.exists()


def test_acknowledge_current_version_once_and_again_for_a_new_version(promoter, staff, staff2, vendor):
    doc, v1 = procedures_with_version(promoter)
    assert {p.pk for p in staff_members(doc.body)} == {promoter.pk, staff.pk, staff2.pk}
    services.acknowledge(v1, actor=staff)
    services.acknowledge(v1, actor=staff)  # twice: still one
    assert Acknowledgement.objects.filter(version=v1).count() == 1
    status = acknowledgement_status(doc)
    assert {p.pk for p in status.pending} == {promoter.pk, staff2.pk}
    v2 = services.add_version(doc, actor=promoter, file=pdf(), effective_on=TODAY())
    doc.refresh_from_db()
    assert staff.pk in {p.pk for p in acknowledgement_status(doc).pending}  # a new version asks again
    with pytest.raises(WrongState):
        services.acknowledge(v1, actor=staff2)  # not the current version any more
    services.acknowledge(v2, actor=staff)


def test_acknowledge_refusals(promoter, vendor, outsider):
    _doc, v1 = procedures_with_version(promoter)
    with pytest.raises(Forbidden):
        services.acknowledge(v1, actor=vendor)
    with pytest.raises(NotFound):
        services.acknowledge(v1, actor=outsider)


# ---------------------------------------------------------------- pages

def test_pages_show_documents_reviews_and_who_has_not_read(promoter, manager, staff, login):
    doc, v1 = procedures_with_version(promoter)
    services.record_review(doc, actor=promoter, reviewed_on=TODAY(), outcome="revised", changes="例外措置を追加",
                           approved_by=manager, approved_on=TODAY(), version=v1)
    html = login(manager).get("/governance/").content.decode()
    assert "情報セキュリティ実施手順" in html and "第1版" in html
    html = login(manager).get(doc.get_absolute_url()).content.decode()
    assert "例外措置を追加" in html and manager.full_name in html and staff.full_name in html  # in 未確認
    assert "令和" in html


def test_staff_acknowledges_on_the_page(promoter, staff, login):
    doc, v1 = procedures_with_version(promoter)
    client = login(staff)
    assert "読みました" in client.get(doc.get_absolute_url()).content.decode()
    response = client.post(f"/governance/versions/{v1.pk}/acknowledge/")
    assert response.status_code == 302
    assert Acknowledgement.objects.filter(version=v1, person=staff).exists()
    assert "確認済み" in client.get(doc.get_absolute_url()).content.decode()


def test_upload_and_review_forms(promoter, manager, login):
    doc = documents(promoter)["policy"]
    client = login(promoter)
    r = client.post(f"/governance/documents/{doc.pk}/versions/new/",
                    {"file": pdf(), "effective_on": TODAY().isoformat(), "summary": "改定"})
    assert r.status_code == 302 and PolicyVersion.objects.filter(document=doc).count() == 1
    r = client.post(f"/governance/documents/{doc.pk}/versions/new/",
                    {"file": pdf("a.pdf", b"GIF89a"), "effective_on": TODAY().isoformat()})
    assert r.status_code == 400 and "ファイルの形式" in r.content.decode()
    r = client.post(f"/governance/documents/{doc.pk}/reviews/new/", {
        "reviewed_on": TODAY().isoformat(), "outcome": "unchanged", "changes": "変更なし", "approved_by": manager.pk,
        "approved_on": TODAY().isoformat()})
    assert r.status_code == 302 and PolicyReview.objects.filter(document=doc).exists()
    r = client.post(f"/governance/documents/{doc.pk}/reviews/new/", {
        "reviewed_on": TODAY().isoformat(), "outcome": "revised", "changes": "x", "approved_by": manager.pk,
        "approved_on": TODAY().isoformat()})
    assert r.status_code == 400 and "改定後の版" in r.content.decode()
    version = PolicyVersion.objects.get(document=doc)
    download = client.get(f"/governance/versions/{version.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4\n% test policy\n"
    assert "attachment" in download["Content-Disposition"]


def test_page_refusals(promoter, staff, vendor, outsider, login):
    doc, v1 = procedures_with_version(promoter)
    assert login(staff).get(f"/governance/documents/{doc.pk}/reviews/new/").status_code == 403
    assert login(staff).get(f"/governance/documents/{doc.pk}/versions/new/").status_code == 403
    assert login(vendor).get("/governance/").status_code == 403
    assert login(vendor).get(f"/governance/versions/{v1.pk}/file/").status_code == 403
    assert login(outsider).get(doc.get_absolute_url()).status_code == 404
    assert login(outsider).get(f"/governance/versions/{v1.pk}/file/").status_code == 404
    assert login(outsider).post(f"/governance/versions/{v1.pk}/acknowledge/").status_code == 404


# ---------------------------------------------------------------- API

def test_api_documents_versions_reviews_and_acknowledgements(promoter, manager, staff, api):
    doc = documents(promoter)["procedures"]
    client = api(promoter)
    assert {d["kind"] for d in client.get("/api/v1/policy-documents/").json()} == {
        "policy", "procedures", "emergency_plan"}
    r = client.post(f"/api/v1/policy-documents/{doc.pk}/versions/", {"file": pdf(), "effective_on": TODAY()},
                    format="multipart")
    assert r.status_code == 201, r.content
    version_id = r.json()["id"]
    r = client.post(f"/api/v1/policy-documents/{doc.pk}/reviews/", {
        "reviewed_on": TODAY(), "outcome": "revised", "changes": "改定", "approved_by": manager.pk,
        "approved_on": TODAY(), "version": version_id}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["approved_by_name"] == manager.full_name
    r = api(staff).post(f"/api/v1/policy-documents/{doc.pk}/acknowledge/")
    assert r.status_code == 201 and r.json()["version"] == version_id
    status = api(manager).get(f"/api/v1/policy-documents/{doc.pk}/acknowledgements/").json()
    assert staff.pk in {p["id"] for p in status["acknowledged"]}
    assert promoter.pk in {p["id"] for p in status["pending"]}
    r = client.patch(f"/api/v1/policy-documents/{doc.pk}/", {"review_cycle_months": 24}, format="json")
    assert r.status_code == 200 and r.json()["review_cycle_months"] == 24


def test_api_refusals(promoter, manager, staff, vendor, outsider, api):
    doc = documents(promoter)["policy"]
    assert_error(api(staff).post(f"/api/v1/policy-documents/{doc.pk}/versions/",
                                 {"file": pdf(), "effective_on": TODAY()}, format="multipart"), 403, "forbidden")
    assert_error(api(staff).get(f"/api/v1/policy-documents/{doc.pk}/acknowledgements/"), 403)
    assert_error(api(vendor).get("/api/v1/policy-documents/"), 403)
    assert_error(api(outsider).get(f"/api/v1/policy-documents/{doc.pk}/"), 404, "not_found")
    assert_error(api(staff).post(f"/api/v1/policy-documents/{doc.pk}/acknowledge/"), 409, "wrong_state")
    error = assert_error(api(promoter).post(f"/api/v1/policy-documents/{doc.pk}/versions/",
                                            {"file": pdf("x.pdf", b"plain text"), "effective_on": TODAY()},
                                            format="multipart"), 400, "invalid")
    assert "file" in error["fields"]
    error = assert_error(api(promoter).post(f"/api/v1/policy-documents/{doc.pk}/reviews/", {
        "reviewed_on": TODAY(), "outcome": "unchanged", "changes": "x", "approved_by": manager.pk,
        "approved_on": TODAY(), "state": "done"}, format="json"), 400)
    assert "state" in error["fields"]
    assert_error(api(promoter).patch(f"/api/v1/policy-documents/{doc.pk}/", {"review_cycle_months": 0},
                                     format="json"), 400)
    assert not PolicyVersion.objects.exists() and not PolicyReview.objects.exists()
