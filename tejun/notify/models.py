from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notification; an e-mail copy leaves after the transaction commits."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("宛先"))
    title = models.CharField(_("件名"), max_length=200)
    message = models.TextField(_("本文"), blank=True)
    url = models.CharField(_("リンク"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("日時"), auto_now_add=True)
    read_at = models.DateTimeField(_("既読日時"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("メール送信日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.title


class ReminderLog(models.Model):
    """One row per reminder per day: `tejun tick` run twice notifies once."""

    key = models.CharField(max_length=200)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="reminder_once_per_day")]

    def __str__(self):
        return f"{self.key} {self.day}"


class Preference(models.Model):
    """How a person wants e-mail: one per notification, or one daily digest (in-app notices appear at once either way)."""

    class EmailMode(models.TextChoices):
        EACH = "each", _("通知のたびにメールを送る")
        DIGEST = "digest", _("1日1回まとめて送る（ダイジェスト）")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference", verbose_name=_("職員"))
    email_mode = models.CharField(_("メールの受け取り方"), max_length=10, choices=EmailMode.choices,
                                  default=EmailMode.EACH)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("通知の設定")
        verbose_name_plural = _("通知の設定")

    def __str__(self):
        return f"{self.user}: {self.email_mode}"
