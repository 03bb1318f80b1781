"""Demo backups of the demo council (P-03): the secretariat's NAS backed up nightly by a script, a cloud
system the contractor backs up and reports on monthly, and an external disk copied by hand that is late.
"""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tejun.audit.services import record, snapshot
from tejun.orgs.models import User
from tejun.vendors.models import Contractor

from . import services
from .models import BackupTarget, CheckIn
from .schedule import TOKYO

DEMO_CONTRACTOR = "〇〇システム株式会社"
NAS_LOG = ("rsync -a --delete /share/ /backup/daily/\nsent 1,284,551,022 bytes  received 92,118 bytes\n"
           "total size is 412,908,331,520  speedup is 321.42\n")
# A minimal one-page PDF: the demo's evidence and report files.
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def _backdate(target: BackupTarget, since: datetime, actor) -> None:
    """Demo only: monitoring began weeks ago, so the history below counts."""
    before = snapshot(target, ["monitoring_since"])
    BackupTarget.objects.filter(pk=target.pk).update(monitoring_since=since)
    target.refresh_from_db()
    record(actor, "update", target, before, snapshot(target, ["monitoring_since"]))


def _history(target: BackupTarget, runs, actor) -> None:
    """Past check-ins from the script (demo only: the script's URL records the present moment)."""
    for ran_at, kind, exit_status, log in runs:
        checkin = CheckIn.objects.create(body=target.body, target=target, kind=kind, source=CheckIn.Source.PING,
                                         ran_at=ran_at, exit_status=exit_status, log=log, remote_ip="192.168.10.20")
        record(None, "checkin", checkin, None, snapshot(checkin, services.CHECKIN_AUDIT_FIELDS), body=target.body)


@transaction.atomic
def create_demo_backups(body) -> list[BackupTarget]:
    people = User.objects.filter(body=body).in_bulk(field_name="login_id")
    officer, clerk = people["jicho"], people["tanto"]
    now = timezone.now()
    today = timezone.localdate(now)
    created = []

    # 1. The NAS: every night at 2:00 by a script; one failure last week, fixed the next night.
    nas, _token = services.create_target(
        actor=clerk, name="事務局共有フォルダ（NAS）", kind="nas", responsible_person=clerk.pk,
        description="議会事務局の共有フォルダ（NAS 本体）を、書庫の別筐体 NAS へ毎日 2:00 に差分バックアップする。",
        schedule_kind="cron", cron="0 2 * * *", grace_hours=2, restore_test_days=180)
    _backdate(nas, now - timedelta(days=21), clerk)
    runs = []
    for back in range(14, 0, -1):
        day = today - timedelta(days=back)
        start = datetime.combine(day, time(2, 0), TOKYO)
        kind = "fail" if back == 6 else "success"
        runs.append((start, "start", None, ""))
        runs.append((start + timedelta(minutes=17), kind, 0 if kind == "success" else 23,
                     NAS_LOG if kind == "success" else "rsync error: some files could not be transferred (code 23)\n"))
    if timezone.localtime(now, TOKYO).time() >= time(2, 30):  # tonight's run, once it is past 2:30
        start = datetime.combine(today, time(2, 0), TOKYO)
        runs += [(start, "start", None, ""), (start + timedelta(minutes=16), "success", 0, NAS_LOG)]
    _history(nas, runs, clerk)
    services.record_restore_test(nas, actor=clerk, performed_on=today - timedelta(days=40),
                                 restored="共有フォルダ「議事録」の令和7年度分を別フォルダへ復元し、ファイルが開けることを確認",
                                 result="success")
    created.append(nas)

    # 2. The cloud system: the contractor backs it up and reports monthly (by the 5th, 9:00).
    contractor = Contractor.objects.filter(body=body, name=DEMO_CONTRACTOR).first()
    if contractor is not None:
        responsible = {"responsible_contractor": contractor.pk}
    else:  # the vendors demo has not run: the officer's post answers for it meanwhile
        responsible = {"responsible_person": officer.pk}
    cloud, _token = services.create_target(
        actor=officer, name="会議録検索システム（クラウド）", kind="cloud", schedule_kind="cron", cron="0 9 5 * *",
        grace_hours=72, restore_test_days=365,
        description="保守委託事業者がクラウド上で日次バックアップを行い、毎月5日までに前月分の実施報告書を提出する。",
        **responsible)
    _backdate(cloud, now - timedelta(days=70), officer)
    if contractor is not None:
        vendor = User.objects.filter(contractor_account__contractor=contractor, is_active=True).first()
        if vendor is not None:
            first = today.replace(day=1)
            last_month_end = first - timedelta(days=1)
            report = services.submit_report(
                cloud, actor=vendor, period_from=last_month_end.replace(day=1), period_to=last_month_end,
                last_run_at=datetime.combine(last_month_end, time(3, 0), TOKYO), result="success",
                note="期間中の日次バックアップはすべて正常終了しました。世代管理：30世代。", file=_pdf("backup-report.pdf"))
            services.accept_report(report, actor=officer, comment="報告書の内容を確認しました。")
    else:  # no contractor's account: the officer records the report received on paper
        services.record_checkin(cloud, actor=officer, kind="success", ran_at=now - timedelta(days=2),
                                note="委託事業者から前月分のバックアップ実施報告書（紙）を受領した。", file=_pdf("report.pdf"))
    created.append(cloud)

    # 3. An external disk copied by hand each Monday: last week's copy was not recorded (late, not acknowledged).
    disk, _token = services.create_target(
        actor=officer, name="会議録音データ（外付けHDD）", kind="other", responsible_person=clerk.pk,
        description="本会議・委員会の録音データを毎週月曜に外付けHDD（MD-00001）へ複製し、耐火金庫に保管する。",
        schedule_kind="cron", cron="0 17 * * 1", grace_hours=24)
    _backdate(disk, now - timedelta(days=30), officer)
    services.record_checkin(disk, actor=clerk, kind="success", ran_at=now - timedelta(days=16),
                            note="複製後にファイル数を照合した。", file=_pdf("copy-check.pdf"))
    services.check_target(disk)
    created.append(disk)
    return created
