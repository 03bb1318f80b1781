"""On a phone the main menu is one row that scrolls sideways, with the current area in view."""

import pytest

from .support import login

pytestmark = [pytest.mark.e2e]


def test_phone_menu_is_one_row_showing_the_current_area(server, browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
    page = context.new_page()
    login(page, server, "kyokucho")
    page.goto(f"{server}/incidents/")
    row = page.locator(".main-nav ul")
    # It wrapped into four rows (two fifths of the first screen) before.
    assert page.locator(".main-nav").bounding_box()["height"] < 60
    assert page.evaluate("(ul) => ul.scrollWidth > ul.clientWidth", row.element_handle())
    # The row scrolls, the page does not (the unread badge's hidden label once escaped the row: 1,282 px).
    assert page.locator(".main-nav .badge").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    current, box = page.locator(".main-nav [aria-current]").bounding_box(), row.bounding_box()
    assert box["x"] <= current["x"] and current["x"] + current["width"] <= box["x"] + box["width"]
    # A link off to the side is still reachable: the row scrolls and the click goes through.
    page.locator(".main-nav a", has_text="私のタスク").click()
    page.wait_for_url(f"{server}/tasks/")
    context.close()
