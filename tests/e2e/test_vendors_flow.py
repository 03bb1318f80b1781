"""P-12 in a real browser: the clerk registers a data provision application, the officer approves it from
"私のタスク", the memorandum is downloaded as .docx and PDF and read back; the contractor's account sees it.

Screenshots land in test-artifacts/ (gitignored) for a person to look at, with the memorandum's first page
printed to PNG by pdftoppm.
"""

import io
import shutil
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .support import ARTIFACTS, login, logout

pytestmark = [pytest.mark.e2e]  # deliberately no django_db: the server has its own database

ARTICLES = [f"第{n}条" for n in range(1, 10)]


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"vendors-{name}.png"), full_page=True)


def _no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_application_to_downloaded_memorandum(server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    try:
        # --- the clerk (書記, staff in charge) registers the application received from the contractor
        login(page, server, "tanto")
        page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="委託事業者").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("委託事業者")
        expect(page.get_by_role("link", name="〇〇システム株式会社")).to_be_visible()
        _shot(page, "01-contractors")
        page.get_by_role("navigation", name="委託事業者のメニュー").get_by_role("link", name="データ提供").click()
        page.get_by_role("link", name="データ提供申請を登録する").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("データ提供申請")
        today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
        page.locator("#id_contractor").select_option(label="〇〇システム株式会社")
        page.locator("#id_contract").select_option(label="〇〇システム株式会社：会議録検索システム構築及び保守業務委託")
        page.get_by_label("構築するシステム").fill("議会映像配信システム")
        page.get_by_label("提供するデータの内容").fill("本会議映像のインデックスデータ")
        page.locator("#id_purpose").fill("映像配信システムへの既存インデックスの移行のため")
        page.get_by_label("提供期間（開始）").fill(today.isoformat())
        page.get_by_label("提供期間（終了）").fill((today + timedelta(days=45)).isoformat())
        page.locator("#id_medium").fill("暗号化USBメモリ")
        _shot(page, "02-application-form")
        page.get_by_role("button", name="保存する").click()
        expect(page.locator(".messages")).to_contain_text("を登録しました")
        expect(page.locator("#state")).to_have_text("申請中")
        title = page.get_by_role("heading", level=1).inner_text()
        number = title.split()[-1]
        assert number.startswith("DP-"), title
        expect(page.get_by_role("button", name="承認", exact=True)).to_have_count(0)
        _shot(page, "03-submitted")
        logout(page, server)

        # --- the officer (事務局次長) finds it in 私のタスク and approves it: the memorandum is generated
        login(page, server, "jicho")
        page.get_by_role("link", name=number).click()
        page.get_by_label("コメント").fill("覚書を取り交わしてから提供してください。")
        page.get_by_role("button", name="承認", exact=True).click()
        expect(page.locator("#state")).to_contain_text("承認済")
        _shot(page, "04-approved")

        with page.expect_download() as info:
            page.locator("#memo-docx").click()
        docx_path = ARTIFACTS / "vendors-memorandum.docx"
        info.value.save_as(docx_path)
        assert info.value.suggested_filename.endswith(".docx")
        from docx import Document

        text = "\n".join(p.text for p in Document(io.BytesIO(docx_path.read_bytes())).paragraphs)
        for article in ARTICLES:
            assert article in text
        assert "議会映像配信システム構築のためのデータ提供に関する覚書" in text
        assert "武豊町議会（以下「甲」という。）" in text and "〇〇システム株式会社（以下「乙」という。）" in text
        assert "本書2通を作成" in text and "令和" in text

        with page.expect_download() as info:
            page.evaluate("document.getElementById('memo-pdf').setAttribute('download', '')")
            page.locator("#memo-pdf").click()
        pdf_path = ARTIFACTS / "vendors-memorandum.pdf"
        info.value.save_as(pdf_path)
        assert pdf_path.read_bytes().startswith(b"%PDF")
        if shutil.which("pdftotext"):
            pdf_text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True,
                                      check=True).stdout.replace(" ", "")
            for article in ARTICLES:
                assert article in pdf_text
            assert "本会議映像のインデックスデータ" in pdf_text
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf_path), str(ARTIFACTS / "vendors-memorandum")],
                           check=True)
        logout(page, server)

        # --- the contractor's account sees its own provision, at phone width, and nothing of the staff's
        page.set_viewport_size({"width": 390, "height": 844})
        login(page, server, "vendor1")
        page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="委託事業者").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("〇〇システム株式会社")
        page.get_by_role("link", name=number).first.click()
        expect(page.locator("#memo-pdf")).to_be_visible()
        assert _no_horizontal_overflow(page)
        _shot(page, "05-vendor-phone")
        response = page.goto(f"{server}/vendors/contractors/")
        assert response.status == 404
    finally:
        context.close()
    assert not errors, errors
    assert not [u for u in failed if not u.endswith((".pdf", ".docx"))], failed
