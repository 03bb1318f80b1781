"""PLACEHOLDER until the pages land: every view answers 501."""
from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


asset_list = _todo
asset_new = _todo
asset_detail = _todo
asset_edit = _todo
asset_confirm = _todo
asset_dispose = _todo
scheme = _todo
level_edit = _todo
scheme_change = _todo
