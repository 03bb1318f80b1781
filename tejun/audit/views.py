from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tejun.access.policy import can
from tejun.lib.pagination import IdPaginator
from tejun.orgs.selectors import people_of_body

from .forms import AuditFilterForm
from .selectors import audit_events, chain_length


@login_required
def event_list(request):
    if not can(request.user, "audit.view"):
        return render(request, "web/forbidden.html",
                      {"message": _("監査ログを閲覧できるのは管理者・統括管理者・監査担当だけです。")}, status=403)
    form = AuditFilterForm(request.GET or None, people=people_of_body(request.user))
    filters = {}
    if form.is_valid():
        d = form.cleaned_data
        filters = {"actor_id": d["actor"].pk if d["actor"] else None, "action": d["action"],
                   "object_type": d["object_type"], "object_id": d["object_id"],
                   "date_from": d["date_from"], "date_to": d["date_to"]}
    qs = audit_events(request.user, **filters)
    if form.is_bound and not form.is_valid():
        # A filter that could not be read must not silently widen to every event.
        qs = qs.none()
    paginator = IdPaginator(qs, 50)
    if not any(filters.values()) and not (form.is_bound and not form.is_valid()):
        # Unfiltered, the list is the body's whole chain, whose head knows its length: no COUNT(*) over
        # a million events on every page (110 ms on SQLite at the loadgen size).
        paginator.count = chain_length(request.user.body_id)
    page = paginator.get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(request, "audit/event_list.html", {"form": form, "page_obj": page,
                                                     "query": f"{query}&" if query else ""})
