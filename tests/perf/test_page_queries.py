"""Issue 8 part 3: the number of SQL queries of every page and every API read is constant in the data size and
at most MAX_QUERIES.

Every GET route of the URL configuration is asked (the routes and the objects their ids name come from the
authorisation matrix, tests/security/matrix.py: a new route without a matrix entry fails there, and is asked
here as soon as it has one), by four personas: one who holds every overseeing role (sees every page), a plain
member of staff, a vendor account and the anonymous visitor; refusals are counted too. A few list pages are also
asked with filters, a text search, a sort and their last page.

The same requests are made on the matrix world (one or a few of every object) and again after every table of
the app has grown by GROWTH copies of its rows (tests/perf/world.py): more rows in every list, more children
(timeline entries, audit events, items, notifications, tasks) under the very objects asked about. The count must
not change at all, and must be ≤ MAX_QUERIES. Failures list the queries by shape, the most repeated first.

Downloads are asked like any page: the xlsx export and the PDFs are counted (a streamed body is read to the end
inside the count); WeasyPrint's layout is stubbed, as in the matrix test (it runs no SQL).
"""

import json
import os
import re
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tejun.orgs.roles import Role

from ..factories import UserFactory, give_role
from ..security import matrix
from ..security.test_authorization_matrix import _PdfStub, build_world, routes
from .counting import ask, summary
from .world import grow

MAX_QUERIES = 15
GROWTH = 10  # the larger world: every table (but the body's settings) 11 times the matrix world
PERSONAS = ("all", "staff", "vendor", "anonymous")

# Extra variants of the list pages: the queries of a filtered, searched, sorted or last page may differ.
VARIANTS = {
    "assets:asset-list": ["?q=システム", "?confidentiality=2&status=", "?sort=-updated_at", "?page=last",
                          "?has_personal_info=true&due=true"],
    "api:asset-list": ["?q=システム", "?page=last"],
    "media:medium-list": ["?q=M", "?page=last"],
    "incidents:list": ["?page=last", "?state=reported"],
    "audit:event-list": ["?page=last"],
    "vendors:provision-list": ["?q=a"],
    "vendors:contractor-list": ["?q=事業者", "?page=last"],
}



def _usb_medium(body) -> list:
    """A medium that needs an exception (the demo's USB memory): its page asks about the exception too."""
    from tejun.media.models import Medium

    usb = Medium.objects.filter(body=body, kind="usb").order_by("pk").first()
    assert usb is not None, "the matrix world has no USB memory"
    return [reverse("media:medium-detail", kwargs={"pk": usb.pk})]


# Other objects of a route than the matrix's first one, where the page asks more.
OTHER_OBJECTS = {"media:medium-detail": _usb_medium}


@pytest.fixture
def _perf_settings(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    monkeypatch.setattr("tejun.lib.pdf.HTML", _PdfStub)
    # The session's keep-alive write comes once a minute whatever the page (time, not data); the requests are
    # rolled back, so it would come on every request once a minute has passed: written once, at the start.
    monkeypatch.setattr("tejun.web.middleware.IdleSessionMiddleware.EVERY_SECONDS", 10**10)


def _urls(body) -> list:
    """(key, url) of every GET request to count."""
    out = []
    only = re.compile(os.environ.get("PERF_ONLY", ""))  # PERF_ONLY=regex: ask only the matching routes (while fixing)
    for key, (route, name, params) in sorted(routes().items()):
        entry = matrix.ENTRIES.get(key)
        assert entry is not None, f"{key} has no entry in tests/security/matrix.py (test_authorization_matrix names it)"
        if "GET" not in entry.methods or not only.search(key):
            continue
        kwargs = matrix.url_kwargs(entry, params, body)
        url = entry.path or (reverse(name, kwargs=kwargs) if name else "/" + route)
        out.append((key, url))
        out.extend((key, url + v) for v in VARIANTS.get(key, ()))
        out.extend((key, other) for other in OTHER_OBJECTS.get(key, lambda _body: [])(body))
    return out


def _clients(people) -> dict:
    clients = {"anonymous": Client(raise_request_exception=False)}
    for name in PERSONAS[:-1]:
        clients[name] = Client(raise_request_exception=False)
        clients[name].force_login(people[name])
        clients[name].get(reverse("my-tasks"))  # kept: the session's once-per-login marks are written now
    return clients


def _measure(clients, urls) -> dict:
    """{(persona, url): (status, [sql])}; every request asked twice, the second counted (per-process caches
    are warm as on a running server), the shared cache emptied first (the worst case, and the same every time)."""
    seen = {}
    for key, url in urls:
        for persona in PERSONAS:
            for _ in range(2):
                cache.clear()
                response, queries = ask(clients[persona], url)
            seen[(persona, key, url)] = (response.status_code, queries)
    return seen


def _sized_world():
    body, people = build_world()
    everything = UserFactory(body=body, login_id="perf_all", full_name="全権 試験")
    for role in (Role.SUPREME_ADMIN, Role.MANAGER, Role.OFFICER, Role.STAFF):
        give_role(everything, role)
    people["all"] = everything
    return body, people


def test_every_page_runs_a_constant_and_small_number_of_queries(db, _perf_settings):
    started = time.monotonic()
    body, people = _sized_world()
    clients = _clients(people)
    urls = _urls(body)
    built = time.monotonic()
    small = _measure(clients, urls)
    measured = time.monotonic()
    added = grow(GROWTH)
    grown_at = time.monotonic()
    larger = _measure(clients, urls)
    print(f"query counts: {len(urls)} URLs × {len(PERSONAS)} personas; world {built - started:.0f}s, small "
          f"{measured - built:.0f}s, growing {grown_at - measured:.0f}s, larger {time.monotonic() - grown_at:.0f}s")
    print("rows added:", {label: n for label, n in added.items() if n})
    print("tables that did not grow:", sorted(label for label, n in added.items() if not n))

    if os.environ.get("PERF_DUMP"):  # PERF_DUMP=/some/file.json: every request's status and counts
        with open(os.environ["PERF_DUMP"], "w") as f:
            json.dump([{"persona": p, "route": k, "url": u, "status": larger[(p, k, u)][0],
                        "small": len(small[(p, k, u)][1]), "larger": len(larger[(p, k, u)][1])}
                       for p, k, u in sorted(larger)], f, ensure_ascii=False, indent=1)

    grown = {label for label, n in added.items() if n}
    for label in ("assets.Asset", "media.Medium", "media.CarryOutRequest", "incidents.Incident",
                  "incidents.TimelineEntry", "audit.AuditEvent", "notify.Notification", "vendors.DataProvision"):
        assert label in grown, f"the larger world did not grow {label}"

    problems = []
    for request, (status, queries) in larger.items():
        persona, key, url = request
        small_status, small_queries = small[request]
        if status >= 500 or status != small_status:
            problems.append(f"{persona} GET {url} [{key}]: answered {small_status} then {status}")
            continue
        if len(queries) != len(small_queries) or len(queries) > MAX_QUERIES:
            problems.append(f"{persona} GET {url} [{key}]: {len(small_queries)} queries on the small world, "
                            f"{len(queries)} on the larger one (at most {MAX_QUERIES}, the same on both):\n"
                            + summary(queries))
    counts = sorted(((len(q), len(small[r][1]), r) for r, (_s, q) in larger.items()), reverse=True)
    print("most queries (larger, small, request):", *[f"{a:3} {b:3} {r}" for a, b, r in counts[:25]], sep="\n  ")
    assert not problems, f"{len(problems)} requests over the query budget or growing with the data:\n" + \
        "\n".join(problems)


def test_the_report_groups_queries_by_shape():
    from .counting import shape

    a = 'SELECT "x" FROM "t" WHERE ("t"."id" = 12 AND "t"."name" = \'foo\') AND "t"."k" IN (1, 2, 3)'
    b = 'SELECT "x" FROM "t" WHERE ("t"."id" = 7 AND "t"."name" = \'bar\') AND "t"."k" IN (4, 5)'
    assert shape(a) == shape(b)
    assert re.search(r"IN \(\?…\)", shape(a))
