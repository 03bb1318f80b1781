from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from tejun.access.policy import can

from .roles import Role
from .selectors import absences_of_body, holders_of_roles, people_of_body, role_assignments_of_body


@login_required
def people(request):
    user = request.user
    if not can(user, "orgs.view_people"):
        return render(request, "web/forbidden.html", {"message": _("職員一覧を閲覧する権限がありません。")}, status=403)
    holders = holders_of_roles(user.body, [role.value for role in Role])
    roles_now = [(role, holders[role.value]) for role in Role]
    return render(request, "orgs/people.html", {
        "people": people_of_body(user), "roles_now": roles_now,
        "assignments": role_assignments_of_body(user).order_by("role", "is_deputy", "valid_from"),
        "absences": absences_of_body(user)[:50],
        "can_manage": can(user, "orgs.manage_people"),
    })
