"""The information-asset register (C-3): the classification scheme and the assets, numbered IA-00001.."""

from datetime import timedelta

from tejun.assets.models import Asset, ClassificationLevel
from tejun.assets.presets import DEFAULT_PRESET
from tejun.assets.schemes import _create_from_preset
from tejun.assets.services import NUMBER_PREFIX
from tejun.orgs.models import Post

from .common import BASE_DAY, SPAN_DAYS, Gen, fast
from .names import ACCESS_HOLDERS, ASSET_SUBJECTS, ASSET_VARIANTS, BUSINESSES, DEPARTMENTS, LOCATIONS

FORMS = ["electronic"] * 6 + ["paper"] * 3 + ["system"]
LAYERS = {"electronic": ["lgwan", "lgwan", "mynumber", ""], "paper": [""], "system": ["lgwan", "internet"]}


def levels(g: Gen) -> dict:
    """The body's scheme (the default preset, as active_scheme() would set up) as {(axis, code): level}."""
    scheme = _create_from_preset(g.body, DEFAULT_PRESET)
    g.event(g.moment(SPAN_DAYS - 1, SPAN_DAYS - 1), None, "create", "assets.ClassificationScheme", scheme.pk,
            scheme.name, {"name": scheme.name, "preset": scheme.preset})
    return {(lv.axis, lv.code): lv for lv in ClassificationLevel.objects.filter(scheme=scheme)}


def asset_name(rng) -> str:
    variant = rng.choice(ASSET_VARIANTS).format(y=rng.randint(1, 8), h=rng.randint(15, 30), n=rng.randint(1, 4))
    return rng.choice(ASSET_SUBJECTS) + variant


def create_assets(g: Gen) -> None:
    rng, n = g.rng, g.scale.assets
    lv = levels(g)
    posts = list(Post.objects.filter(body=g.body))
    # Creation moments in number order: the register grew over ten years.
    moments = sorted(g.moment(1, SPAN_DAYS) for _ in range(n))
    rows = []
    for i, at in enumerate(moments, start=1):
        form = rng.choice(FORMS)
        c = rng.choice("1112223")
        personal = rng.random() < 0.35
        years = rng.choice([None, 1, 3, 5, 5, 10, 30])
        confirmed = rng.random()
        rows.append(Asset(
            body=g.body, number=f"{NUMBER_PREFIX}{i:05d}", department=rng.choice(DEPARTMENTS), name=asset_name(rng),
            business=rng.choice(BUSINESSES), form=form, location=rng.choice(LOCATIONS),
            network_layer=rng.choice(LAYERS[form]),
            confidentiality=lv[("confidentiality", c)], integrity=lv[("integrity", rng.choice("112"))],
            availability=lv[("availability", rng.choice("112"))],
            has_personal_info=personal, has_sensitive_personal_info=personal and rng.random() < 0.1,
            has_specific_personal_info=personal and rng.random() < 0.05, manager_post=rng.choice(posts),
            access_holders=rng.choice(ACCESS_HOLDERS), retention_years=years,
            expires_on=BASE_DAY + timedelta(days=365 * years - rng.randint(0, 3000)) if years else None,
            # Most confirmed within the cycle, some overdue, some never: the dashboard has work to show.
            confirmed_on=(BASE_DAY - timedelta(days=rng.randint(0, 330)) if confirmed < 0.7 else
                          BASE_DAY - timedelta(days=rng.randint(366, 900)) if confirmed < 0.9 else None),
            status="disposed" if rng.random() < 0.03 else "in_use",
            note="" if rng.random() < 0.8 else "年度末に保存年限を確認すること", created_at=at,
            updated_at=at))
    fast(Asset, rows, key="number", body=g.body)
    for a in rows:
        g.event(a.created_at, rng.choice(g.staff), "create", "assets.Asset", a.pk, str(a),
                {"number": a.number, "name": a.name, "department": a.department})
    g.ids["asset_id_first"], g.ids["asset_id_last"] = rows[0].pk, rows[-1].pk
    g.ids["asset_number_last"] = rows[-1].number
    g.counts["assets"] = len(rows)
    g.assets = rows
