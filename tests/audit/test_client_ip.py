"""Which address the audit log records: REMOTE_ADDR, unless our own proxy is declared in front."""

from django.test import RequestFactory

from tejun.audit.middleware import client_ip


def _request(**meta):
    return RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", **meta)


def test_a_forwarded_header_is_ignored_without_a_declared_proxy(settings):
    settings.TEJUN_BEHIND_PROXY = False
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="10.0.0.9")) == "127.0.0.1"


def test_behind_the_proxy_the_address_nginx_saw_is_kept(settings):
    settings.TEJUN_BEHIND_PROXY = True
    # A client may send its own header; nginx appends the real address last.
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3")) == "10.1.2.3"
    assert client_ip(_request()) == "127.0.0.1"


def test_the_login_is_audited_with_the_forwarded_address(settings, client, staff, password):
    from tejun.audit.models import AuditEvent

    settings.TEJUN_BEHIND_PROXY = True
    client.post("/login/", {"username": staff.login_id, "password": password}, HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert AuditEvent.objects.filter(action="login").latest("id").ip_address == "10.1.2.3"
