"""`tejun loadgen` at the hidden tiny scale: counts, determinism, a valid audit chain, logins without a second
factor, refusal of a second run, and numbers that the ordinary services continue without collisions."""

import hashlib
import io
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tejun.assets.models import Asset
from tejun.audit.models import AuditChain, AuditEvent
from tejun.audit.verify import verify
from tejun.incidents.models import Incident, TimelineEntry
from tejun.media.models import CarryOutRequest, Medium
from tejun.ops.loadgen.common import BODY_NAME, PASSWORD, SCALES
from tejun.orgs.models import Body, User
from tejun.vendors.models import Contractor, ContractorAccount, DataProvision
from tejun.workflow.models import TransitionLog

TINY = SCALES["tiny"]
pytestmark = pytest.mark.django_db


def loadgen(*args) -> dict:
    out = io.StringIO()
    call_command("loadgen", "--scale", "tiny", *args, stdout=out, stderr=io.StringIO())
    line = [x for x in out.getvalue().splitlines() if x.startswith("LOADGEN ")]
    assert len(line) == 1
    return json.loads(line[0].removeprefix("LOADGEN "))


def digest(body_id: int) -> str:
    """What must not change between two runs with the same seed (ids may: they depend on the database)."""
    parts = [list(Asset.objects.filter(body_id=body_id).order_by("number").values_list("number", "name",
                                                                                        "department")),
             list(Medium.objects.filter(body_id=body_id).order_by("number").values_list("number", "product")),
             list(CarryOutRequest.objects.filter(body_id=body_id).order_by("number").values_list("number", "state")),
             list(Incident.objects.filter(body_id=body_id).order_by("number").values_list("number", "title", "state")),
             sorted(Contractor.objects.filter(body_id=body_id).values_list("name", flat=True)),
             sorted(User.objects.filter(body_id=body_id).values_list("full_name", flat=True))]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode()).hexdigest()


def test_counts_ids_and_a_valid_chain():
    result = loadgen("--seed", "3")
    body = Body.objects.get(name=BODY_NAME)
    assert result["body_id"] == body.pk and body.second_factor_roles == []
    assert Asset.objects.filter(body=body).count() == TINY.assets == result["counts"]["assets"]
    assert Medium.objects.filter(body=body).count() == TINY.media
    assert CarryOutRequest.objects.filter(body=body).count() == TINY.carry_outs
    assert Incident.objects.filter(body=body).count() == TINY.incidents
    assert DataProvision.objects.filter(body=body).count() == TINY.provisions
    assert Contractor.objects.filter(body=body).count() == TINY.contractors
    assert TimelineEntry.objects.filter(incident__body=body).count() >= TINY.incidents
    assert TransitionLog.objects.filter(body=body).count() == result["counts"]["transition_logs"] > 0
    # Several workflow states, not one.
    assert CarryOutRequest.objects.filter(body=body).values("state").distinct().count() >= 3
    assert Incident.objects.filter(body=body).values("kind").distinct().count() >= 3
    # The ids the benchmark opens point at rows of the right kind and state.
    assert Asset.objects.filter(body=body, pk=result["asset_id_first"]).exists()
    assert CarryOutRequest.objects.get(pk=result["carry_out_id_waiting"]).state == "submitted"
    provision = DataProvision.objects.get(pk=result["provision_id_memorandum"])
    assert provision.state == "approved" and "覚書" in provision.memorandum_text
    assert ContractorAccount.objects.get(user__login_id="bench-vendor").contractor_id == result["contractor_id"]
    assert result["password"] == PASSWORD and result["logins"]["admin"] == "bench-admin"
    # One chain, seq 1..n, created_at in order, accepted by `tejun audit verify`.
    chain = AuditChain.objects.get(key=body.pk)
    assert chain.seq == AuditEvent.objects.filter(chain_key=body.pk).count() >= TINY.audit_events
    times = list(AuditEvent.objects.filter(chain_key=body.pk).order_by("seq").values_list("created_at", flat=True))
    assert times == sorted(times)
    assert verify(body.pk).ok
    call_command("audit", "verify", stdout=io.StringIO())  # exits non-zero (SystemExit) on a broken chain


def test_same_seed_same_body_other_seed_other_body():
    first = loadgen("--seed", "5")
    again = loadgen("--seed", "5", "--name", "比較用議会", "--prefix", "cmp")
    other = loadgen("--seed", "6", "--name", "別の議会", "--prefix", "oth")
    assert digest(first["body_id"]) == digest(again["body_id"])
    assert digest(first["body_id"]) != digest(other["body_id"])
    assert verify().ok


def test_more_bodies_have_their_own_people():
    result = loadgen("--bodies", "2")
    assert len(result["other_body_ids"]) == 2
    for body_id in result["other_body_ids"]:
        assert Asset.objects.filter(body_id=body_id).count() == 200
        assert User.objects.filter(body_id=body_id, login_id__endswith="-admin").count() == 1
    assert verify().ok


def test_refuses_a_second_run():
    loadgen()
    with pytest.raises(CommandError, match="既に「ベンチ市議会」があります.*already holds the loadgen body"):
        loadgen("--seed", "9")
    assert Body.objects.filter(name=BODY_NAME).count() == 1


def test_bench_admin_logs_in_with_the_password_only(client):
    loadgen()
    r = client.post("/login/", {"username": "bench-admin", "password": PASSWORD})
    assert r.status_code == 302 and "second" not in r["Location"], r.get("Location")
    assert client.get("/tasks/").status_code == 200
    assert client.get("/assets/").status_code == 200


def test_services_continue_the_generated_numbers(monkeypatch):
    from tejun.assets.services import create_asset
    from tejun.incidents.services import open_incident
    from tejun.media.services import create_carry_out

    loadgen()
    admin = User.objects.get(login_id="bench-admin")
    staff = User.objects.get(login_id="bench-staff")
    asset = create_asset(actor=admin, department="議会事務局 議事係", name="新しい資産", form="electronic",
                         confidentiality="2", integrity="1", availability="1")
    assert asset.number == f"IA-{TINY.assets + 1:05d}"
    incident = open_incident(reporter=staff, kind="virus", description="警告が表示された。")
    assert incident.number == f"IN-{TINY.incidents + 1:05d}"
    # The newest generated carry-outs lie in 令和7年度 (before 2026-04-01): file one on a day of that year.
    day = date(2026, 3, 31)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day)
    last = max(CarryOutRequest.objects.filter(number__startswith="CO-2025-").values_list("number", flat=True))
    carry_out = create_carry_out(actor=staff, data_description="議事録の下書き", confidentiality=2,
                                 purpose="校正作業のため", destination="自宅", encrypted=True, out_date=day,
                                 due_date=day + timedelta(days=2))
    assert carry_out.number == f"CO-2025-{int(last.rsplit('-', 1)[1]) + 1:04d}"
    assert verify().ok


def test_refuses_an_unknown_scale():
    with pytest.raises(CommandError, match="quick か full"):
        call_command("loadgen", "--scale", "huge", stdout=io.StringIO(), stderr=io.StringIO())
    assert not Body.objects.exists()
