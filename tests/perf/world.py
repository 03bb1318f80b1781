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


def _copy(clone, n: int, offsets: dict):
    """`clone` (a freshly fetched row) made into the n-th copy of itself."""
    clone.pk = None
    for f in offsets:
        value = getattr(clone, f.attname)
        if value is None:
            continue
        if isinstance(f, models.IntegerField):
            setattr(clone, f.attname, value + offsets[f] * n)
        else:
            suffix = f"-p{n}"
            setattr(clone, f.attname, (value[: f.max_length - len(suffix)] if f.max_length else value) + suffix)
    return clone


def _labels():
    for model in apps.get_models():
        if model.__module__.startswith("tejun.") and not model._meta.proxy and model._meta.managed:
            yield model._meta.label, model


def grow(times: int) -> dict:
    """Copy every row of the app's tables `times` times; returns {label: rows added}."""
    added = {}
    for label, model in _labels():
        if label in FIXED:
            continue
        rows = list(model.objects.order_by("pk"))
        if not rows:
            continue
        offsets = {}
        for names in _unique_sets(model):
            f = _tweakable(model, names)
            if f is None:
                continue  # cannot be made unique: the copies that collide are left out below
            if isinstance(f, models.IntegerField):
                top = model.objects.aggregate(m=models.Max(f.name))["m"] or 0
                offsets[f] = top + 1
            else:
                offsets[f] = None
        count = 0
        for n in range(1, times + 1):
            clones = [_copy(r, n, offsets) for r in model.objects.filter(pk__in=[r.pk for r in rows])]
            try:
                with transaction.atomic():
                    model.objects.bulk_create(clones)
                count += len(clones)
            except IntegrityError:
                for c in clones:  # one by one: keep the rows that can be copied
                    try:
                        with transaction.atomic():
                            model.objects.bulk_create([c])
                        count += 1
                    except IntegrityError:
                        pass
        added[label] = count
    return added
