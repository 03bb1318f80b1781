"""Run inside the app (`manage.py shell -c`): the ids and filter values the scenarios need, read from the
database as bench-admin sees it, printed as one line `PROBE {json}`. Reading them here, not guessing them,
keeps the scenarios right whatever the loadgen's distribution (a 1,000-row filter, a word that matches)."""

import json
import math
import os

from django.db.models import Count
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

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

# Issue 8 asks every page to meet the target, not only those it names: every page without a parameter (what
# the menus link to) and the detail and edit pages of the largest object of each kind are timed too.
SKIP_PREFIXES = ("api/", "admin/", "i18n/", "static/", "logout", "login", "__")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def _largest(model, related: str | None = None):
    """The object of `model` with the most `related` rows (its detail page lists them), else the middle one."""
    qs = model.objects.filter(body=body)
    if related:
        return qs.annotate(n=Count(related)).order_by("-n", "id").first()
    ids = list(qs.order_by("id").values_list("id", flat=True))
    return qs.get(id=ids[len(ids) // 2]) if ids else None


def _detail_pages() -> list[tuple[str, str]]:
    from tejun.backups.models import BackupTarget
    from tejun.governance.models import InspectionCampaign, PolicyDocument
    from tejun.media.models import CarryOutRequest, DisposalRequest, MediumException, Stocktake
    from tejun.vendors.models import Contractor, EquipmentDisposal, OnsiteWork, Repair

    wanted = [
        ("media:carry-out-detail", CarryOutRequest, None), ("media:carry-out-edit", CarryOutRequest, None),
        ("media:medium-detail", Medium, None), ("media:medium-edit", Medium, None),
        ("media:exception-detail", MediumException, None), ("media:stocktake-detail", Stocktake, "items"),
        ("media:disposal-detail", DisposalRequest, None), ("assets:asset-edit", None, None),
        ("incidents:edit", Incident, None), ("vendors:contractor-detail", Contractor, "provisions"),
        ("vendors:contractor-edit", Contractor, None), ("vendors:onsite-detail", OnsiteWork, None),
        ("vendors:repair-detail", Repair, None), ("vendors:disposal-detail", EquipmentDisposal, None),
        ("vendors:provision-edit", DataProvision, None), ("backups:target-detail", BackupTarget, "checkins"),
        ("backups:target-edit", BackupTarget, None), ("governance:document-detail", PolicyDocument, "versions"),
        ("governance:campaign-detail", InspectionCampaign, "responses"),
    ]
    pages = []
    for name, model, related in wanted:
        obj = middle if model is None else _largest(model, related)
        if obj is not None:
            pages.append((f"{name} (id {obj.pk})", reverse(name, args=[obj.pk])))
    return pages


def _other_pages(known: set[str], left_out: dict[str, int]):
    """Yields (name, path) of the pages to time; `left_out` gets the routes that are not pages bench-admin can
    open, with their status (POST-only routes, redirects, downloads, an edit page of a request bench-admin may
    not edit). Each is asked once here."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    pages = []
    plain = sorted({"/" + r for r in _routes(get_resolver().url_patterns)
                    if not any(c in r for c in "<^\\") and not r.startswith(SKIP_PREFIXES)})
    for path in plain:
        if path in known or path.rstrip("/").endswith(("/read", "/run")):
            continue
        pages.append((path, path))
    for name, path in pages + _detail_pages():
        response = client.get(path)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            yield name, path
        else:
            left_out[path] = response.status_code


KNOWN_PAGES = {"/", "/tasks/", "/dashboard/", "/assets/", "/media/register/", "/media/carry-outs/", "/incidents/",
               "/vendors/provisions/", "/audit/"}
left_out: dict[str, int] = {}
other_pages = list(_other_pages(KNOWN_PAGES, left_out))

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
    "other_pages": other_pages,
    "pages_left_out": left_out,
}, ensure_ascii=False))
