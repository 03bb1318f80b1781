"""/api/v1/carry-outs/ with a registered medium."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.incidents.models import Incident
from tejun.media.models import CarryOutRequest, Medium

from ..api.helpers import assert_error, token_client
from .flow_helpers import exception_for, medium
from .helpers import carry_out_fields

LIST = "/api/v1/carry-outs/"


def payload(**overrides):
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in carry_out_fields(**overrides).items()}


def test_create_with_a_medium_and_walk_it(staff, officer, body):
    m = medium(body, staff, number="M-401")
    response = token_client(staff).post(LIST, payload(medium=m.pk), format="json")
    assert response.status_code == 201, response.content
    row = response.json()
    assert row["medium"] == m.pk and row["medium_number"] == "M-401"
    url = f"{LIST}{row['id']}/"
    assert token_client(officer).post(f"{url}approve/", {}, format="json").status_code == 200
    assert token_client(staff).post(f"{url}take_out/", {}, format="json").status_code == 200
    assert Medium.objects.get(pk=m.pk).status == Medium.Status.OUT
    assert "report_lost" in token_client(staff).get(url).json()["available_transitions"]
    error = assert_error(token_client(staff).post(f"{url}report_lost/", {}, format="json"), 400)
    assert "comment" in error["fields"]
    response = token_client(staff).post(f"{url}report_lost/", {"comment": "紛失しました"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "lost"
    assert Incident.objects.filter(source_id=str(row["id"]), kind="leak_loss").exists()


def test_disposed_or_expired_medium_is_refused(staff, body):
    gone = medium(body, staff, status=Medium.Status.DISPOSED)
    error = assert_error(token_client(staff).post(LIST, payload(medium=gone.pk), format="json"), 400, "invalid")
    assert "廃棄済" in error["fields"]["medium"][0]
    expired = exception_for(body, staff, valid_from=timezone.localdate() - timedelta(days=60), days=30)
    usb = medium(body, staff, kind="usb", exception=expired)
    error = assert_error(token_client(staff).post(LIST, payload(medium=usb.pk), format="json"), 400)
    assert "medium" in error["fields"]
    assert not CarryOutRequest.objects.exists()


def test_another_bodys_medium_reads_as_missing(staff, outsider):
    theirs = medium(outsider.body, outsider)
    error = assert_error(token_client(staff).post(LIST, payload(medium=theirs.pk), format="json"), 400)
    missing = assert_error(token_client(staff).post(LIST, payload(medium=999999), format="json"), 400)
    assert error["fields"]["medium"] == [m.replace("999999", str(theirs.pk)) for m in missing["fields"]["medium"]]


@pytest.mark.parametrize("value", [None, ""])
def test_no_medium_is_fine(staff, value):
    data = payload()
    data["medium"] = value
    response = token_client(staff).post(LIST, data, format="json")
    assert response.status_code == 201 and response.json()["medium"] is None
