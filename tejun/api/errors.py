"""JSON errors with a message, always shaped {"error": {"code", "message", "fields"}}.

400 bad input, 401 not logged in, 403 not allowed, 404 not visible, 405 method not allowed,
409 wrong state, 429 locked out. Input never turns into a 500: every error a request can
cause is mapped here.
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation, ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from tejun.lib.errors import DomainError

# Token authentication is the scheme a client can answer a 401 with (session users log in on the page).
AUTHENTICATE_HEADER = "Token"


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{k}: {m}" for k, v in value.items() for m in _messages(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _messages(v)]
    return [str(value)]


def error_body(code, message, fields=None) -> dict:
    return {"error": {"code": code, "message": str(message),
                      "fields": {str(k): _messages(v) for k, v in (fields or {}).items()}}}


def _error(status_code, code, message, fields=None, headers=None):
    return Response(error_body(code, message, fields), status=status_code, headers=headers)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return _error(exc.status, exc.code, exc.message, exc.fields)
    if isinstance(exc, ValidationError):
        return _error(400, "invalid", _("入力内容を確認してください。"),
                      exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    if isinstance(exc, Http404 | exceptions.NotFound):
        return _error(404, "not_found", _("見つかりません。"))
    if isinstance(exc, RequestDataTooBig):
        return _error(400, "too_large", _("送信された内容が大きすぎます。"))
    if isinstance(exc, SuspiciousOperation):
        return _error(400, "invalid", _("リクエストの形式が正しくありません。"))
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return _error(400, "invalid", _("入力内容を確認してください。"), detail)
    if isinstance(exc, exceptions.ParseError):
        return _error(400, "parse_error", _("リクエストの形式が正しくありません（JSON を確認してください）。"))
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _error(415, "unsupported_media_type",
                      _("この形式のデータは受け付けません。application/json で送ってください。"))
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _error(405, "method_not_allowed", _("このURLではこの操作（%(method)s）はできません。")
                      % {"method": context["request"].method if context.get("request") else ""})
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # Always 401 with a WWW-Authenticate header, whichever authentication class came first.
        return _error(401, "not_authenticated", _("ログインしてください。"),
                      headers={"WWW-Authenticate": AUTHENTICATE_HEADER})
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        # A session (page) user writing without the CSRF token; token clients never need one.
        return _error(403, "csrf_failed", _("CSRFトークンがありません。画面を再読み込みしてからやり直してください。"))
    if isinstance(exc, exceptions.PermissionDenied):
        return _error(403, "forbidden", exc.detail if exc.detail != exceptions.PermissionDenied.default_detail
                      else _("この操作を行う権限がありません。"))
    response = drf_handler(exc, context)
    if response is not None:
        message = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        return _error(response.status_code, getattr(exc, "default_code", "error"), message,
                      headers={k: v for k, v in response.items() if k in ("Retry-After", "Allow")})
    return None


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other URL under /api/v1/: the same JSON 404 as an invisible object, not the HTML page."""
    return JsonResponse(error_body("not_found", _("見つかりません。")), status=404,
                        json_dumps_params={"ensure_ascii": False})
