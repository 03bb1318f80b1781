"""The check-in URL a backup script calls: no login, no CSRF token, rate-limited, plain-text answers.

    curl -fsS -m 10 --retry 3 https://…/backups/ping/<token>/start
    curl -fsS -m 10 --retry 3 --data-binary @backup.log https://…/backups/ping/<token>/success
    curl -fsS -m 10 --retry 3 https://…/backups/ping/<token>/$?      (the exit status: 0 success, else fail)

A wrong token is a 404 and writes nothing. The request body (the log) is read up to the log size
limit and cut there; it is never parsed as a form.
"""

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from tejun.audit.middleware import client_ip
from tejun.lib.errors import DomainError

from . import services


def _text(message: str, status: int) -> HttpResponse:
    response = HttpResponse(f"{message}\n", status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def _exit_status(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if -1024 <= number <= 1024 else None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ping(request, token, kind=None, exit_status=None):
    status = _exit_status(exit_status if exit_status is not None else request.GET.get("exit_status"))
    if kind is None:  # /ping/<token>/ alone is a success; /ping/<token>/<n> follows the exit status
        kind = "success" if not status else "fail"
    # Read the raw body (up to the limit, one byte more to know it was cut); never request.POST/request.body.
    data = request.read(services.MAX_LOG_BYTES + 1) if request.method == "POST" else b""
    try:
        services.ping(token, kind, data=data, exit_status=status, remote_ip=client_ip(request) or None)
    except DomainError as e:
        return _text({404: "not found", 429: "rate limited"}.get(e.status, "error"), e.status)
    return _text("OK", 200)
