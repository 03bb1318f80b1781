"""The daily digest: one e-mail a day bundling a person's notifications not yet e-mailed (run by `tejun tick`)."""

import logging
import os
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tejun.lib.wareki import to_wareki, to_wareki_datetime

from .models import Notification, Preference, ReminderLog

log = logging.getLogger(__name__)
# Older notifications never e-mailed (no address then, or a mail server down for days) are not dug up.
LOOKBACK_DAYS = 7


def digest_text(notifications) -> str:
    parts = []
    for n in notifications:
        lines = [f"■ {n.title}（{to_wareki_datetime(n.created_at)}）"]
        if n.message:
            lines.append(n.message)
        if n.url:
            lines.append(f"{settings.TEJUN_BASE_URL}{n.url}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def digest_hour() -> int:
    """The digest leaves on the first run at or after this hour (Tokyo time): TEJUN_DIGEST_HOUR, default 7."""
    try:
        return min(max(int(os.environ.get("TEJUN_DIGEST_HOUR", "7")), 0), 23)
    except ValueError:
        return 7


def send_daily_digests(today=None) -> int:
    """Once per person per day (ReminderLog "digest:<id>"): run twice, mail once. Returns digests sent.

    A mail server that is down rolls the day's log back, so the next run tries again. A run before the
    digest hour sends nothing (a run for a given --date always may).
    """
    if today is None and timezone.localtime().hour < digest_hour():
        return 0
    today = today or timezone.localdate()
    people = (Preference.objects.filter(email_mode=Preference.EmailMode.DIGEST, user__is_active=True)
              .exclude(user__email="").values_list("user_id", flat=True))
    pending: dict[int, list[Notification]] = {}
    since = timezone.now() - timedelta(days=LOOKBACK_DAYS)
    for n in (Notification.objects.filter(recipient_id__in=people, emailed_at__isnull=True, created_at__gte=since)
              .select_related("recipient").order_by("created_at", "id")):
        pending.setdefault(n.recipient_id, []).append(n)
    sent = 0
    for notes in pending.values():
        person = notes[0].recipient
        subject = _("[Tejun] %(day)s の通知（%(count)d件）") % {"day": to_wareki(today), "count": len(notes)}
        try:
            with transaction.atomic():
                ReminderLog.objects.create(key=f"digest:{person.pk}", day=today)
                EmailMessage(subject, digest_text(notes), None, [person.email]).send()
                Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=timezone.now())
        except IntegrityError:
            continue  # already sent today
        except Exception:  # the mail server: try again on the next run
            log.exception("could not send the digest to user %s", person.pk)
            continue
        sent += 1
    return sent
