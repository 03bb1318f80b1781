"""Printed documents (report PDFs, the register, the contact list), step reminders, the data migration, demo."""

import importlib
import io
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from tejun.incidents.models import ContactCase, Incident, ReminderRule
from tejun.incidents.tasks import remind_waiting_steps
from tejun.notify.models import Notification
from tejun.workflow.engine import perform

from .helpers import fresh, security_to_instruction

pytestmark = pytest.mark.django_db


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"
PDFTOTEXT = shutil.which("pdftotext")


def _text(pdf: bytes, name: str = "") -> str:
    assert pdf.startswith(b"%PDF-")
    if os.environ.get("TEJUN_DUMP_DOCS") and name:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    if not PDFTOTEXT:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run([PDFTOTEXT, "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode()


@pytest.fixture
def closed_incident(everyone, report, make_absent):
    incident = security_to_instruction(report(everyone["staff"]), everyone["officer"], everyone["manager"])
    make_absent(everyone["supreme_admin"])
    perform(fresh(incident), "instruct", everyone["manager"], data={"instruction": "遮断"}, deputy_reason="出張")
    return perform(fresh(incident), "complete", everyone["manager"], data={"action_taken": "復旧済"})


def test_report_pdfs_first_followup_final(login, everyone, closed_incident):
    client = login(everyone["officer"])
    for stage, words in (("first", "第一報"), ("followup", "続報"), ("final", "最終報告")):
        response = client.get(f"/incidents/{closed_incident.pk}/report-{stage}.pdf")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = _text(response.content, f"incident_{stage}")
        assert words in text and closed_incident.number in text and "令和" in text
        assert "決裁" in text or "報告者" in text
    final = _text(client.get(f"/incidents/{closed_incident.pk}/report-final.pdf").content)
    contacts = _text(client.get("/incidents/contacts.pdf").content, "incident_contacts")
    assert "緊急連絡先一覧" in contacts and "議会管理者" in contacts
    assert "代決" in final and "復旧済" in final


def test_final_report_waits_for_closure_and_staff_may_not_print(login, everyone, report):
    incident = report(everyone["staff"])
    response = login(everyone["officer"]).get(f"/incidents/{incident.pk}/report-final.pdf")
    assert response.status_code == 302
    assert login(everyone["staff"]).get(f"/incidents/{incident.pk}/report-first.pdf").status_code == 403


def test_register_xlsx(login, everyone, closed_incident, report, outsider):
    report(outsider)
    response = login(everyone["manager"]).get("/incidents/register.xlsx")
    assert response.status_code == 200
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    assert rows[0][0] == "事故番号" and len(rows) == 2
    assert rows[1][0] == closed_incident.number and "代決" in rows[1]
    response = login(everyone["manager"]).get("/incidents/register.xlsx?from=bad")
    assert response.status_code == 302


def test_waiting_step_is_reminded_once_a_day_after_the_body_hours(everyone, report):
    incident = report(everyone["staff"])
    Notification.objects.all().delete()
    assert remind_waiting_steps() == 0  # just reported: within 2 hours
    Incident.objects.filter(pk=incident.pk).update(reported_at=timezone.now() - timedelta(hours=3))
    assert remind_waiting_steps() == 1
    assert {n.recipient for n in Notification.objects.all()} == {everyone["officer"]}
    assert remind_waiting_steps() == 0  # once per day
    perform(fresh(incident), "take_up", everyone["officer"])
    ReminderRule.objects.create(body=incident.body, state="investigating", hours=1)
    assert remind_waiting_steps() == 0
    later = timezone.localdate() + timedelta(days=1)
    assert remind_waiting_steps(today=later) == 1


def test_closed_incidents_are_not_reminded(closed_incident):
    Incident.objects.filter(pk=closed_incident.pk).update(reported_at=timezone.now() - timedelta(days=9))
    assert remind_waiting_steps() == 0


def test_data_migration_picks_up_pending_lost_media_and_seeds_the_matrix(body, staff):
    from tejun.media.models import Cabinet, Medium, PendingIncident

    cabinet = Cabinet.objects.create(body=body, name="A", place="書庫")
    medium = Medium.objects.create(body=body, number="M-9", kind="usb", custodian=staff, cabinet=cabinet)
    pending = PendingIncident.objects.create(body=body, source="stocktake_missing", medium=medium,
                                             description="棚卸で所在不明", reported_by=staff)
    done = PendingIncident.objects.create(body=body, source="stocktake_missing", medium=medium,
                                          description="既に引継ぎ済", reported_by=staff, picked_up_at=timezone.now())
    migration = importlib.import_module("tejun.incidents.migrations.0002_seed_matrix_pick_up_pending")
    migration.pick_up_pending(django_apps, None)
    migration.seed_matrix(django_apps, None)
    incident = Incident.objects.get()
    assert incident.kind == "leak_loss" and incident.requester == staff and incident.source_id == str(medium.pk)
    assert incident.number == "IN-00001" and "M-9" in incident.title and incident.state == "reported"
    pending.refresh_from_db()
    assert pending.picked_up_at and PendingIncident.objects.get(pk=done.pk).picked_up_at
    assert ContactCase.objects.filter(body=body).count() == 5
    migration.seed_matrix(django_apps, None)  # twice: nothing more
    assert ContactCase.objects.filter(body=body).count() == 5


def test_demo_loader_adds_incidents_in_different_states(db):
    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
    states = set(Incident.objects.values_list("state", flat=True))
    assert {"reported", "awaiting_instruction", "closed"} <= states
    call_command("demo", stdout=io.StringIO())
    assert Incident.objects.count() == 3


def test_register_pdf(login, everyone, closed_incident):
    response = login(everyone["manager"]).get("/incidents/register.pdf")
    assert response.status_code == 200
    text = _text(response.content, "incident_register")
    assert "インシデント台帳" in text and closed_incident.number in text and "令和" in text
    assert login(everyone["staff"]).get("/incidents/register.pdf").status_code == 403
