from tejun.access.policy import can
from tejun.backups.selectors import can_see_backups


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from tejun.notify.models import Notification

    return {
        "unread_count": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        "nav_can_audit": can(user, "audit.view"),
        "nav_can_people": can(user, "orgs.view_people"),
        "nav_can_media": can(user, "media.view"),
        "nav_can_assets": can(user, "assets.view"),
        "nav_incidents_all": can(user, "incidents.view_all"),  # incidents: the list; others go to the report form
        **_vendor_nav(user),
        "nav_can_dashboard": can(user, "dashboard.view"),
        "nav_can_governance": can(user, "governance.view"),
        "nav_can_backups": can_see_backups(user),
    }


def _vendor_nav(user) -> dict:
    """vendors: staff see every contractor; a vendor account sees its own contractor's pages."""
    from tejun.vendors.selectors import contractor_of

    staff = can(user, "vendors.view")
    return {"nav_can_vendors_staff": staff, "nav_can_vendors": staff or contractor_of(user) is not None}
