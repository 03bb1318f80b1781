"""My tasks (workflow/selectors.my_tasks) decides per (state, filed by the user or not) and lets the database
count; it must list exactly what asking every visible row one by one lists, for every person, with 代決."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.access.policy import forget_roles, visible
from tejun.orgs.models import Absence, User
from tejun.orgs.selectors import role_holders
from tejun.workflow.engine import available_transitions
from tejun.workflow.registry import TASK_MODELS
from tejun.workflow.selectors import my_tasks

from ..perf.world import grow
from ..security.test_authorization_matrix import build_world

LIMIT = 3


def _row_by_row(user) -> list:
    """The reference: every visible row of every kind, asked one by one, oldest first."""
    groups = []
    for model, title, _related in TASK_MODELS:
        waiting = []
        for obj in visible(user, model).order_by("created_at", "pk"):
            actions = [t.name for t, _a in available_transitions(user, obj) if t.awaited]
            if actions:
                waiting.append((obj.pk, actions))
        if waiting:
            groups.append((str(title), len(waiting), waiting[:LIMIT]))
    return groups


def _listed(user) -> list:
    return [(str(g["title"]), g["count"], [(i["object"].pk, [t.name for t in i["actions"]]) for i in g["items"]])
            for g in my_tasks(user, limit_per_kind=LIMIT)]


@pytest.mark.django_db
def test_the_same_tasks_as_asking_every_row():
    body, _people = build_world()
    grow(2)  # every kind three times over, in the same mix of states
    people = list(User.objects.filter(body=body, is_active=True))
    waiting_somewhere = 0
    for person in people:
        forget_roles(person)
        expected = _row_by_row(person)
        assert _listed(person) == expected, person.login_id
        waiting_somewhere += sum(count for _t, count, _i in expected)
    assert waiting_somewhere > 20  # the world really has tasks in it

    # 代決: every holder of a role that others decide for in its absence is away; the deputies' lists change,
    # and still agree.
    now = timezone.now()
    stood_in_for = {a for model, _t, _r in TASK_MODELS for t in model.workflow.transitions if t.deputy_roles
                    for a in t.actors}
    away = {h.person for role in stood_in_for for h in role_holders(body, role)}
    assert away
    Absence.objects.bulk_create(Absence(body=body, person=p, starts_at=now - timedelta(hours=1),
                                        ends_at=now + timedelta(days=1)) for p in away)
    changed = 0
    for person in people:
        before = _listed(person)
        forget_roles(person)
        expected = _row_by_row(person)
        assert _listed(person) == expected, person.login_id
        changed += before != expected
    assert changed  # the absences moved some decisions to deputies
