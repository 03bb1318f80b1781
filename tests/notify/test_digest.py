"""The daily digest and the person's e-mail preference: in-app at once, e-mail once a day, bundled."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tejun.notify.models import Notification, Preference, ReminderLog
from tejun.notify.services import notify, remind_once, set_email_mode
from tests.api.helpers import assert_error

TODAY = timezone.localdate
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem_mail(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setenv("TEJUN_DIGEST_HOUR", "0")  # any hour of the test run


def test_no_digest_before_the_digest_hour(digest_staff, body, monkeypatch):
    from tejun.notify import digest

    notify([digest_staff], "通知", body=body)
    monkeypatch.setattr(digest.timezone, "localtime", lambda *a: timezone.datetime(2026, 12, 2, 6, 59))
    monkeypatch.setenv("TEJUN_DIGEST_HOUR", "7")
    assert digest.send_daily_digests() == 0 and mail.outbox == []
    monkeypatch.setattr(digest.timezone, "localtime", lambda *a: timezone.datetime(2026, 12, 2, 7, 0))
    assert digest.send_daily_digests() == 1


@pytest.fixture
def digest_staff(staff):
    staff.email = "shokuin1@example.jp"
    staff.save()
    set_email_mode(actor=staff, email_mode="digest")
    return staff


def test_single_emails_by_default(staff, body, django_capture_on_commit_callbacks):
    staff.email = "s@example.jp"
    staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([staff], "件名A", "本文", "/x/", body=body)
    assert len(mail.outbox) == 1 and "件名A" in mail.outbox[0].subject
    assert Notification.objects.get().emailed_at is not None


def test_digest_bundles_and_is_sent_once_a_day(digest_staff, staff2, body, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify([digest_staff], "返却期限を過ぎています", "持出し M-1", "/media/1/", body=body)
        remind_once("k1", [digest_staff], "見直し期限が近づいています", "", "/governance/", body=body)
    assert mail.outbox == []  # no single mails for a digest person
    assert Notification.objects.filter(recipient=digest_staff, read_at__isnull=True).count() == 2  # in-app at once
    call_command("tick")
    call_command("tick")
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["shokuin1@example.jp"] and "2件" in digest.subject
    assert "返却期限を過ぎています" in digest.body and "見直し期限が近づいています" in digest.body
    assert "/media/1/" in digest.body
    assert not Notification.objects.filter(recipient=digest_staff, emailed_at__isnull=True).exists()
    # the next notification waits for tomorrow's digest
    with django_capture_on_commit_callbacks(execute=True):
        notify([digest_staff], "新しい通知", "", "", body=body)
    call_command("tick")
    assert len(mail.outbox) == 1
    call_command("tick", "--date", (TODAY() + timedelta(days=1)).isoformat())
    assert len(mail.outbox) == 2 and "新しい通知" in mail.outbox[1].body and "1件" in mail.outbox[1].subject


def test_no_digest_without_notifications_or_email(digest_staff, staff2):
    staff2.email = ""
    staff2.save()
    set_email_mode(actor=staff2, email_mode="digest")  # staff2 has no e-mail address
    notify([staff2], "x", body=staff2.body)
    call_command("tick")
    assert mail.outbox == [], [(m.subject, m.to) for m in mail.outbox]
    assert not ReminderLog.objects.filter(key__startswith="digest:").exists()


def test_a_failing_mail_server_keeps_the_digest_for_the_next_run(digest_staff, body, monkeypatch):
    notify([digest_staff], "通知", body=body)
    from django.core.mail import EmailMessage

    def boom(self, *a, **k):
        raise OSError("smtp down")

    monkeypatch.setattr(EmailMessage, "send", boom)
    call_command("tick")
    assert not ReminderLog.objects.filter(key=f"digest:{digest_staff.pk}").exists()
    monkeypatch.undo()
    call_command("tick")
    assert len(mail.outbox) == 1


def test_tick_twice_gives_one_notification(body, staff, officer):
    from tejun.governance.services import setup_documents
    from tests.governance.helpers import make_promoter

    promoter = make_promoter(body)
    setup_documents(actor=promoter, next_review_due=TODAY() - timedelta(days=1))
    call_command("tick")
    first = Notification.objects.count()
    call_command("tick")
    assert first > 0 and Notification.objects.count() == first


def test_preference_page_and_api(staff, login, api, vendor):
    client = login(staff)
    assert "1日1回" in client.get("/notifications/settings/").content.decode()
    assert client.post("/notifications/settings/", {"email_mode": "digest"}).status_code == 302
    assert Preference.objects.get(user=staff).email_mode == "digest"
    assert client.post("/notifications/settings/", {"email_mode": "weekly"}).status_code == 400
    assert "通知の設定" in client.get("/notifications/").content.decode()
    assert api(staff).get("/api/v1/notification-preference/").json() == {"email_mode": "digest"}
    r = api(staff).put("/api/v1/notification-preference/", {"email_mode": "each"}, format="json")
    assert r.status_code == 200 and Preference.objects.get(user=staff).email_mode == "each"
    assert_error(api(staff).put("/api/v1/notification-preference/", {"email_mode": "hourly"}, format="json"), 400)
    assert_error(api(staff).put("/api/v1/notification-preference/", {"email_mode": "each", "user": 1},
                                format="json"), 400)
    assert api(vendor).put("/api/v1/notification-preference/", {"email_mode": "digest"},
                           format="json").status_code == 200  # a vendor account chooses its own too
    assert_error(api().get("/api/v1/notification-preference/"), 401)
