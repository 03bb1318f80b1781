"""The idle timeout: activity extends the session (written at most once a minute); idleness ends it."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from tejun.web.middleware import IdleSessionMiddleware


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_activity_after_a_minute_extends_the_session(login, staff, settings):
    client = login(staff)
    assert client.get("/tasks/").status_code == 200
    first = _expiry(client)
    # Pretend the last write was two minutes ago: the next request writes a new expiry.
    session = client.session
    session[IdleSessionMiddleware.KEY] = session[IdleSessionMiddleware.KEY] - 120
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=first - timedelta(minutes=2))
    client.get("/tasks/")
    assert _expiry(client) > first - timedelta(minutes=2)
    assert abs((_expiry(client) - timezone.now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 30


def test_requests_within_the_minute_do_not_write_the_session(login, staff, django_assert_num_queries):
    client = login(staff)
    client.get("/tasks/")
    before = _expiry(client)
    client.get("/tasks/")
    assert _expiry(client) == before


def test_an_idle_session_has_ended(login, staff):
    client = login(staff)
    client.get("/tasks/")
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/tasks/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
