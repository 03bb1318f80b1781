"""Domain errors with a clear, translatable message. Pages and the API map them to 400/403/404/409."""


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message, *, fields: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.fields = fields or {}

    def text(self) -> str:
        """The message followed by each field's messages: for a page's one-line flash message."""
        details = [str(m) for ms in self.fields.values() for m in (ms if isinstance(ms, list | tuple) else [ms])]
        return f"{self.message} {'；'.join(details)}".strip() if details else str(self.message)


class InvalidInput(DomainError):
    status = 400
    code = "invalid"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class WrongState(DomainError):
    status = 409
    code = "wrong_state"
