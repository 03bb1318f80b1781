"""Backup fixtures: a contractor with its account, targets made through the services, clock helpers."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tejun.backups import services
from tejun.backups.models import BackupTarget
from tejun.orgs.roles import Role
from tejun.vendors.models import Contractor, ContractorAccount

from ..factories import UserFactory, give_role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def backdate(target, **delta) -> BackupTarget:
    """Monitoring began in the past (tests only: the service sets it to now)."""
    BackupTarget.objects.filter(pk=target.pk).update(monitoring_since=timezone.now() - timedelta(**delta))
    target.refresh_from_db()
    return target


@pytest.fixture
def contractor(body):
    return Contractor.objects.create(body=body, name="〇〇システム株式会社")


@pytest.fixture
def vendor_account(vendor, contractor):
    ContractorAccount.objects.create(body=vendor.body, contractor=contractor, user=vendor)
    return vendor


@pytest.fixture
def other_vendor(body):
    """An account of another contractor of the same body."""
    other = Contractor.objects.create(body=body, name="△△データ株式会社")
    user = UserFactory(body=body, login_id="vendor2", full_name="別業者 八郎")
    give_role(user, Role.VENDOR)
    ContractorAccount.objects.create(body=body, contractor=other, user=user)
    return user


@pytest.fixture
def nas(staff_in_charge, officer):
    """A NAS backed up daily at 2:00, the staff in charge responsible. Returns (target, token)."""
    return services.create_target(actor=staff_in_charge, name="共有フォルダ（NAS）", kind="nas",
                                  responsible_person=staff_in_charge.pk, schedule_kind="cron", cron="0 2 * * *",
                                  grace_hours=2, restore_test_days=90)


@pytest.fixture
def cloud(staff_in_charge, contractor):
    target, _token = services.create_target(
        actor=staff_in_charge, name="会議録検索システム", kind="cloud", responsible_contractor=contractor.pk,
        schedule_kind="cron", cron="0 9 5 * *", grace_hours=72)
    return target
