"""An object's audit events as rows a clerk can read: what changed, with names instead of ids.

Labels come from the model's verbose names, choices from its fields, dates are shown in 和暦.
The caller passes `names` for foreign keys (field -> {id: label}), read in one query per field.
"""

from datetime import date

from django.db import models
from django.utils.translation import gettext as _

from tejun.lib.wareki import to_wareki

ALWAYS_HIDDEN = {"id", "body"}


def readable_history(events, *, model, action_labels: dict, names: dict | None = None,
                     hidden: set | frozenset = frozenset(), create_actions=("create",),
                     extra_labels: dict | None = None, fallback_label=None) -> list[dict]:
    names = names or {}
    fields = {f.name: f for f in model._meta.concrete_fields}
    labels = {name: str(f.verbose_name) for name, f in fields.items()} | (extra_labels or {})
    choices = {name: dict(f.choices) for name, f in fields.items() if f.choices}
    dates = {name for name, f in fields.items() if isinstance(f, models.DateField)
             and not isinstance(f, models.DateTimeField)}
    hidden = ALWAYS_HIDDEN | set(hidden)

    def show(name, value):
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("あり") if value else _("なし")
        if name in names:
            return str(names[name].get(value, value))
        if name in choices:
            return str(choices[name].get(value, value))
        if name in dates and isinstance(value, str):
            try:
                return to_wareki(date.fromisoformat(value))
            except ValueError:
                return value
        return str(value)

    rows = []
    for e in events:
        before, after = e.before or {}, e.after or {}
        changes = []
        if e.action not in create_actions:
            for name in after:
                if name in hidden or name.startswith("_") or before.get(name) == after.get(name):
                    continue
                changes.append({"field": labels.get(name, name), "before": show(name, before.get(name)),
                                "after": show(name, after.get(name))})
        label = action_labels.get(e.action) or (fallback_label(e.action) if fallback_label else None) or e.action
        rows.append({"event": e, "label": label, "changes": changes})
    return rows
