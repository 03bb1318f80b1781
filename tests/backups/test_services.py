"""Backups through the services: targets, the check-in URL, alerts and acknowledgement, restore tests, reports."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.audit.models import AuditEvent
from tejun.backups import services
from tejun.backups.models import BackupAlert, BackupReport, BackupTarget, CheckIn, RestoreTest
from tejun.backups.selectors import backup_board, overdue_counts, target_get
from tejun.backups.tasks import check_backups, remind_restore_tests
from tejun.lib.errors import Forbidden, InvalidInput, NotFound, WrongState
from tejun.notify.models import Notification
from tejun.orgs.models import Post

from .conftest import backdate, pdf


def fields(**over):
    base = {"name": "サーバ室NAS", "kind": "nas", "schedule_kind": "cron", "cron": "0 2 * * *", "grace_hours": 2}
    return {**base, **over}


# ------------------------------------------------------------------------------------------ targets

def test_create_keeps_only_the_hash_of_the_token(staff_in_charge, officer):
    target, token = services.create_target(actor=staff_in_charge, responsible_person=officer.pk, **fields())
    assert len(token) >= 30
    assert target.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(AuditEvent.objects.filter(object_type="backups.BackupTarget").values_list("after"))
    assert target.responsible_label == officer.full_name
    assert AuditEvent.objects.filter(action="create", object_type="backups.BackupTarget").count() == 1


@pytest.mark.parametrize("bad, field", [
    ({"cron": "0 25 * * *"}, "cron"),
    ({"cron": "every night"}, "cron"),
    ({"schedule_kind": "interval", "interval_hours": None}, "interval_hours"),
    ({"schedule_kind": "interval", "interval_hours": 0}, "interval_hours"),
    ({"grace_hours": -1}, "grace_hours"),
    ({"name": " "}, "name"),
    ({"kind": "tape"}, "kind"),
    ({"colour": "red"}, "colour"),
])
def test_bad_input_is_refused_in_japanese_and_nothing_is_saved(staff_in_charge, bad, field):
    with pytest.raises(InvalidInput) as e:
        services.create_target(actor=staff_in_charge, responsible_person=staff_in_charge.pk, **fields(**bad))
    assert field in e.value.fields
    assert not BackupTarget.objects.exists()
    assert not AuditEvent.objects.filter(object_type="backups.BackupTarget").exists()


def test_exactly_one_responsible_party(staff_in_charge, contractor, body, other_body):
    post = Post.objects.create(body=body, name="書記")
    with pytest.raises(InvalidInput) as e:
        services.create_target(actor=staff_in_charge, **fields())
    assert "いずれか1つ" in str(e.value.fields["responsible"])
    with pytest.raises(InvalidInput) as e:
        services.create_target(actor=staff_in_charge, responsible_post=post.pk, responsible_contractor=contractor.pk,
                               **fields())
    assert "responsible" in e.value.fields
    foreign = Post.objects.create(body=other_body, name="書記")
    with pytest.raises(InvalidInput) as e:
        services.create_target(actor=staff_in_charge, responsible_post=foreign.pk, **fields())
    assert "responsible_post" in e.value.fields
    target, _ = services.create_target(actor=staff_in_charge, responsible_post=post.pk, **fields())
    # Naming another party replaces the first one.
    target = services.update_target(target, actor=staff_in_charge, responsible_contractor=contractor.pk)
    assert (target.responsible_post_id, target.responsible_contractor_id) == (None, contractor.pk)


def test_only_the_keepers_register_targets(staff, vendor, auditor):
    for person in (staff, vendor, auditor):
        with pytest.raises(Forbidden):
            services.create_target(actor=person, responsible_person=person.pk, **fields())
    assert not BackupTarget.objects.exists()


def test_another_body_cannot_edit(nas, outsider):
    target, _token = nas
    with pytest.raises(NotFound):
        services.update_target(target, actor=outsider, name="乗っ取り")
    with pytest.raises(NotFound):
        services.regenerate_token(target, actor=outsider)


def test_a_new_schedule_is_not_retroactive(nas, staff_in_charge):
    target, _token = nas
    backdate(target, days=5)
    updated = services.update_target(target, actor=staff_in_charge, cron="30 3 * * *")
    assert updated.monitoring_since > timezone.now() - timedelta(minutes=1)
    updated = services.update_target(updated, actor=staff_in_charge, grace_hours=5)  # not the schedule
    assert updated.grace_hours == 5


def test_regenerated_token_replaces_the_old(nas, staff_in_charge):
    target, old = nas
    new = services.regenerate_token(target, actor=staff_in_charge)
    assert new != old
    services.ping(new, "success")
    with pytest.raises(NotFound):
        services.ping(old, "success")


# ------------------------------------------------------------------------------------------ the check-in URL

def test_ping_records_a_check_in_with_its_log(nas):
    target, token = nas
    checkin = services.ping(token, "success", data="バックアップ完了\n".encode(), exit_status=0, remote_ip="10.0.0.5")
    assert (checkin.target, checkin.kind, checkin.source, checkin.log) == (target, "success", "ping", "バックアップ完了\n")
    assert AuditEvent.objects.filter(action="checkin", object_id=str(checkin.pk), ip_address="10.0.0.5").exists()


def test_wrong_token_is_not_found_and_changes_nothing(nas):
    _target, token = nas
    events, checkins = AuditEvent.objects.count(), CheckIn.objects.count()
    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), "", "x" * 500):
        with pytest.raises(NotFound):
            services.ping(wrong, "fail", data=b"log")
    assert (AuditEvent.objects.count(), CheckIn.objects.count()) == (events, checkins)
    assert not BackupAlert.objects.exists()


def test_log_is_cut_at_the_limit(nas):
    _target, token = nas
    checkin = services.ping(token, "success", data=b"a" * (services.MAX_LOG_BYTES + 1))
    assert len(checkin.log) == services.MAX_LOG_BYTES and checkin.log_truncated
    # Invalid UTF-8 and NUL characters do not break the database.
    checkin = services.ping(token, "success", data=b"\xff\xfeok\x00")
    assert "ok" in checkin.log and "\x00" not in checkin.log


def test_non_zero_exit_status_is_a_failure(nas):
    _target, token = nas
    assert services.ping(token, "success", exit_status=2).kind == "fail"


def test_rate_limited_per_target(nas):
    _target, token = nas
    for _ in range(services.RATE_PER_TARGET):
        services.ping(token, "start")
    with pytest.raises(services.RateLimited) as e:
        services.ping(token, "success")
    assert e.value.status == 429
    assert CheckIn.objects.count() == services.RATE_PER_TARGET


def test_a_failure_alerts_at_once(nas, officer, staff_in_charge):
    target, token = nas
    services.ping(token, "fail", data=b"disk full")
    alert = BackupAlert.objects.get()
    assert (alert.target, alert.reason) == (target, "failed")
    titles = set(Notification.objects.values_list("recipient__login_id", "title"))
    assert titles == {(officer.login_id, "バックアップ失敗：共有フォルダ（NAS）"),
                      (staff_in_charge.login_id, "バックアップ失敗：共有フォルダ（NAS）")}


# ------------------------------------------------------------------------------------------ alerts

def test_a_missed_backup_raises_one_alert_and_stays_down_until_acknowledged(nas, officer, staff_in_charge):
    target, token = nas
    backdate(target, days=3)
    assert check_backups() == 1
    assert check_backups() == 0  # tick twice: one alert, one notification each
    alert = BackupAlert.objects.get()
    assert alert.reason == "missing" and alert.acknowledged_at is None
    assert Notification.objects.filter(recipient=officer).count() == 1
    assert Notification.objects.filter(recipient=staff_in_charge).count() == 1
    # The backup runs again: the status is back to normal, but the target stays down until acknowledged.
    services.ping(token, "success")
    row = next(r for r in backup_board(officer) if r.id == target.pk)
    assert (row.status, row.status_label, row.down) == ("ok", "正常", True)
    assert overdue_counts(officer.body)["down"] == 1
    with pytest.raises(InvalidInput):
        services.acknowledge(target, actor=officer, note="  ")
    services.acknowledge(target, actor=officer, note="NASの電源が落ちていた。再起動して手動で実行した。")
    row = next(r for r in backup_board(officer) if r.id == target.pk)
    assert not row.down
    alert.refresh_from_db()
    assert alert.acknowledged_by == officer and "再起動" in alert.acknowledge_note
    assert AuditEvent.objects.filter(action="acknowledge", object_type="backups.BackupAlert", actor=officer).exists()
    assert check_backups() == 0
    with pytest.raises(WrongState):
        services.acknowledge(target, actor=officer, note="もう一度")


def test_acknowledged_problem_is_not_alerted_again_but_the_next_missed_run_is(nas, officer):
    target, _token = nas
    backdate(target, days=3)
    now = timezone.now()
    assert services.check_target(target, now) is not None
    services.acknowledge(target, actor=officer, note="確認した")
    assert services.check_target(target, now) is None
    assert services.check_target(target, now + timedelta(days=1)) is not None
    assert BackupAlert.objects.count() == 2


def test_inactive_targets_do_not_alert(nas, staff_in_charge):
    target, _token = nas
    backdate(target, days=3)
    services.update_target(target, actor=staff_in_charge, active=False)
    assert check_backups() == 0


def test_who_may_acknowledge(nas, staff, staff2, vendor, outsider, body):
    target, _token = nas
    backdate(target, days=3)
    check_backups()
    with pytest.raises(Forbidden):
        services.acknowledge(target, actor=staff, note="見ました")
    with pytest.raises(Forbidden):
        services.acknowledge(target, actor=vendor, note="見ました")
    with pytest.raises(NotFound):
        services.acknowledge(target, actor=outsider, note="見ました")
    assert BackupAlert.objects.filter(acknowledged_at__isnull=True).count() == 1
    # A holder of the responsible post may (plain staff otherwise).
    post = Post.objects.create(body=body, name="庶務係")
    staff2.post = post
    staff2.save()
    services.update_target(target, actor=target_keeper(target), responsible_post=post.pk)
    services.acknowledge(target_get(staff2, target.pk), actor=staff2, note="確認した")


def target_keeper(target):
    from tejun.orgs.models import User

    return User.objects.get(login_id="tanto")


# ------------------------------------------------------------------------------------------ manual check-ins

def test_manual_success_needs_evidence(nas, staff_in_charge):
    target, _token = nas
    with pytest.raises(InvalidInput) as e:
        services.record_checkin(target, actor=staff_in_charge, kind="success")
    assert "証跡" in str(e.value.fields["file"])
    with pytest.raises(InvalidInput) as e:
        services.record_checkin(target, actor=staff_in_charge, kind="success", file=pdf(),
                                ran_at=timezone.now() + timedelta(days=1))
    assert "ran_at" in e.value.fields
    checkin = services.record_checkin(target, actor=staff_in_charge, kind="success", file=pdf(), note="手動で実施")
    assert checkin.source == "manual" and checkin.file_sha256 and checkin.recorded_by == staff_in_charge
    assert services.record_checkin(target, actor=staff_in_charge, kind="fail").kind == "fail"


def test_manual_check_in_refusals(nas, staff, vendor, outsider):
    target, _token = nas
    with pytest.raises(Forbidden):
        services.record_checkin(target, actor=staff, kind="success", file=pdf())
    with pytest.raises(Forbidden):
        services.record_checkin(target, actor=vendor, kind="success", file=pdf())
    with pytest.raises(NotFound):
        services.record_checkin(target, actor=outsider, kind="success", file=pdf())
    assert not CheckIn.objects.exists()


# ------------------------------------------------------------------------------------------ restore tests

def test_restore_tests_and_their_reminder(nas, staff_in_charge, officer, staff):
    target, _token = nas
    BackupTarget.objects.filter(pk=target.pk).update(created_at=timezone.now() - timedelta(days=200))
    today = timezone.localdate()
    assert remind_restore_tests(today) == 1
    assert remind_restore_tests(today) == 0
    assert Notification.objects.filter(recipient=officer, title__startswith="復元テストの時期").count() == 1
    with pytest.raises(Forbidden):
        services.record_restore_test(target, actor=staff, performed_on=today, restored="x", result="success")
    with pytest.raises(InvalidInput) as e:
        services.record_restore_test(target, actor=staff_in_charge, performed_on=today + timedelta(days=1),
                                     restored="", result="maybe")
    assert set(e.value.fields) == {"performed_on", "restored", "result"}
    services.record_restore_test(target, actor=staff_in_charge, performed_on=today, restored="議事録フォルダ",
                                 result="success")
    assert RestoreTest.objects.count() == 1
    assert remind_restore_tests(today + timedelta(days=7)) == 0


# ------------------------------------------------------------------------------------------ contractors' reports

def report_fields(**over):
    today = timezone.localdate()
    base = {"period_from": today - timedelta(days=30), "period_to": today - timedelta(days=1),
            "last_run_at": timezone.now() - timedelta(hours=5), "result": "success", "note": "全件正常"}
    return {**base, **over}


def test_contractor_reports_and_staff_accepts(cloud, vendor_account, officer, staff_in_charge):
    report = services.submit_report(cloud, actor=vendor_account, file=pdf("report.pdf"), **report_fields())
    assert report.state == "submitted" and report.contractor == cloud.responsible_contractor
    assert Notification.objects.filter(recipient=officer, title__contains="報告が提出").exists()
    accepted = services.accept_report(report, actor=officer, comment="確認しました")
    assert accepted.state == "accepted" and accepted.decided_by == officer
    checkin = CheckIn.objects.get(report=report)
    assert (checkin.kind, checkin.source, checkin.ran_at) == ("success", "report", report.last_run_at)
    with pytest.raises(WrongState):
        services.accept_report(report, actor=officer)


def test_report_refusals(cloud, nas, vendor_account, other_vendor, staff, officer, outsider):
    nas_target, _token = nas
    with pytest.raises(Forbidden):  # a target the contractor does not answer for
        services.submit_report(nas_target, actor=vendor_account, file=pdf(), **report_fields())
    with pytest.raises(Forbidden):  # another contractor's account
        services.submit_report(cloud, actor=other_vendor, file=pdf(), **report_fields())
    with pytest.raises(Forbidden):  # staff do not submit the contractor's report
        services.submit_report(cloud, actor=staff, file=pdf(), **report_fields())
    with pytest.raises(InvalidInput) as e:
        services.submit_report(cloud, actor=vendor_account, file=None,
                               **report_fields(period_to=timezone.localdate() - timedelta(days=40)))
    assert {"file", "period_to"} <= set(e.value.fields)
    assert not BackupReport.objects.exists()
    report = services.submit_report(cloud, actor=vendor_account, file=pdf(), **report_fields())
    with pytest.raises(Forbidden):
        services.accept_report(report, actor=staff)
    with pytest.raises(Forbidden):
        services.accept_report(report, actor=vendor_account)
    with pytest.raises(NotFound):
        services.accept_report(report, actor=outsider)
    with pytest.raises(InvalidInput):
        services.return_report(report, actor=officer, comment="")
    returned = services.return_report(report, actor=officer, comment="期間が違います")
    assert returned.state == "returned" and not CheckIn.objects.exists()


def test_an_accepted_failed_report_alerts(cloud, vendor_account, officer):
    report = services.submit_report(cloud, actor=vendor_account, file=pdf(), **report_fields(result="fail"))
    services.accept_report(report, actor=officer)
    alert = BackupAlert.objects.get()
    assert alert.reason == "failed"
    assert Notification.objects.filter(recipient=vendor_account, title__startswith="バックアップ失敗").exists()


# ------------------------------------------------------------------------------------------ who sees what

def test_vendor_sees_only_its_contractors_targets(cloud, nas, vendor_account, other_vendor, vendor, staff, outsider):
    nas_target, _token = nas
    assert [r.id for r in backup_board(vendor_account)] == [cloud.pk]
    assert backup_board(other_vendor) == []
    assert {r.id for r in backup_board(staff)} == {cloud.pk, nas_target.pk}
    assert backup_board(outsider) == []
    with pytest.raises(NotFound):
        target_get(vendor_account, nas_target.pk)
    with pytest.raises(NotFound):
        target_get(outsider, cloud.pk)


def test_board_rows_and_counts(nas, cloud, officer):
    nas_target, token = nas
    services.ping(token, "success")
    backdate(cloud, days=70)
    rows = {r.id: r for r in backup_board(officer)}
    assert (rows[nas_target.pk].status, rows[nas_target.pk].last_result, rows[nas_target.pk].last_result_label) == \
        ("ok", "success", "成功")
    assert (rows[cloud.pk].status, rows[cloud.pk].alerting, rows[cloud.pk].down) == ("missing", True, False)
    counts = overdue_counts(officer.body)
    assert counts["targets"] == 2 and counts["missing"] == 1 and counts["problems"] == 1 and counts["down"] == 0


def test_board_query_count_is_constant(nas, staff_in_charge, officer, django_assert_max_num_queries):
    for i in range(5):
        target, token = services.create_target(actor=staff_in_charge, responsible_person=officer.pk,
                                               **fields(name=f"NAS {i}"))
        services.ping(token, "success")
    with django_assert_max_num_queries(4):
        rows = backup_board(officer)
    assert len(rows) == 6


def test_tick_command_twice_alerts_once(nas, officer):
    from django.core.management import call_command

    target, _token = nas
    backdate(target, days=3)
    call_command("tick")
    call_command("tick")
    assert BackupAlert.objects.filter(target=target).count() == 1
    notes = Notification.objects.filter(recipient=officer, title="バックアップ未実施：共有フォルダ（NAS）")
    assert notes.count() == 1
    assert "令和" in notes.get().message and "確認した" in notes.get().message


def test_rate_limited_per_sending_address(nas, staff_in_charge, officer, monkeypatch):
    _target, token = nas
    _other, other_token = services.create_target(actor=staff_in_charge, responsible_person=officer.pk, **fields())
    monkeypatch.setattr(services, "RATE_PER_ADDRESS", 3)
    services.ping(token, "start", remote_ip="10.0.0.9")
    services.ping(other_token, "start", remote_ip="10.0.0.9")
    services.ping(token, "success", remote_ip="10.0.0.9")
    with pytest.raises(services.RateLimited):
        services.ping(other_token, "success", remote_ip="10.0.0.9")
    services.ping(other_token, "success", remote_ip="10.0.0.10")  # another address is not held back
