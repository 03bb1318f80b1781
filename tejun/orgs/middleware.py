"""What must happen after the password, before anything else: the second factor, then an expired password (P-07)."""

from urllib.parse import urlencode

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


SECOND_FACTOR_OK = "tejun_second_factor_ok"  # session key: this login passed (or needs no) second step
SECOND_FACTOR_FREE = ("/static/", "/i18n/", "/account/second-factor/", "/backups/ping/")


class SecondFactorMiddleware:
    """After the password, a person with an authenticator app (or whose role requires one) must give a code
    before anything else; pages redirect to the code or set-up page, the API answers 403 in JSON.
    Token-authenticated API calls are not seen here: the token itself is issued only with a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not request.session.get(SECOND_FACTOR_OK)
                and not request.path.startswith(SECOND_FACTOR_FREE) and request.path != reverse("logout")):
            response = self._second_step(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _second_step(self, request, user):
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        from .second_factor import confirmed_device, required

        device = confirmed_device(user)
        if device is None and not required(user):
            request.session[SECOND_FACTOR_OK] = "not-needed"  # checked once per login
            return None
        if request.path.startswith("/api/"):
            message = (_("確認コードの入力が済んでいません。画面からログインし直してください。") if device
                       else _("二要素認証の設定が必要です。画面から設定してください。"))
            return JsonResponse({"error": {"code": "second_factor_required", "message": message, "fields": {}}},
                                status=403)
        target = "second-factor-verify" if device else "second-factor-setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
