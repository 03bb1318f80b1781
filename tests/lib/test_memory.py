"""A PDF leaves the worker about as large as before it (WeasyPrint's freed heap goes back to the system)."""

import sys

import pytest

from tejun.lib.pdf import html_to_pdf


def _rss_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_large_pdf_gives_its_memory_back():
    rows = "".join(f"<tr><td>{i}</td><td>情報資産 {i} 議会事務局 議事係 会議録</td><td>令和7年4月1日</td></tr>"
                   for i in range(3000))
    html = f"<html><body><table>{rows}</table></body></html>"
    html_to_pdf(html[:2000] + "</table></body></html>")  # fonts and caches loaded once, as in a running worker
    before = _rss_kb()
    assert html_to_pdf(html).startswith(b"%PDF")
    # Without the trim the process stayed about 80 MB larger after this document; allow a little for caches.
    assert _rss_kb() - before < 40_000
