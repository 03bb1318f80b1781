"""Files of policy documents: PDF (checked by lib.uploads), and Word/Excel files checked by their ZIP contents.

Kept here rather than in lib/uploads.py so that no other app starts accepting Office files by accident.
"""

import hashlib
import zipfile

from django.utils.translation import gettext as _

from tejun.lib.errors import InvalidInput
from tejun.lib.uploads import MAX_UPLOAD_BYTES, CheckedUpload, check_upload

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An OOXML file is a ZIP whose main part names the kind; macros (vbaProject.bin) are refused.
OOXML_MAIN_PART = {DOCX: ("word/document.xml", ".docx"), XLSX: ("xl/workbook.xml", ".xlsx")}


def _bad_type(field: str):
    message = _("ファイルの形式が正しくありません（PDF・Word（.docx）・Excel（.xlsx）のみ）。")
    return InvalidInput(message, fields={field: [message]})


def _ooxml_type(uploaded) -> str | None:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return None
    for content_type, (part, _ext) in OOXML_MAIN_PART.items():
        if part in names:
            return content_type
    return None


def check_policy_file(uploaded, *, field: str = "file") -> CheckedUpload:
    """A PDF, .docx or .xlsx (by content, not by name), within the size limit."""
    if uploaded is None:
        return check_upload(None, field=field)
    uploaded.seek(0)
    head = uploaded.read(4)
    uploaded.seek(0)
    if not head.startswith(b"PK\x03\x04"):
        try:
            return check_upload(uploaded, field=field, allowed=("application/pdf",))
        except InvalidInput as e:
            if uploaded.size > MAX_UPLOAD_BYTES:
                raise
            raise _bad_type(field) from e
    if uploaded.size > MAX_UPLOAD_BYTES:
        return check_upload(uploaded, field=field)  # the same "too large" message
    content_type = _ooxml_type(uploaded)
    if content_type is None:
        raise _bad_type(field)
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    name = (getattr(uploaded, "name", "") or "file").replace("/", "_").replace("\\", "_")[-150:]
    uploaded.name = f"{digest.hexdigest()[:16]}{OOXML_MAIN_PART[content_type][1]}"
    return CheckedUpload(uploaded, content_type, digest.hexdigest(), uploaded.size, name)
