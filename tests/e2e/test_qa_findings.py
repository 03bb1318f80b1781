"""Findings of the exploratory QA pass seen only in a browser (phone width, 390 px).

Screenshots land in test-artifacts/qa-finding-*.png (gitignored).
"""

import pytest

from .support import ARTIFACTS, login

pytestmark = [pytest.mark.e2e]  # deliberately no django_db: the server has its own database

# Elements of <main> whose content is wider than their box (a table scrolled sideways inside a card).
CLIPPED = """() => [...document.querySelectorAll('main .table-wrap')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => e.closest('section')?.querySelector('h2')?.innerText || e.className)"""


def test_stacked_tables_wrap_dates_and_states_at_phone_width(server, browser):
    """A contract period (two 和暦 dates) and a long state badge ran off the stacked card on a phone."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        login(page, server, "shokuin1")
        page.goto(f"{server}/vendors/contractors/")
        page.get_by_role("link", name="△△事務機株式会社").click()
        page.wait_for_load_state()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "qa-finding-contractor-phone.png"), full_page=True)
        assert page.evaluate(CLIPPED) == []
    finally:
        context.close()
