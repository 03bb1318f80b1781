"""Periodic duties of P-07 for `tejun tick`."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.lib.wareki import to_wareki
from tejun.notify.services import remind_once

from .models import User
from .services import password_expires_on

WARN_DAYS = 7


def remind_password_expiry(today=None) -> int:
    """Warn each person in the week before their password expires (P-07: change periodically)."""
    today = today or timezone.localdate()
    sent = 0
    people = User.objects.filter(is_active=True, body__isnull=False, body__password_expiry_days__gt=0,
                                 password_changed_at__isnull=False).select_related("body")
    for person in people.iterator():
        expires = password_expires_on(person)
        if expires is None or not (today <= expires <= today + timedelta(days=WARN_DAYS)):
            continue
        if remind_once(f"password_expiry:{person.pk}", [person], _("パスワードの有効期限が近づいています"),
                       _("パスワードは %(date)s に期限切れになります。早めに変更してください。") % {"date": to_wareki(expires)},
                       "/password/", body=person.body, day=today):
            sent += 1
    return sent
