"""The incident pages: the quick report, the list, the incident page and its forms, refusals, query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tejun.incidents.models import Incident, IncidentAttachment
from tejun.notify.models import Notification

from .helpers import breach_ready_for_supreme, fresh, security_to_instruction

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_report_form_files_a_report_in_one_post(login, everyone):
    client = login(everyone["staff"])
    page = client.get("/incidents/report/")
    content = page.content.decode()
    assert page.status_code == 200 and "何が起きましたか" in content
    assert "incidents/report.js" in content and "<script>" not in content  # no inline script (CSP)
    for label in ("不正アクセス", "ウイルス感染", "不具合", "システム障害", "情報の漏えい・紛失", "機器・媒体の盗難", "その他"):
        assert label in content
    response = client.post("/incidents/report/", {"kind": "virus", "description": "警告が出た", "location": "2番PC"})
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert incident.kind == "virus" and incident.location == "2番PC" and incident.requester == everyone["staff"]
    assert Notification.objects.filter(recipient=everyone["officer"]).exists()


def test_report_form_shows_errors_and_saves_nothing(login, staff):
    response = login(staff).post("/incidents/report/", {"kind": "", "description": ""})
    assert response.status_code == 200 and not Incident.objects.exists()
    assert "field-error" in response.content.decode()


def test_report_form_refuses_future_time(login, staff):
    response = login(staff).post("/incidents/report/", {"kind": "virus", "description": "x",
                                                        "occurred_at": "2099-01-01T10:00"})
    assert response.status_code == 200 and not Incident.objects.exists()
    assert "未来の日時" in response.content.decode()


def test_nav_and_my_tasks_lead_to_the_report(login, staff, officer):
    page = login(staff).get("/tasks/").content.decode()
    assert 'href="/incidents/report/"' in page and "事故・障害を報告する" in page
    page = login(officer).get("/tasks/").content.decode()
    assert 'href="/incidents/"' in page


def test_the_task_appears_for_the_first_receiver(login, everyone, report):
    incident = report(everyone["staff"])
    page = login(everyone["officer"]).get("/tasks/").content.decode()
    assert incident.number in page and "受付・状況調査を開始" in page


def test_detail_shows_steps_and_buttons_per_role(login, everyone, report):
    incident = report(everyone["staff"])
    page = login(everyone["officer"]).get(incident.get_absolute_url()).content.decode()
    assert "受付・状況調査を開始" in page and "統括管理者の指示待ち" in page and "決裁欄" in page
    page = login(everyone["staff"]).get(incident.get_absolute_url()).content.decode()
    assert "受付・状況調査を開始" not in page and "取下げ" in page


def test_transition_from_the_page_with_data_and_refusals(login, everyone, report):
    incident = report(everyone["staff"])
    officer = login(everyone["officer"])
    officer.post(f"/incidents/{incident.pk}/take_up/", {})
    assert fresh(incident).state == "investigating"
    response = officer.post(f"/incidents/{incident.pk}/report_to_manager/", {}, follow=True)
    assert fresh(incident).state == "investigating" and any("入力" in m for m in _messages(response))
    officer.post(f"/incidents/{incident.pk}/report_to_manager/", {"report_to_manager-findings": "不正ログイン確認",
                                                                  "report_to_manager-comment": "至急"})
    assert fresh(incident).state == "with_manager" and fresh(incident).findings == "不正ログイン確認"
    response = login(everyone["staff"]).post(f"/incidents/{incident.pk}/report_to_supreme/", {}, follow=True)
    assert fresh(incident).state == "with_manager" and any("権限" in m for m in _messages(response))
    assert login(everyone["staff"]).post(f"/incidents/{incident.pk}/nonsense/", {}).status_code == 404


def test_instruct_as_deputy_from_the_page(login, everyone, report, make_absent):
    incident = security_to_instruction(report(everyone["staff"]), everyone["officer"], everyone["manager"])
    make_absent(everyone["supreme_admin"])
    client = login(everyone["manager"])
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "代決" in page and "管理者の判断" in page
    client.post(f"/incidents/{incident.pk}/instruct/", {"instruct-instruction": "切断する",
                                                       "instruct-deputy_reason": "副議長 不在"})
    incident = fresh(incident)
    assert incident.state == "responding" and incident.instruction == "切断する"
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "副議長 不在" in page


def test_other_body_and_other_reporters_get_404(login, everyone, report, outsider, staff2):
    incident = report(everyone["staff"])
    assert login(outsider).get(incident.get_absolute_url()).status_code == 404
    assert login(staff2).get(incident.get_absolute_url()).status_code == 404
    assert login(staff2).post(f"/incidents/{incident.pk}/take_up/", {}).status_code == 404
    assert login(everyone["officer"]).get(incident.get_absolute_url()).status_code == 200


def test_vendor_sees_only_its_own_reports(login, vendor_account, everyone, report):
    own = report(vendor_account, kind="leak_loss")
    other = report(everyone["staff"])
    client = login(vendor_account)
    listing = client.get("/incidents/").content.decode()
    assert own.number in listing and other.number not in listing
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get("/incidents/contacts/").status_code == 403
    assert client.get("/incidents/register.xlsx").status_code == 403


def test_edit_details_by_handlers_only(login, everyone, report):
    incident = report(everyone["staff"], kind="leak_loss")
    assert login(everyone["staff"]).get(f"/incidents/{incident.pk}/edit/").status_code == 403
    client = login(everyone["manager"])
    assert client.get(f"/incidents/{incident.pk}/edit/").status_code == 200
    response = client.post(f"/incidents/{incident.pk}/edit/", {
        "title": "名簿の紛失", "kind": "leak_loss", "description": "名簿がない", "cause": "施錠忘れ",
        "persons_affected": "150", "sensitive_data": "on"})
    assert response.status_code == 302
    incident = fresh(incident)
    assert incident.persons_affected == 150 and incident.sensitive_data and incident.ppc_report_likely
    assert "個人情報保護委員会への報告" in client.get(incident.get_absolute_url()).content.decode()


def test_breach_case_and_contacts_from_the_page(login, everyone, report):
    from tejun.incidents.models import ContactCase

    incident = report(everyone["staff"], kind="theft")
    client = login(everyone["manager"])
    page = client.get(incident.get_absolute_url()).content.decode()  # seeds the body's matrix
    assert "連絡先チェックリスト" in page
    case = ContactCase.objects.get(body=incident.body, order=2)
    client.post(f"/incidents/{incident.pk}/case/", {"case": case.pk})
    contacts = list(fresh(incident).contacts.all())
    assert len(contacts) == 3
    client.post(f"/incidents/{incident.pk}/contacts/{contacts[0].pk}/", {"action": "done", "note": "電話"})
    client.post(f"/incidents/{incident.pk}/contacts/{contacts[1].pk}/", {"action": "waive", "waived_reason": "不要"})
    response = client.post(f"/incidents/{incident.pk}/contacts/{contacts[2].pk}/", {"action": "waive"}, follow=True)
    assert any("入力" in m for m in _messages(response))
    rows = {c.name: c for c in fresh(incident).contacts.all()}
    assert rows[contacts[0].name].done_by == everyone["manager"] and rows[contacts[1].name].waived_reason == "不要"
    assert not rows[contacts[2].name].settled


def test_disconnection_timeline_and_attachment_from_the_page(login, everyone, report, staff2):
    incident = report(everyone["staff"], kind="virus")
    client = login(everyone["officer"])
    client.post(f"/incidents/{incident.pk}/disconnection/", {})
    step = fresh(incident).disconnection_steps.get(step=1)
    client.post(f"/incidents/{incident.pk}/disconnection/{step.pk}/", {"note": "ログ保存"})
    assert fresh(incident).disconnection_steps.get(step=1).note == "ログ保存"
    reporter = login(everyone["staff"])
    reporter.post(f"/incidents/{incident.pk}/notes/", {"at": "2026-12-01T09:30", "text": "電源を切らずに待機"})
    assert fresh(incident).timeline.filter(kind="note", text="電源を切らずに待機").exists()
    reporter.post(f"/incidents/{incident.pk}/attachments/",
                  {"file": SimpleUploadedFile("screen.png", PNG, "image/png"), "description": "警告画面"})
    attachment = IncidentAttachment.objects.get()
    assert len(attachment.sha256) == 64 and attachment.file_name == "screen.png"
    response = reporter.post(f"/incidents/{incident.pk}/attachments/",
                             {"file": SimpleUploadedFile("evil.png", b"MZ\x90\x00", "image/png")}, follow=True)
    assert IncidentAttachment.objects.count() == 1 and any("形式" in m for m in _messages(response))
    download = f"/incidents/{incident.pk}/attachments/{attachment.pk}/"
    assert reporter.get(download).status_code == 200
    assert login(staff2).get(download).status_code == 404


def test_list_filters_and_query_count_is_constant(login, everyone, report, django_assert_max_num_queries):
    for i in range(3):
        report(everyone["staff"], kind="virus" if i % 2 else "theft")
    client = login(everyone["officer"])

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/incidents/").status_code == 200
        return len(ctx.captured_queries)

    count()  # the first page of a session does a little more (second-factor check)
    few = count()
    for _i in range(20):
        report(everyone["staff"])
    assert count() == few
    with django_assert_max_num_queries(15):
        response = client.get("/incidents/?kind=unauthorized_access&open=1")
    assert len(response.context["page_obj"]) == 20


def test_detail_query_count_is_bounded(login, everyone, report, django_assert_max_num_queries):
    incident = breach_ready_for_supreme(report(everyone["staff"], kind="leak_loss"), everyone["manager"], 1)
    client = login(everyone["manager"])
    client.get(incident.get_absolute_url())
    with django_assert_max_num_queries(30):
        assert client.get(incident.get_absolute_url()).status_code == 200


def test_contacts_page_edit_and_reminder_settings(login, everyone, staff):
    from tejun.incidents.models import ContactCase, ContactParty, ReminderRule

    page = login(staff).get("/incidents/contacts/").content.decode()
    assert "議会管理者" in page and "警察" in page and "サイバーテロ" in page
    assert login(staff).get("/incidents/contacts/parties/new/").status_code == 403
    manager = login(everyone["manager"])
    police = ContactParty.objects.get(body=staff.body, key="police")
    manager.post(f"/incidents/contacts/parties/{police.pk}/", {"name": "警察（半田警察署）",
                                                                "contact_details": "0569-00-0110"})
    assert ContactParty.objects.get(pk=police.pk).contact_details == "0569-00-0110"
    manager.post("/incidents/contacts/cases/new/", {"name": "ランサムウェア", "caller_role": "manager",
                                                    "parties": [police.pk], "active": "on"})
    assert ContactCase.objects.filter(body=staff.body, name="ランサムウェア").exists()
    assert login(staff).get("/incidents/reminders/").status_code == 403
    manager = login(everyone["manager"])  # one test client: log the manager in again
    manager.post("/incidents/reminders/", {"reported": "1", "investigating": "12", "vendor_contacted": "48",
                                           "with_manager": "24", "awaiting_instruction": "4", "responding": "72"})
    assert ReminderRule.objects.get(body=staff.body, state="awaiting_instruction").hours == 4
    pdf = login(staff).get("/incidents/contacts.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_an_unreadable_date_in_a_transition_changes_nothing(login, everyone, report):
    incident = report(everyone["staff"], kind="malfunction")
    client = login(everyone["staff_in_charge"])
    client.post(f"/incidents/{incident.pk}/take_up_malfunction/", {})
    response = client.post(f"/incidents/{incident.pk}/contact_vendor/", {
        "contact_vendor-vendor_note": "電話", "contact_vendor-vendor_contacted_at": "昨日の昼"}, follow=True)
    assert fresh(incident).state == "investigating" and any("連絡日時" in m for m in _messages(response))
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "必須" in page


def test_the_pager_keeps_a_search_with_url_characters(login, everyone, report):
    """A search word with & # % must reach the next page whole: the pager's query is URL-encoded."""
    for _i in range(51):
        report(everyone["staff"], description="ログに A&B #1 100% の記録")
    client = login(everyone["officer"])
    response = client.get("/incidents/", {"q": "A&B #1 100%", "state": "reported"})
    assert response.context["page_obj"].paginator.count == 51
    assert 'href="?state=reported&amp;q=A%26B+%231+100%25&amp;page=2"' in response.content.decode()
    second = client.get("/incidents/?state=reported&q=A%26B+%231+100%25&page=2")
    assert len(second.context["page_obj"]) == 1
