"""The register in a real browser: register assets, filter the list by 機密性, download the Excel export.

The real server runs as a subprocess on a fresh SQLite file with the demo body (and its demo register)
loaded; this module never touches the database in-process. Screenshots go to test-artifacts/.
"""

import io
from pathlib import Path

import pytest

from .support import ARTIFACTS, DEMO_PASSWORD

pytestmark = [pytest.mark.e2e]  # deliberately no django_db: the server has its own database


# Registered through the page by the director (kyokucho): name, 機密性, 完全性, 可用性.
NEW_ASSETS = [
    ("E2E 議員名簿（自宅住所）", "3", "2", "2"),
    ("E2E 会議録（校正原稿）", "2", "2", "1"),
    ("E2E 議会だより（公開済み）", "1", "1", "1"),
]


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _demo_names_with_confidentiality(code: str) -> list[str]:
    from tejun.assets.demo import DEMO_ASSETS  # data only: no database access here

    return [row[0] for row in DEMO_ASSETS if row[6] == code]


def test_register_filter_and_export(server, browser):
    from openpyxl import load_workbook
    from playwright.sync_api import expect

    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1366, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    failed: list[str] = []
    # A download ends its navigation with net::ERR_ABORTED: that is the browser, not a broken request.
    page.on("requestfailed", lambda r: None if "/export." in r.url else failed.append(r.url))
    try:
        page.goto(f"{server}/login/")
        page.get_by_label("ログインID").fill("kyokucho")
        page.get_by_label("パスワード").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="ログイン", exact=True).click()
        page.wait_for_url(f"{server}/tasks/")

        # --- the navigation leads to the register (C-3)
        page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="情報資産").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("情報資産（重要性分類一覧表）")

        # --- three assets registered through the form
        for name, conf, integ, avail in NEW_ASSETS:
            page.goto(f"{server}/assets/new/")
            page.get_by_label("所属").fill("議会事務局 議事係")
            page.get_by_label("資産名称").fill(name)
            page.get_by_label("形態").select_option(label="電子")
            page.get_by_label("保存場所").fill(r"\\gikai-nas\share\議事")
            page.get_by_label("機密性").select_option(label=conf)
            page.get_by_label("完全性").select_option(label=integ)
            page.get_by_label("可用性").select_option(label=avail)
            if name == NEW_ASSETS[0][0]:
                page.get_by_label("個人情報", exact=True).check()
                _shot(page, "assets-01-form")
            page.get_by_role("button", name="登録する").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text(name)
            expect(page.locator(".messages li.success")).to_contain_text("を登録しました。")
        expect(page.locator("#personal-info-note")).to_have_count(0)  # the last one has no personal data
        expect(page.locator("#history")).to_contain_text("登録")
        _shot(page, "assets-02-detail")

        # --- the list, filtered by 機密性 3
        page.goto(f"{server}/assets/")
        total = page.locator("#asset-table tbody tr").count()
        assert total == len(_demo_names_with_confidentiality("3")) + len(_demo_names_with_confidentiality("2")) \
            + len(_demo_names_with_confidentiality("1")) + len(NEW_ASSETS)
        page.get_by_label("機密性", exact=True).select_option("3")
        page.get_by_role("button", name="絞り込む").click()
        page.wait_for_url("**/assets/?*confidentiality=3*")
        expected = sorted(_demo_names_with_confidentiality("3") + [NEW_ASSETS[0][0]])
        rows = page.locator("#asset-table tbody tr")
        expect(rows).to_have_count(len(expected))
        shown = sorted(rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(rows.count()))
        assert shown == expected
        for i in range(rows.count()):
            expect(rows.nth(i).locator("td.level").first).to_have_text("3")
        expect(page.locator("#result-count")).to_have_text(f"{len(expected)}件")
        _shot(page, "assets-03-list-filtered")

        # --- sorting by a heading keeps the filter
        page.locator("#asset-table thead").get_by_role("link", name="資産名称").click()
        page.wait_for_url("**sort=name*")
        assert "confidentiality=3" in page.url
        expect(rows).to_have_count(len(expected))

        # --- the Excel export of exactly the filtered rows
        link = page.locator("#export-xlsx")
        assert "confidentiality=3" in link.get_attribute("href")
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename.endswith(".xlsx")
        path = download.path()
        wb = load_workbook(io.BytesIO(Path(path).read_bytes()), read_only=True)
        sheet = wb.worksheets[0]
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        header_row = next(i for i, r in enumerate(values) if "資産名称" in r)
        name_col = values[header_row].index("資産名称")
        conf_col = values[header_row].index("機密性")
        data = [r for r in values[header_row + 1:] if any(v not in (None, "") for v in r)]
        assert sorted(r[name_col] for r in data) == expected
        assert {str(r[conf_col]) for r in data} == {"3"}
        wb.close()

        assert not errors, errors
        assert not failed, failed
    finally:
        context.close()
