"""Logins, logouts and failed logins go into the audit chain."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tejun.audit.middleware import client_ip
from tejun.audit.services import record

from .models import User


def _ip(request):
    return client_ip(request) if request is not None else ""


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    record(user, "login", user, ip_address=_ip(request))


@receiver(user_logged_in)
def start_second_step(sender, request, user, **kwargs):
    """Every login starts with the second step not done; a person who needs none is marked at once,
    so SecondFactorMiddleware costs no query on their requests."""
    from .middleware import SECOND_FACTOR_OK
    from .second_factor import confirmed_device, required

    session = getattr(request, "session", None)
    if session is None:
        return
    from tejun.web.middleware import IdleSessionMiddleware

    session[IdleSessionMiddleware.KEY] = int(time.time())  # written now, with the login
    session.pop(SECOND_FACTOR_OK, None)
    if confirmed_device(user) is None and not required(user):
        session[SECOND_FACTOR_OK] = "not-needed"


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        record(user, "logout", user, ip_address=_ip(request))


@receiver(user_login_failed)
def audit_failed_login(sender, credentials, request=None, **kwargs):
    login_id = (credentials or {}).get("username") or (credentials or {}).get("login_id") or ""
    target = User.objects.filter(login_id=login_id).first()
    # The attempted login id is kept, never the password. django-axes (whose receiver runs first)
    # marks the request when this failure locks the login id or the id was already locked.
    after = {"login_id": login_id[:64]}
    if getattr(request, "axes_locked_out", False):
        after["locked_out"] = True
    record(None, "login_failed", target, after=after, object_repr=login_id[:64], ip_address=_ip(request))
