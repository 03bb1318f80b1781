"""PDF from a Django template with WeasyPrint, offline.

Fonts come from the OS (fontconfig: "Noto Sans CJK JP", "IPAexGothic"), never from the network: the
URL fetcher refuses every scheme except data: and file:, so a stray http(s) URL in a template or in
data can never make the server call out (DESIGN: offline).
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from weasyprint import HTML
from weasyprint.urls import URLFetcher

PDF_CONTENT_TYPE = "application/pdf"
# The font stack every printed document uses (fonts-noto-cjk; IPAex as a fallback where installed).
FONT_FAMILY = '"Noto Sans CJK JP", "IPAexGothic", "IPAGothic", sans-serif'
LOCAL_SCHEMES = frozenset({"data", "file"})


class LocalOnlyFetcher(URLFetcher):
    """Fetch data: and file: URLs only; http, https, ftp and the rest are refused."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allowed_protocols", LOCAL_SCHEMES)
        kwargs.setdefault("timeout", 1)
        super().__init__(**kwargs)

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme not in LOCAL_SCHEMES:
            raise ValueError(f"network access is disabled for PDF rendering: {url[:100]}")
        return super().fetch(url, headers)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    return HTML(string=html, base_url=base_url, url_fetcher=LocalOnlyFetcher()).write_pdf()


def render_pdf(template_name: str, context: dict | None = None, request=None) -> bytes:
    """Render a template to HTML, then to PDF bytes."""
    context = {"pdf_font_family": FONT_FAMILY, **(context or {})}
    html = render_to_string(template_name, context, request=request)
    return html_to_pdf(html)


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
