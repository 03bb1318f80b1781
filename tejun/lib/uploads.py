"""Uploaded evidence (photos, certificates): checked by content, size-limited, stored outside static files.

Files go under MEDIA_ROOT/private/..., which no URL serves directly: a view that has
checked the permission streams them with Content-Disposition: attachment.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.http import FileResponse
from django.utils.translation import gettext as _

from .errors import InvalidInput

MAX_UPLOAD_BYTES = getattr(settings, "TEJUN_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)

# Magic numbers: the content decides the type, never the file name or the browser's claim.
SIGNATURES = {
    "image/png": [b"\x89PNG\r\n\x1a\n"],
    "image/jpeg": [b"\xff\xd8\xff"],
    "application/pdf": [b"%PDF-"],
}
IMAGES_AND_PDF = ("image/png", "image/jpeg", "application/pdf")
EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "application/pdf": ".pdf"}


@dataclass
class CheckedUpload:
    file: object          # the UploadedFile, rewound
    content_type: str
    sha256: str
    size: int
    original_name: str


def sniff(head: bytes) -> str | None:
    for content_type, prefixes in SIGNATURES.items():
        if any(head.startswith(p) for p in prefixes):
            return content_type
    return None


def check_upload(uploaded, *, field: str = "file", allowed=IMAGES_AND_PDF,
                 max_bytes: int | None = None) -> CheckedUpload:
    """Refuse anything that is not really an allowed type, or too large. Returns the file with its sha256."""
    max_bytes = max_bytes or MAX_UPLOAD_BYTES
    if uploaded is None:
        raise InvalidInput(_("ファイルを選択してください。"), fields={field: [_("ファイルを選択してください。")]})
    if uploaded.size > max_bytes:
        message = _("ファイルが大きすぎます（上限 %(mb)d MB）。") % {"mb": max_bytes // (1024 * 1024)}
        raise InvalidInput(message, fields={field: [message]})
    uploaded.seek(0)
    content_type = sniff(uploaded.read(16))
    if content_type not in allowed:
        names = "、".join({"image/png": "PNG", "image/jpeg": "JPEG", "application/pdf": "PDF"}[t] for t in allowed)
        message = _("ファイルの形式が正しくありません（%(types)s のみ）。") % {"types": names}
        raise InvalidInput(message, fields={field: [message]})
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    name = (getattr(uploaded, "name", "") or "file").replace("/", "_").replace("\\", "_")[-150:]
    # Store under a name of our own: the extension follows the content, not the client.
    uploaded.name = f"{digest.hexdigest()[:16]}{EXTENSIONS[content_type]}"
    return CheckedUpload(uploaded, content_type, digest.hexdigest(), uploaded.size, name)


def attachment_response(field_file, download_name: str) -> FileResponse:
    """Serve a stored file as a download (never rendered inline in the browser)."""
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=download_name or "file")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
