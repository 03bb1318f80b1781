"""The 登録番号 input with suggestions in a real browser (issue 8): a clerk types part of a number or a product
name, picks a suggestion with the mouse or the keyboard, and files the request with that medium.

Its own server (tests/e2e/conftest.py's demo_server) with TEJUN_MEDIUM_SELECT_MAX=2: the demo body's seven media
count as many. No `db` fixture: the server has its own database.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .conftest import demo_server
from .support import ARTIFACTS, login

pytestmark = [pytest.mark.e2e]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # The demo body's seven media count as many: the forms ask for the 登録番号 (with suggestions).
    yield from demo_server(tmp_path_factory, TEJUN_MEDIUM_SELECT_MAX="2")


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"medium-picker-{name}.png"), full_page=True)


def test_type_part_of_a_number_and_pick_a_suggestion(server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    try:
        login(page, server, "shokuin1")
        page.goto(f"{server}/media/carry-outs/new/")
        expect(page.get_by_role("heading", level=1)).to_have_text("データの持出し申請")
        expect(page.locator("select[name=medium]")).to_have_count(0)
        box = page.get_by_role("combobox", name="記録媒体")
        expect(box).to_have_attribute("aria-expanded", "false")

        # Part of a product name: the one medium that matches, picked with the mouse.
        box.press_sequentially("BD-R")
        options = page.get_by_role("listbox", name="記録媒体の候補").get_by_role("option")
        expect(options).to_have_count(1)
        expect(box).to_have_attribute("aria-expanded", "true")
        expect(options.first).to_contain_text("BD-R 25GB")
        _shot(page, "01-suggestions")
        label = options.first.inner_text()
        number = label.split()[0]
        assert number.startswith("MD-"), label
        options.first.click()
        expect(box).to_have_value(number)
        expect(box).to_have_attribute("aria-expanded", "false")
        expect(page.locator(".medium-suggestions-note")).to_have_text(label)

        # Nothing matches: said so, no list.
        box.fill("")
        box.press_sequentially("ZZ-404")
        expect(page.locator(".medium-suggestions-note")).to_have_text("該当する記録媒体はありません。")
        expect(page.locator("#id_medium_suggestions [role=option]")).to_have_count(0)
        expect(page.locator("#id_medium_suggestions")).to_be_hidden()

        # Part of a number, with the keyboard: Enter picks the highlighted suggestion and does not submit.
        box.fill("")
        box.press_sequentially("0000")
        expect(options).to_have_count(7)
        box.press("ArrowDown")
        box.press("ArrowDown")
        expect(options.nth(1)).to_have_attribute("aria-selected", "true")
        expect(box).to_have_attribute("aria-activedescendant", "id_medium_suggestions_1")
        second = options.nth(1).inner_text().split()[0]
        box.press("Enter")
        expect(box).to_have_value(second)
        expect(page.get_by_role("heading", level=1)).to_have_text("データの持出し申請")  # not submitted
        box.press("Escape")

        # Back to the BD-R, then the request is filed with it.
        box.fill("")
        box.press_sequentially("bd-r")
        options.first.click()
        expect(box).to_have_value(number)
        today = datetime.now(ZoneInfo("Asia/Tokyo")).date()
        page.get_by_label("持ち出すデータ").fill("会議録 確定版の写し")
        page.get_by_label("機密性分類").select_option(label="機密性1")
        page.get_by_label("目的").fill("図書館への寄贈用の複製を作るため")
        page.get_by_label("持出し先").fill("町立図書館")
        page.get_by_label("持出し日").fill(today.isoformat())
        page.get_by_label("返却予定日").fill((today + timedelta(days=3)).isoformat())
        page.get_by_role("button", name="申請する").click()
        expect(page.locator(".messages")).to_contain_text("を提出しました")
        expect(page.locator("main")).to_contain_text(number)
        _shot(page, "02-filed")

        # The number typed without the script's help is resolved too, and an unknown one is refused.
        page.goto(f"{server}/media/carry-outs/new/")
        page.get_by_role("combobox", name="記録媒体").fill("MD-99999")
        page.get_by_label("持ち出すデータ").fill("x")
        page.get_by_role("button", name="申請する").click()
        expect(page.locator("#id_medium_error")).to_have_text(
            "登録番号「MD-99999」の記録媒体は記録媒体管理台帳にありません。")

        # On a phone the suggestions fit the screen.
        page.set_viewport_size({"width": 375, "height": 812})
        page.get_by_role("combobox", name="記録媒体").fill("")
        page.get_by_role("combobox", name="記録媒体").press_sequentially("MD")
        expect(page.get_by_role("listbox", name="記録媒体の候補").get_by_role("option").first).to_be_visible()
        _shot(page, "03-phone")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        assert not errors, f"JavaScript errors: {errors}"
        assert not failed, f"requests that failed: {failed}"
    finally:
        context.close()
