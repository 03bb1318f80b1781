"""P-01 in a real browser: a member of staff files a carry-out request, the officer approves it.

The real server runs as a subprocess on a fresh SQLite file (pytest-django's live_server would flush
the test database, which the audit triggers refuse), with the demo body loaded. No `db` fixture is
requested: this module never touches the database in-process.

Screenshots land in test-artifacts/ (gitignored) so a person can look at the pages.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .support import ARTIFACTS, login, logout

pytestmark = [pytest.mark.e2e]  # deliberately no django_db: the server has its own database


def _shot(page, name: str, **kwargs) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, **kwargs)


def _no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _tables_fit(page) -> bool:
    """No table needs its sideways scroll bar (at tablet width they still fit; phones stack them)."""
    return page.evaluate("[...document.querySelectorAll('.table-wrap')].every(e => e.scrollWidth <= e.clientWidth + 1)")


def test_staff_files_carry_out_and_officer_approves(server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    try:
        # --- the member of staff (書記) files the request
        page.goto(f"{server}/login/")
        expect(page.locator("html")).to_have_attribute("lang", "ja")
        _shot(page, "01-login")
        login(page, server, "shokuin1")
        expect(page.get_by_role("heading", level=1)).to_have_text("私のタスク")
        expect(page.locator(".who")).to_contain_text("加藤 美咲")

        page.get_by_role("link", name="データの持出しを申請する").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("データの持出し申請")
        today = datetime.now(ZoneInfo("Asia/Tokyo")).date()  # the server's idea of today
        page.get_by_label("持ち出すデータ").fill("第3回定例会 議事録の下書き")
        page.get_by_label("機密性分類").select_option(label="機密性2")
        page.get_by_label("目的").fill("自宅での校正作業のため")
        page.get_by_label("持出し先").fill("議会運営委員長の自宅")
        page.get_by_label("暗号化", exact=True).check()
        page.get_by_label("持出し日").fill(today.isoformat())
        page.get_by_label("返却予定日").fill((today + timedelta(days=3)).isoformat())
        _shot(page, "02-carry-out-form")
        page.get_by_role("button", name="申請する").click()

        expect(page.locator(".messages")).to_contain_text("を提出しました")
        state = page.locator("#state")
        expect(state).to_have_text("申請中")
        number = page.locator("table.sheet tr", has_text="申請番号").locator("td").inner_text().strip()
        assert number.startswith("CO-"), number
        # The requester may withdraw, never approve their own request.
        expect(page.get_by_role("button", name="取下げ")).to_be_visible()
        expect(page.get_by_role("button", name="承認", exact=True)).to_have_count(0)
        _shot(page, "03-submitted")
        logout(page, server)

        # --- the officer (事務局次長) finds it among the tasks and approves it
        login(page, server, "jicho")
        task_link = page.get_by_role("link", name=number)
        expect(task_link).to_be_visible()
        row = page.locator("tr", has=task_link)
        expect(row).to_contain_text("加藤 美咲")
        expect(row).to_contain_text("承認")
        _shot(page, "04-officer-tasks")
        task_link.click()

        expect(page.get_by_role("heading", level=1)).to_contain_text(number)
        expect(page.locator("#state")).to_have_text("申請中")
        page.get_by_label("コメント").fill("暗号化を確認しました。返却後に報告してください。")
        _shot(page, "05-officer-before-approval")
        page.get_by_role("button", name="承認", exact=True).click()

        expect(page.locator(".messages")).to_contain_text("「承認」を行いました")
        expect(page.locator("#state")).to_have_text("承認済")
        history = page.locator("table.history")
        approved_row = history.locator("tbody tr", has_text="上田 健一")
        expect(approved_row).to_contain_text("承認")
        expect(approved_row).to_contain_text("暗号化を確認しました。返却後に報告してください。")
        expect(approved_row.locator("td").first).to_contain_text("令和")
        expect(page.locator("table.sheet")).to_contain_text("令和")  # the dates read as 和暦
        # Decided: the officer has no buttons left on it.
        expect(page.get_by_role("button", name="承認", exact=True)).to_have_count(0)
        _shot(page, "06-approved")
        assert _no_horizontal_overflow(page)

        # The same page on a tablet and a phone: nothing sticks out sideways.
        page.set_viewport_size({"width": 768, "height": 1024})
        _shot(page, "07-approved-768")
        assert _no_horizontal_overflow(page), "the detail page overflows at 768px"
        assert _tables_fit(page), "a table on the detail page needs sideways scrolling at 768px"
        page.goto(f"{server}/media/carry-outs/")
        expect(page.get_by_role("link", name=number)).to_be_visible()
        _shot(page, "08-list-768")
        assert _no_horizontal_overflow(page), "the list page overflows at 768px"
        assert _tables_fit(page), "the list needs sideways scrolling at 768px"
        page.set_viewport_size({"width": 375, "height": 812})
        _shot(page, "09-list-375")
        assert _no_horizontal_overflow(page), "the list page overflows at 375px"
        assert _tables_fit(page), "the list does not stack at 375px"
        page.get_by_role("link", name=number).click()
        expect(page.locator("#state")).to_have_text("承認済")
        _shot(page, "10-approved-375")
        assert _no_horizontal_overflow(page), "the detail page overflows at 375px"
        assert _tables_fit(page), "a table on the detail page does not fit at 375px"

        assert not errors, f"JavaScript errors: {errors}"
        assert not failed, f"requests that failed: {failed}"
    finally:
        context.close()
