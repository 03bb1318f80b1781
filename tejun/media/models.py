from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tejun.workflow.models import WorkflowModel

from .workflows import CARRY_OUT_WORKFLOW, DISPOSAL_WORKFLOW, EXCEPTION_WORKFLOW


class Confidentiality(models.IntegerChoices):
    # 総務省ガイドラインの機密性分類. The asset register's schemes refine this later.
    LEVEL_1 = 1, _("機密性1")
    LEVEL_2 = 2, _("機密性2")
    LEVEL_3 = 3, _("機密性3")


class CarryOutRequest(WorkflowModel):
    """持出し申請 (P-01): a copy of data taken outside with the officer's permission."""

    workflow = CARRY_OUT_WORKFLOW

    number = models.CharField(_("申請番号"), max_length=20)
    data_description = models.CharField(_("持ち出すデータ"), max_length=300)
    confidentiality = models.PositiveSmallIntegerField(_("機密性分類"), choices=Confidentiality.choices)
    purpose = models.TextField(_("目的"))
    destination = models.CharField(_("持出し先"), max_length=200)
    encrypted = models.BooleanField(_("暗号化"), default=False)
    password_protected = models.BooleanField(_("パスワード保護"), default=False)
    locked_case = models.BooleanField(_("施錠できるケース"), default=False)
    protection_note = models.CharField(_("その他の保護措置"), max_length=200, blank=True)
    out_date = models.DateField(_("持出し日"))
    due_date = models.DateField(_("返却予定日"))
    taken_out_at = models.DateTimeField(_("持出し日時"), null=True, blank=True)
    returned_at = models.DateTimeField(_("返却日時"), null=True, blank=True)
    return_confirmed_at = models.DateTimeField(_("返却確認日時"), null=True, blank=True)
    # C-1(3): the registered medium the copy travels on (none for a copy on, say, a body's laptop).
    medium = models.ForeignKey("Medium", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="carry_outs", verbose_name=_("記録媒体"))

    class Meta:
        verbose_name = _("持出し申請")
        verbose_name_plural = _("持出し申請")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="carry_out_unique_number"),
            models.CheckConstraint(condition=models.Q(due_date__gte=models.F("out_date")),
                                   name="carry_out_due_after_out"),
        ]
        indexes = [
            models.Index(fields=["body", "state", "due_date"], name="carry_out_state_due_idx"),
            # The carry-out list: one body's requests, newest first (50,000 and more).
            models.Index(fields=["body", "created_at"], name="carry_out_created_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.data_description}"

    def get_absolute_url(self):
        return reverse("media:carry-out-detail", args=[self.pk])

    @property
    def protections(self) -> list[str]:
        names = [str(f.verbose_name) for f in self._meta.fields
                 if f.name in ("encrypted", "password_protected", "locked_case") and getattr(self, f.name)]
        if self.protection_note:
            names.append(self.protection_note)
        return names

    @property
    def is_overdue(self) -> bool:
        return self.state == "taken_out" and self.due_date < timezone.localdate()

    # Hooks the workflow engine calls inside its transaction; the medium's side lives in services.
    def on_take_out(self, *, actor, **_):
        from .services import medium_taken_out

        medium_taken_out(self, actor=actor)
        self.taken_out_at = timezone.now()

    def on_bring_back(self, **_):
        self.returned_at = timezone.now()

    def on_confirm_return(self, *, actor, **_):
        from .services import medium_return_confirmed

        medium_return_confirmed(self, actor=actor)
        self.return_confirmed_at = timezone.now()

    def on_report_lost(self, *, actor, comment="", **_):
        from .services import medium_lost

        medium_lost(self, actor=actor, comment=comment)


# ---------------------------------------------------------------------------------------------
# Recording media (C-1, P-02): cabinets, the media register, exceptions, disposal, stock-takes.
# ---------------------------------------------------------------------------------------------


class Cabinet(models.Model):
    """施錠可能なキャビネット: media are kept only in lockable ones (C-1(4))."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    name = models.CharField(_("名称"), max_length=100)
    place = models.CharField(_("設置場所"), max_length=200)
    lockable = models.BooleanField(_("施錠可能"), default=True)
    key_custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("鍵の管理者"))
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("キャビネット")
        verbose_name_plural = _("キャビネット")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="cabinet_unique_name")]

    def __str__(self):
        return self.name


class Medium(models.Model):
    """One entry of the 記録媒体管理台帳."""

    class Kind(models.TextChoices):
        USB = "usb", _("USBメモリ")
        HDD = "hdd", _("外付けHDD")
        SD = "sd", _("SDカード")
        OPTICAL = "optical", _("光ディスク")
        OTHER = "other", _("その他")

    class Owner(models.TextChoices):
        BODY = "body", _("団体所有")
        PRIVATE = "private", _("私物")

    class Status(models.TextChoices):
        STORED = "stored", _("保管中")
        OUT = "out", _("持出中")
        LOST = "lost", _("紛失")
        DISPOSAL_REQUESTED = "disposal_requested", _("廃棄申請中")
        DISPOSED = "disposed", _("廃棄済")

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    number = models.CharField(_("登録番号"), max_length=30)
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    product = models.CharField(_("製品名"), max_length=200, blank=True)
    serial = models.CharField(_("製造番号"), max_length=100, blank=True)
    capacity = models.CharField(_("容量"), max_length=50, blank=True)
    encrypted = models.BooleanField(_("暗号化"), default=False)
    owner = models.CharField(_("所有"), max_length=20, choices=Owner.choices, default=Owner.BODY)
    custodian = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("管理者"))
    cabinet = models.ForeignKey(Cabinet, on_delete=models.PROTECT, related_name="media",
                                verbose_name=_("保管キャビネット"))
    highest_level = models.ForeignKey("assets.ClassificationLevel", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+", verbose_name=_("書き込んだデータの最高機密性"))
    exception = models.ForeignKey("MediumException", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="media", verbose_name=_("例外措置"))
    status = models.CharField(_("状態"), max_length=30, choices=Status.choices, default=Status.STORED)
    registered_on = models.DateField(_("登録日"), default=timezone.localdate)
    last_stocktake_on = models.DateField(_("最終棚卸日"), null=True, blank=True)
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("記録媒体")
        verbose_name_plural = _("記録媒体")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="medium_unique_number")]
        indexes = [models.Index(fields=["body", "status"], name="medium_status_idx")]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()} {self.product}".strip()

    def get_absolute_url(self):
        return reverse("media:medium-detail", args=[self.pk])

    @property
    def needs_exception(self) -> bool:
        """C-1(1)(2): USB memories and private media only by exception."""
        return self.kind == self.Kind.USB or self.owner == self.Owner.PRIVATE

    # The badge colour of each status (the workflow state classes of tejun.css).
    STATUS_CLASSES = {"stored": "state-approved", "out": "state-taken_out", "lost": "state-overdue",
                      "disposal_requested": "state-sent_back", "disposed": "state-withdrawn"}

    @property
    def status_class(self) -> str:
        return self.STATUS_CLASSES.get(self.status, "")


class MediumException(WorkflowModel):
    """例外措置 (C-1(1)(2)): permission to register and use a USB memory or a private medium for a period."""

    workflow = EXCEPTION_WORKFLOW

    class Kind(models.TextChoices):
        USB = "usb", _("USBメモリの使用")
        PRIVATE = "private", _("私物の記録媒体の使用")

    number = models.CharField(_("申請番号"), max_length=20)
    kind = models.CharField(_("例外の種類"), max_length=20, choices=Kind.choices)
    purpose = models.TextField(_("目的・理由"))
    medium_description = models.CharField(_("対象の記録媒体"), max_length=300,
                                          help_text=_("製品名・製造番号など。登録済みの媒体は下で選択"))
    # The registered medium the request is for, when it exists already (a renewal, a private medium
    # registered earlier). On approval the medium is linked to this exception (Medium.exception).
    medium = models.ForeignKey("Medium", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="exception_requests", verbose_name=_("登録済みの記録媒体"))
    valid_from = models.DateField(_("有効期間（開始）"))
    valid_to = models.DateField(_("有効期間（終了）"))
    expiry_warned_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("例外措置")
        verbose_name_plural = _("例外措置")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="exception_unique_number"),
            models.CheckConstraint(condition=models.Q(valid_to__gte=models.F("valid_from")),
                                   name="exception_period_order"),
        ]

    def __str__(self):
        # Shown in "my tasks" and notification titles: what is asked for, not only the number.
        description = self.medium_description if len(self.medium_description) <= 40 else \
            self.medium_description[:39] + "…"
        return f"{self.number} {self.get_kind_display()}（{description}）" if description else \
            f"{self.number} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("media:exception-detail", args=[self.pk])

    def covers(self, day) -> bool:
        return self.state == "approved" and self.valid_from <= day <= self.valid_to

    # Hook the workflow engine calls inside its transaction (register_services does the work).
    def on_approve(self, *, actor, **_):
        from .register_services import exception_approved

        exception_approved(self, actor=actor)


class DisposalRequest(WorkflowModel):
    """廃棄申請 (P-02, C-1(5))."""

    workflow = DISPOSAL_WORKFLOW

    number = models.CharField(_("申請番号"), max_length=20)
    medium = models.ForeignKey(Medium, on_delete=models.PROTECT, related_name="disposals", verbose_name=_("記録媒体"))
    reason = models.TextField(_("廃棄の理由"))
    highest_level = models.ForeignKey("assets.ClassificationLevel", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+", verbose_name=_("含まれるデータの最高機密性"))

    class Meta:
        verbose_name = _("廃棄申請")
        verbose_name_plural = _("廃棄申請")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="disposal_unique_number")]

    def __str__(self):
        return f"{self.number} {self.medium.number}"

    def get_absolute_url(self):
        return reverse("media:disposal-detail", args=[self.pk])

    @property
    def needs_approval(self) -> bool:
        """P-02: data of confidentiality class 2 or higher needs the officer's approval and physical destruction."""
        return self.highest_level is not None and self.highest_level.at_least(2)

    def allows_record_destruction(self) -> bool:
        """The engine lists 破壊の記録 only when it may be done now (approval first for class 2 or higher)."""
        return self.state == "approved" or (self.state == "submitted" and not self.needs_approval)

    # Hooks the workflow engine calls inside its transaction (tejun/media/disposal_services.py does the work).
    def on_reject(self, *, actor, **_):
        from .disposal_services import medium_back_in_store

        medium_back_in_store(self, actor=actor)

    def on_withdraw(self, *, actor, **_):
        from .disposal_services import medium_back_in_store

        medium_back_in_store(self, actor=actor)

    def on_record_destruction(self, *, actor, data, **_):
        from .disposal_services import apply_destruction

        apply_destruction(self, actor=actor, data=data)


class DestructionRecord(models.Model):
    """破壊記録: how, by whom, witnessed by whom, when and where a medium was destroyed."""

    class Method(models.TextChoices):
        CRUSH = "crush", _("破砕")
        DRILL = "drill", _("穿孔")
        SHRED = "shred", _("裁断")
        DEGAUSS = "degauss", _("消磁")
        OVERWRITE = "overwrite", _("上書き消去")

    PHYSICAL = {Method.CRUSH, Method.DRILL, Method.SHRED}

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+")
    disposal = models.OneToOneField(DisposalRequest, on_delete=models.PROTECT, related_name="destruction",
                                    verbose_name=_("廃棄申請"))
    method = models.CharField(_("方法"), max_length=20, choices=Method.choices)
    performer = models.CharField(_("実施者"), max_length=100)
    witness = models.CharField(_("立会者"), max_length=100)
    performed_at = models.DateTimeField(_("実施日時"))
    place = models.CharField(_("場所"), max_length=200)
    certificate_number = models.CharField(_("証明書番号"), max_length=100, blank=True)
    file = models.FileField(_("写真・証明書"), upload_to="private/destruction/%Y/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("破壊記録")
        verbose_name_plural = _("破壊記録")

    def __str__(self):
        return f"{self.disposal} {self.get_method_display()}"


class Stocktake(models.Model):
    """棚卸: a round over every cabinet, each medium marked present or missing."""

    class Status(models.TextChoices):
        OPEN = "open", _("実施中")
        CLOSED = "closed", _("完了")

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("開始日時"), auto_now_add=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("実施者"))
    closed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("棚卸")
        verbose_name_plural = _("棚卸")
        ordering = ["-started_at"]

    def __str__(self):
        from tejun.lib.wareki import to_wareki

        return _("棚卸（%(day)s開始）") % {"day": to_wareki(self.started_at)} if self.started_at else str(_("棚卸"))

    def get_absolute_url(self):
        return reverse("media:stocktake-detail", args=[self.pk])


class StocktakeItem(models.Model):
    class Result(models.TextChoices):
        UNCHECKED = "", _("未確認")
        PRESENT = "present", _("あり")
        MISSING = "missing", _("所在不明")

    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="items")
    medium = models.ForeignKey(Medium, on_delete=models.PROTECT, related_name="+")
    cabinet = models.ForeignKey(Cabinet, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("結果"), max_length=10, choices=Result.choices, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stocktake", "medium"], name="stocktake_item_once")]

    def __str__(self):
        return f"{self.medium} {self.get_result_display()}"


class PendingIncident(models.Model):
    """A lost or missing medium, kept until the incidents app lands and picks it up (marked as such)."""

    class Source(models.TextChoices):
        CARRY_OUT_LOST = "carry_out_lost", _("持出し中の紛失")
        STOCKTAKE_MISSING = "stocktake_missing", _("棚卸で所在不明")

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("発生元"), max_length=30, choices=Source.choices)
    medium = models.ForeignKey(Medium, on_delete=models.PROTECT, related_name="+", verbose_name=_("記録媒体"))
    description = models.TextField(_("内容"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("報告者"))
    reported_at = models.DateTimeField(_("報告日時"), auto_now_add=True)
    picked_up_at = models.DateTimeField(_("事故対応への引継ぎ日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("事故報告（引継ぎ待ち）")
        verbose_name_plural = _("事故報告（引継ぎ待ち）")
        ordering = ["-reported_at"]

    def __str__(self):
        return f"{self.get_source_display()} {self.medium}"
