"""JSON errors with a message: 400 bad input, 403 not allowed, 404 not visible, 409 wrong state."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from tejun.lib.errors import DomainError


def _error(status_code, code, message, fields=None):
    body = {"error": {"code": code, "message": str(message)}}
    if fields:
        body["error"]["fields"] = {k: [str(m) for m in (v if isinstance(v, list | tuple) else [v])]
                                   for k, v in fields.items()}
    return Response(body, status=status_code)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return _error(exc.status, exc.code, exc.message, exc.fields)
    if isinstance(exc, ValidationError):
        return _error(400, "invalid", _("入力内容を確認してください。"),
                      exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    if isinstance(exc, Http404 | exceptions.NotFound):
        return _error(404, "not_found", _("見つかりません。"))
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return _error(400, "invalid", _("入力内容を確認してください。"), detail)
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        return _error(exc.status_code, "not_authenticated", _("ログインしてください。"))
    if isinstance(exc, exceptions.PermissionDenied):
        return _error(403, "forbidden", exc.detail if exc.detail != exceptions.PermissionDenied.default_detail
                      else _("この操作を行う権限がありません。"))
    response = drf_handler(exc, context)
    if response is not None:
        message = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        return _error(response.status_code, getattr(exc, "default_code", "error"), message)
    return None
