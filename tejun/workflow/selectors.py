from tejun.access.policy import roles_of, visible
from tejun.workflow.definitions import REQUESTER

from .engine import available_transitions
from .registry import TASK_MODELS


def _candidate_states(user, workflow) -> tuple[set[str], set[str]]:
    """States where the user might act through a role, and states where only a requester acts."""
    roles = roles_of(user)
    by_role, by_requester = set(), set()
    for t in workflow.transitions:
        if not t.awaited:
            continue
        if set(t.actors) & roles or set(t.deputy_roles) & roles:
            by_role.update(t.source)
        if REQUESTER in t.actors:
            by_requester.update(t.source)
    return by_role, by_requester


def my_tasks(user, limit_per_kind: int = 50) -> list[dict]:
    """Everything waiting for `user`'s decision or action, grouped by kind, with counts."""
    from django.db.models import Q

    groups = []
    for model, title, select_related in TASK_MODELS:
        by_role, by_requester = _candidate_states(user, model.workflow)
        cond = Q(state__in=by_role) | Q(state__in=by_requester, requester=user)
        if not by_role and not by_requester:
            continue
        qs = visible(user, model).filter(cond).select_related(*select_related).order_by("created_at", "pk")
        # The permission check is per object (separation of duties, 代決), so every candidate is checked
        # for an honest count; only the first `limit_per_kind` are kept for display. No query per row.
        items, count = [], 0
        for obj in qs.iterator(chunk_size=500):
            actions = [(t, a) for t, a in available_transitions(user, obj) if t.awaited]
            if actions:
                count += 1
                if len(items) < limit_per_kind:
                    items.append({"object": obj, "actions": [t for t, _a in actions]})
        if count:
            groups.append({"title": title, "items": items, "count": count})
    return groups
