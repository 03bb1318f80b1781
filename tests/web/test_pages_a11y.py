"""Every main page, as the browser gets it: labelled controls, Japanese, one h1, nothing from outside.

The HTML is read with the standard library's parser, so a broken template or a stray CDN link fails
here without a browser. The state badges' colours are checked against WCAG AA (4.5:1).
"""

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from tejun.media.models import CarryOutRequest
from tejun.media.services import create_carry_out
from tejun.workflow.engine import perform

CSS = Path(settings.BASE_DIR) / "tejun" / "web" / "static" / "web" / "tejun.css"
URL_ATTRS = ("src", "href", "action", "formaction", "srcset", "poster", "data")
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class Page(HTMLParser):
    """Collects what the checks need: the html lang, headings, controls, labels, ids, URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.h1 = 0
        self.controls: list[dict] = []  # {"tag", "attrs", "in_label"}
        self.label_for: list[str] = []
        self.ids: list[str] = []
        self.urls: list[tuple[str, str, str]] = []  # (tag, attr, value)
        self._label_depth = 0

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "h1":
            self.h1 += 1
        if "id" in a:
            self.ids.append(a["id"])
        for name in URL_ATTRS:
            if name in a:
                self.urls.append((tag, name, a[name]))
        if tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.append(a["for"])
        if tag in ("input", "select", "textarea"):
            if tag == "input" and a.get("type", "text").lower() in UNLABELLED_TYPES:
                return
            self.controls.append({"tag": tag, "attrs": a, "in_label": self._label_depth > 0})

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "label":
            self._label_depth -= 1

    def handle_endtag(self, tag):
        if tag == "label" and self._label_depth:
            self._label_depth -= 1


def parse(response) -> Page:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/html")
    page = Page()
    page.feed(response.content.decode("utf-8"))
    page.close()
    return page


def new_request(requester):
    today = timezone.localdate()
    return create_carry_out(actor=requester, data_description="議事録の下書き", confidentiality=2,
                            purpose="自宅での校正作業のため", destination="委員長の自宅", encrypted=True,
                            password_protected=False, locked_case=False, protection_note="",
                            out_date=today, due_date=today + timedelta(days=3))


@pytest.fixture
def carry_out(staff, officer):
    return new_request(staff)


@pytest.fixture
def approved(carry_out, officer):
    return perform(carry_out, "approve", officer, comment="確認しました。")


# (name, who looks, url) — `who` is a fixture name, or None for a visitor who has not logged in.
PAGES = [
    ("login", None, lambda o: reverse("login")),
    ("tasks", "officer", lambda o: reverse("my-tasks")),
    ("carry-out list", "officer", lambda o: reverse("media:carry-out-list")),
    ("carry-out new", "staff", lambda o: reverse("media:carry-out-new")),
    ("carry-out detail, to decide", "officer", lambda o: o.get_absolute_url()),
    ("carry-out detail, requester", "staff", lambda o: o.get_absolute_url()),
    ("carry-out edit", "staff", lambda o: reverse("media:carry-out-edit", args=[o.pk])),
    ("notifications", "officer", lambda o: reverse("notifications")),
    ("people", "manager", lambda o: reverse("people")),
    ("audit", "auditor", lambda o: reverse("audit:event-list")),
    ("password", "staff", lambda o: reverse("password-change")),
]


@pytest.fixture(params=PAGES, ids=[p[0] for p in PAGES])
def page(request, client, carry_out):
    name, who, url = request.param
    if name == "carry-out edit":  # only a sent-back request is edited
        perform(carry_out, "send_back", request.getfixturevalue("officer"), comment="持出し先を具体的に。")
    if who:
        client.force_login(request.getfixturevalue(who))
    return parse(client.get(url(carry_out)))


def test_page_is_japanese_with_one_h1(page):
    assert page.lang == "ja"
    assert page.h1 == 1, f"{page.h1} h1 elements"


def test_every_form_control_has_a_label(page):
    assert page.controls, "every main page has at least the language switch"
    for control in page.controls:
        a = control["attrs"]
        labelled = (control["in_label"] or a.get("aria-label", "").strip() or a.get("aria-labelledby")
                    or (a.get("id") and a["id"] in page.label_for))
        assert labelled, f"<{control['tag']} name={a.get('name')!r} id={a.get('id')!r}> has no label"


def test_labels_point_at_something_and_ids_are_unique(page):
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    missing = [f for f in page.label_for if f not in page.ids]
    assert not missing, f"labels for missing ids: {missing}"


def test_no_url_outside_the_app(page):
    """Offline rule (DESIGN.md rule 9): the app runs on a closed network."""
    outside = [(t, n, v) for t, n, v in page.urls if re.match(r"\s*(https?:)?//", v, re.I)]
    assert not outside, outside


def test_static_assets_exist(page):
    static = [v for _t, _n, v in page.urls if v.startswith(settings.STATIC_URL)]
    assert any(v.endswith("web/tejun.css") for v in static)
    for url in static:
        path = url[len(settings.STATIC_URL):].split("?")[0]
        assert finders.find(path), f"{url} is referenced but no such static file"


def test_detail_reads_like_a_decision_form(client, approved, staff):
    """Fields first, then the 決裁欄 with who/when/comment, then the buttons."""
    client.force_login(staff)
    html = client.get(approved.get_absolute_url()).content.decode()
    fields, kessai, actions = html.index("申請内容"), html.index("決裁欄"), html.index('id="actions-h"')
    assert fields < kessai < actions
    history = html[kessai:actions]
    assert "確認しました。" in history and "令和" in history
    assert "承認済" in html


def test_the_officer_sees_all_three_decisions_in_one_form(client, carry_out, officer):
    client.force_login(officer)
    html = client.get(carry_out.get_absolute_url()).content.decode()
    for name in ("approve", "send_back", "reject"):
        assert f'formaction="{reverse("media:carry-out-transition", args=[carry_out.pk, name])}"' in html
    assert html.count('name="comment"') == 1


def test_a_button_posts_its_own_transition(client, carry_out, officer):
    """The shared form's buttons use formaction; the server still gets the comment."""
    client.force_login(officer)
    url = reverse("media:carry-out-transition", args=[carry_out.pk, "send_back"])
    client.post(url, {"comment": "目的を詳しく。", "transition": "send_back"})
    carry_out.refresh_from_db()
    assert carry_out.state == "sent_back"
    # ...and a send-back without a reason is refused and changes nothing.
    other = new_request(carry_out.requester)
    response = client.post(reverse("media:carry-out-transition", args=[other.pk, "send_back"]), {"comment": ""},
                           follow=True)
    other.refresh_from_db()
    assert other.state == "submitted"
    assert "理由・コメントを入力してください。" in response.content.decode()


# ---------------------------------------------------------------- the stylesheet


def _hex(value: str) -> tuple[float, float, float]:
    value = value.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))


def _luminance(rgb) -> float:
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((_luminance(_hex(fg)), _luminance(_hex(bg))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_contrast_helper_is_right():
    assert round(contrast("#000", "#fff"), 1) == 21.0
    assert round(contrast("#777", "#fff"), 2) == 4.48  # the classic just-fails grey


def test_state_badges_exist_and_meet_wcag_aa():
    css = CSS.read_text(encoding="utf-8")
    states = set(CarryOutRequest.workflow.states) | {"overdue"}
    for state in states:
        m = re.search(r"\.state-" + state + r"\s*\{([^}]*)\}", css)
        assert m, f".state-{state} has no style"
        color = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", m.group(1))
        background = re.search(r"background:\s*(#[0-9a-fA-F]{3,6})", m.group(1))
        assert color and background, f".state-{state} must set color and background as #hex"
        ratio = contrast(color.group(1), background.group(1))
        assert ratio >= 4.5, f".state-{state}: contrast {ratio:.2f} < 4.5"


def test_stylesheet_is_offline_and_has_the_required_pieces():
    css = CSS.read_text(encoding="utf-8")
    assert not re.search(r"https?://|@import|url\(\s*['\"]?(https?:)?//", css)
    assert "@font-face" not in css  # system fonts only
    assert "Noto Sans CJK JP" in css
    for selector in (".visually-hidden", ".skip", ".error-box", ".field-error", "button.primary",
                     "button.secondary", "button.danger", "button.small", ":focus-visible", ".table-wrap",
                     "@media print", "@media (max-width: 600px)"):
        assert selector in css, f"{selector} missing from tejun.css"
