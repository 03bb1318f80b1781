"""Shared by the governance, dashboard and notify tests: a promoter, files, documents and a campaign."""

import io
import zipfile
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tejun.governance import services
from tejun.governance.models import PolicyDocument
from tejun.orgs.roles import Role
from tests.factories import UserFactory, give_role

TODAY = timezone.localdate
PDF_BYTES = b"%PDF-1.4\n% test policy\n"
DOCX_MAIN = "word/document.xml"


def make_promoter(body, login_id="suishin"):
    user = UserFactory(body=body, login_id=login_id, full_name="推進 八郎")
    give_role(user, Role.PROMOTER)
    give_role(user, Role.STAFF)
    return user


def pdf(name="policy.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def ooxml(name, main_part, extra=()):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(main_part, "<x/>")
        for part in extra:
            z.writestr(part, "x")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/octet-stream")


def documents(promoter, next_review_due: date | None = None) -> dict[str, PolicyDocument]:
    services.setup_documents(actor=promoter, next_review_due=next_review_due)
    return {d.kind: d for d in PolicyDocument.objects.filter(body=promoter.body)}


def procedures_with_version(promoter):
    doc = documents(promoter)["procedures"]
    version = services.add_version(doc, actor=promoter, file=pdf(), effective_on=TODAY(), summary="初版")
    doc.refresh_from_db()
    return doc, version


def campaign(promoter, due_in_days=14, **kwargs):
    return services.start_campaign(actor=promoter, due_on=TODAY() + timedelta(days=due_in_days), **kwargs)


def all_yes(campaign_):
    return {i.pk: ("yes", "") for i in campaign_.items.all()}
