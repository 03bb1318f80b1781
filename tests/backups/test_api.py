"""The backup API: /api/v1/backup-targets/ and /api/v1/backup-reports/, body- and contractor-scoped."""

from datetime import timedelta

from django.utils import timezone

from tejun.backups import services
from tejun.backups.models import BackupAlert, BackupReport, BackupTarget, CheckIn, RestoreTest

from ..api.helpers import assert_error, ids, results, token_client
from .conftest import backdate, pdf

TARGETS = "/api/v1/backup-targets/"
REPORTS = "/api/v1/backup-reports/"


def new_target(**over):
    data = {"name": "API NAS", "kind": "nas", "schedule_kind": "cron", "cron": "0 2 * * *", "grace_hours": 3}
    data.update(over)
    return data


def test_create_returns_the_token_once(staff_in_charge):
    client = token_client(staff_in_charge)
    response = client.post(TARGETS, new_target(responsible_person=staff_in_charge.pk), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["token"] and body["ping_url"].endswith(f"/backups/ping/{body['token']}/success")
    assert body["status"] == "missing" and body["status_label"] == "未実施" and body["down"] is False
    detail = client.get(f"{TARGETS}{body['id']}/").json()
    assert "token" not in detail and detail["token_hint"] == body["token"][:4]


def test_bad_cron_is_400_with_a_japanese_message_and_nothing_saved(staff_in_charge):
    response = token_client(staff_in_charge).post(
        TARGETS, new_target(cron="0 2 * *", responsible_person=staff_in_charge.pk), format="json")
    error = assert_error(response, 400, "invalid")
    assert "5項目" in error["fields"]["cron"][0]
    assert not BackupTarget.objects.exists()


def test_refusals(nas, staff, staff_in_charge, outsider, vendor_account, api):
    target, _token = nas
    assert_error(token_client(staff).post(TARGETS, new_target(responsible_person=staff.pk), format="json"), 403)
    assert_error(token_client(staff).patch(f"{TARGETS}{target.pk}/", {"name": "x"}, format="json"), 403)
    assert_error(token_client(outsider).get(f"{TARGETS}{target.pk}/"), 404)
    assert_error(token_client(outsider).post(f"{TARGETS}{target.pk}/acknowledge/", {"note": "x"}, format="json"), 404)
    assert_error(token_client(vendor_account).get(f"{TARGETS}{target.pk}/"), 404)
    assert_error(api().get(TARGETS), 401)
    assert_error(token_client(staff_in_charge).patch(f"{TARGETS}{target.pk}/", {"token_hash": "x"}, format="json"),
                 400)
    assert BackupTarget.objects.get().name == "共有フォルダ（NAS）"


def test_list_is_scoped(nas, cloud, staff, vendor_account, other_vendor, outsider):
    target, _token = nas
    assert ids(token_client(staff).get(TARGETS)) == {target.pk, cloud.pk}
    assert ids(token_client(vendor_account).get(TARGETS)) == {cloud.pk}
    assert "token_hint" not in results(token_client(vendor_account).get(TARGETS))[0]
    assert ids(token_client(other_vendor).get(TARGETS)) == set()
    assert ids(token_client(outsider).get(TARGETS)) == set()


def test_update_and_regenerate(nas, staff_in_charge, contractor):
    target, old = nas
    client = token_client(staff_in_charge)
    response = client.patch(f"{TARGETS}{target.pk}/", {"responsible_contractor": contractor.pk,
                                                       "schedule_kind": "interval", "interval_hours": 12},
                            format="json")
    assert response.status_code == 200, response.content
    assert response.json()["responsible_label"] == contractor.name and response.json()["cron"] == ""
    new = client.post(f"{TARGETS}{target.pk}/regenerate-token/").json()["token"]
    assert new != old
    services.ping(new, "success")


def test_checkins_manual_and_list(nas, staff_in_charge, staff):
    target, token = nas
    services.ping(token, "success", data=b"ok")
    client = token_client(staff_in_charge)
    response = client.post(f"{TARGETS}{target.pk}/manual-checkin/", {"kind": "success", "note": "手動"},
                           format="multipart")
    assert "file" in assert_error(response, 400)["fields"]
    response = client.post(f"{TARGETS}{target.pk}/manual-checkin/",
                           {"kind": "success", "note": "手動", "file": pdf()}, format="multipart")
    assert response.status_code == 201 and response.json()["has_file"] is True
    assert_error(token_client(staff).post(f"{TARGETS}{target.pk}/manual-checkin/", {"kind": "fail"},
                                          format="json"), 403)
    rows = results(token_client(staff).get(f"{TARGETS}{target.pk}/checkins/"))
    assert [r["source"] for r in rows] == ["manual", "ping"] and rows[1]["log"] == "ok"
    assert CheckIn.objects.count() == 2


def test_acknowledge(nas, officer):
    target, _token = nas
    client = token_client(officer)
    assert_error(client.post(f"{TARGETS}{target.pk}/acknowledge/", {"note": "x"}, format="json"), 409, "wrong_state")
    backdate(target, days=2)
    services.check_target(target)
    assert client.get(f"{TARGETS}{target.pk}/").json()["down"] is True
    assert_error(client.post(f"{TARGETS}{target.pk}/acknowledge/", {"note": ""}, format="json"), 400)
    response = client.post(f"{TARGETS}{target.pk}/acknowledge/", {"note": "確認した"}, format="json")
    assert response.status_code == 200 and response.json()["acknowledged_by"] == officer.full_name
    assert client.get(f"{TARGETS}{target.pk}/").json()["down"] is False
    assert [a["reason"] for a in results(client.get(f"{TARGETS}{target.pk}/alerts/"))] == ["missing"]
    assert BackupAlert.objects.filter(acknowledged_at__isnull=True).count() == 0


def test_restore_tests(nas, staff_in_charge, staff):
    target, _token = nas
    url = f"{TARGETS}{target.pk}/restore-tests/"
    today = timezone.localdate()
    assert_error(token_client(staff).post(url, {"performed_on": str(today), "restored": "x", "result": "success"},
                                          format="json"), 403)
    assert_error(token_client(staff_in_charge).post(url, {"performed_on": str(today + timedelta(days=2)),
                                                          "restored": "x", "result": "success"}, format="json"), 400)
    response = token_client(staff_in_charge).post(url, {"performed_on": str(today), "restored": "議事録",
                                                        "result": "partial"}, format="json")
    assert response.status_code == 201 and response.json()["result_label"] == "一部成功"
    assert len(results(token_client(staff).get(url))) == 1 == RestoreTest.objects.count()


def report_data(**over):
    today = timezone.localdate()
    data = {"period_from": str(today - timedelta(days=30)), "period_to": str(today - timedelta(days=1)),
            "last_run_at": (timezone.now() - timedelta(hours=4)).isoformat(), "result": "success", "note": "正常"}
    data.update(over)
    return data


def test_vendor_report_upload_and_accept(cloud, nas, vendor_account, other_vendor, staff, officer):
    nas_target, _token = nas
    url = f"{TARGETS}{cloud.pk}/reports/"
    assert_error(token_client(other_vendor).post(url, {**report_data(), "file": pdf()}, format="multipart"), 404)
    assert_error(token_client(vendor_account).post(f"{TARGETS}{nas_target.pk}/reports/",
                                                   {**report_data(), "file": pdf()}, format="multipart"), 404)
    assert_error(token_client(staff).post(url, {**report_data(), "file": pdf()}, format="multipart"), 403)
    assert_error(token_client(vendor_account).post(url, report_data(), format="multipart"), 400)
    response = token_client(vendor_account).post(url, {**report_data(), "file": pdf()}, format="multipart")
    assert response.status_code == 201, response.content
    report_id = response.json()["id"]
    assert ids(token_client(vendor_account).get(REPORTS)) == {report_id}
    assert ids(token_client(other_vendor).get(REPORTS)) == set()
    assert_error(token_client(vendor_account).post(f"{REPORTS}{report_id}/accept/", {}, format="json"), 403)
    assert_error(token_client(officer).post(f"{REPORTS}{report_id}/return/", {"comment": ""}, format="json"), 400)
    response = token_client(officer).post(f"{REPORTS}{report_id}/accept/", {"comment": "確認"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "accepted"
    assert_error(token_client(officer).post(f"{REPORTS}{report_id}/accept/", {}, format="json"), 409)
    assert BackupReport.objects.get().checkin.source == "report"
    assert token_client(vendor_account).get(f"{TARGETS}{cloud.pk}/").json()["last_result"] == "success"
