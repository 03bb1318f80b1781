"""Response headers that make the browser refuse what Tejun never does.

Content-Security-Policy: scripts only from the app's own files (no inline script, no eval), nothing from
another origin (the app runs on a closed network), no framing, forms post only to the app. Inline style
attributes stay allowed: they cannot run code. A response that already carries its own, stricter
policy (a downloaded attachment: "default-src 'none'; sandbox") keeps it.
"""

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
