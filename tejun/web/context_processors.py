from tejun.access.policy import can


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
    }
