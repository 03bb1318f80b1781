"""PLACEHOLDER until the pages land: every view answers 501."""
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


export_xlsx = _todo
export_pdf = _todo
import_template = _todo
import_upload = _todo
import_preview = _todo
import_commit = _todo
