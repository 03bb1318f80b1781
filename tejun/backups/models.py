"""Backups that prove they ran (P-03): targets, check-ins, alerts, restore tests, contractors' reports.

- BackupTarget: what is backed up, who answers for it (a post, a person or a contractor), its schedule
  (cron in Asia/Tokyo, or an interval) and grace period. A secret check-in URL (only its hash is kept).
- CheckIn: one "start", "success" or "fail" of a run: from the script's URL, recorded by staff, or from
  a contractor's accepted report.
- BackupAlert: a late, failed or missing backup. One per problem; the target stays down until it is
  acknowledged.
- RestoreTest: a restore actually tried (date, what was restored, result).
- BackupReport: a contractor's periodic backup report (PDF), accepted or sent back by staff.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class BackupTarget(models.Model):
    class Kind(models.TextChoices):
        NAS = "nas", _("ネットワークディスク（NAS）")
        CLOUD = "cloud", _("委託事業者のクラウドシステム")
        OTHER = "other", _("その他")

    class ScheduleKind(models.TextChoices):
        CRON = "cron", _("cron 式")
        INTERVAL = "interval", _("間隔（時間）")

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices, default=Kind.NAS)
    description = models.TextField(_("内容・保存先"), blank=True)
    # Exactly one of the three answers for the backup (a check constraint says so).
    responsible_post = models.ForeignKey("orgs.Post", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("責任者（役職）"))
    responsible_person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("責任者（職員）"))
    responsible_contractor = models.ForeignKey("vendors.Contractor", on_delete=models.PROTECT, null=True, blank=True,
                                               related_name="backup_targets", verbose_name=_("責任者（委託事業者）"))
    schedule_kind = models.CharField(_("予定の指定方法"), max_length=10, choices=ScheduleKind.choices,
                                     default=ScheduleKind.CRON)
    cron = models.CharField(_("cron 式"), max_length=100, blank=True)
    interval_hours = models.PositiveIntegerField(_("間隔（時間）"), null=True, blank=True)
    grace_hours = models.PositiveIntegerField(_("猶予時間（時間）"), default=2)
    restore_test_days = models.PositiveIntegerField(_("復元テストの周期（日）"), null=True, blank=True)
    active = models.BooleanField(_("監視する"), default=True)
    # Runs are expected from this moment on (registration, or the last change of schedule).
    monitoring_since = models.DateTimeField(_("監視開始日時"))
    token_hash = models.CharField(max_length=64, unique=True)
    token_hint = models.CharField(_("URLの識別用（先頭4文字）"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("バックアップ対象")
        verbose_name_plural = _("バックアップ対象")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="backup_target_unique_name"),
            models.CheckConstraint(
                condition=(Q(responsible_post__isnull=False, responsible_person__isnull=True,
                             responsible_contractor__isnull=True)
                           | Q(responsible_post__isnull=True, responsible_person__isnull=False,
                               responsible_contractor__isnull=True)
                           | Q(responsible_post__isnull=True, responsible_person__isnull=True,
                               responsible_contractor__isnull=False)),
                name="backup_target_one_responsible"),
            models.CheckConstraint(
                condition=(Q(schedule_kind="cron") & ~Q(cron=""))
                | (Q(schedule_kind="interval") & Q(interval_hours__gte=1)),
                name="backup_target_schedule_set"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("backups:target-detail", args=[self.pk])

    @property
    def responsible_label(self) -> str:
        if self.responsible_post_id:
            return str(self.responsible_post.name)
        if self.responsible_person_id:
            return self.responsible_person.full_name
        if self.responsible_contractor_id:
            return self.responsible_contractor.name
        return ""

    @property
    def schedule_label(self) -> str:
        if self.schedule_kind == self.ScheduleKind.CRON:
            return self.cron
        return _("%(h)d時間ごと") % {"h": self.interval_hours or 0}


class CheckIn(models.Model):
    class Kind(models.TextChoices):
        START = "start", _("開始")
        SUCCESS = "success", _("成功")
        FAIL = "fail", _("失敗")

    class Source(models.TextChoices):
        PING = "ping", _("自動（チェックインURL）")
        MANUAL = "manual", _("手動記録")
        REPORT = "report", _("委託事業者の報告")

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(BackupTarget, on_delete=models.PROTECT, related_name="checkins",
                               verbose_name=_("バックアップ対象"))
    kind = models.CharField(_("結果"), max_length=10, choices=Kind.choices)
    source = models.CharField(_("記録の方法"), max_length=10, choices=Source.choices)
    ran_at = models.DateTimeField(_("実施日時"))
    received_at = models.DateTimeField(_("受信日時"), auto_now_add=True)
    exit_status = models.IntegerField(_("終了コード"), null=True, blank=True)
    log = models.TextField(_("ログ"), blank=True)
    log_truncated = models.BooleanField(_("ログを切り詰めた"), default=False)
    note = models.TextField(_("備考"), blank=True)
    remote_ip = models.GenericIPAddressField(_("送信元IP"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("記録者"))
    file = models.FileField(_("証跡"), upload_to="private/backups/%Y/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    report = models.OneToOneField("BackupReport", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="checkin", verbose_name=_("報告"))

    class Meta:
        verbose_name = _("チェックイン")
        verbose_name_plural = _("チェックイン")
        ordering = ["-ran_at", "-id"]
        indexes = [
            models.Index(fields=["target", "kind", "ran_at"], name="checkin_target_kind_idx"),
            models.Index(fields=["source", "received_at"], name="checkin_source_recv_idx"),
        ]

    def __str__(self):
        return f"{self.target} {self.get_kind_display()}"


class BackupAlert(models.Model):
    class Reason(models.TextChoices):
        LATE = "late", _("遅延")
        FAILED = "failed", _("失敗")
        MISSING = "missing", _("未実施")

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(BackupTarget, on_delete=models.PROTECT, related_name="alerts",
                               verbose_name=_("バックアップ対象"))
    reason = models.CharField(_("理由"), max_length=10, choices=Reason.choices)
    # Which problem this is (the missed run's due time, or the failing check-in): one alert each.
    problem_key = models.CharField(max_length=100)
    due_at = models.DateTimeField(_("実施予定日時"), null=True, blank=True)
    raised_at = models.DateTimeField(_("発生日時"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("確認者"))
    acknowledge_note = models.TextField(_("確認内容・対応"), blank=True)

    class Meta:
        verbose_name = _("バックアップのアラート")
        verbose_name_plural = _("バックアップのアラート")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["target", "problem_key"], name="backup_alert_once_per_problem"),
            # At most one open alert per target: the target is down until it is acknowledged.
            models.UniqueConstraint(fields=["target"], condition=Q(acknowledged_at__isnull=True),
                                    name="backup_alert_one_open"),
        ]

    def __str__(self):
        return f"{self.target} {self.get_reason_display()}"


class RestoreTest(models.Model):
    class Result(models.TextChoices):
        SUCCESS = "success", _("成功")
        PARTIAL = "partial", _("一部成功")
        FAIL = "fail", _("失敗")

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(BackupTarget, on_delete=models.PROTECT, related_name="restore_tests",
                               verbose_name=_("バックアップ対象"))
    performed_on = models.DateField(_("実施日"))
    restored = models.CharField(_("復元したもの"), max_length=300)
    result = models.CharField(_("結果"), max_length=10, choices=Result.choices)
    note = models.TextField(_("備考"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("記録者"))
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("復元テスト")
        verbose_name_plural = _("復元テスト")
        ordering = ["-performed_on", "-id"]

    def __str__(self):
        return f"{self.target} {self.performed_on}"


class BackupReport(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("受理待ち")
        ACCEPTED = "accepted", _("受理")
        RETURNED = "returned", _("差戻し")

    class Result(models.TextChoices):
        SUCCESS = "success", _("すべて成功")
        FAIL = "fail", _("失敗あり")

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(BackupTarget, on_delete=models.PROTECT, related_name="reports",
                               verbose_name=_("バックアップ対象"))
    contractor = models.ForeignKey("vendors.Contractor", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("委託事業者"))
    period_from = models.DateField(_("対象期間（開始）"))
    period_to = models.DateField(_("対象期間（終了）"))
    last_run_at = models.DateTimeField(_("最終実施日時"))
    result = models.CharField(_("結果"), max_length=10, choices=Result.choices)
    note = models.TextField(_("報告内容"), blank=True)
    file = models.FileField(_("報告書"), upload_to="private/backups/%Y/")
    file_name = models.CharField(max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    state = models.CharField(_("状態"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("提出者"))
    submitted_at = models.DateTimeField(_("提出日時"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("受理・差戻しした職員"))
    decided_at = models.DateTimeField(_("受理・差戻し日時"), null=True, blank=True)
    decision_comment = models.TextField(_("コメント"), blank=True)

    class Meta:
        verbose_name = _("バックアップ報告")
        verbose_name_plural = _("バックアップ報告")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_to__gte=models.F("period_from")),
                                   name="backup_report_period_order"),
        ]

    def __str__(self):
        return f"{self.target} {self.period_from}〜{self.period_to}"
