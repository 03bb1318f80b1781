"""API tokens: POST /api/v1/auth/token/ with login_id and password; DELETE to discard the token.

The login goes through the same machinery as the login page: django-axes counts failures and
locks the login id (P-07), and the login, failed login and logout are written to the audit chain
(orgs.signals). DRF's obtain_auth_token is not used: it bypasses neither axes' need for the
Django request nor our `login_id` field name, and it would not audit the login.
"""

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in, user_logged_out
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from tejun.lib.errors import DomainError, Forbidden, InvalidInput
from tejun.orgs.services import password_expired

from .base import StrictFields


class LockedOut(DomainError):
    status = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)  # the login page answers the same
    code = "locked_out"


class LoginSerializer(StrictFields, serializers.Serializer):
    login_id = serializers.CharField(max_length=64)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True,
                                     style={"input_type": "password"})
    otp = serializers.CharField(max_length=20, required=False, allow_blank=True, write_only=True,
                                help_text=gettext_lazy("二要素認証を設定している場合：認証アプリの確認コード"))


def _check_second_factor(user, code: str) -> None:
    """A token is a login: with an authenticator app set up, it needs the app's code too."""
    from tejun.orgs import second_factor

    if second_factor.confirmed_device(user) is not None:
        if not code:
            raise InvalidInput(_("確認コードを入力してください（otp）。"), fields={"otp": [_("確認コードを入力してください。")]})
        second_factor.verify(user, code)
    elif second_factor.required(user):
        raise Forbidden(_("二要素認証の設定が必要です。画面から設定してください。"))


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class TokenView(APIView):
    """POST: log in and get the user's token. DELETE: discard the token (log out everywhere it is used)."""

    def _logging_in(self) -> bool:
        return getattr(getattr(self, "request", None), "method", None) == "POST"

    def get_authenticators(self):
        # Logging in needs no authentication (and so no CSRF token); discarding a token does.
        if self._logging_in():
            return []
        return super().get_authenticators()

    def get_permissions(self):
        if self._logging_in():
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    @extend_schema(request=LoginSerializer, auth=[], responses={
        200: TokenSerializer,
        400: OpenApiResponse(description=gettext_lazy("ログインIDまたはパスワードが正しくありません。")),
        403: OpenApiResponse(description=gettext_lazy("団体に属していない、パスワードの有効期間が過ぎている、または二要素認証の設定が必要です。")),
        429: OpenApiResponse(description=gettext_lazy("ログインの失敗が続いたため、一時的にロックされています。")),
    })
    def post(self, request):
        s = LoginSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        django_request = request._request  # axes keeps its state on the Django request
        user = authenticate(django_request, username=s.validated_data["login_id"],
                            password=s.validated_data["password"])
        if getattr(django_request, "axes_locked_out", False):
            # Answer in JSON ourselves: otherwise AxesMiddleware swaps in the HTML lockout page.
            django_request.axes_locked_out = False
            raise LockedOut(_("ログインの失敗が続いたため、このログインIDは一時的にロックされています。"
                              "しばらくしてから再度お試しください。"))
        if user is None:
            raise InvalidInput(_("ログインIDまたはパスワードが正しくありません。"))
        if not user.body_id:
            raise Forbidden(_("団体に属していないアカウントでは API を使えません。"))
        if password_expired(user):
            raise Forbidden(_("パスワードの有効期間が過ぎています。画面からパスワードを変更してください。"))
        _check_second_factor(user, s.validated_data.get("otp", ""))
        # Audits the login (orgs.signals), resets axes' failure count and sets last_login.
        user_logged_in.send(sender=type(user), request=django_request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response(TokenSerializer({"token": token.key}).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        deleted, _rows = Token.objects.filter(user=request.user).delete()
        if deleted:
            user_logged_out.send(sender=request.user.__class__, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
