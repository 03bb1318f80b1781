"""What the browser tests share: where things are, the demo password, logging in and out."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"  # screenshots for a person to look at (gitignored)
CHROMIUM = "/usr/bin/chromium"
DEMO_PASSWORD = "Demo-Pass-2026!"  # printed by `manage.py demo` in debug mode
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def login(page, base: str, login_id: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("ログインID").fill(login_id)
    page.get_by_label("パスワード").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン", exact=True).click()
    page.wait_for_url(f"{base}/tasks/")


def logout(page, base: str) -> None:
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url(f"{base}/login/")
