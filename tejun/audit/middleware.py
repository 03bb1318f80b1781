from django.conf import settings

from .context import current_ip


def client_ip(request) -> str:
    """The address the audit log records. X-Forwarded-For is client-controlled, so it counts only when
    TEJUN_BEHIND_PROXY says our own nginx sets it; then its last entry is the address nginx saw."""
    if getattr(settings, "TEJUN_BEHIND_PROXY", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1][:45]
    return request.META.get("REMOTE_ADDR", "") or ""


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
