"""Named users per role, in one body, and an outsider in another (the healthchecks test-base idea)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tejun.orgs.models import Absence
from tejun.orgs.roles import Role

from .factories import PASSWORD, BodyFactory, UserFactory, give_role


@pytest.fixture(autouse=True)
def _japanese(settings):
    settings.LANGUAGE_CODE = "ja"
    # Fast hashing keeps the suite quick; the algorithms themselves are Django's, not ours.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test client speaks plain HTTP; production's HTTPS redirect is checked by `make check-deploy`.
    settings.SECURE_SSL_REDIRECT = False
    # Production serves hashed files after collectstatic; tests read the sources.
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture
def body(db):
    return BodyFactory(name="テスト町議会")


@pytest.fixture
def other_body(db):
    return BodyFactory(name="よその市議会")


def _person(body, login_id, name, *roles):
    user = UserFactory(body=body, login_id=login_id, full_name=name)
    for role in roles:
        give_role(user, role)
    return user


@pytest.fixture
def supreme_admin(body):
    return _person(body, "fukugicho", "副議長 一郎", Role.SUPREME_ADMIN, Role.STAFF)


@pytest.fixture
def manager(body):
    return _person(body, "kyokucho", "局長 花子", Role.MANAGER, Role.STAFF)


@pytest.fixture
def officer(body):
    return _person(body, "sekinin", "責任 太郎", Role.OFFICER, Role.STAFF)


@pytest.fixture
def staff_in_charge(body):
    return _person(body, "tanto", "担当 次郎", Role.STAFF_IN_CHARGE, Role.STAFF)


@pytest.fixture
def auditor(body):
    return _person(body, "kansa", "監査 三郎", Role.AUDITOR, Role.STAFF)


@pytest.fixture
def staff(body):
    return _person(body, "shokuin1", "職員 四郎", Role.STAFF)


@pytest.fixture
def staff2(body):
    return _person(body, "shokuin2", "職員 五郎", Role.STAFF)


@pytest.fixture
def vendor(body):
    return _person(body, "vendor1", "業者 六郎", Role.VENDOR)


@pytest.fixture
def outsider(other_body):
    """An officer and manager of another body: everything of ours must be 404 to them."""
    return _person(other_body, "yoso", "他所 七郎", Role.OFFICER, Role.MANAGER, Role.STAFF, Role.AUDITOR)


@pytest.fixture
def make_absent():
    def make(person, hours=8, reason="出張"):
        now = timezone.now()
        return Absence.objects.create(body=person.body, person=person, starts_at=now - timedelta(hours=1),
                                      ends_at=now + timedelta(hours=hours), reason=reason)
    return make


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client
    return do


@pytest.fixture
def api():
    def make(user=None):
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c
    return make


@pytest.fixture
def password():
    return PASSWORD
