"""Demo of C-2 and the self-inspection: the three documents with a version and reviews, one campaign with answers."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from tejun.lib.pdf import html_to_pdf
from tejun.lib.wareki import fiscal_year
from tejun.orgs.models import User

from . import services
from .models import InspectionAnswer, PolicyDocument


def _pdf(title: str, body_name: str) -> SimpleUploadedFile:
    html = (f"<html lang='ja'><body style=\"font-family: 'Noto Sans CJK JP', sans-serif\">"
            f"<h1>{escape(title)}</h1><p>{escape(body_name)}</p><p>（デモ用の文書です）</p></body></html>")
    return SimpleUploadedFile(f"{title}.pdf", html_to_pdf(html), content_type="application/pdf")


@transaction.atomic
def create_demo_governance(body) -> None:
    people = {u.login_id: u for u in User.objects.filter(body=body)}
    promoter, director = people["suishin"], people["kyokucho"]
    today = timezone.localdate()
    fy_start = date(fiscal_year(today), 4, 1)
    services.setup_documents(actor=promoter)
    docs = {d.kind: d for d in PolicyDocument.objects.filter(body=body)}
    K = PolicyDocument.Kind
    # The policy and the procedures were revised for this fiscal year; the emergency plan is overdue for review.
    for kind, effective, reviewed, outcome, changes in (
        (K.POLICY, fy_start, fy_start - timedelta(days=20), "revised",
         "地方自治法の改正（議会の情報セキュリティ方針の策定義務）に合わせて全面改定。"),
        (K.PROCEDURES, fy_start, fy_start - timedelta(days=20), "revised",
         "記録媒体の例外措置（USBメモリ）と自己点検の手順を追加。"),
        (K.EMERGENCY_PLAN, fy_start - timedelta(days=365), today - timedelta(days=400), "unchanged",
         "連絡先一覧を確認。変更なし。"),
    ):
        doc = docs[kind]
        version = services.add_version(doc, actor=promoter, file=_pdf(doc.title, body.name), effective_on=effective,
                                       summary=changes if outcome == "revised" else "")
        services.record_review(doc, actor=promoter, reviewed_on=reviewed, outcome=outcome, changes=changes,
                               approved_by=director, approved_on=reviewed,
                               version=version if outcome == "revised" else None)
    procedures = docs[K.PROCEDURES]
    procedures.refresh_from_db()
    for login_id in ("kyokucho", "jicho", "tanto", "suishin"):
        services.acknowledge(procedures.current_version, actor=people[login_id])

    campaign = services.start_campaign(actor=promoter, due_on=today + timedelta(days=14))
    items = list(campaign.items.all())
    yes = {i.pk: (InspectionAnswer.Answer.YES, "") for i in items}
    services.save_answers(campaign, actor=people["tanto"], answers=yes, submit=True)
    services.save_answers(campaign, actor=promoter, answers=yes, submit=True)
    printouts = next(i for i in items if i.code == "C4-1")
    usb = next(i for i in items if i.code == "C1-1")
    services.save_answers(campaign, actor=people["shokuin1"], answers={
        **yes, printouts.pk: (InspectionAnswer.Answer.NO, "会議資料の印刷物をプリンタに置いたままにしたことがある"),
        usb.pk: (InspectionAnswer.Answer.NA, "USBメモリは使っていない")}, submit=True)
    services.save_answers(campaign, actor=people["shokuin2"], answers={items[0].pk: ("yes", "")})
    services.add_action(campaign, actor=promoter, item=printouts, assignee=people["shokuin1"],
                        description="プリンタを「本人認証後に印刷」の設定にし、月1回の朝礼で回収を呼びかける。",
                        due_on=today + timedelta(days=30))
