"""The memorandum: the template (versioned, placeholders checked) and the generated .docx and PDF."""

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from tejun.lib.errors import Forbidden, InvalidInput
from tejun.lib.wareki import to_wareki
from tejun.vendors import documents
from tejun.vendors.memorandum import DEFAULT_TEXT, PLACEHOLDERS, save_template
from tejun.vendors.models import MemorandumTemplate
from tejun.workflow.engine import perform

pytestmark = pytest.mark.django_db

ARTICLES = [f"第{n}条" for n in range(1, 10)]


def _approved(new_provision, officer):
    return perform(new_provision(), "approve", officer)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "memo.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_default_text_is_the_sources():
    for n in ARTICLES:
        assert n in DEFAULT_TEXT
    assert "本書2通を作成" in DEFAULT_TEXT and "本通" not in DEFAULT_TEXT
    assert set(PLACEHOLDERS) >= {"甲", "乙", "システム名", "データ内容", "提供期間", "日付"}


def test_docx_has_all_nine_articles_and_the_values(new_provision, officer):
    from docx import Document

    p = _approved(new_provision, officer)
    doc = Document(io.BytesIO(documents.memorandum_docx(p)))
    text = "\n".join(par.text for par in doc.paragraphs)
    for n in ARTICLES:
        assert n in text
    for value in ("会議録検索システム構築のためのデータ提供に関する覚書", "テスト町議会（以下「甲」という。）",
                  "〇〇システム株式会社（以下「乙」という。）", "本会議会議録（平成15年～令和7年）",
                  to_wareki(p.period_end), "暗号化USBメモリ", "本書2通を作成", to_wareki(timezone.localdate()),
                  "代表取締役 山田 一郎", "印"):
        assert value in text, value
    assert text.count("甲　住所") == 1 and text.count("乙　住所") == 1
    assert "{" not in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_pdf_has_all_nine_articles_the_values_and_embedded_japanese_fonts(new_provision, officer, tmp_path):
    p = _approved(new_provision, officer)
    data = documents.memorandum_pdf(p)
    text = _pdf_text(data, tmp_path).replace(" ", "")
    for n in ARTICLES:
        assert n in text
    for value in ("テスト町議会", "〇〇システム株式会社", "会議録検索システム", "本書2通を作成", "記名押印"):
        assert value in text, value
    assert to_wareki(p.period_end) in text
    fonts = subprocess.run(["pdffonts", str(tmp_path / "memo.pdf")], capture_output=True, text=True).stdout
    assert "CJK" in fonts or "IPA" in fonts
    for line in fonts.splitlines()[2:]:
        assert " yes " in line  # every font embedded


def test_template_versions_and_unknown_placeholder(manager, staff):
    with pytest.raises(Forbidden):
        save_template(actor=staff, text=DEFAULT_TEXT)
    with pytest.raises(InvalidInput) as e:
        save_template(actor=manager, text=DEFAULT_TEXT + "\n{代表者名}")
    assert "使用できない差し込み項目があります：{代表者名}" in e.value.text()
    with pytest.raises(InvalidInput) as e:
        save_template(actor=manager, text=DEFAULT_TEXT.replace("{日付}", "{日付"))
    assert not MemorandumTemplate.objects.exists()
    v1 = save_template(actor=manager, text=DEFAULT_TEXT)
    v2 = save_template(actor=manager, text=DEFAULT_TEXT.replace("厳重に保管し", "施錠できる場所に厳重に保管し"),
                       note="第3条を具体化")
    assert (v1.version, v2.version) == (1, 2)


def test_new_memoranda_use_the_newest_version_old_ones_keep_theirs(new_provision, officer, manager):
    first = _approved(new_provision, officer)
    save_template(actor=manager, text=DEFAULT_TEXT.replace("厳重に保管し", "施錠できる場所に厳重に保管し"))
    second = _approved(new_provision, officer)
    assert "施錠できる場所" in second.memorandum_text and second.memorandum_template.version == 1
    first.refresh_from_db()
    assert "施錠できる場所" not in first.memorandum_text


def test_template_page(login, manager, staff, officer):
    assert login(staff).get(reverse("vendors:memorandum-template")).status_code == 403
    c = login(manager)
    page = c.get(reverse("vendors:memorandum-template")).content.decode()
    assert "{システム名}" in page and "第9条" in page
    r = c.post(reverse("vendors:memorandum-template"), {"text": DEFAULT_TEXT + "{不明}", "note": ""})
    assert r.status_code == 400 and "使用できない差し込み項目があります" in r.content.decode()
    assert not MemorandumTemplate.objects.exists()
    r = c.post(reverse("vendors:memorandum-template"), {"text": DEFAULT_TEXT, "note": "初版"})
    assert r.status_code == 302 and MemorandumTemplate.objects.get().version == 1


def test_application_pdf_has_the_decision_boxes(new_provision, officer, staff_in_charge, tmp_path):
    p = _approved(new_provision, officer)
    text = _pdf_text(documents.application_pdf(staff_in_charge, p), tmp_path).replace(" ", "")
    assert "データ提供申請書" in text and "責任者" in text and p.number in text and "責任" in text


@pytest.mark.parametrize("key", ["contractors", "onsite", "repairs", "disposals"])
def test_registers_as_pdf_and_xlsx(login, staff_in_charge, key, contract, onsite_work, repair, equipment_disposal):
    c = login(staff_in_charge)
    r = c.get(reverse("vendors:register-document", args=[key, "pdf"]))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    r = c.get(reverse("vendors:register-document", args=[key, "xlsx"]))
    assert r.status_code == 200
    from tejun.lib.xlsx import read_rows

    rows = [cells for _n, cells, _dates in read_rows(b"".join(r.streaming_content))]
    assert len(rows) >= 2
