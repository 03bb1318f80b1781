"""Run inside the app (`manage.py shell -c`): the ids and filter values the scenarios need, read from the
database as bench-admin sees it, printed as one line `PROBE {json}`. Reading them here, not guessing them,
keeps the scenarios right whatever the loadgen's distribution (a 1,000-row filter, a word that matches)."""

import json
import math
import os

from django.db.models import Count

from tejun.assets.selectors import AssetFilter, asset_list
from tejun.audit.models import AuditEvent
from tejun.incidents.models import Incident
from tejun.media.models import Medium
from tejun.orgs.models import User
from tejun.vendors.models import DataProvision

LIST_PAGE_SIZE = 50  # tejun.assets.views.PAGE_SIZE
PDF_ROWS = int(os.environ.get("BENCH_PDF_ROWS", "1000"))  # quick: fewer (a 1,000-row PDF takes ~20 s in CI)

admin = User.objects.get(login_id="bench-admin")
body = admin.body
assets = asset_list(admin, AssetFilter())
in_use = assets.count()
departments = list(assets.order_by().values("department").annotate(n=Count("id")).order_by("-n"))
biggest = departments[0]["department"] if departments else ""

# A filter of about PDF_ROWS rows for the register PDF: the combination of 所属, 形態 and 機密性 (filters of
# the list) whose count is nearest (one department alone has thousands of rows at full scale).
pdf_filter, pdf_rows = {}, in_use
if in_use > PDF_ROWS:
    names = {"department": "department", "form": "form", "confidentiality__code": "confidentiality"}
    candidates = []
    for group in (["department"], ["department", "form"], ["department", "confidentiality__code"],
                  ["department", "form", "confidentiality__code"]):
        candidates += assets.order_by().values(*group).annotate(n=Count("id"))
    near = min(candidates, key=lambda c: abs(c["n"] - PDF_ROWS))
    pdf_rows = near.pop("n")
    pdf_filter = {names[key]: value for key, value in near.items()}

middle = assets.order_by("id")[in_use // 2] if in_use else None
# A Japanese word of an asset name (the first three characters): a search that matches real rows.
word = middle.name[:3] if middle else "台帳"

incident = Incident.objects.filter(body=body).annotate(n=Count("timeline")).order_by("-n", "id").first()
provision = DataProvision.objects.filter(body=body).exclude(memorandum_text="").order_by("id").first()
medium = Medium.objects.filter(body=body).order_by("id").first()

print("PROBE " + json.dumps({
    "body_id": body.id,
    "assets_in_use": in_use,
    "asset_id": middle.id if middle else None,
    "asset_last_page": max(1, math.ceil(in_use / LIST_PAGE_SIZE)),
    "department": biggest,
    "search_word": word,
    "pdf_filter": pdf_filter,
    "pdf_rows": pdf_rows,
    "incident_id": incident.id if incident else None,
    "provision_id": provision.id if provision else None,
    "medium_id": medium.id if medium else None,
    "audit_events": AuditEvent.objects.count(),
}, ensure_ascii=False))
