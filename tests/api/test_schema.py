"""The OpenAPI schema generates cleanly, and the docs pages work with no internet."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

from .helpers import token_client

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn raises on any warning or error (untyped path parameters, operationId clashes, ...).
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    paths = schema["paths"]
    for path in ("/api/v1/auth/token/", "/api/v1/me/", "/api/v1/people/", "/api/v1/people/{id}/",
                 "/api/v1/role-assignments/", "/api/v1/absences/", "/api/v1/absences/{id}/",
                 "/api/v1/audit-events/", "/api/v1/carry-outs/", "/api/v1/carry-outs/{id}/",
                 "/api/v1/carry-outs/{id}/{transition}/"):
        assert path in paths, path
    # Ids are integers, the transition is one of the workflow's names.
    [pk] = [p for p in paths["/api/v1/carry-outs/{id}/"]["get"]["parameters"] if p["name"] == "id"]
    assert pk["schema"]["type"] == "integer"
    transition = paths["/api/v1/carry-outs/{id}/{transition}/"]["post"]
    [name] = [p for p in transition["parameters"] if p["name"] == "transition"]
    assert set(name["schema"]["enum"]) == {"approve", "send_back", "reject", "resubmit", "withdraw", "take_out",
                                           "bring_back", "confirm_return", "report_lost"}
    operation_ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))
    # Read-only resources offer no writes; carry-outs have PATCH but no PUT or DELETE.
    assert set(paths["/api/v1/audit-events/{id}/"]) == {"get"}
    assert set(paths["/api/v1/people/{id}/"]) == {"get"}
    assert set(paths["/api/v1/carry-outs/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/absences/{id}/"]) == {"get", "delete"}
    # Logging in needs no credentials; everything else does.
    assert paths["/api/v1/auth/token/"]["post"].get("security") in ([], [{}], None)
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_schema_is_served_as_json_and_yaml(staff):
    client = token_client(staff)
    r = client.get("/api/v1/schema/", {"format": "json"})
    assert r.status_code == 200
    assert r.json()["info"]["title"] == "Tejun API"
    r = client.get("/api/v1/schema/")
    assert r.status_code == 200
    assert yaml.safe_load(r.content)["openapi"].startswith("3.")


def test_schema_and_docs_are_for_logged_in_people_only(staff, client):
    # Structure only, no data, but the map of every operation is not for anyone on the network.
    for path in ("/api/v1/schema/", "/api/v1/docs/"):
        r = APIClient().get(path, {"format": "json"} if "schema" in path else {})
        assert r.status_code == 401, (path, r.status_code)
    assert "/api/v1/carry-outs/" in token_client(staff).get("/api/v1/schema/", {"format": "json"}).json()["paths"]
    client.force_login(staff)  # the docs page with the browser's session
    assert client.get("/api/v1/docs/").status_code == 200


URL_ATTRIBUTES = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


def test_docs_page_loads_only_the_apps_own_files(staff):
    r = token_client(staff).get("/api/v1/docs/")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/html")
    html = r.content.decode()
    assert not re.search(r"https?://", html), re.search(r".{60}https?://.{60}", html)
    assert "//" not in "".join(u for u in URL_ATTRIBUTES.findall(html) if not u.startswith("/static/"))
    assets = [u for u in URL_ATTRIBUTES.findall(html) if u.startswith("/static/")]
    assert assets, html[:500]
    # Swagger UI's start-up code is its own file (the CSP forbids inline script); it loads our schema.
    start_up = [u.replace("&amp;", "&") for u in URL_ATTRIBUTES.findall(html) if "?script=" in u]
    assert start_up == ["/api/v1/docs/?script="], start_up
    script = token_client(staff).get(start_up[0]).content.decode()
    assert "/api/v1/schema/" in script and not re.search(r"https?://", script)
    for asset in assets:
        # Every asset is vendored (drf-spectacular-sidecar) and found by the static files finders.
        assert finders.find(asset.removeprefix("/static/")), asset


def test_no_redoc_page(staff):
    # drf-spectacular's Redoc template links fonts.googleapis.com: not offered on a closed network.
    assert token_client(staff).get("/api/v1/redoc/").status_code == 404
