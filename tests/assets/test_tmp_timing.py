import io, time
from datetime import date
import pytest
from openpyxl import Workbook
from tejun.assets import imports
from tejun.assets.exports import HEADERS

pytestmark = pytest.mark.django_db

def test_timing(staff_in_charge, post):
    t = time.monotonic()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("重要性分類一覧表")
    ws.append(list(HEADERS))
    for i in range(10_000):
        ws.append([None, f"課{i % 40}", f"資産 {i}", "業務", ("紙", "電子", "システム")[i % 3], f"棚{i % 50}",
                   "LGWAN接続系" if i % 2 else None, ("3", "2", "1")[i % 3], "2", "1", "○" if i % 4 == 0 else None,
                   None, None, "議事係長", "係員", 5, date(2030, 3, 31), None, "令和7年4月1日", "使用中", "備考"])
    buf = io.BytesIO(); wb.save(buf); data = buf.getvalue()
    print("write", time.monotonic() - t); t = time.monotonic()
    from tejun.lib.xlsx import open_workbook
    wb = open_workbook(data); ws = wb.worksheets[0]; ws.reset_dimensions(); n = sum(1 for _ in ws.iter_rows())
    print("parse only", time.monotonic() - t, n); t = time.monotonic()
    wb = open_workbook(data); ws = wb.worksheets[0]; ws.reset_dimensions(); n = sum(1 for _ in ws.iter_rows(values_only=True))
    print("parse values_only", time.monotonic() - t, n); t = time.monotonic()
    checked = imports.check_file(staff_in_charge.body, data, "create")
    print("check", time.monotonic() - t); t = time.monotonic()
    from django.db import transaction
    with transaction.atomic():
        from tejun.assets.models import Asset
        new = [Asset(body=staff_in_charge.body, **r.fields) for r in checked.rows]
        Asset.objects.bulk_create(new, batch_size=1000)
        print("bulk_create", time.monotonic() - t); t = time.monotonic()
        from tejun.audit.services import record_many, snapshot
        entries = [("import.create", a, None, snapshot(a)) for a in new]
        print("snapshots", time.monotonic() - t); t = time.monotonic()
        record_many(staff_in_charge, entries, body=staff_in_charge.body)
        print("record_many", time.monotonic() - t); t = time.monotonic()
