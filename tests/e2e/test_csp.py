"""Pages, htmx and the API docs work under the Content-Security-Policy: Chromium reports no violation."""

import pytest

from .support import login

pytestmark = [pytest.mark.e2e]

PAGES = ["/tasks/", "/assets/", "/media/register/", "/media/carry-outs/", "/notifications/", "/api/v1/docs/"]


def test_no_page_violates_the_policy(server, browser):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    login(page, server, "kyokucho")
    for path in PAGES:
        response = page.goto(f"{server}{path}")
        assert response.status < 400, path
        page.wait_for_load_state("networkidle")
    # Swagger UI really started (its start-up code is a file, not an inline script).
    page.goto(f"{server}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .information-container", timeout=15000)
    context.close()
    assert problems == []
