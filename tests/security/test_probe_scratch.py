"""SCRATCH probe (deleted at the end of the review)."""
from datetime import timedelta
import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tejun.orgs.demo import create_demo
from tejun.orgs.models import User
from tejun.orgs.roles import Role
from tests.factories import UserFactory, give_role, BodyFactory


def walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "u"
    from tejun.assets.demo import create_demo_assets
    from tejun.media.demo import create_demo_media
    from tejun.media import services as co, disposal_services as ds
    from tejun.media.models import Medium
    body = create_demo("Pass-word-12345!")
    create_demo_assets(body)
    create_demo_media(body)
    people = User.objects.filter(body=body).in_bulk(field_name="login_id")
    today = timezone.localdate()
    m = Medium.objects.filter(body=body, kind="hdd").first()
    c = co.create_carry_out(actor=people["shokuin1"], data_description="x", confidentiality=2, purpose="p",
                            destination="d", encrypted=True, password_protected=True, locked_case=True,
                            out_date=today, due_date=today + timedelta(days=1))
    d = ds.create_disposal(actor=people["tanto"], medium=m, reason="故障")
    other = BodyFactory(name="他")
    out = UserFactory(body=other, login_id="outsider")
    for r in Role:
        give_role(out, r.value)
    return body, people, out, c, d


def ids(body):
    from tejun.media.models import Cabinet, Medium, MediumException, Stocktake, DisposalRequest, CarryOutRequest
    from tejun.assets.models import Asset, ClassificationLevel, ImportBatch
    st = Stocktake.objects.filter(body=body).first()
    return {
        "carry-outs": CarryOutRequest.objects.filter(body=body).first().pk,
        "cabinets": Cabinet.objects.filter(body=body).first().pk,
        "register": Medium.objects.filter(body=body).first().pk,
        "exceptions": MediumException.objects.filter(body=body).first().pk,
        "stocktakes": st.pk, "items": st.items.first().pk,
        "disposals": DisposalRequest.objects.filter(body=body).first().pk,
        "assets": Asset.objects.filter(body=body).first().pk,
        "levels": ClassificationLevel.objects.filter(scheme__body=body).first().pk,
    }


def fill(route, I):
    import re
    r = route.replace("^", "").replace("$", "").replace("\\.", ".")
    r = re.sub(r"\(\?P<fmt>[^)]*\)", "pdf", r)
    r = re.sub(r"\(\?P<format>[^)]*\)", "json", r)
    seg = None
    out = []
    parts = r.split("/")
    for i, part in enumerate(parts):
        if part == "<int:pk>" or part == "(?P<pk>[^/.]+)":
            key = parts[i - 1] if i else ""
            key = {"media": "register", "medium-exceptions": "exceptions", "assets": "assets", "levels": "levels",
                   "classification-levels": "levels", "import": None}.get(key, key)
            if key is None or key not in I:
                return None
            out.append(str(I[key]))
        elif part == "<int:item_pk>":
            out.append(str(I["items"]))
        elif part in ("<slug:name>", "(?P<transition>[a-z_]+)"):
            out.append("approve")
        elif "<" in part or "(" in part:
            return None
        else:
            out.append(part)
    return "/" + "/".join(out)


def test_outsider_sweep(world, client):
    body, people, out, c, d = world
    I = ids(body)
    client.force_login(out)
    rows = []
    for route, p in walk(get_resolver().url_patterns):
        if route.startswith("admin/") or "i18n" in route:
            continue
        url = fill(route, I)
        if not url or ("pk" not in route and "item_pk" not in route):
            continue
        for method in ("get", "post", "patch"):
            resp = getattr(client, method)(url, {} if method != "patch" else "{}", **({"content_type": "application/json"} if method == "patch" else {}))
            rows.append((resp.status_code, method, url))
    for r in rows:
        print(*r)
    bad = [r for r in rows if r[0] not in (404, 405, 302, 301)]
    assert not bad, bad


def test_vendor_sweep(world, client):
    body, people, out, c, d = world
    I = ids(body)
    client.force_login(people["vendor1"])
    rows = []
    for route, p in walk(get_resolver().url_patterns):
        if route.startswith("admin/") or "i18n" in route or "logout" in route:
            continue
        url = fill(route, I)
        if not url:
            continue
        resp = client.get(url)
        rows.append((resp.status_code, url))
    for r in rows:
        print(*r)
