from django.db.models import Count, Q, Window

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


def _guarded(model) -> bool:
    """A model that narrows an awaited transition per object (`allows_<name>()`, e.g. 破壊の記録 only after
    the approval for class 2 data): only the object itself can say whether it waits for someone."""
    return any(t.awaited and hasattr(model, f"allows_{t.name}") for t in model.workflow.transitions)


def _waiting_condition(user, model, states: set[str]) -> Q:
    """The rows waiting for `user`, as a condition on state and requester.

    Outside the per-object guards, whether a transition is open to a user depends on a row only through its
    body (the visible rows are the user's body), its state and whether the user filed it (separation of
    duties); roles and 代決 are the user's. So each (state, filed by the user or not) is decided once, on a
    stand-in row, by the same available_transitions() the buttons use, and the database counts the rows.
    """
    mine, others = [], []
    for state in sorted(states):
        for own, bucket in ((True, mine), (False, others)):
            stand_in = model(state=state, body_id=user.body_id, requester_id=user.pk if own else None)
            if any(t.awaited for t, _a in available_transitions(user, stand_in)):
                bucket.append(state)
    return Q(state__in=mine, requester=user) | (Q(state__in=others) & ~Q(requester=user))


def my_tasks(user, limit_per_kind: int = 50) -> list[dict]:
    """Everything waiting for `user`'s decision or action, grouped by kind, with counts: the oldest
    `limit_per_kind` of each kind, with the full count. One query per kind, whatever the number waiting."""
    groups = []
    for model, title, select_related in TASK_MODELS:
        by_role, by_requester = _candidate_states(user, model.workflow)
        if not by_role and not by_requester:
            continue
        qs = (visible(user, model).filter(Q(state__in=by_role) | Q(state__in=by_requester, requester=user))
              .select_related(*select_related).order_by("created_at", "pk"))
        items, count = ([], 0)
        if _guarded(model):
            # Every candidate is checked (few: repairs, equipment disposals, media disposals).
            for obj in qs.iterator(chunk_size=500):
                actions = [t for t, _a in available_transitions(user, obj) if t.awaited]
                if actions:
                    count += 1
                    if len(items) < limit_per_kind:
                        items.append({"object": obj, "actions": actions})
        else:
            # COUNT(*) OVER (): the full count rides on the page's rows, computed before the LIMIT.
            rows = list(qs.filter(_waiting_condition(user, model, by_role | by_requester))
                        .annotate(waiting_total=Window(Count("pk")))[:limit_per_kind])
            count = rows[0].waiting_total if rows else 0
            items = [{"object": obj, "actions": [t for t, _a in available_transitions(user, obj) if t.awaited]}
                     for obj in rows]
        if count:
            groups.append({"title": title, "items": items, "count": count})
    return groups
