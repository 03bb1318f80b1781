"""Across the API: one JSON error shape, and no input ever answered with a 500."""

import json

import pytest

from tejun.audit.models import AuditEvent
from tejun.media.models import CarryOutRequest
from tejun.orgs.models import Absence, RoleAssignment

from ..media.helpers import new_carry_out
from .helpers import assert_error, token_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/nothing-here/", "/api/v1/carry-outs/1/approve/extra/",
                                 "/api/v1/people/1/roles/", "/api/v1/v2/", "/api/v1/redoc/"])
def test_unknown_urls_are_a_json_404(staff, url):
    assert_error(token_client(staff).get(url), 404, "not_found")
    assert_error(token_client(staff).post(url, {}, format="json"), 404, "not_found")


def test_a_missing_slash_is_redirected(staff):
    r = token_client(staff).get("/api/v1/carry-outs")
    assert r.status_code == 301
    assert r["Location"] == "/api/v1/carry-outs/"


def test_api_root_lists_the_resources(staff):
    r = token_client(staff).get("/api/v1/")
    assert r.status_code == 200
    assert set(r.json()) >= {"people", "role-assignments", "absences", "audit-events", "carry-outs"}


GARBAGE = [
    "{", "[]", "[1, 2]", "null", "true", "0", '"text"', '{"a": {"b": {"c": []}}}',
    json.dumps({"x" * 1000: "y"}), json.dumps({"confidentiality": [[[[1]]]]}),
    json.dumps({"person": -1, "post": -1, "role": -1}), json.dumps({"out_date": "0000-00-00"}),
    json.dumps({"starts_at": "9999-12-31T99:99:99"}), json.dumps({"comment": "\u0000"}),
    '{"login_id": "\\ud800", "password": "\\udfff"}', "\ufeff{}",
]


@pytest.fixture
def urls(staff, officer):
    obj = new_carry_out(staff)
    return ["/api/v1/auth/token/", "/api/v1/role-assignments/", "/api/v1/absences/", "/api/v1/carry-outs/",
            f"/api/v1/carry-outs/{obj.pk}/approve/", f"/api/v1/carry-outs/{obj.pk}/send_back/",
            f"/api/v1/carry-outs/{obj.pk}/"]


def test_no_input_gets_a_500(manager, officer, staff, urls):
    before = (CarryOutRequest.objects.count(), RoleAssignment.objects.count(), Absence.objects.count())
    for user in (manager, officer, staff):
        client = token_client(user)
        for url in urls:
            for raw in GARBAGE:
                method = "PATCH" if url.endswith("/") and url.count("/") == 5 and url.split("/")[-2].isdigit() \
                    else "POST"
                r = client.generic(method, url, raw.encode("utf-8", "surrogatepass"),
                                   content_type="application/json")
                assert r.status_code < 500, (user.login_id, url, raw, r.status_code)
                if r.status_code >= 400:
                    assert_error(r, r.status_code)
    assert (CarryOutRequest.objects.count(), RoleAssignment.objects.count(), Absence.objects.count()) == before
    assert not AuditEvent.objects.filter(action__startswith="transition.").exists()


def test_a_body_too_large_for_a_form_is_a_400(staff, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = token_client(staff).post("/api/v1/carry-outs/", {"purpose": "x" * 5000})  # multipart
    assert r.status_code == 400
    assert not CarryOutRequest.objects.exists()


def test_english_is_accepted_and_the_shape_is_the_same(staff):
    r = token_client(staff).get("/api/v1/carry-outs/abc/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 404
    assert set(r.json()["error"]) == {"code", "message", "fields"}
    assert r.json()["error"]["code"] == "not_found"
