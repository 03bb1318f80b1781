import tempfile, time
from datetime import date
import pytest
from tejun.assets import exports
from tejun.assets.models import Asset
from tejun.assets.selectors import AssetFilter
from .helpers import new_asset
pytestmark = pytest.mark.django_db

def test_big(staff_in_charge, post):
    first = new_asset(staff_in_charge, number="IA-00000")
    Asset.objects.bulk_create([Asset(body=first.body, number=f"IA-{i:06d}", department=f"議会事務局 課{i % 30}", name=f"本会議 会議録（令和7年第{i}回定例会）", business="会議録の作成・公開",
              form="electronic", location=r"\\gikai-nas\share\議事\会議録", network_layer="lgwan", confidentiality=first.confidentiality, integrity=first.integrity,
              availability=first.availability, manager_post=post, retention_years=10, expires_on=date(2035, 3, 31), confirmed_on=date(2025, 4, 1),
              access_holders="議事係職員", note="備考" * (i % 5)) for i in range(1, 100_000)], batch_size=2000)
    t = time.monotonic(); c = time.process_time()
    with tempfile.TemporaryFile() as f:
        wb, n = exports.export_workbook(staff_in_charge, AssetFilter(), fileobj=f)
        wb.close()
    print("export", n, "wall", time.monotonic() - t, "cpu", time.process_time() - c)
