"""P-04 in a real browser: a clerk reports unauthorised access from a phone, and the incident is carried
to closure by the officer (jicho), the manager (kyokucho) and the supreme admin (fukugicho).

Screenshots land in test-artifacts/incidents-*.png for a person to look at.
"""

import pytest

from .support import ARTIFACTS, login, logout

pytestmark = [pytest.mark.e2e]  # no django_db: the server has its own database

PHONE = {"width": 375, "height": 740}


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"incidents-{name}.png"), full_page=True)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _open(page, server, number):
    page.goto(f"{server}/tasks/")
    page.get_by_role("link", name=number).click()
    page.wait_for_selector("#state")


def test_staff_reports_from_a_phone_and_it_is_carried_to_closure(server, browser):
    from playwright.sync_api import expect

    phone = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport=PHONE, is_mobile=True,
                                has_touch=True, device_scale_factor=2)
    page = phone.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        # --- the clerk: from the task page to a filed report, a few taps
        login(page, server, "shokuin1")
        page.get_by_role("link", name="事故・障害を報告する").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("何が起きましたか？")
        assert _fits(page)
        choice = page.locator("label.kind-choice", has_text="不正アクセス")
        box = choice.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 140, box  # a thumb-sized choice
        _shot(page, "01-report-form-phone")
        choice.click()
        page.get_by_label("どんな状況ですか").fill("見覚えのないログイン通知のメールが届きました。")
        page.get_by_role("button", name="報告する").click()
        expect(page.locator(".messages")).to_contain_text("報告しました")
        expect(page.locator("#state")).to_have_text("報告済（受付待ち）")
        number = page.locator("h1").inner_text().split()[0]
        assert number.startswith("IN-"), number
        assert _fits(page)
        _shot(page, "02-reported-phone")
        logout(page, server)

        # --- the officer takes it up and reports the investigation to the manager
        login(page, server, "jicho")
        _open(page, server, number)
        page.get_by_role("button", name="受付・状況調査を開始").click()
        expect(page.locator("#state")).to_have_text("調査中")
        page.get_by_label("調査結果").fill("海外IPアドレスからのログイン試行。パスワードは未流出。")
        page.get_by_role("button", name="管理者へ報告").click()
        expect(page.locator("#state")).to_have_text("管理者へ報告済")
        _shot(page, "03-officer-reported")
        logout(page, server)

        # --- the manager reports to the supreme admin
        login(page, server, "kyokucho")
        _open(page, server, number)
        page.get_by_role("button", name="統括管理者へ報告").click()
        expect(page.locator("#state")).to_have_text("統括管理者の指示待ち")
        logout(page, server)

        # --- the supreme admin gives the instruction, which is recorded
        login(page, server, "fukugicho")
        _open(page, server, number)
        page.get_by_label("統括管理者の指示（代決の場合は管理者の判断）").fill("全職員のパスワードを変更させること。")
        page.get_by_role("button", name="指示を記録").click()
        expect(page.locator("#state")).to_have_text("措置中")
        expect(page.locator("#instruction")).to_contain_text("全職員のパスワードを変更")
        logout(page, server)

        # --- the manager records the action and closes it
        login(page, server, "kyokucho")
        _open(page, server, number)
        page.get_by_label("措置・対処の内容").fill("全職員のパスワードを変更し、ログイン履歴を確認した。")
        page.get_by_role("button", name="措置を記録して完了").click()
        expect(page.locator("#state")).to_have_text("完了")
        timeline = page.locator("#timeline li")
        expect(timeline).to_have_count(6)
        expect(page.locator("#kessai-table")).to_contain_text("指示を記録")
        assert _fits(page)
        _shot(page, "04-closed-phone")
        assert not errors, errors
    finally:
        phone.close()
