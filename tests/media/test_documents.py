"""The printed documents of the media procedures: who may print them, and what they say (和暦, key fields).

Set TEJUN_DUMP_DOCS=1 to keep each PDF under test-artifacts/documents/ for a person to look at.
"""

import io
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tejun.media.disposal_services import create_disposal, record_destruction
from tejun.media.documents import parse_period
from tejun.media.models import MediumException
from tejun.orgs.models import Post
from tejun.workflow.engine import perform

from .flow_helpers import destruction_fields, exception_for, medium, png_upload
from .helpers import new_carry_out

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def pdf_text(response, name: str) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(b"%PDF-")
    if os.environ.get("TEJUN_DUMP_DOCS"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"{name}.pdf").write_bytes(data)
    if not PDFTOTEXT:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run([PDFTOTEXT, "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode()


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def posts(body, staff, officer, manager):
    for person, name in ((staff, "議事係主事"), (officer, "事務局次長"), (manager, "事務局長")):
        person.post = Post.objects.create(body=body, name=name, order=10)
        person.save()


@pytest.fixture
def scenario(body, staff, officer, manager, posts):
    """A medium carried out and back, an approved USB exception, a class-2 medium destroyed."""
    hdd = medium(body, staff, number="M-101")
    req = new_carry_out(staff, medium=hdd, data_description="議員名簿（住所録）", destination="町民センター",
                        due_date=timezone.localdate() + timedelta(days=1))
    perform(req, "approve", officer, comment="暗号化を確認")
    perform(req, "take_out", staff)
    perform(req, "bring_back", staff)
    perform(req, "confirm_return", manager)
    exc = exception_for(body, staff, state="submitted")
    perform(exc, "approve", officer, comment="期間内に限り許可")
    old = medium(body, staff, number="M-102", level_code="2")
    disposal = create_disposal(actor=staff, medium=old, reason="故障して読み込めないため")
    perform(disposal, "approve", officer, comment="破砕すること")
    record_destruction(disposal, actor=staff, file=png_upload("破砕.png"),
                       **destruction_fields(method="crush", certificate_number="HK-2026-0042"))
    return {"request": req, "exception": MediumException.objects.get(pk=exc.pk), "disposal": disposal,
            "hdd": hdd, "old": old}


# --- 持出許可申請書 --------------------------------------------------------------------------------------

def test_carry_out_form(login, scenario, staff, officer, manager):
    req = scenario["request"]
    text = pdf_text(login(staff).get(f"/media/carry-outs/{req.pk}/pdf/"), "01-持出許可申請書")
    for expected in ("持出許可申請書", req.number, "議員名簿（住所録）", "町民センター", "M-101", "機密性2",
                     "申請者", "責任者", "管理者", "責任", "局長", "暗号化を確認", "返却を確認", "令和"):
        assert expected in text, expected


def test_carry_out_form_not_for_others(login, scenario, staff2, outsider):
    url = f"/media/carry-outs/{scenario['request'].pk}/pdf/"
    assert login(staff2).get(url).status_code == 404  # another member of staff does not see it
    assert login(outsider).get(url).status_code == 404
    assert login(staff2).get("/media/carry-outs/999999/pdf/").status_code == 404


# --- 持出簿 ---------------------------------------------------------------------------------------------

def test_carry_out_log_pdf(login, scenario, officer):
    text = pdf_text(login(officer).get("/media/carry-outs/log.pdf"), "02-持出簿")
    for expected in ("持出簿", scenario["request"].number, "議員名簿", "M-101", "完了", "令和"):
        assert expected in text, expected


def test_carry_out_log_lists_only_permitted_ones_in_the_period(login, scenario, officer, staff):
    pending = new_carry_out(staff, data_description="未決裁のデータ")
    text = pdf_text(login(officer).get("/media/carry-outs/log.pdf"), "02b-持出簿")
    assert pending.number not in text  # not permitted (yet): not in the log
    far = (timezone.localdate() + timedelta(days=800)).isoformat()
    text = pdf_text(login(officer).get(f"/media/carry-outs/log.pdf?from={far}&to={far}"), "02c-持出簿")
    assert scenario["request"].number not in text and "この期間の持出しはありません" in text


def test_carry_out_log_xlsx(login, scenario, officer):
    rows = xlsx_rows(login(officer).get("/media/carry-outs/log.xlsx"))
    assert rows[0][0] == "申請番号" and rows[1][0] == scenario["request"].number and rows[1][3] == "M-101"


def test_carry_out_log_is_the_officers(login, scenario, staff, outsider):
    assert login(staff).get("/media/carry-outs/log.pdf").status_code == 403
    assert login(staff).get("/media/carry-outs/log.xlsx").status_code == 403
    text = pdf_text(login(outsider).get("/media/carry-outs/log.pdf"), "02d-持出簿-outsider")
    assert scenario["request"].number not in text  # another body's officer sees only their own


def test_bad_period_is_explained(login, scenario, officer):
    response = login(officer).get("/media/carry-outs/log.pdf?from=2026-13-40")
    assert response.status_code == 302
    response = login(officer).get("/media/carry-outs/log.pdf?from=2026-05-01&to=2026-04-01", follow=True)
    assert "終了日は開始日以降にしてください" in response.content.decode()


def test_period_defaults_to_the_fiscal_year():
    from datetime import date

    assert parse_period({}, today=date(2026, 3, 31)) == (date(2025, 4, 1), date(2026, 3, 31))
    assert parse_period({"from": "令和8年4月1日", "to": "R8.4.30"}) == (date(2026, 4, 1), date(2026, 4, 30))


# --- 例外措置申請書 -------------------------------------------------------------------------------------

def test_exception_form(login, scenario, officer):
    exc = scenario["exception"]
    text = pdf_text(login(officer).get(f"/media/exceptions/{exc.pk}/pdf/"), "03-例外措置申請書")
    for expected in ("例外措置申請書", exc.number, "USBメモリの使用", "議会中継の録画データ", "有効期間", "承認",
                     "期間内に限り許可", "令和"):
        assert expected in text, expected


def test_exception_form_not_for_another_body(login, scenario, outsider):
    assert login(outsider).get(f"/media/exceptions/{scenario['exception'].pk}/pdf/").status_code == 404


# --- 廃棄申請書 ----------------------------------------------------------------------------------------

def test_disposal_form(login, scenario, staff):
    d = scenario["disposal"]
    text = pdf_text(login(staff).get(f"/media/disposals/{d.pk}/pdf/"), "04-廃棄申請書")
    for expected in ("廃棄申請書", d.number, "M-102", "故障して読み込めない", "機密性2", "破砕", "業者 破砕担当",
                     "職員 立会", "HK-2026-0042", "破砕.png", "破砕すること", "廃棄済", "令和"):
        assert expected in text, expected


def test_disposal_form_not_for_others(login, scenario, staff2, outsider, auditor):
    url = f"/media/disposals/{scenario['disposal'].pk}/pdf/"
    assert login(staff2).get(url).status_code == 404
    assert login(outsider).get(url).status_code == 404
    assert login(auditor).get(url).status_code == 200


# --- 廃棄記録簿 ---------------------------------------------------------------------------------------

def test_destruction_log_pdf(login, scenario, officer):
    text = pdf_text(login(officer).get("/media/disposals/log.pdf"), "05-廃棄記録簿")
    for expected in ("廃棄記録簿", scenario["disposal"].number, "M-102", "破砕", "業者 破砕担当", "職員 立会",
                     "HK-2026-0042", "令和"):
        assert expected in text, expected


def test_destruction_log_xlsx(login, scenario, officer):
    rows = xlsx_rows(login(officer).get("/media/disposals/log.xlsx"))
    assert rows[0][:3] == ["実施日時", "廃棄申請番号", "登録番号"]
    assert rows[1][1] == scenario["disposal"].number and rows[1][6] == "破砕" and len(rows[1][12]) == 64


def test_destruction_log_refused_to_staff(login, scenario, staff):
    assert login(staff).get("/media/disposals/log.pdf").status_code == 403
    assert login(staff).get("/media/disposals/log.xlsx").status_code == 403


# --- 記録媒体管理台帳 -----------------------------------------------------------------------------------

def test_media_register_pdf(login, scenario, staff):
    text = pdf_text(login(staff).get("/media/register/export.pdf"), "06-記録媒体管理台帳")
    for expected in ("記録媒体管理台帳", "M-101", "M-102", "外付けHDD", "廃棄済", "保管中", "書庫キャビネット", "令和"):
        assert expected in text, expected


def test_media_register_pdf_filters(login, scenario, staff):
    text = pdf_text(login(staff).get("/media/register/export.pdf?status=active"), "06b-台帳-active")
    assert "M-101" in text and "M-102" not in text


def test_media_register_xlsx(login, scenario, staff):
    rows = xlsx_rows(login(staff).get("/media/register/export.xlsx"))
    numbers = {r[0] for r in rows[1:]}
    assert rows[0][0] == "登録番号" and numbers == {"M-101", "M-102"}


def test_media_register_refused_to_a_vendor_and_scoped_to_the_body(login, scenario, vendor, outsider):
    assert login(vendor).get("/media/register/export.pdf").status_code == 403
    assert login(vendor).get("/media/register/export.xlsx").status_code == 403
    rows = xlsx_rows(login(outsider).get("/media/register/export.xlsx"))
    assert rows[1:] == []


def test_documents_need_a_login(client, scenario):
    for url in ("/media/carry-outs/log.pdf", f"/media/disposals/{scenario['disposal'].pk}/pdf/",
                "/media/register/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_links_from_the_pages(login, scenario, officer):
    c = login(officer)
    assert f"/media/carry-outs/{scenario['request'].pk}/pdf/" in c.get(
        f"/media/carry-outs/{scenario['request'].pk}/").content.decode()
    assert "/media/carry-outs/log.pdf" in c.get("/media/carry-outs/").content.decode()
    assert f"/media/disposals/{scenario['disposal'].pk}/pdf/" in c.get(
        f"/media/disposals/{scenario['disposal'].pk}/").content.decode()
    assert "/media/disposals/log.pdf" in c.get("/media/disposals/").content.decode()


def test_links_from_the_register_pages(login, scenario, officer):
    c = login(officer)
    page = c.get("/media/register/?status=active").content.decode()
    assert "/media/register/export.pdf?status=active" in page and "/media/register/export.xlsx?status=active" in page
    assert f"/media/exceptions/{scenario['exception'].pk}/pdf/" in c.get(
        f"/media/exceptions/{scenario['exception'].pk}/").content.decode()
    page = c.get(f"/media/register/{scenario['hdd'].pk}/").content.decode()
    assert f"/media/carry-outs/new/?medium={scenario['hdd'].pk}" in page
    assert f"/media/disposals/new/?medium={scenario['hdd'].pk}" in page
    assert "/media/disposals/new/?medium=" not in c.get(f"/media/register/{scenario['old'].pk}/").content.decode()


def test_class1_disposal_form_says_the_approval_was_skipped(login, body, staff):
    d = create_disposal(actor=staff, medium=medium(body, staff, number="M-150", level_code="1"), reason="更新")
    record_destruction(d, actor=staff, **destruction_fields(method="overwrite"))
    text = pdf_text(login(staff).get(f"/media/disposals/{d.pk}/pdf/"), "04b-廃棄申請書-機密性1")
    assert "承認省略" in text and "上書き消去" in text and "令和" in text
