"""Demo contractors of the demo council: 〇〇システム株式会社 with its contract (confidentiality clause), the demo
user vendor1 as its account, on-site work, a repair and data provisions in different states."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tejun.orgs.models import User
from tejun.workflow.engine import perform

from . import services
from .models import Contractor


@transaction.atomic
def create_demo_vendors(body) -> list[Contractor]:
    people = User.objects.filter(body=body).in_bulk(field_name="login_id")
    officer, clerk, keeper = people["jicho"], people["tanto"], people["kyokucho"]
    today = timezone.localdate()
    system = services.create_contractor(
        actor=keeper, name="〇〇システム株式会社", address="愛知県名古屋市中区〇〇一丁目2番3号",
        representative="代表取締役 山田 一郎", contact_person="佐藤 隆", phone="052-000-0000",
        email="sato@example.invalid", note="会議録検索システム・議会中継システムの構築と保守")
    contract = services.create_contract(
        actor=keeper, contractor=system, title="会議録検索システム構築及び保守業務委託", system_name="会議録検索システム",
        starts_on=today - timedelta(days=240), ends_on=today + timedelta(days=120),
        has_confidentiality_clause=True, confidentiality_article="第12条（秘密の保持）", subcontracting_allowed=False)
    printer = services.create_contractor(
        actor=keeper, name="△△事務機株式会社", address="愛知県知多郡〇〇町1-1", representative="代表取締役 鈴木 花子",
        contact_person="田中 実", phone="0569-00-0000")
    lease = services.create_contract(
        actor=keeper, contractor=printer, title="複合機賃貸借及び保守契約", starts_on=today - timedelta(days=1800),
        ends_on=today + timedelta(days=30), has_confidentiality_clause=True, confidentiality_article="第15条")
    vendor = people.get("vendor1")
    if vendor is not None:
        services.link_account(actor=keeper, contractor=system, user=vendor)

    # P-12: one application waiting for the officer, one with the data handed over.
    fields = {"system_name": "会議録検索システム", "purpose": "会議録検索システムの構築にあたり既存の会議録データを移行するため"}
    services.create_provision(
        actor=clerk, contractor=system, contract=contract, data_description="委員会会議録（令和元年～令和7年）",
        period_start=today + timedelta(days=7), period_end=today + timedelta(days=60), medium="暗号化USBメモリ",
        received_on=today, **fields)
    provided = services.create_provision(
        actor=clerk, contractor=system, contract=contract, data_description="本会議会議録（平成15年～平成30年）",
        period_start=today - timedelta(days=30), period_end=today + timedelta(days=5), medium="暗号化USBメモリ",
        received_on=today - timedelta(days=35), **fields)
    provided = perform(provided, "approve", officer, comment="覚書を取り交わしてから提供すること。")
    provided = services.upload_signed_memorandum(provided, actor=clerk, file=_demo_pdf("覚書（署名済み）.pdf"))
    services.provide(provided, actor=clerk, provided_on=today - timedelta(days=30),
                     provided_medium="暗号化USBメモリ（管理番号 UF32-SEC-2201）")

    # P-05: a visit with its report waiting for confirmation.
    services.create_onsite_work(actor=clerk, contractor=system, contract=contract, work_date=today - timedelta(days=2),
                                workers="〇〇システム株式会社 佐藤 隆、高橋 悟", area="議会事務局 サーバー室",
                                purpose="会議録検索サーバーの定期点検とOSの更新", systems="会議録検索サーバー")
    # P-08 / P-09: a repair waiting for the clause to be reconfirmed, a lease return being prepared.
    services.create_repair(actor=clerk, contractor=system, contract=contract, equipment="議会中継用PC（PC-12）",
                           storage="内蔵SSD 512GB", fault="起動時にディスクエラーが表示される", storage_handling="removed",
                           handling_note="SSDは取り外して事務局で保管")
    services.create_equipment_disposal(actor=clerk, contractor=printer, kind="lease_return",
                                       equipment=f"複合機（{lease.title}）", storage="内蔵HDD 320GB",
                                       planned_on=today + timedelta(days=30))
    return [system, printer]


def _demo_pdf(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")
