"""Model validation that the admin and imports rely on: nothing links two bodies."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tejun.orgs.models import Absence, RoleAssignment
from tejun.orgs.roles import Role

from ..factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def messages(exc):
    return {k: " ".join(v) for k, v in exc.value.message_dict.items()}


def test_role_assignment_must_name_own_bodys_person_or_post(body, other_body):
    theirs = UserFactory(body=other_body)
    their_post = PostFactory(body=other_body)
    with pytest.raises(ValidationError) as exc:
        RoleAssignment(body=body, role=Role.OFFICER, person=theirs).full_clean()
    assert "この団体の職員ではありません。" in messages(exc)["person"]
    with pytest.raises(ValidationError) as exc:
        RoleAssignment(body=body, role=Role.OFFICER, post=their_post).full_clean()
    assert "この団体の役職ではありません。" in messages(exc)["post"]
    RoleAssignment(body=other_body, role=Role.OFFICER, person=theirs).full_clean()


def test_role_assignment_constraints_speak_japanese(body):
    person = UserFactory(body=body)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        RoleAssignment(body=body, role=Role.OFFICER).full_clean()
    assert "職員か役職のどちらか一方を指定してください。" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        RoleAssignment(body=body, role=Role.OFFICER, person=person, valid_from=today,
                       valid_to=today - timedelta(days=1)).full_clean()
    assert "終了日は開始日以降にしてください。" in str(exc.value)


def test_absence_must_be_of_own_bodys_person_and_in_order(body, other_body):
    now = timezone.now()
    theirs = UserFactory(body=other_body)
    with pytest.raises(ValidationError) as exc:
        Absence(body=body, person=theirs, starts_at=now, ends_at=now + timedelta(hours=1)).full_clean()
    assert "この団体の職員ではありません。" in messages(exc)["person"]
    with pytest.raises(ValidationError) as exc:
        Absence(body=other_body, person=theirs, starts_at=now, ends_at=now).full_clean()
    assert "終了は開始より後にしてください。" in str(exc.value)


def test_person_post_must_be_of_own_body(body, other_body):
    person = UserFactory(body=body, post=PostFactory(body=other_body))
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert "この団体の役職ではありません。" in messages(exc)["post"]
    person.post = PostFactory(body=body)
    person.full_clean()
