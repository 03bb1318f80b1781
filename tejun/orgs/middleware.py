"""After the body's expiry period the user must change the password before anything else (P-07)."""

from django.shortcuts import redirect
from django.urls import reverse

from .services import password_expired

ALLOWED_PREFIXES = ("/static/", "/i18n/", "/api/")


class PasswordExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and password_expired(user):
            allowed = (reverse("password-change"), reverse("logout"))
            if not request.path.startswith(ALLOWED_PREFIXES) and request.path not in allowed:
                return redirect(f"{reverse('password-change')}?expired=1")
        return self.get_response(request)
