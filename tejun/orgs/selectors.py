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


def _valid_assignments(body_id: int, at: datetime) -> QuerySet[RoleAssignment]:
    day = timezone.localdate(at)
    return RoleAssignment.objects.filter(body_id=body_id, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def absent_person_ids(body: Body | int, at: datetime | None = None) -> set[int]:
    at = at or timezone.now()
    body_id = body.pk if isinstance(body, Body) else body
    return set(
        Absence.objects.filter(body_id=body_id, starts_at__lte=at, ends_at__gt=at).values_list("person_id", flat=True)
    )


def _people_of(assignments, by_post: dict[int, list[User]]) -> list[tuple[User, RoleAssignment]]:
    """Expand assignments to (person, assignment), a post assignment meaning every active holder of the post.

    Only active people of the assignment's own body count: an assignment naming another body's
    person or post (inconsistent data) grants nothing.
    """
    pairs = []
    for a in assignments:
        people = [a.person] if a.person_id else by_post.get(a.post_id, [])
        pairs.extend((p, a) for p in people if p.is_active and p.body_id == a.body_id)
    return pairs


def _post_holders(assignments) -> dict[int, list[User]]:
    post_ids = {a.post_id for a in assignments if a.post_id}
    by_post: dict[int, list[User]] = {}
    if post_ids:
        for person in User.objects.filter(post_id__in=post_ids, is_active=True):
            by_post.setdefault(person.post_id, []).append(person)
    return by_post


def role_holders(body: Body | int, role: str, at: datetime | None = None) -> list[Holder]:
    """Who can act as `role` in `body` at `at` (default now).

    The principal holders who are present; when every principal is absent (or
    there is none), the deputies who are present. Absent principals are listed
    last with absent=True so the caller can show who is away.
    """
    return holders_of_roles(body, [role], at)[role]


def holders_of_roles(body: Body | int, roles, at: datetime | None = None) -> dict[str, list[Holder]]:
    """role_holders() for several roles at once (role -> holders), in at most three queries whatever the number
    of roles (a page listing every role would otherwise ask three per role)."""
    at = at or timezone.now()
    body_id = body.pk if isinstance(body, Body) else body
    roles = list(roles)
    all_assignments = list(_valid_assignments(body_id, at).filter(role__in=roles).select_related("person"))
    absent = absent_person_ids(body_id, at)
    by_post = _post_holders(all_assignments)
    return {role: _holders([a for a in all_assignments if a.role == role], role, absent, by_post)
            for role in roles}


def _holders(assignments, role: str, absent: set[int], by_post: dict[int, list[User]]) -> list[Holder]:
    principals = _people_of([a for a in assignments if not a.is_deputy], by_post)
    deputies = _people_of([a for a in assignments if a.is_deputy], by_post)
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


def principal_present(body: Body | int, role: str, at: datetime | None = None) -> bool:
    """Is any principal (not deputy) holder of `role` present? False means 代決 is allowed."""
    return any(not h.deputy and not h.absent for h in role_holders(body, role, at))


def acting_roles(user: User, at: datetime | None = None) -> dict[str, Holder]:
    """The roles `user` can act in now: principal roles, and deputy roles whose principals are all absent.

    Deputy roles agree with role_holders(): the deputy acts only while present and while no
    principal holder of the role is present. Inactive people act in nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.body_id:
        return {}
    return acting_roles_of_people(user.body_id, [user], at)[user.pk]


def acting_roles_of_people(body: Body | int, people, at: datetime | None = None) -> dict[int, dict[str, Holder]]:
    """acting_roles() for many people of one body (person pk -> roles), in a bounded number of queries:
    one for the assignments, and role_holders() once per deputy role involved."""
    at = at or timezone.now()
    body_id = body.pk if isinstance(body, Body) else body
    result: dict[int, dict[str, Holder]] = {p.pk: {} for p in people}
    people = [p for p in people if p.is_active and p.body_id == body_id]
    if not people:
        return result
    own = Q(person_id__in=[p.pk for p in people])
    post_ids = {p.post_id for p in people if p.post_id}
    if post_ids:
        own |= Q(post_id__in=post_ids, post__body_id=body_id)
    assignments = list(_valid_assignments(body_id, at).filter(own))
    deputies_now: dict[str, set[int]] = {}
    for person in people:
        mine = [a for a in assignments if a.person_id == person.pk or (person.post_id and a.post_id == person.post_id)]
        roles = result[person.pk]
        for a in mine:
            if not a.is_deputy:
                roles[a.role] = Holder(person, a.role, deputy=False, absent=False)
        for role in sorted({a.role for a in mine if a.is_deputy} - roles.keys()):
            if role not in deputies_now:
                deputies_now[role] = {h.person.pk for h in role_holders(body_id, role, at) if h.deputy}
            if person.pk in deputies_now[role]:
                roles[role] = Holder(person, role, deputy=True, absent=False)
    return result


def holds_role(user: User, role: str, at: datetime | None = None) -> bool:
    return role in acting_roles(user, at)


def people_of_body(user: User) -> QuerySet[User]:
    from django.db.models import Exists, OuterRef

    from .models import SecondFactor

    confirmed = SecondFactor.objects.filter(user=OuterRef("pk"), confirmed_at__isnull=False)
    return (User.objects.filter(body_id=user.body_id).select_related("post")
            .annotate(has_second_factor=Exists(confirmed)).order_by("furigana", "login_id"))


def role_assignments_of_body(user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(body_id=user.body_id).select_related("person", "post")


def absences_of_body(user: User) -> QuerySet[Absence]:
    return Absence.objects.filter(body_id=user.body_id).select_related("person")
