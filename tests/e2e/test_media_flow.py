"""C-1, P-01, P-02 in a real browser: one medium from registration through carry-out, return and disposal.

The person in charge (担当者) registers an external HDD for a clerk; the clerk asks to carry it out; the
officer approves; the clerk takes it out and brings it back; the officer confirms the return; the clerk
asks to dispose of it; the officer approves; the clerk records the destruction with a photo (PNG), and
the medium reads 廃棄済. The printed forms answer as PDFs along the way.

The real server runs as a subprocess on a fresh SQLite file with the demo body (pytest-django's
live_server would flush the test database, which the audit triggers refuse). Screenshots land in
test-artifacts/ (gitignored) so a person can look at the pages.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .support import ARTIFACTS, login, logout

pytestmark = [pytest.mark.e2e]  # deliberately no django_db: the server has its own database

# A 1x1 PNG: the photo of the crushed medium.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c63382127070002b6010534a675aa0000000049454e44ae426082"
)
PRODUCT = "E2E 外付けHDD 1TB（委員会資料の受渡し用）"


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"media-flow-{name}.png"), full_page=True)


def _as(page, base: str, login_id: str, url: str) -> None:
    """Log out whoever is in, log in as `login_id`, open `url`."""
    if page.get_by_role("button", name="ログアウト").count():
        logout(page, base)
    login(page, base, login_id)
    page.goto(url)


def _pdf(page, url: str) -> None:
    response = page.request.get(url)
    assert response.status == 200, (url, response.status)
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_a_medium_from_registration_to_disposal(server, browser, tmp_path):
    from playwright.sync_api import expect

    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    photo = tmp_path / "破砕後の写真.png"
    photo.write_bytes(PNG_BYTES)
    try:
        # --- 1. the person in charge registers the medium for the clerk (加藤 美咲)
        login(page, server, "tanto")
        page.goto(f"{server}/media/register/new/")
        page.get_by_label("種類").select_option(label="外付けHDD")
        page.get_by_label("製品名").fill(PRODUCT)
        page.get_by_label("製造番号").fill("E2E-0001")
        page.get_by_label("容量").fill("1TB")
        page.get_by_label("暗号化").check()
        page.locator("#id_custodian").select_option(label="加藤 美咲（書記）")
        page.get_by_label("保管キャビネット").select_option(label="事務局書庫キャビネットA")
        page.get_by_label("書き込んだデータの最高機密性").select_option(label="機密性2")
        _shot(page, "01-register")
        page.get_by_role("button", name="登録する").click()
        expect(page.locator("#status")).to_have_text("保管中")
        number = page.locator("table.sheet tr", has_text="登録番号").locator("td").inner_text().strip()
        medium_url = page.url
        _shot(page, "02-registered")

        # --- 2. the clerk asks to carry it out
        _as(page, server, "shokuin1", f"{server}/media/carry-outs/new/")
        today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
        medium_select = page.locator("#id_medium")
        option = medium_select.locator("option", has_text=number)
        expect(option).to_have_count(1)
        medium_select.select_option(value=option.get_attribute("value"))
        page.get_by_label("持ち出すデータ").fill("総務常任委員会 資料（議案説明）")
        page.get_by_label("機密性分類").select_option(label="機密性2")
        page.get_by_label("目的").fill("委員長宅での事前説明のため")
        page.get_by_label("持出し先").fill("総務常任委員長の自宅")
        page.get_by_label("暗号化", exact=True).check()
        page.get_by_label("持出し日").fill(today.isoformat())
        page.get_by_label("返却予定日").fill((today + timedelta(days=2)).isoformat())
        _shot(page, "03-carry-out-form")
        page.get_by_role("button", name="申請する").click()
        expect(page.locator("#state")).to_have_text("申請中")
        expect(page.locator("table.sheet")).to_contain_text(number)
        carry_out_url = page.url
        co_number = page.locator("table.sheet tr", has_text="申請番号").locator("td").inner_text().strip()
        expect(page.get_by_role("button", name="承認", exact=True)).to_have_count(0)  # not one's own

        # --- 3. the officer approves it
        _as(page, server, "jicho", f"{server}/tasks/")
        page.get_by_role("link", name=co_number).click()
        page.get_by_label("コメント").fill("暗号化を確認。返却後すぐキャビネットへ。")
        page.get_by_role("button", name="承認", exact=True).click()
        expect(page.locator("#state")).to_have_text("承認済")
        _shot(page, "04-carry-out-approved")

        # --- 4. the clerk takes it out and brings it back
        _as(page, server, "shokuin1", carry_out_url)
        page.get_by_role("button", name="持出しを記録").click()
        expect(page.locator("#state")).to_have_text("持出中")
        expect(page.locator("#medium-status")).to_have_text("持出中")
        expect(page.get_by_role("button", name="紛失を報告")).to_be_visible()
        _shot(page, "05-taken-out")
        page.get_by_role("button", name="返却を記録").click()
        expect(page.locator("#state")).to_have_text("返却済（確認待ち）")
        expect(page.locator("#medium-status")).to_have_text("持出中")  # until someone else confirms
        expect(page.locator(".notice")).to_contain_text("申請者以外の職員")
        expect(page.get_by_role("button", name="返却を確認")).to_have_count(0)
        _shot(page, "06-brought-back")

        # --- 5. the officer confirms the return: the medium is back in the cabinet
        _as(page, server, "jicho", carry_out_url)
        page.get_by_role("button", name="返却を確認").click()
        expect(page.locator("#state")).to_have_text("完了")
        expect(page.locator("#medium-status")).to_have_text("保管中")
        _pdf(page, f"{carry_out_url}pdf/")
        _shot(page, "07-return-confirmed")

        # --- 6. the clerk (its custodian) asks to dispose of it
        _as(page, server, "shokuin1", f"{server}/media/disposals/new/")
        disposal_medium = page.locator("#id_medium")
        disposal_medium.select_option(value=disposal_medium.locator("option", has_text=number).get_attribute("value"))
        page.get_by_label("廃棄の理由").fill("動作が不安定になったため（読み込みエラーが発生）")
        _shot(page, "08-disposal-form")
        page.get_by_role("button", name="申請する").click()
        expect(page.locator("#state")).to_have_text("申請中")
        expect(page.locator("#medium-status")).to_have_text("廃棄申請中")
        expect(page.locator(".notice")).to_contain_text("責任者の承認を受けてから")
        expect(page.get_by_role("link", name="破壊を記録する")).to_have_count(0)  # class 2: approval first
        disposal_url = page.url
        ds_number = page.locator("table.sheet tr", has_text="申請番号").locator("td").inner_text().strip()

        # --- 7. the officer approves the disposal
        _as(page, server, "jicho", f"{server}/tasks/")
        page.get_by_role("link", name=ds_number).click()
        page.get_by_label("コメント").fill("破砕により物理的に破壊すること。")
        page.get_by_role("button", name="承認", exact=True).click()
        expect(page.locator("#state")).to_have_text("承認済")

        # --- 8. the clerk records the destruction, with the photo
        _as(page, server, "shokuin1", disposal_url)
        page.get_by_role("link", name="破壊を記録する").click()
        expect(page.get_by_label("上書き消去")).to_have_count(0)  # physical methods only
        page.get_by_label("破砕").check()
        page.get_by_label("実施者").fill("〇〇リサイクル株式会社 山田 太郎")
        page.get_by_label("立会者").fill("加藤 美咲")
        page.get_by_label("実施日時").fill((datetime.now(ZoneInfo("Asia/Tokyo")) - timedelta(hours=1))
                                          .strftime("%Y-%m-%dT%H:%M"))
        page.locator("#id_place").fill("議会事務局 会議室")
        page.get_by_label("写真・証明書ファイル").set_input_files(str(photo))
        _shot(page, "09-destruction-form")
        page.get_by_role("button", name="破壊を記録する").click()
        expect(page.locator("#state")).to_have_text("廃棄済")
        expect(page.locator("#medium-status")).to_have_text("廃棄済")
        expect(page.locator("#destruction-method")).to_have_text("破砕")
        expect(page.get_by_role("link", name="破砕後の写真.png")).to_be_visible()
        _pdf(page, f"{disposal_url}pdf/")
        _shot(page, "10-destroyed")

        # --- 9. the register says 廃棄済, and the medium can never go out again
        page.goto(medium_url)
        expect(page.locator("#status")).to_have_text("廃棄済")
        _shot(page, "11-medium-disposed")
        page.goto(f"{server}/media/carry-outs/new/")
        expect(page.locator("#id_medium option", has_text=number)).to_have_count(0)

        # --- 10. the officer prints the logs
        _as(page, server, "jicho", f"{server}/media/disposals/")
        _pdf(page, f"{server}/media/disposals/log.pdf")
        _pdf(page, f"{server}/media/carry-outs/log.pdf")
        _pdf(page, f"{server}/media/register/export.pdf")
        _shot(page, "12-disposal-list")

        # --- 11. the new pages on a tablet and a phone: nothing sticks out sideways
        for width in (768, 375):
            page.set_viewport_size({"width": width, "height": 900})
            for url in (f"{server}/media/disposals/", disposal_url, carry_out_url, f"{server}/media/carry-outs/"):
                page.goto(url)
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (width, url)
                assert page.evaluate("[...document.querySelectorAll('.table-wrap')]"
                                     ".every(e => e.scrollWidth <= e.clientWidth + 1)"), (width, url)
        _shot(page, "13-disposal-375")
        assert not errors, f"JavaScript errors: {errors}"
    finally:
        context.close()
