"""What every API view shares: the acting user must belong to a body, and services do the writes."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from rest_framework import permissions, serializers

from tejun.access.policy import forget_roles
from tejun.orgs.services import password_expired


class BodyMember(permissions.BasePermission):
    """Logged in, in a body, and the password not expired (P-07 applies to the API too)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.body_id):
            return False
        # Roles are cached on the user object for one request. A client authenticated with
        # force_authenticate (tests) reuses one object across requests: start each request afresh.
        forget_roles(user)
        if password_expired(user):
            self.message = _("パスワードの有効期間が過ぎています。画面からパスワードを変更してください。")
            return False
        return True


class StrictFields:
    """Serializer mixin: a field the client may not write is an error, not silently dropped.

    A typo ("due_dat") or a read-only field ("state") in the input gets a 400 naming the
    field, so a client never believes it changed something it did not.
    """

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            writable = {name for name, f in self.fields.items() if not f.read_only}
            unknown = sorted(str(k) for k in data if k not in writable)
            if unknown:
                raise serializers.ValidationError({k: [_("この項目は指定できません。")] for k in unknown})
        return super().to_internal_value(data)
