"""/dashboard/: one page each morning — overdue per area, the backup board, incidents per month, what comes due."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.access.policy import can

from . import selectors


@login_required
def index(request):
    user = request.user
    if not can(user, "dashboard.view"):
        return render(request, "web/forbidden.html", {"message": _("ダッシュボードを閲覧する権限がありません。")},
                      status=403)
    d = selectors.dashboard(user, timezone.localdate())
    return render(request, "dashboard/index.html", {
        "today": d.today, "areas": d.areas, "overdue_total": d.overdue_total, "board": d.board, "chart": d.chart,
        "coming": d.coming,
    })
