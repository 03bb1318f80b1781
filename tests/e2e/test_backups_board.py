"""The backup board (P-03) in a real browser: the officer sees every target's state, registers a target,
the "script" checks in through the secret URL, and the late backup's alert is acknowledged.

The real server runs as a subprocess on a fresh SQLite file with the demo body (and its demo backups)
loaded; this module never touches the database in-process. Screenshots go to test-artifacts/.
"""

import re

import pytest

from .support import ARTIFACTS, login

pytestmark = [pytest.mark.e2e]  # deliberately no django_db: the server has its own database

LATE_DISK = "会議録音データ（外付けHDD）"
NAS = "事務局共有フォルダ（NAS）"


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _row(page, name: str):
    return page.locator("#backup-board tbody tr").filter(has=page.get_by_role("link", name=name, exact=True))


def test_board_check_in_and_acknowledge(server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    try:
        login(page, server, "jicho")

        # --- the menu leads to the board; the demo's late disk is down, the NAS is fine
        page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="バックアップ").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("バックアップ")
        expect(page.locator("#down-summary")).to_contain_text("確認されていないアラートが1件")
        expect(_row(page, LATE_DISK)).to_contain_text("遅延")
        expect(_row(page, LATE_DISK)).to_contain_text("未確認")
        expect(_row(page, NAS)).to_contain_text("正常")
        _shot(page, "backups-board")

        # --- a new target; its secret check-in URL is shown once
        page.get_by_role("link", name="バックアップ対象を登録する").click()
        page.get_by_label("名称").fill("E2E 庁内ファイルサーバ")
        page.get_by_label("責任者（職員）").select_option(label="江藤 裕子")
        page.get_by_label("cron 式（分 時 日 月 曜日・日本時間）").fill("0 25 * * *")
        page.get_by_role("button", name="登録する").click()
        expect(page.locator("#error-summary")).to_contain_text("cron 式が正しくありません")
        page.get_by_label("cron 式（分 時 日 月 曜日・日本時間）").fill("0 3 * * *")
        page.get_by_role("button", name="登録する").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("E2E 庁内ファイルサーバ")
        expect(page.locator("#checkin-url")).to_contain_text("このURLは今だけ表示されます")
        curl = page.locator("#curl-lines").inner_text()
        success_url = re.search(r"(http\S+/backups/ping/[A-Za-z0-9_-]+/success)", curl).group(1)
        _shot(page, "backups-target-new")

        # --- the backup script checks in (no login, no CSRF token); a wrong token changes nothing
        script = browser.new_context()
        assert script.request.post(success_url, data="rsync: 1,024 files\n").status == 200
        assert script.request.post(success_url.replace("/ping/", "/ping/x"), data="x").status == 404
        script.close()
        page.reload()
        expect(page.locator("#status")).to_contain_text("正常")
        expect(page.locator("#checkin-table")).to_contain_text("成功")
        expect(page.locator("#checkin-url")).not_to_contain_text("このURLは今だけ表示されます")

        # --- the late disk's alert is acknowledged with what was done
        page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="バックアップ").click()
        page.locator("#down-summary").get_by_role("link", name=LATE_DISK, exact=True).click()
        expect(page.locator("#open-alert")).to_contain_text("遅延")
        _shot(page, "backups-target-alert")
        page.get_by_label("確認した内容・対応").fill("担当者が出張中だった。本日複製を実施し、手動で記録する。")
        page.get_by_role("button", name="確認した").click()
        expect(page.get_by_role("status").first).to_contain_text("アラートを確認済にしました")
        expect(page.locator("#alert-table")).to_contain_text("担当者が出張中だった")
        page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="バックアップ").click()
        expect(page.locator("#down-summary")).to_contain_text("確認待ちのアラートはありません")
        expect(_row(page, LATE_DISK)).to_contain_text("遅延")
        expect(_row(page, LATE_DISK)).not_to_contain_text("未確認")

        # --- phone width: the board stacks into cards and stays readable
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        expect(_row(page, NAS)).to_be_visible()
        _shot(page, "backups-board-phone")
        assert not errors, errors
        assert not failed, failed
    finally:
        context.close()


def test_vendor_sees_and_reports_only_its_contractors_backup(server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, server, "vendor1")
        page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="バックアップ").click()
        expect(page.locator("#backup-board tbody tr")).to_have_count(1)
        expect(page.locator("#backup-board")).to_contain_text("会議録検索システム（クラウド）")
        expect(page.locator("#backup-board")).not_to_contain_text(NAS)
        page.get_by_role("link", name="会議録検索システム（クラウド）").click()
        expect(page.locator("#checkin-url")).to_have_count(0)  # the check-in URL is the staff's
        page.get_by_role("link", name="バックアップ報告を提出する").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("バックアップ報告の提出")
        _shot(page, "backups-vendor-report-form")
    finally:
        context.close()
