"""What every API view shares: the acting user must belong to a body, and services do the writes."""

from django.utils.translation import gettext as _
from rest_framework import permissions

from tejun.orgs.services import password_expired


class BodyMember(permissions.BasePermission):
    """Logged in, in a body, and the password not expired (P-07 applies to the API too)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.body_id):
            return False
        if password_expired(user):
            self.message = _("パスワードの有効期間が過ぎています。画面からパスワードを変更してください。")
            return False
        return True
