"""Governance (C-2, C-4) and backups (P-03) through the apps' own services: few rows, so the ordinary path.

Run after the bulk chain is written: record() appends to it (their events carry today's time, after BASE)."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tejun.backups import services as backups
from tejun.governance import services as governance
from tejun.governance.models import InspectionAnswer, PolicyDocument

from .common import Gen

# A minimal one-page PDF (the demo loaders use the same) for policy versions and backup evidence.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
TARGETS = [("事務局共有フォルダ（NAS）", "nas", "0 2 * * *", 2), ("会議録検索システム（クラウド）", "cloud", "0 9 5 * *", 72),
           ("会議録音データ（外付けHDD）", "other", "0 17 * * 1", 24), ("文書管理システム DB", "other", "30 1 * * *", 4),
           ("議会中継 録画サーバ", "other", "0 3 * * 0", 24), ("グループウェア", "cloud", "0 4 * * *", 6)]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def create_governance(g: Gen) -> None:
    promoter = g.users.get(f"{g.prefix}-suishin") or g.admin
    today = timezone.localdate()
    governance.setup_documents(actor=promoter)
    docs = {d.kind: d for d in PolicyDocument.objects.filter(body=g.body)}
    K = PolicyDocument.Kind
    for kind, reviewed in ((K.POLICY, 30), (K.PROCEDURES, 30), (K.EMERGENCY_PLAN, 400)):
        doc = docs[kind]
        version = governance.add_version(doc, actor=promoter, file=_pdf(f"{doc.title}.pdf"),
                                         effective_on=today - timedelta(days=reviewed - 10), summary="改定")
        governance.record_review(doc, actor=promoter, reviewed_on=today - timedelta(days=reviewed),
                                 outcome="revised", changes="全体を見直した。", approved_by=g.admin,
                                 approved_on=today - timedelta(days=reviewed), version=version)
    procedures = PolicyDocument.objects.get(pk=docs[K.PROCEDURES].pk)
    readers = [g.admin, promoter, *g.staff[: len(g.staff) // 2]]
    for person in readers:
        governance.acknowledge(procedures.current_version, actor=person)
    campaign = governance.start_campaign(actor=promoter, due_on=today + timedelta(days=14))
    items = list(campaign.items.all())
    yes = {i.pk: (InspectionAnswer.Answer.YES, "") for i in items}
    for person in g.staff[:5]:
        governance.save_answers(campaign, actor=person, answers=yes, submit=True)
    governance.add_action(campaign, actor=promoter, item=items[0], assignee=g.staff[0],
                          description="印刷物の回収を朝礼で呼びかける。", due_on=today + timedelta(days=30))
    g.counts["policy_documents"] = len(docs)


def create_backups(g: Gen, how_many: int) -> None:
    keeper = g.users.get(f"{g.prefix}-tanto") or g.admin
    now = timezone.now()
    for i in range(how_many):
        name, kind, cron, grace = TARGETS[i % len(TARGETS)]
        name = name if i < len(TARGETS) else f"{name} {i // len(TARGETS) + 1}"
        target, _token = backups.create_target(actor=g.admin, name=name, kind=kind, responsible_person=keeper.pk,
                                               schedule_kind="cron", cron=cron, grace_hours=grace,
                                               restore_test_days=180)
        if i % 3 != 2:  # two in three ran recently; the others are late (the dashboard shows them)
            backups.record_checkin(target, actor=keeper, kind="success", ran_at=now - timedelta(hours=3),
                                   note="正常終了を確認した。", file=_pdf("result.pdf"))
        if i % 2 == 0:
            backups.record_restore_test(target, actor=keeper, performed_on=timezone.localdate() - timedelta(days=40),
                                        restored="共有フォルダの一部を別フォルダへ復元", result="success")
    g.counts["backup_targets"] = how_many
