"""The authorisation matrix (issue 9 part 1): every route of the URL configuration, pages and /api/v1/, asked by
every persona, must answer what tests/security/matrix.py says.

The routes come from django.urls.get_resolver(); the API's operations from drf-spectacular's schema. A route
or an operation with no entry fails, naming it; so does an entry naming a route that no longer exists.

Requests, and why nothing is changed by them:
- Pages: GET only (HEAD answers as GET). POST-only pages answer GET with 405 (or a refusal first).
- API: GET on every operation with a GET; every unsafe operation (POST/PUT/PATCH/DELETE) is sent with an empty
  JSON body by every persona, and its exact answer is checked: 401/403/404 are the refusals; 400 (the empty
  input), 409 (the state) or 2xx mean the persona got past the permission check. A role must be checked before
  the input, so a refused persona answers 403/404, never 400 (see INPUT_BEFORE_ROLE in matrix.py for the
  known exceptions). "ok" may be written for "anything but a refusal or a 5xx".
- Every request runs inside a savepoint that is rolled back, so the world is the same for every request and
  every order; the login session is made outside it and restored on the client before each request.
- DRF's format-suffix routes (people.json, ...) have no entry of their own: they are asked as their base
  route's GET with ".json" and must answer the same.

The world is built once, in the one test that asks every route (mismatches are collected and reported together):
the demo body (orgs.demo.create_demo + every DEMO_LOADERS entry) with one extra person per role, a vendor of a
second contractor, and an officer-manager of another body. Set MATRIX_DUMP=/some/file.json to write the actual
answers (a draft for new entries; never copy a leak into the matrix).
"""

import json
import os
import re
import time

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.module_loading import import_string

from tejun.orgs.demo import create_demo
from tejun.orgs.management.commands.demo import DEMO_LOADERS
from tejun.orgs.roles import Role
from tejun.vendors.models import Contractor, ContractorAccount

from ..factories import BodyFactory, UserFactory, give_role
from . import matrix

FORMAT_SUFFIX = re.compile(r"\\\.\(\?P<format>|<drf_format_suffix:format>")
REFUSED = {401, 403, 404, 405}


# --- The routes -----------------------------------------------------------------------------------------

def _walk(resolver, prefix="", namespace=None):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace, p


def routes() -> dict:
    """{key: (route string, url name for reverse, kwarg names)}; the admin site is Django's own (not ours)."""
    found = {}
    for route, namespace, p in _walk(get_resolver()):
        if route.startswith("admin/") or FORMAT_SUFFIX.search(route):
            continue
        name = f"{namespace}:{p.name}" if namespace and p.name else p.name
        key = ("api:" if route.startswith("api/v1/") else "") + (name or f"/{route}")
        assert key not in found, f"two routes share the key {key}: {found[key][0]} and {route}"
        found[key] = (route, name, tuple(p.pattern.regex.groupindex))
    return found


def format_suffix_routes() -> list:
    return [(route, p.name) for route, _ns, p in _walk(get_resolver()) if route.startswith("api/v1/")
            and FORMAT_SUFFIX.search(route)]


def schema_operations() -> set:
    """(route key, METHOD) of every operation in the OpenAPI schema."""
    from django.urls import resolve
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    ops = set()
    for path, item in schema["paths"].items():
        url = re.sub(r"\{(\w+)\}", lambda m: {"fmt": "pdf", "transition": "approve"}.get(m.group(1), "1"), path)
        match = resolve(url)
        ops.update((f"api:{match.url_name}", method.upper()) for method in item
                   if method in {"get", "post", "put", "patch", "delete"})
    return ops


def test_every_route_has_an_entry_and_every_entry_a_route():
    found = routes()
    missing = sorted(set(found) - set(matrix.ENTRIES))
    stale = sorted(set(matrix.ENTRIES) - set(found))
    assert not missing, "routes with no entry (add it to tests/security/matrix.py):\n" + "\n".join(
        f"  {key}  ({found[key][0]})" for key in missing)
    assert not stale, "entries for routes that no longer exist (remove them from tests/security/matrix.py):\n" + \
        "\n".join(f"  {key}" for key in stale)
    for key, entry in matrix.ENTRIES.items():
        assert entry.api == key.startswith("api:"), f"{key}: a page entry for an API route or the reverse"
        assert entry.obj is None or entry.obj in matrix.OBJECTS, f"{key}: unknown object {entry.obj}"


def test_every_schema_operation_has_an_entry_with_its_method():
    ops = schema_operations()
    assert len(ops) > 100
    unknown = sorted(f"  {method} {key}" for key, method in ops
                     if key not in matrix.ENTRIES or method not in matrix.ENTRIES[key].methods)
    assert not unknown, "operations of the OpenAPI schema missing from tests/security/matrix.py:\n" + "\n".join(unknown)
    undocumented = sorted(f"  {method} {key}" for key, entry in matrix.ENTRIES.items() if entry.api
                          and not entry.undocumented for method in entry.methods if (key, method) not in ops)
    assert not undocumented, "matrix methods the schema does not list (mark the entry undocumented=True if " \
        "the route is deliberately outside the schema):\n" + "\n".join(undocumented)


# --- The world --------------------------------------------------------------------------------------------

def _person(body, login_id, *roles):
    user = UserFactory(body=body, login_id=login_id, full_name=f"{login_id} 試験")
    for role in roles:
        give_role(user, role)
    return user


def _spread_ids(step=10_000):
    """Give every table its own id range, so a route built with another model's id (a campaign's URL with a
    response's id) answers 404 here too, not only where the ids happen to differ (PostgreSQL's sequences,
    which a rollback does not rewind)."""
    from django.apps import apps
    from django.db import connection, models

    tables = sorted({m._meta.db_table for m in apps.get_models()
                     if isinstance(m._meta.pk, models.AutoField) and m._meta.managed and not m._meta.proxy})
    with connection.cursor() as cursor:
        for i, table in enumerate(tables, start=1):
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608 (names from the models)
            start = max(i * step, cursor.fetchone()[0] + 1)
            if connection.vendor == "postgresql":
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)", [f'"{table}"', start])
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, start - 1])


def build_world():
    _spread_ids()
    body = create_demo("Matrix-Pass-2026!")
    for loader in DEMO_LOADERS:
        import_string(loader)(body)
    matrix.EXTRA_OBJECTS(body)
    people = {
        "staff": _person(body, "mx_staff", Role.STAFF),
        "staff_in_charge": _person(body, "mx_tanto", Role.STAFF_IN_CHARGE, Role.STAFF),
        "officer": _person(body, "mx_officer", Role.OFFICER, Role.STAFF),
        "manager": _person(body, "mx_manager", Role.MANAGER, Role.STAFF),
        "supreme_admin": _person(body, "mx_supreme", Role.SUPREME_ADMIN, Role.STAFF),
        "promoter": _person(body, "mx_promoter", Role.PROMOTER, Role.STAFF),
        "auditor": _person(body, "mx_auditor", Role.AUDITOR, Role.STAFF),
        # The demo's vendor1, linked to 〇〇システム株式会社 by the vendors loader.
        "vendor": ContractorAccount.objects.get(body=body, user__login_id="vendor1").user,
    }
    other = Contractor.objects.create(body=body, name="別会社株式会社（試験）")
    people["vendor_other"] = _person(body, "mx_vendor2", Role.VENDOR)
    ContractorAccount.objects.create(body=body, contractor=other, user=people["vendor_other"])
    other_body = BodyFactory(name="よその市議会（試験）")
    people["outsider"] = _person(other_body, "mx_outsider", Role.OFFICER, Role.MANAGER, Role.STAFF)
    assert set(people) | {"anonymous"} == set(matrix.PERSONAS)
    return body, people


def _clients(people):
    from django.conf import settings

    clients = {"anonymous": (Client(raise_request_exception=False), None)}
    for name, user in people.items():
        c = Client(raise_request_exception=False)
        c.force_login(user)
        clients[name] = (c, c.cookies[settings.SESSION_COOKIE_NAME].value)
    return clients


def _ask(clients, persona, method, url):
    from django.conf import settings

    client, session = clients[persona]
    client.cookies.clear()
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        else:
            response = getattr(client, method.lower())(url, data="", content_type="application/json")
        transaction.set_rollback(True)
    return response.status_code


def _agrees(expected, actual) -> bool:
    if expected == "ok":
        return actual not in REFUSED and actual < 500
    return expected == actual


@pytest.fixture
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


class _PdfStub:
    """WeasyPrint's layout takes seconds per document and decides nothing about who may see it: the templates
    are still rendered (a template error still fails), only the PDF bytes are a stub."""

    def __init__(self, *args, **kwargs):
        pass

    def write_pdf(self, *args, **kwargs):
        return b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def _quick_pdf(monkeypatch):
    monkeypatch.setattr("tejun.lib.pdf.HTML", _PdfStub)


def test_every_route_answers_every_persona_as_the_matrix_says(db, _uploads, _quick_pdf):
    started = time.monotonic()
    body, people = build_world()
    clients = _clients(people)
    found = routes()
    mismatches, dump, asked, slowest = [], {}, 0, []
    for key, (route, name, params) in sorted(found.items()):
        entry = matrix.ENTRIES.get(key)
        if entry is None:
            continue  # named by test_every_route_has_an_entry_and_every_entry_a_route
        try:
            kwargs = matrix.url_kwargs(entry, params, body)
            url = entry.path or (reverse(name, kwargs=kwargs) if name else "/" + route)
        except Exception as e:  # noqa: BLE001  (collected with the rest)
            mismatches.append(f"[{key}] cannot build its URL: {e}")
            continue
        route_started = time.monotonic()
        for method, profile in entry.methods.items():
            for persona in matrix.PERSONAS:
                actual = _ask(clients, persona, method, url)
                asked += 1
                dump.setdefault(key, {}).setdefault(method, {})[persona] = actual
                expected = profile[persona]
                if not _agrees(expected, actual):
                    mismatches.append(f"{method} {url} [{key}] as {persona}: expected {expected}, got {actual}")
        slowest.append((time.monotonic() - route_started, key))
    # Format-suffix twins answer as their base route.
    for route, name in format_suffix_routes():
        entry = matrix.ENTRIES.get(f"api:{name}")
        if entry is None or "GET" not in entry.methods or name == "api-root":
            continue
        params = tuple(p for p in re.findall(r"\(\?P<(\w+)>", route) if p != "format")
        kwargs = {**matrix.url_kwargs(entry, params, body), "format": "json"}
        url = reverse(name, kwargs=kwargs)
        for persona in matrix.PERSONAS:
            actual = _ask(clients, persona, "GET", url)
            asked += 1
            expected = entry.methods["GET"][persona]
            if not _agrees(expected, actual):
                mismatches.append(f"GET {url} [format twin of api:{name}] as {persona}: expected {expected}, "
                                  f"got {actual}")
    if os.environ.get("MATRIX_DUMP"):
        with open(os.environ["MATRIX_DUMP"], "w") as f:
            json.dump(dump, f, ensure_ascii=False, indent=1)
        print("slowest routes:", sorted(slowest, reverse=True)[:15])
    elapsed = time.monotonic() - started
    print(f"authorisation matrix: {asked} requests, {len(found)} routes, {elapsed:.1f}s")
    assert asked > 3000
    assert not mismatches, f"{len(mismatches)} answers differ from tests/security/matrix.py:\n" + "\n".join(
        mismatches)
