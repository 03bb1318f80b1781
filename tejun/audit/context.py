"""Who is acting and from where, for the duration of one request or command."""

from contextvars import ContextVar

current_ip: ContextVar[str] = ContextVar("tejun_current_ip", default="")
