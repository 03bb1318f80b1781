"""Vendors fixtures: two contractors of the test body (A with vendor1's account, B with its own), contracts."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tejun.orgs.roles import Role
from tejun.vendors import services
from tejun.vendors.models import Contract, Contractor, ContractorAccount

from ..factories import UserFactory, give_role

PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name="report.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def not_a_pdf(name="report.pdf"):
    return SimpleUploadedFile(name, "ただの文字".encode(), content_type="application/pdf")


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def contractor(body):
    return Contractor.objects.create(body=body, name="〇〇システム株式会社", address="名古屋市中区〇〇1-2-3",
                                     representative="代表取締役 山田 一郎", contact_person="佐藤 隆")


@pytest.fixture
def contract(contractor):
    return Contract.objects.create(body=contractor.body, contractor=contractor, title="会議録検索システム構築業務委託",
                                   system_name="会議録検索システム", starts_on=timezone.localdate() - timedelta(days=30),
                                   has_confidentiality_clause=True, confidentiality_article="第12条")


@pytest.fixture
def contract_without_clause(contractor):
    return Contract.objects.create(body=contractor.body, contractor=contractor, title="保守点検（口頭発注）",
                                   starts_on=timezone.localdate() - timedelta(days=10))


@pytest.fixture
def vendor_account(vendor, contractor):
    return ContractorAccount.objects.create(body=vendor.body, contractor=contractor, user=vendor)


@pytest.fixture
def contractor_b(body):
    return Contractor.objects.create(body=body, name="△△情報サービス", address="豊橋市")


@pytest.fixture
def vendor_b(body, contractor_b):
    user = UserFactory(body=body, login_id="vendor2", full_name="業者 八郎")
    give_role(user, Role.VENDOR)
    ContractorAccount.objects.create(body=body, contractor=contractor_b, user=user)
    return user


@pytest.fixture
def other_contractor(other_body):
    return Contractor.objects.create(body=other_body, name="よその事業者")


def provision_fields(**overrides) -> dict:
    today = timezone.localdate()
    fields = {"system_name": "会議録検索システム", "data_description": "本会議会議録（平成15年～令和7年）",
              "purpose": "会議録検索システムの構築にあたり既存データを移行するため",
              "period_start": today, "period_end": today + timedelta(days=30), "medium": "暗号化USBメモリ"}
    fields.update(overrides)
    return fields


@pytest.fixture
def new_provision(staff_in_charge, contractor, contract):
    def make(actor=None, **overrides):
        return services.create_provision(actor=actor or staff_in_charge, contractor=contractor, contract=contract,
                                         **provision_fields(**overrides))
    return make


@pytest.fixture
def provided(new_provision, officer, staff_in_charge):
    """A provision approved, with the signed memorandum, and the data handed over."""
    from tejun.workflow.engine import perform

    def make(**overrides):
        p = new_provision(**overrides)
        p = perform(p, "approve", officer)
        p = services.upload_signed_memorandum(p, actor=staff_in_charge, file=pdf_file("signed.pdf"))
        return services.provide(p, actor=staff_in_charge, provided_on=timezone.localdate(),
                                provided_medium="暗号化USBメモリ（UF32-0001）")
    return make


@pytest.fixture
def onsite_work(staff_in_charge, contractor, contract):
    return services.create_onsite_work(actor=staff_in_charge, contractor=contractor, contract=contract,
                                       work_date=timezone.localdate(), workers="〇〇システム 佐藤 隆", area="議会事務局",
                                       purpose="サーバーの定期点検", systems="会議録検索サーバー")


@pytest.fixture
def repair(staff_in_charge, contractor, contract):
    return services.create_repair(actor=staff_in_charge, contractor=contractor, contract=contract,
                                  equipment="事務局PC（PC-07）", storage="内蔵SSD 256GB", fault="電源が入らない",
                                  storage_handling="as_is")


@pytest.fixture
def equipment_disposal(staff_in_charge, contractor):
    return services.create_equipment_disposal(actor=staff_in_charge, contractor=contractor, kind="lease_return",
                                              equipment="複合機 MX-2630", storage="内蔵HDD 320GB")
