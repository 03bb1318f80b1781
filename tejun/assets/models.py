from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Axis(models.TextChoices):
    CONFIDENTIALITY = "confidentiality", _("機密性")
    INTEGRITY = "integrity", _("完全性")
    AVAILABILITY = "availability", _("可用性")


class ClassificationScheme(models.Model):
    """A body's classification scheme (重要性分類). Exactly one is active per body."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="classification_schemes",
                             verbose_name=_("団体"))
    name = models.CharField(_("分類体系"), max_length=100)
    preset = models.CharField(_("元にした体系"), max_length=20, blank=True)
    is_active = models.BooleanField(_("使用中"), default=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("分類体系")
        verbose_name_plural = _("分類体系")
        constraints = [models.UniqueConstraint(fields=["body"], condition=Q(is_active=True),
                                               name="one_active_scheme_per_body")]

    def __str__(self):
        return self.name


class ClassificationLevel(models.Model):
    """One level of one axis (機密性3A, 完全性2, ...). `rank` orders levels; `base_class` answers "2 or higher"."""

    scheme = models.ForeignKey(ClassificationScheme, on_delete=models.CASCADE, related_name="levels")
    axis = models.CharField(_("区分"), max_length=20, choices=Axis.choices)
    code = models.CharField(_("分類"), max_length=10)
    base_class = models.PositiveSmallIntegerField(_("分類の段階"), help_text=_("3A・3B・3C はいずれも 3"))
    rank = models.PositiveSmallIntegerField(_("順位"), help_text=_("大きいほど重要"))
    definition = models.TextField(_("定義"), blank=True)
    handling_restrictions = models.TextField(_("取扱制限"), blank=True)

    class Meta:
        verbose_name = _("分類")
        verbose_name_plural = _("分類")
        ordering = ["scheme", "axis", "-rank"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "axis", "code"], name="level_unique_code"),
            models.UniqueConstraint(fields=["scheme", "axis", "rank"], name="level_unique_rank"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{Axis(self.axis).label}{self.code}"

    def at_least(self, base_class: int) -> bool:
        """"機密性分類2以上" is `level.at_least(2)`: true for 2, 3, 3A, 3B, 3C."""
        return self.base_class >= base_class

    @property
    def restriction_lines(self) -> list[str]:
        return [line for line in self.handling_restrictions.splitlines() if line.strip()]


class RegisterSettings(models.Model):
    """Per-body settings of the register."""

    body = models.OneToOneField("orgs.Body", on_delete=models.CASCADE, related_name="asset_settings")
    confirmation_months = models.PositiveSmallIntegerField(_("確認の周期（月）"), default=12)

    class Meta:
        verbose_name = _("情報資産台帳の設定")
        verbose_name_plural = _("情報資産台帳の設定")

    def __str__(self):
        return f"{self.body}: {self.confirmation_months}"


class Asset(models.Model):
    """One row of the 重要性分類一覧表 (C-3): the classification lives here, never on the asset itself."""

    class Form(models.TextChoices):
        PAPER = "paper", _("紙")
        ELECTRONIC = "electronic", _("電子")
        SYSTEM = "system", _("システム")

    class NetworkLayer(models.TextChoices):
        NONE = "", _("該当なし")
        MYNUMBER = "mynumber", _("マイナンバー利用事務系")
        LGWAN = "lgwan", _("LGWAN接続系")
        INTERNET = "internet", _("インターネット接続系")

    class Status(models.TextChoices):
        IN_USE = "in_use", _("使用中")
        DISPOSED = "disposed", _("廃棄済")

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="assets", verbose_name=_("団体"))
    number = models.CharField(_("管理番号"), max_length=30)
    department = models.CharField(_("所属"), max_length=100)
    name = models.CharField(_("資産名称"), max_length=200)
    business = models.CharField(_("業務"), max_length=200, blank=True)
    form = models.CharField(_("形態"), max_length=20, choices=Form.choices)
    location = models.CharField(_("保存場所"), max_length=300, blank=True,
                                help_text=_("キャビネット、NAS のパス、クラウドサービス名など"))
    network_layer = models.CharField(_("ネットワーク"), max_length=20, choices=NetworkLayer.choices, blank=True)
    confidentiality = models.ForeignKey(ClassificationLevel, on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("機密性"))
    integrity = models.ForeignKey(ClassificationLevel, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("完全性"))
    availability = models.ForeignKey(ClassificationLevel, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("可用性"))
    has_personal_info = models.BooleanField(_("個人情報"), default=False)
    has_sensitive_personal_info = models.BooleanField(_("要配慮個人情報"), default=False)
    has_specific_personal_info = models.BooleanField(_("特定個人情報"), default=False)
    manager_post = models.ForeignKey("orgs.Post", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("管理者（役職）"))
    access_holders = models.CharField(_("アクセス権者"), max_length=300, blank=True)
    retention_years = models.PositiveSmallIntegerField(_("保存年限（年）"), null=True, blank=True,
                                                       help_text=_("空欄は常用・永年"))
    expires_on = models.DateField(_("満了日"), null=True, blank=True)
    external_party = models.CharField(_("外部提供・委託先"), max_length=300, blank=True)
    confirmed_on = models.DateField(_("確認日"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("確認者"))
    status = models.CharField(_("状態"), max_length=20, choices=Status.choices, default=Status.IN_USE)
    note = models.TextField(_("備考"), blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("情報資産")
        verbose_name_plural = _("情報資産")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="asset_unique_number")]
        indexes = [
            models.Index(fields=["body", "department"], name="asset_department_idx"),
            models.Index(fields=["body", "status", "number"], name="asset_status_idx"),
            models.Index(fields=["body", "confirmed_on"], name="asset_confirmed_idx"),
            # The periodic confirmation (C-3): due ones counted and listed oldest first from the index alone.
            models.Index(fields=["body", "status", "confirmed_on", "created_at", "number"], name="asset_due_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("assets:asset-detail", args=[self.pk])

    @property
    def levels(self) -> list[ClassificationLevel]:
        return [self.confidentiality, self.integrity, self.availability]


class ImportBatch(models.Model):
    """One uploaded Excel file of the register: checked on upload, committed all-or-nothing."""

    class Mode(models.TextChoices):
        CREATE = "create", _("新規登録のみ")
        UPDATE = "update", _("管理番号が一致する資産を更新する")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("受付")
        VALIDATED = "validated", _("確認済（登録待ち）")
        COMMITTED = "committed", _("登録済")
        FAILED = "failed", _("エラーあり")

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="asset_imports",
                             verbose_name=_("団体"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("取込者"))
    file_name = models.CharField(_("ファイル名"), max_length=255)
    content = models.BinaryField(_("ファイルの内容"), editable=False)
    mode = models.CharField(_("取込方法"), max_length=10, choices=Mode.choices, default=Mode.CREATE)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("行数"), default=0)
    create_count = models.PositiveIntegerField(_("新規"), default=0)
    update_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("変更なし"), default=0)
    error_count = models.PositiveIntegerField(_("エラー"), default=0)
    errors = models.JSONField(_("エラー"), default=list, blank=True)
    preview = models.JSONField(_("プレビュー"), default=list, blank=True)
    created_at = models.DateTimeField(_("取込日時"), auto_now_add=True)
    committed_at = models.DateTimeField(_("登録日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("情報資産の取込み")
        verbose_name_plural = _("情報資産の取込み")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("assets:import-preview", args=[self.pk])
