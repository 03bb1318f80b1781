"""The incident pages of the demo data at tablet and phone width: the breach with its contact checklist,
the list, the emergency contact list. Screenshots in test-artifacts/incidents-*.png."""

import pytest

from .support import ARTIFACTS, login

pytestmark = [pytest.mark.e2e]


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"incidents-{name}.png"), full_page=True)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [768, 375])
def test_breach_list_and_contacts_fit(server, browser, width):
    from playwright.sync_api import expect

    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, server, "fukugicho")
        page.get_by_role("link", name="事故・障害").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("セキュリティ事故・障害")
        assert _fits(page)
        _shot(page, f"10-list-{width}")
        page.get_by_role("link", name="IN-00002").click()
        expect(page.locator("#state")).to_have_text("統括管理者の指示待ち")
        expect(page.locator("#contact-table")).to_contain_text("関係機関等")
        expect(page.get_by_role("button", name="指示を記録")).to_be_visible()
        assert _fits(page)
        _shot(page, f"11-breach-{width}")
        page.goto(f"{server}/incidents/contacts/")
        expect(page.locator("#matrix")).to_contain_text("サイバーテロ")
        assert _fits(page)
        _shot(page, f"12-contacts-{width}")
    finally:
        context.close()
