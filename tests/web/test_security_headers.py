"""The browser is told to refuse inline script, other origins and framing; templates keep to it."""

import re
from pathlib import Path

from django.http import FileResponse, HttpResponse
from django.test import RequestFactory

from tejun.web.security import SecurityHeadersMiddleware

TEMPLATES = Path(__file__).resolve().parents[2] / "tejun"


def _policy(response) -> dict[str, str]:
    return {d.split()[0]: d for d in (p.strip() for p in response["Content-Security-Policy"].split(";"))}


def test_pages_carry_the_policy(client, login, staff):
    for response in (client.get("/login/"), login(staff).get("/tasks/")):
        assert response.status_code == 200
        policy = _policy(response)
        assert policy["script-src"] == "script-src 'self'"  # no 'unsafe-inline', no 'unsafe-eval'
        assert policy["frame-ancestors"] == "frame-ancestors 'none'"
        assert policy["form-action"] == "form-action 'self'"
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "camera=()" in response["Permissions-Policy"]


def test_the_api_carries_it_too(api, staff):
    response = api(staff).get("/api/v1/me/")
    assert response.status_code == 200 and "script-src 'self'" in response["Content-Security-Policy"]


def test_a_stricter_policy_of_a_download_is_kept(db, tmp_path):  # db: closing a response closes connections
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    download = FileResponse(open(tmp_path / "a.pdf", "rb"), as_attachment=True)
    download["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response = SecurityHeadersMiddleware(lambda request: download)(RequestFactory().get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    response.close()
    plain = SecurityHeadersMiddleware(lambda request: HttpResponse("x"))(RequestFactory().get("/"))
    assert "default-src 'self'" in plain["Content-Security-Policy"]


def test_the_api_docs_page_has_no_inline_script(login, staff):
    page = login(staff).get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    start_up = re.findall(r'<script src="([^"]*\?script=[^"]*)"', html)
    assert start_up, "Swagger UI's start-up code must be served as a file"
    assert login(staff).get(start_up[0].replace("&amp;", "&")).status_code == 200


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_no_template_served_to_a_browser_holds_inline_script():
    """PDF templates (pdf_*.html) go to WeasyPrint, never to a browser; every other template is a page."""
    offenders = []
    for path in TEMPLATES.rglob("templates/**/*.html"):
        if path.name.startswith("pdf_"):
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL):
            match = pattern.search(text)
            if match:
                offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)[:60]}")
    assert offenders == []
