"""Shared by the carry-out-of-a-medium, disposal and document tests: media made in one call.

Media are created directly (not through the register's services) so these tests depend only on the
models; the register's own tests cover registration.
"""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tejun.assets.schemes import active_scheme, levels_of
from tejun.media.models import Cabinet, Medium, MediumException

# The smallest valid PNG: 1x1 pixel.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c63382127070002b6010534a675aa0000000049454e44ae426082"
)


def level(body, code: str):
    """The confidentiality level `code` ("1", "2", "3") of the body's active scheme."""
    return next(lv for lv in levels_of(active_scheme(body))["confidentiality"] if lv.code == code)


def cabinet(body, name="書庫キャビネットA"):
    return Cabinet.objects.get_or_create(body=body, name=name, defaults={"place": "議会事務局 書庫", "lockable": True})[0]


def exception_for(body, requester, *, kind="usb", days=30, state="approved", valid_from=None):
    start = valid_from or timezone.localdate() - timedelta(days=1)
    n = MediumException.objects.filter(body=body).count() + 1
    return MediumException.objects.create(
        body=body, requester=requester, state=state, number=f"EX-T-{n:04d}", kind=kind,
        purpose="議会中継の録画データの受け渡し", medium_description="USBメモリ 32GB",
        valid_from=start, valid_to=start + timedelta(days=days))


def medium(body, custodian, *, number=None, kind="hdd", level_code="2", status="stored", exception=None,
           owner="body", encrypted=True):
    n = Medium.objects.filter(body=body).count() + 1
    return Medium.objects.create(
        body=body, number=number or f"M-{n:03d}", kind=kind, product="外付けHDD 1TB", serial=f"SN{n:05d}",
        capacity="1TB", encrypted=encrypted, owner=owner, custodian=custodian, cabinet=cabinet(body),
        highest_level=level(body, level_code) if level_code else None, exception=exception, status=status)


def png_upload(name="photo.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def pdf_upload(name="certificate.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")


def text_as_png(name="photo.png"):
    """A text file that claims to be a PNG by its name and content type."""
    return SimpleUploadedFile(name, "これは写真ではありません".encode(), content_type="image/png")


def destruction_fields(**overrides) -> dict:
    fields = {
        "method": "crush", "performer": "業者 破砕担当", "witness": "職員 立会", "place": "議会事務局 会議室",
        "performed_at": timezone.now() - timedelta(hours=1), "certificate_number": "",
    }
    fields.update(overrides)
    return fields


def as_file(data: bytes, name: str):
    f = io.BytesIO(data)
    f.name = name
    return f
