"""Reads about bodies, people and roles. The one answer to "who holds role R in body B now"."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Absence, Body, RoleAssignment, User


@dataclass(frozen=True)
class Holder:
    person: User
    role: str
    deputy: bool  # holds the role only because every principal holder is absent (代理)
    absent: bool


def _valid_assignments(body: Body, at: datetime) -> QuerySet[RoleAssignment]:
    day = timezone.localdate(at)
    return RoleAssignment.objects.filter(body=body, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def absent_person_ids(body: Body, at: datetime | None = None) -> set[int]:
    at = at or timezone.now()
    return set(
        Absence.objects.filter(body=body, starts_at__lte=at, ends_at__gt=at).values_list("person_id", flat=True)
    )


def _people_of(assignments) -> list[tuple[User, RoleAssignment]]:
    """Expand assignments to (person, assignment), a post assignment meaning every active holder of the post."""
    post_ids = {a.post_id for a in assignments if a.post_id}
    by_post: dict[int, list[User]] = {}
    if post_ids:
        for person in User.objects.filter(post_id__in=post_ids, is_active=True):
            by_post.setdefault(person.post_id, []).append(person)
    pairs = []
    for a in assignments:
        people = [a.person] if a.person_id else by_post.get(a.post_id, [])
        pairs.extend((p, a) for p in people if p.is_active)
    return pairs


def role_holders(body: Body, role: str, at: datetime | None = None) -> list[Holder]:
    """Who can act as `role` in `body` at `at` (default now).

    The principal holders who are present; when every principal is absent (or
    there is none), the deputies who are present. Absent principals are listed
    last with absent=True so the caller can show who is away.
    """
    at = at or timezone.now()
    assignments = list(_valid_assignments(body, at).filter(role=role).select_related("person"))
    absent = absent_person_ids(body, at)
    principals = _people_of([a for a in assignments if not a.is_deputy])
    deputies = _people_of([a for a in assignments if a.is_deputy])
    seen: set[int] = set()
    present = []
    for person, _a in principals:
        if person.pk not in absent and person.pk not in seen:
            seen.add(person.pk)
            present.append(Holder(person, role, deputy=False, absent=False))
    if not present:
        for person, _a in deputies:
            if person.pk not in absent and person.pk not in seen:
                seen.add(person.pk)
                present.append(Holder(person, role, deputy=True, absent=False))
    away = [
        Holder(person, role, deputy=False, absent=True)
        for person, _a in principals
        if person.pk in absent and person.pk not in seen
    ]
    return present + away


def principal_present(body: Body, role: str, at: datetime | None = None) -> bool:
    """Is any principal (not deputy) holder of `role` present? False means 代決 is allowed."""
    return any(not h.deputy and not h.absent for h in role_holders(body, role, at))


def acting_roles(user: User, at: datetime | None = None) -> dict[str, Holder]:
    """The roles `user` can act in now: principal roles, and deputy roles whose principals are all absent."""
    if not user.is_authenticated or not user.body_id:
        return {}
    at = at or timezone.now()
    mine = _valid_assignments(user.body, at).filter(Q(person=user) | Q(post_id=user.post_id, post__isnull=False))
    result: dict[str, Holder] = {}
    deputy_roles = set()
    for a in mine:
        if a.is_deputy:
            deputy_roles.add(a.role)
        else:
            result[a.role] = Holder(user, a.role, deputy=False, absent=False)
    for role in deputy_roles - result.keys():
        if not principal_present(user.body, role, at):
            result[role] = Holder(user, role, deputy=True, absent=False)
    return result


def holds_role(user: User, role: str, at: datetime | None = None) -> bool:
    return role in acting_roles(user, at)


def people_of_body(user: User) -> QuerySet[User]:
    return User.objects.filter(body_id=user.body_id).select_related("post").order_by("furigana", "login_id")


def role_assignments_of_body(user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(body_id=user.body_id).select_related("person", "post")


def absences_of_body(user: User) -> QuerySet[Absence]:
    return Absence.objects.filter(body_id=user.body_id).select_related("person")
