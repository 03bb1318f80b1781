"""The backup pages and the script's check-in URL, with their refusals."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.backups import services
from tejun.backups.models import BackupAlert, BackupReport, BackupTarget, CheckIn, RestoreTest
from tejun.backups.tasks import check_backups

from .conftest import backdate, pdf


def detail(target):
    return reverse("backups:target-detail", args=[target.pk])


def ping_url(token, kind="success"):
    return reverse("backups:ping", kwargs={"token": token, "kind": kind})


# ------------------------------------------------------------------------------------------ the board

def test_board_shows_status_and_nav(nas, cloud, login, officer, django_assert_max_num_queries):
    target, token = nas
    services.ping(token, "success")
    client = login(officer)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("backups:board"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "共有フォルダ（NAS）" in html and "会議録検索システム" in html and "正常" in html and "未実施" in html
    assert 'href="/backups/"' in html  # the menu entry (バックアップ P-03)


def test_board_query_count_does_not_grow(nas, staff_in_charge, officer, login, django_assert_max_num_queries):
    for i in range(8):
        services.create_target(actor=staff_in_charge, name=f"NAS {i}", responsible_person=officer.pk,
                               schedule_kind="cron", cron="0 2 * * *")
    client = login(officer)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("backups:board")).status_code == 200


def test_vendor_sees_its_contractors_targets_only(cloud, nas, vendor_account, login):
    nas_target, _token = nas
    client = login(vendor_account)
    html = client.get(reverse("backups:board")).content.decode()
    assert "会議録検索システム" in html and "共有フォルダ（NAS）" not in html
    assert client.get(detail(nas_target)).status_code == 404
    page = client.get(detail(cloud)).content.decode()
    assert "バックアップ報告を提出する" in page and "/backups/ping/" not in page  # no check-in URL for vendors


def test_vendor_of_no_target_and_outsider(nas, vendor, outsider, login):
    target, _token = nas
    client = login(vendor)
    assert client.get(reverse("backups:board")).status_code == 403
    assert 'href="/backups/"' not in client.get(reverse("my-tasks")).content.decode()
    client = login(outsider)
    assert client.get(detail(target)).status_code == 404
    assert client.get(reverse("backups:board")).status_code == 200
    assert "共有フォルダ" not in client.get(reverse("backups:board")).content.decode()


# ------------------------------------------------------------------------------------------ targets

def target_post(**over):
    data = {"name": "庁内NAS", "kind": "nas", "schedule_kind": "cron", "cron": "0 3 * * *", "grace_hours": "2",
            "active": "on"}
    data.update(over)
    return data


def test_register_shows_the_token_once(login, staff_in_charge):
    client = login(staff_in_charge)
    response = client.post(reverse("backups:target-new"), target_post(responsible_person=staff_in_charge.pk))
    target = BackupTarget.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(target)
    first = client.get(detail(target)).content.decode()
    assert "このURLは今だけ表示されます" in first and "/backups/ping/" in first
    assert "/ping/TOKEN/" not in first
    second = client.get(detail(target)).content.decode()
    assert "/ping/TOKEN/" in second and "このURLは今だけ表示されます" not in second


def test_bad_cron_is_a_400_and_nothing_is_saved(login, staff_in_charge):
    response = login(staff_in_charge).post(reverse("backups:target-new"),
                                          target_post(cron="61 * * * *", responsible_person=staff_in_charge.pk))
    assert response.status_code == 400
    assert "cron 式が正しくありません" in response.content.decode()
    assert not BackupTarget.objects.exists()


def test_no_responsible_party_is_a_400(login, staff_in_charge):
    response = login(staff_in_charge).post(reverse("backups:target-new"), target_post())
    assert response.status_code == 400
    assert "いずれか1つ" in response.content.decode()


def test_staff_cannot_register_or_edit(nas, login, staff):
    target, _token = nas
    client = login(staff)
    assert client.get(reverse("backups:target-new")).status_code == 403
    assert client.post(reverse("backups:target-new"), target_post(responsible_person=staff.pk)).status_code == 403
    assert client.post(reverse("backups:target-edit", args=[target.pk]), target_post()).status_code == 403
    assert client.post(reverse("backups:target-token", args=[target.pk])).status_code == 403
    assert BackupTarget.objects.count() == 1


def test_edit_and_regenerate(nas, login, staff_in_charge):
    target, old = nas
    client = login(staff_in_charge)
    response = client.post(reverse("backups:target-edit", args=[target.pk]),
                           target_post(name="共有フォルダ（新NAS）", responsible_person=staff_in_charge.pk))
    assert response.status_code == 302
    assert BackupTarget.objects.get().name == "共有フォルダ（新NAS）"
    client.post(reverse("backups:target-token", args=[target.pk]))
    page = client.get(detail(target)).content.decode()
    assert "このURLは今だけ表示されます" in page
    assert "チェックインURLの作り直し" in page and "共有フォルダ（NAS） → 共有フォルダ（新NAS）" in page  # the history
    assert Client().get(ping_url(old)).status_code == 404


# ------------------------------------------------------------------------------------------ the check-in URL

def test_ping_needs_no_login_nor_csrf(nas):
    target, token = nas
    client = Client(enforce_csrf_checks=True)
    response = client.post(ping_url(token, "fail"), data=b"rsync error", content_type="text/plain")
    assert response.status_code == 200 and response.content == b"OK\n"
    assert client.get(ping_url(token, "start").rstrip("/") + "/").status_code == 200
    assert client.get(reverse("backups:ping-exit", kwargs={"token": token, "exit_status": "0"})).status_code == 200
    kinds = list(CheckIn.objects.order_by("id").values_list("kind", "log"))
    assert kinds == [("fail", "rsync error"), ("start", ""), ("success", "")]
    assert BackupAlert.objects.filter(target=target, reason="failed").count() == 1


def test_failing_check_in_url_with_a_wrong_token_is_404_and_changes_nothing(nas):
    _target, token = nas
    events = AuditEvent.objects.count()
    wrong = token[:-2] + ("zz" if not token.endswith("zz") else "yy")
    for url in (ping_url(wrong, "fail"), reverse("backups:ping-exit", kwargs={"token": wrong, "exit_status": "1"}),
                "/backups/ping/short/fail"):
        response = Client().post(url, data=b"log", content_type="text/plain")
        assert response.status_code == 404
    assert not CheckIn.objects.exists() and not BackupAlert.objects.exists()
    assert AuditEvent.objects.count() == events


def test_ping_rate_limit_answers_429(nas):
    _target, token = nas
    client = Client()
    for _ in range(services.RATE_PER_TARGET):
        assert client.get(ping_url(token, "start")).status_code == 200
    response = client.get(ping_url(token))
    assert response.status_code == 429 and response.content == b"rate limited\n"


def test_ping_other_methods_refused(nas):
    _target, token = nas
    assert Client().put(ping_url(token)).status_code == 405
    assert not CheckIn.objects.exists()


# ------------------------------------------------------------------------------------------ alert, acknowledge

def test_acknowledge_from_the_page(nas, login, officer, staff):
    target, _token = nas
    backdate(target, days=2)
    check_backups()
    page = login(officer).get(detail(target)).content.decode()
    assert "確認されていないアラート" in page and 'id="acknowledge-form"' in page
    # A member of staff who is not responsible sees the alert but no button, and is refused.
    client = login(staff)
    assert 'id="acknowledge-form"' not in client.get(detail(target)).content.decode()
    assert client.post(reverse("backups:target-acknowledge", args=[target.pk]), {"note": "x"}).status_code == 403
    client = login(officer)
    response = client.post(reverse("backups:target-acknowledge", args=[target.pk]), {"note": ""}, follow=True)
    assert "確認した内容・対応を入力してください" in response.content.decode()
    assert BackupAlert.objects.get().acknowledged_at is None
    client.post(reverse("backups:target-acknowledge", args=[target.pk]), {"note": "NASを再起動した"})
    assert BackupAlert.objects.get().acknowledged_by == officer


# ------------------------------------------------------------------------------------------ manual, restore

def test_manual_check_in_with_evidence(nas, login, staff_in_charge, staff):
    target, _token = nas
    url = reverse("backups:checkin-new", args=[target.pk])
    assert login(staff).get(url).status_code == 403
    client = login(staff_in_charge)
    ran_at = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"kind": "success", "ran_at": ran_at})
    assert response.status_code == 400 and "証跡" in response.content.decode()
    response = client.post(url, {"kind": "success", "ran_at": ran_at, "file": pdf(), "note": "手動"})
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert checkin.source == "manual"
    download = client.get(reverse("backups:checkin-file", args=[checkin.pk]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]


def test_restore_test_form(nas, login, staff_in_charge):
    target, _token = nas
    client = login(staff_in_charge)
    url = reverse("backups:restore-new", args=[target.pk])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert client.post(url, {"performed_on": tomorrow, "restored": "議事録", "result": "success"}).status_code == 400
    response = client.post(url, {"performed_on": timezone.localdate().isoformat(), "restored": "議事録",
                                 "result": "success"})
    assert response.status_code == 302 and RestoreTest.objects.count() == 1


# ------------------------------------------------------------------------------------------ reports

def report_post(**over):
    today = timezone.localdate()
    data = {"period_from": (today - timedelta(days=30)).isoformat(), "period_to": (today - timedelta(days=1)).isoformat(),
            "last_run_at": (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "result": "success", "note": "正常"}
    data.update(over)
    return data


def test_vendor_uploads_and_staff_accepts(cloud, vendor_account, other_vendor, staff, login, officer):
    url = reverse("backups:report-new", args=[cloud.pk])
    assert login(other_vendor).get(url).status_code == 404
    assert login(staff).get(url).status_code == 403
    client = login(vendor_account)
    assert client.post(url, report_post()).status_code == 400  # no file
    assert client.post(url, report_post(file=pdf("r.pdf"))).status_code == 302
    report = BackupReport.objects.get()
    assert client.get(reverse("backups:report-file", args=[report.pk])).status_code == 200
    decide = reverse("backups:report-decide", args=[report.pk, "accept"])
    assert client.post(decide).status_code == 403
    assert login(staff).post(decide).status_code == 403
    staff_client = login(officer)
    assert "受理する" in staff_client.get(reverse("backups:target-detail", args=[cloud.pk])).content.decode()
    staff_client.post(decide, {"comment": "確認しました"})
    report.refresh_from_db()
    assert report.state == "accepted" and CheckIn.objects.filter(report=report).exists()
    response = staff_client.post(decide, follow=True)
    assert "既に受理です" in response.content.decode()


@pytest.mark.parametrize("page", ["checkin-new", "restore-new", "report-new", "target-edit"])
def test_other_body_pages_are_404(nas, outsider, login, page):
    target, _token = nas
    assert login(outsider).get(reverse(f"backups:{page}", args=[target.pk])).status_code == 404


def test_detail_page_query_count_is_bounded(nas, login, officer, django_assert_max_num_queries):
    target, token = nas
    for _ in range(10):
        services.ping(token, "success", data=b"ok")
    backdate(target, days=2)
    services.check_target(target, timezone.now() + timedelta(days=3))
    client = login(officer)
    with django_assert_max_num_queries(15):
        response = client.get(detail(target))
    assert response.status_code == 200


def test_the_page_title_is_text_and_the_history_is_in_the_page(nas, login, officer):
    """The audit history once sat inside the title block: raw HTML in <title>, no history on the page."""
    import re

    target, _token = nas
    page = login(officer).get(detail(target)).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and target.name in title
    assert 'id="history-h"' in page.split("</title>", 1)[1]
