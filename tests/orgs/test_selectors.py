"""Who holds which role now: role_holders, principal_present, acting_roles (orgs/selectors.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tejun.orgs.models import Absence, RoleAssignment
from tejun.orgs.roles import Role
from tejun.orgs.selectors import acting_roles, holds_role, principal_present, role_holders

from ..factories import PostFactory, UserFactory, give_role

pytestmark = pytest.mark.django_db


def names(holders):
    return [(h.person.login_id, h.deputy, h.absent) for h in holders]


def absent(person, *, start_hours=-1, end_hours=8):
    now = timezone.now()
    return Absence.objects.create(body=person.body, person=person, starts_at=now + timedelta(hours=start_hours),
                                  ends_at=now + timedelta(hours=end_hours))


# --- roles held by a person or through a post ----------------------------------------------------

def test_role_held_by_person(officer, staff):
    assert names(role_holders(officer.body, Role.OFFICER)) == [("sekinin", False, False)]
    assert set(acting_roles(officer)) == {Role.OFFICER, Role.STAFF}
    assert set(acting_roles(staff)) == {Role.STAFF}
    assert holds_role(officer, Role.OFFICER)
    assert not holds_role(staff, Role.OFFICER)


def test_role_held_through_post_follows_the_person_who_holds_the_post(body):
    jicho = PostFactory(body=body, name="事務局次長")
    shoki = PostFactory(body=body, name="書記")
    RoleAssignment.objects.create(body=body, role=Role.OFFICER, post=jicho)
    ueda = UserFactory(body=body, login_id="ueda", post=jicho)
    kato = UserFactory(body=body, login_id="kato", post=shoki)

    assert names(role_holders(body, Role.OFFICER)) == [("ueda", False, False)]
    assert Role.OFFICER in acting_roles(ueda)
    assert Role.OFFICER not in acting_roles(kato)

    # The April reshuffle: Kato moves into the post, Ueda moves out. Data changes, not code.
    ueda.post, kato.post = shoki, jicho
    ueda.save()
    kato.save()
    assert names(role_holders(body, Role.OFFICER)) == [("kato", False, False)]
    assert Role.OFFICER in acting_roles(kato)
    assert Role.OFFICER not in acting_roles(ueda)


def test_post_with_two_holders_gives_both_the_role(body):
    shoki = PostFactory(body=body, name="書記")
    RoleAssignment.objects.create(body=body, role=Role.STAFF_IN_CHARGE, post=shoki)
    a = UserFactory(body=body, login_id="a-san", furigana="あ", post=shoki)
    b = UserFactory(body=body, login_id="b-san", furigana="い", post=shoki)
    assert {h.person for h in role_holders(body, Role.STAFF_IN_CHARGE)} == {a, b}
    assert Role.STAFF_IN_CHARGE in acting_roles(a)
    assert Role.STAFF_IN_CHARGE in acting_roles(b)


def test_person_with_no_post_gets_no_post_roles(body):
    post = PostFactory(body=body)
    RoleAssignment.objects.create(body=body, role=Role.OFFICER, post=post)
    nobody = UserFactory(body=body, post=None)
    assert acting_roles(nobody) == {}


# --- validity period -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("valid_from", "valid_to", "holds"),
    [
        (-10, None, True),    # open-ended, started
        (0, 0, True),         # today only: both ends inclusive
        (1, None, False),     # starts tomorrow
        (-10, -1, False),     # ended yesterday
        (-10, 0, True),       # ends today
        (5, 10, False),       # future period
    ],
)
def test_validity_period(body, valid_from, valid_to, holds):
    today = timezone.localdate()
    person = UserFactory(body=body, login_id="kikan")
    give_role(person, Role.OFFICER, valid_from=today + timedelta(days=valid_from),
              valid_to=None if valid_to is None else today + timedelta(days=valid_to))
    assert (Role.OFFICER in acting_roles(person)) is holds
    assert bool(role_holders(body, Role.OFFICER)) is holds
    assert principal_present(body, Role.OFFICER) is holds


def test_validity_period_at_a_given_time(body):
    today = timezone.localdate()
    person = UserFactory(body=body)
    give_role(person, Role.OFFICER, valid_from=today + timedelta(days=3))
    later = timezone.now() + timedelta(days=4)
    assert Role.OFFICER not in acting_roles(person)
    assert Role.OFFICER in acting_roles(person, at=later)
    assert role_holders(body, Role.OFFICER, at=later)[0].person == person


# --- absences and deputies -----------------------------------------------------------------------

def test_absence_covering_now_marks_principal_absent(officer):
    absent(officer)
    assert names(role_holders(officer.body, Role.OFFICER)) == [("sekinin", False, True)]
    assert not principal_present(officer.body, Role.OFFICER)


@pytest.mark.parametrize(("start", "end"), [(-5, -1), (1, 5)])
def test_absence_not_covering_now_changes_nothing(officer, start, end):
    absent(officer, start_hours=start, end_hours=end)
    assert names(role_holders(officer.body, Role.OFFICER)) == [("sekinin", False, False)]
    assert principal_present(officer.body, Role.OFFICER)


def test_absence_ending_exactly_now_is_over(officer):
    at = timezone.now()
    Absence.objects.create(body=officer.body, person=officer, starts_at=at - timedelta(hours=2), ends_at=at)
    assert principal_present(officer.body, Role.OFFICER, at=at)


def test_deputy_acts_only_when_every_principal_is_absent(body, officer, staff_in_charge):
    second = UserFactory(body=body, login_id="sekinin2", furigana="せきにん2")
    give_role(second, Role.OFFICER)
    give_role(staff_in_charge, Role.OFFICER, deputy=True)

    # Both principals present: the deputy is not a holder and cannot act as officer.
    assert Role.OFFICER not in acting_roles(staff_in_charge)
    assert {h.person.login_id for h in role_holders(body, Role.OFFICER)} == {"sekinin", "sekinin2"}

    # One principal away: the other still holds it, so still no deputy.
    absent(officer)
    assert Role.OFFICER not in acting_roles(staff_in_charge)
    assert principal_present(body, Role.OFFICER)
    assert names(role_holders(body, Role.OFFICER)) == [("sekinin2", False, False), ("sekinin", False, True)]

    # Every principal away: the deputy acts, marked as deputy; principals listed as absent.
    absent(second)
    holder = acting_roles(staff_in_charge)[Role.OFFICER]
    assert holder.deputy is True
    assert not principal_present(body, Role.OFFICER)
    holders = role_holders(body, Role.OFFICER)
    assert names(holders[:1]) == [("tanto", True, False)]
    assert {(h.person.login_id, h.absent) for h in holders[1:]} == {("sekinin", True), ("sekinin2", True)}
    # The deputy's own roles are unaffected.
    assert acting_roles(staff_in_charge)[Role.STAFF_IN_CHARGE].deputy is False


def test_deputy_acts_when_there_is_no_principal_at_all(body, staff_in_charge):
    give_role(staff_in_charge, Role.OFFICER, deputy=True)
    assert acting_roles(staff_in_charge)[Role.OFFICER].deputy is True
    assert names(role_holders(body, Role.OFFICER)) == [("tanto", True, False)]


def test_absent_deputy_does_not_act(body, officer, staff_in_charge):
    give_role(staff_in_charge, Role.OFFICER, deputy=True)
    absent(officer)
    absent(staff_in_charge)
    assert names(role_holders(body, Role.OFFICER)) == [("sekinin", False, True)]
    # One answer: acting_roles agrees with role_holders.
    assert Role.OFFICER not in acting_roles(staff_in_charge)


def test_deputy_through_post(body, officer):
    post = PostFactory(body=body, name="書記")
    RoleAssignment.objects.create(body=body, role=Role.OFFICER, post=post, is_deputy=True)
    clerk = UserFactory(body=body, login_id="shoki", post=post)
    assert Role.OFFICER not in acting_roles(clerk)
    absent(officer)
    assert acting_roles(clerk)[Role.OFFICER].deputy is True


def test_expired_deputy_assignment_does_not_act(body, officer, staff_in_charge):
    today = timezone.localdate()
    give_role(staff_in_charge, Role.OFFICER, deputy=True, valid_from=today - timedelta(days=30),
              valid_to=today - timedelta(days=1))
    absent(officer)
    assert Role.OFFICER not in acting_roles(staff_in_charge)


# --- inactive people and other bodies ------------------------------------------------------------

def test_inactive_people_hold_nothing(body, officer, staff_in_charge):
    post = PostFactory(body=body)
    RoleAssignment.objects.create(body=body, role=Role.MANAGER, post=post)
    gone = UserFactory(body=body, login_id="taishoku", post=post, is_active=False)
    give_role(gone, Role.SUPREME_ADMIN)
    officer.is_active = False
    officer.save()
    give_role(staff_in_charge, Role.OFFICER, deputy=True)

    assert role_holders(body, Role.MANAGER) == []
    assert role_holders(body, Role.SUPREME_ADMIN) == []
    assert acting_roles(gone) == {}
    assert acting_roles(officer) == {}
    # An inactive principal is no principal: the deputy acts.
    assert not principal_present(body, Role.OFFICER)
    assert acting_roles(staff_in_charge)[Role.OFFICER].deputy is True


def test_other_bodys_assignments_never_count(body, officer, outsider, other_body):
    # The outsider is officer of another body: not of ours.
    assert [h.person for h in role_holders(body, Role.OFFICER)] == [officer]
    assert [h.person for h in role_holders(other_body, Role.OFFICER)] == [outsider]
    # An assignment recorded under the other body, naming our officer, gives our officer nothing here.
    RoleAssignment.objects.create(body=other_body, role=Role.SUPREME_ADMIN, person=officer)
    assert Role.SUPREME_ADMIN not in acting_roles(officer)
    assert role_holders(body, Role.SUPREME_ADMIN) == []
    # The other body's officer being absent does not make our deputy act, nor does ours affect theirs.
    absent(outsider)
    assert principal_present(body, Role.OFFICER)
    assert not principal_present(other_body, Role.OFFICER)


def test_other_bodys_post_and_people_are_not_counted(body, other_body, staff):
    # Inconsistent data (an assignment of our body naming another body's person or post) grants nothing.
    their_post = PostFactory(body=other_body)
    theirs = UserFactory(body=other_body, login_id="yoso2", post=their_post)
    RoleAssignment.objects.create(body=body, role=Role.MANAGER, person=theirs)
    RoleAssignment.objects.create(body=body, role=Role.OFFICER, post=their_post)
    assert role_holders(body, Role.MANAGER) == []
    assert role_holders(body, Role.OFFICER) == []
    assert acting_roles(theirs) == {}


def test_anonymous_and_bodyless_users_have_no_roles(db):
    from django.contrib.auth.models import AnonymousUser

    assert acting_roles(AnonymousUser()) == {}
    assert acting_roles(UserFactory(body=None)) == {}


# --- query count -------------------------------------------------------------------------------

def test_acting_roles_query_count_is_bounded(body, django_assert_max_num_queries):
    post = PostFactory(body=body)
    person = UserFactory(body=body, post=post)
    for role in (Role.STAFF, Role.STAFF_IN_CHARGE, Role.PROMOTER):
        give_role(person, role)
    for role in (Role.OFFICER, Role.MANAGER, Role.SUPREME_ADMIN, Role.AUDITOR):
        RoleAssignment.objects.create(body=body, role=role, post=post, is_deputy=True)
        principal = UserFactory(body=body)
        give_role(principal, role)
        absent(principal)
    person = type(person).objects.get(pk=person.pk)  # nothing cached
    # One query for the user's assignments, and a fixed few per deputy role (at most every role).
    with django_assert_max_num_queries(1 + 3 * 4):
        roles = acting_roles(person)
    assert set(roles) == {Role.STAFF, Role.STAFF_IN_CHARGE, Role.PROMOTER, Role.OFFICER, Role.MANAGER,
                          Role.SUPREME_ADMIN, Role.AUDITOR}
    assert all(roles[r].deputy for r in (Role.OFFICER, Role.MANAGER, Role.SUPREME_ADMIN, Role.AUDITOR))


def test_role_holders_query_count_does_not_grow_with_people(body, django_assert_max_num_queries):
    post = PostFactory(body=body)
    RoleAssignment.objects.create(body=body, role=Role.STAFF, post=post)
    for _ in range(10):
        give_role(UserFactory(body=body), Role.STAFF)
        UserFactory(body=body, post=post)
    with django_assert_max_num_queries(3):
        assert len(role_holders(body, Role.STAFF)) == 20


def test_acting_roles_of_people_agrees_with_acting_roles(body, officer, staff_in_charge, staff, make_absent,
                                                         django_assert_max_num_queries):
    from tejun.orgs.selectors import acting_roles_of_people

    post = PostFactory(body=body)
    RoleAssignment.objects.create(body=body, role=Role.PROMOTER, post=post)
    staff.post = post
    staff.save()
    give_role(staff_in_charge, Role.OFFICER, deputy=True)
    gone = UserFactory(body=body, post=post, is_active=False)
    people = [officer, staff_in_charge, staff, gone]

    def one_by_one():
        return {p.pk: acting_roles(p) for p in people}

    assert acting_roles_of_people(body, people) == one_by_one()
    make_absent(officer)
    with django_assert_max_num_queries(1 + 3):
        many = acting_roles_of_people(body, people)
    assert many == one_by_one()
    assert many[staff_in_charge.pk][Role.OFFICER].deputy
    assert set(many[staff.pk]) == {Role.STAFF, Role.PROMOTER}
    assert many[gone.pk] == {}
