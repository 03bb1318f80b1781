"""Demo incidents of the demo council: one just reported, one breach waiting for the supreme admin's
instruction with its contact checklist half done, one malfunction closed."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tejun.orgs.models import User
from tejun.workflow.engine import perform

from . import checklists
from .models import ContactCase, Incident
from .services import open_incident


@transaction.atomic
def create_demo_incidents(body) -> None:
    if Incident.objects.filter(body=body).exists():
        return
    people = {u.login_id: u for u in User.objects.filter(body=body)}
    staff, officer, manager = people.get("shokuin1"), people.get("jicho"), people.get("kyokucho")
    in_charge = people.get("tanto")
    if not all((staff, officer, manager, in_charge)):
        return
    now = timezone.now()
    open_incident(reporter=staff, kind=Incident.Kind.VIRUS, location="総務係 2番のパソコン",
                  description="ウイルス対策ソフトの警告が表示され、ファイルが開けなくなりました。LANケーブルは抜いていません。",
                  occurred_at=now - timedelta(minutes=20))

    breach = open_incident(reporter=staff, kind=Incident.Kind.LEAK_LOSS, location="委員会室",
                           description="委員会資料（傍聴者名簿を含む）を印刷したものが1部見当たりません。",
                           occurred_at=now - timedelta(days=1, hours=2), persons_affected=12)
    perform(breach, "take_up_breach", manager, comment="事務局内を捜索します。")
    checklists.ensure_contact_matrix(body.pk)
    case = ContactCase.objects.filter(body=body).order_by("-order").first()
    breach = Incident.objects.get(pk=breach.pk)
    from .services import update_details

    update_details(breach, actor=manager, cause="会議終了後の資料回収時に部数を確認していなかった。",
                   damage="現時点で外部への流出は確認されていない。", scope="傍聴者12名の氏名・住所")
    breach = checklists.choose_case(Incident.objects.get(pk=breach.pk), actor=manager, case=case)
    first = breach.contacts.first()
    if first is not None:
        checklists.record_contact(first, actor=manager, note="電話で第一報")
    perform(Incident.objects.get(pk=breach.pk), "report_to_supreme", manager, comment="捜索を継続中です。")

    fault = open_incident(reporter=staff, kind=Incident.Kind.MALFUNCTION, location="議場 採決システム",
                          description="押しボタン式採決システムの3番席のランプが点灯しません。",
                          occurred_at=now - timedelta(days=5))
    perform(fault, "take_up_malfunction", in_charge)
    perform(Incident.objects.get(pk=fault.pk), "contact_vendor", in_charge,
            data={"vendor_name": "保守委託事業者", "vendor_note": "保守窓口に電話。翌日訪問で部品交換の予定。"})
    perform(Incident.objects.get(pk=fault.pk), "remedy", in_charge,
            data={"cause": "3番席のLED部品の故障", "action_taken": "保守事業者が部品を交換し、動作を確認した。",
                  "prevention": "定例会前の動作確認に全席のランプ点検を加える。"})
