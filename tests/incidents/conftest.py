import pytest

from tejun.incidents.models import Incident
from tejun.incidents.services import open_incident
from tejun.vendors.models import Contractor, ContractorAccount


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"  # evidence files never land in the project's var/


@pytest.fixture
def everyone(supreme_admin, manager, officer, staff_in_charge, staff):
    """Every role of the procedures present (the first receivers exist)."""
    return {"supreme_admin": supreme_admin, "manager": manager, "officer": officer,
            "staff_in_charge": staff_in_charge, "staff": staff}


@pytest.fixture
def contractor(body):
    return Contractor.objects.create(body=body, name="保守株式会社")


@pytest.fixture
def vendor_account(vendor, contractor, body):
    ContractorAccount.objects.create(body=body, contractor=contractor, user=vendor)
    return vendor


@pytest.fixture
def report():
    def make(reporter, kind=Incident.Kind.UNAUTHORIZED_ACCESS, description="不審なログインの通知が届きました。",
             **extra):
        return open_incident(reporter=reporter, kind=kind, description=description, **extra)
    return make
