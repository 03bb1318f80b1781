"""The officer's morning page in a real browser: the dashboard, then clearing an overdue review and answering the
self-inspection through the pages. Screenshots (desktop and phone width) go to test-artifacts/.
"""

import pytest

from .support import ARTIFACTS, login, logout

pytestmark = [pytest.mark.e2e]  # the server has its own database (the demo body)


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_dashboard_review_and_self_inspection(server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    external: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server) else external.append(r.url))
    try:
        # --- the officer opens the dashboard from the menu
        login(page, server, "jicho")
        page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="ダッシュボード").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("ダッシュボード")
        reviews = page.locator("#area-reviews")
        expect(reviews).to_contain_text("緊急対応計画")  # the demo's plan is overdue for review
        expect(page.locator("#area-backups")).to_be_visible()
        expect(page.locator("#backup-board tbody tr").first).to_be_visible()
        expect(page.locator("#incident-chart svg[role=img]")).to_be_visible()
        expect(page.locator("#coming-due")).to_contain_text("自己点検の回答期限")
        _shot(page, "dashboard_desktop")
        page.set_viewport_size({"width": 390, "height": 844})
        _shot(page, "dashboard_phone")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
        page.set_viewport_size({"width": 1366, "height": 900})
        logout(page, server)

        # --- the promoter records the review of the emergency response plan
        login(page, server, "suishin")
        page.goto(f"{server}/dashboard/")
        page.locator("#area-reviews").get_by_role("link", name="緊急対応計画").click()
        page.get_by_role("link", name="見直しを記録する").click()
        page.get_by_label("改定なし").check()
        page.get_by_label("見直しの内容").fill("連絡先一覧（警察・委託事業者）を確認した。変更なし。")
        page.get_by_label("承認者").select_option(label="石川 恵子（事務局長）")
        page.get_by_role("button", name="保存する").click()
        expect(page.locator(".messages")).to_contain_text("見直しを記録しました")
        expect(page.locator("#reviews-h + p + .table-wrap, #reviews-h ~ .table-wrap").first).to_contain_text(
            "連絡先一覧")
        _shot(page, "governance_document")
        page.goto(f"{server}/dashboard/")
        expect(page.locator("#area-reviews")).not_to_contain_text("緊急対応計画")
        logout(page, server)

        # --- a member of staff answers the self-inspection and prints the 自己点検票
        login(page, server, "shokuin2")
        page.goto(f"{server}/governance/inspections/")
        page.get_by_role("link", name="回答する").first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("自己点検票")
        groups = page.locator("ol.checklist fieldset")
        for i in range(groups.count()):
            groups.nth(i).get_by_label("はい").check()
        page.get_by_role("button", name="回答を提出する").click()
        expect(page.locator(".messages")).to_contain_text("回答を提出しました")
        _shot(page, "self_inspection_answered")
        href = page.get_by_role("link", name="自己点検票を印刷（PDF）").get_attribute("href")
        response = page.request.get(f"{server}{href}")
        assert response.ok and response.body().startswith(b"%PDF")
        logout(page, server)

        # --- a vendor has no dashboard
        login(page, server, "vendor1")
        expect(page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="ダッシュボード")
               ).to_have_count(0)
        assert page.goto(f"{server}/dashboard/").status == 403
    finally:
        context.close()
    assert errors == []
    assert external == []
