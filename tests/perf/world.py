"""The data the query counts are taken on: the authorisation matrix's world (one or a few of every object), then
the same world grown by copying every row of the app's tables `times` more times.

Copies keep every foreign key, so a copied child (a timeline entry, an audit event, a stock-take item, a
notification) still belongs to the original parent: the objects the pages are asked about get `times` more
children, and every list gets `times` more rows, in the same mix of states as the originals. Unique columns
get a suffix (text) or an offset (numbers); a row that still cannot be copied (a one-to-one link, a pair that
must stay unique) is left out, and grow() says which tables did not grow.
"""

from django.apps import apps
from django.db import IntegrityError, models, transaction

# Tables whose rows are settings of a body, not data that grows with use (copying would change the body's rules).
FIXED = {"orgs.Body", "assets.ClassificationScheme", "assets.ClassificationLevel", "assets.RegisterSettings",
         "audit.AuditChain", "incidents.ReminderRule", "orgs.SecondFactor", "orgs.RecoveryCode",
         "notify.Preference", "governance.PolicyDocument", "governance.ChecklistItem", "orgs.Post"}


def _unique_sets(model) -> list:
    sets = [(f.name,) for f in model._meta.fields if f.unique and not f.primary_key]
    sets += [tuple(u) for u in model._meta.unique_together]
    sets += [tuple(c.fields) for c in model._meta.constraints if isinstance(c, models.UniqueConstraint) and c.fields]
    return sets


def _tweakable(model, names) -> models.Field | None:
    """A column of a unique set that a copy can change without changing its meaning to the app."""
    for name in names:
        f = model._meta.get_field(name)
        if f.choices or f.is_relation:
            continue
        if isinstance(f, (models.CharField, models.TextField)) or isinstance(f, models.IntegerField):
            return f
    return None


def _copy(clone, n: int, offsets: dict, remap: dict, copies: dict):
    """`clone` (a freshly fetched row) made into the n-th copy of itself."""
    original = clone.pk
    clone.pk = None
    for f, span in offsets.items():
        value = getattr(clone, f.attname)
        if value is None:
            continue
        if isinstance(f, models.IntegerField):
            setattr(clone, f.attname, value + span * n)
        else:
            suffix = f"-p{n}"
            setattr(clone, f.attname, (value[: f.max_length - len(suffix)] if f.max_length else value) + suffix)
    for f in remap:  # point at the n-th copy of the row it named (another person, medium, item, ...)
        target = copies.get(f.related_model._meta.label, {}).get(getattr(clone, f.attname))
        if target and len(target) >= n:
            setattr(clone, f.attname, target[n - 1])
    return original, clone


def _labels():
    for model in apps.get_models():
        if model.__module__.startswith("tejun.") and not model._meta.proxy and model._meta.managed:
            yield model._meta.label, model


def _save(model, pairs, copies: dict) -> int:
    """Insert the copies (all at once, or one by one when some collide); remember which row each copies."""
    mine = copies.setdefault(model._meta.label, {})
    try:
        with transaction.atomic():
            model.objects.bulk_create([c for _o, c in pairs])
        saved = pairs
    except IntegrityError:
        saved = []
        for original, c in pairs:  # one by one: keep the rows that can be copied
            c.pk = None
            try:
                with transaction.atomic():
                    model.objects.bulk_create([c])
                saved.append((original, c))
            except IntegrityError:
                pass
    for original, c in saved:
        if c.pk is not None:
            mine.setdefault(original, []).append(c.pk)
    return len(saved)


def grow(times: int) -> dict:
    """Copy every row of the app's tables `times` times; returns {label: rows added}.

    A unique set with a text or number column gets a suffix or an offset there; one made only of links (a
    stock-take's medium, a campaign's person) has its last link pointed at the n-th copy of what it named,
    so the parent gets new children (the tables are copied in the app's order, targets first)."""
    added, copies = {}, {}
    for label, model in _labels():
        if label in FIXED:
            continue
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
        if not pks:
            continue
        offsets, remap = {}, set()
        for names in _unique_sets(model):
            f = _tweakable(model, names)
            if f is not None and isinstance(f, models.IntegerField):
                agg = model.objects.aggregate(lo=models.Min(f.name), hi=models.Max(f.name))
                offsets[f] = (agg["hi"] or 0) - (agg["lo"] or 0) + 1
            elif f is not None:
                offsets[f] = None
            else:
                links = [model._meta.get_field(n) for n in names if model._meta.get_field(n).is_relation]
                if links:
                    remap.add(links[-1])
        count = 0
        for n in range(1, times + 1):
            pairs = [_copy(r, n, offsets, remap, copies) for r in model.objects.filter(pk__in=pks).order_by("pk")]
            count += _save(model, pairs, copies)
        added[label] = count
    return added
