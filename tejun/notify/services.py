"""Every notification and reminder goes through here."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification, Preference, ReminderLog

log = logging.getLogger(__name__)


def digest_user_ids(user_ids) -> set[int]:
    """Of these people, those who chose one daily digest instead of single e-mails."""
    return set(Preference.objects.filter(user_id__in=user_ids, email_mode=Preference.EmailMode.DIGEST)
               .values_list("user_id", flat=True))


def _send_emails(notification_ids: list[int]) -> None:
    pending = list(Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
                   .select_related("recipient"))
    # Those who chose the digest get these in tomorrow's (or today's) digest from `tejun tick`.
    digest = digest_user_ids({n.recipient_id for n in pending})
    for n in pending:
        if n.recipient_id in digest:
            continue
        if not n.recipient.email:
            continue
        try:
            link = f"\n\n{settings.TEJUN_BASE_URL}{n.url}" if n.url else ""
            send_mail(f"[Tejun] {n.title}", f"{n.message}{link}", None, [n.recipient.email])
        except Exception:  # a mail server down must not undo the decision already committed
            log.exception("could not e-mail notification %s", n.pk)
            continue
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())


def notify(recipients, title: str, message: str = "", url: str = "", *, body) -> list[Notification]:
    """In-app notifications now (inside the caller's transaction); e-mail after commit."""
    created = []
    for person in {r for r in recipients if r is not None and r.is_active}:
        created.append(Notification.objects.create(
            body=body, recipient=person, title=str(title)[:200], message=str(message), url=url
        ))
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: _send_emails(ids))
    return created


def notify_transition(obj, transition, actor, log_entry) -> None:
    """After a transition: tell whoever acts next, and tell the requester what was decided."""
    from tejun.workflow.engine import next_actors

    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    if str(transition.label) == str(obj.state_label):  # 却下 → 却下: say it once
        title = _("%(subject)s：%(action)s") % {"subject": str(obj), "action": transition.label}
    else:
        title = _("%(subject)s：%(action)s（%(state)s）") % {
            "subject": str(obj), "action": transition.label, "state": obj.state_label,
        }
    message = _("%(actor)s さんが「%(action)s」を行いました。") % {"actor": actor.full_name, "action": transition.label}
    if log_entry.comment:
        message += "\n" + _("コメント：%(comment)s") % {"comment": log_entry.comment}
    recipients = next_actors(obj)
    if obj.requester_id != actor.pk:
        recipients.add(obj.requester)
    recipients.discard(actor)
    notify(recipients, title, message, url, body=obj.body)


def remind_once(key: str, recipients, title: str, message: str = "", url: str = "", *, body, day=None) -> bool:
    """Send a reminder unless the same key was already sent today. Returns True when sent."""
    day = day or timezone.localdate()
    try:
        with transaction.atomic():
            ReminderLog.objects.create(key=key[:200], day=day)
            notify(recipients, title, message, url, body=body)
    except IntegrityError:
        return False
    return True


def email_mode_of(user) -> str:
    pref = Preference.objects.filter(user=user).first()
    return pref.email_mode if pref else Preference.EmailMode.EACH


def set_email_mode(*, actor, email_mode: str) -> Preference:
    """The person's own choice: single e-mails or one daily digest. Audited."""
    from tejun.audit.services import record, snapshot
    from tejun.lib.errors import InvalidInput

    if email_mode not in Preference.EmailMode.values:
        message = _("選択肢から選んでください。")
        raise InvalidInput(message, fields={"email_mode": [message]})
    with transaction.atomic():
        pref, created = Preference.objects.select_for_update().get_or_create(user=actor)
        before = None if created else snapshot(pref)
        if not created and pref.email_mode == email_mode:
            return pref
        pref.email_mode = email_mode
        pref.save()
        record(actor, "update", pref, before, snapshot(pref), body=actor.body)
    return pref


def mark_read(user, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
