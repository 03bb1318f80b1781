"""Outside contractors (委託事業者), their contracts and the accounts their people log in with.

These three models are shared: incidents (the vendor contacted about a malfunction), backups
(a contractor responsible for a cloud backup) and the vendor workflows of this app refer to them.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Contractor(models.Model):
    """委託事業者."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    name = models.CharField(_("事業者名"), max_length=200)
    address = models.CharField(_("所在地"), max_length=300, blank=True)
    representative = models.CharField(_("代表者"), max_length=100, blank=True)
    contact_person = models.CharField(_("担当者名"), max_length=100, blank=True)
    phone = models.CharField(_("電話番号"), max_length=50, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    note = models.TextField(_("備考"), blank=True)
    active = models.BooleanField(_("取引中"), default=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("委託事業者")
        verbose_name_plural = _("委託事業者")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="contractor_unique_name_per_body")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("vendors:contractor-detail", args=[self.pk])


class Contract(models.Model):
    """A contract with a contractor: its period, the system concerned and its confidentiality clause."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="contracts",
                                   verbose_name=_("委託事業者"))
    title = models.CharField(_("契約名"), max_length=200)
    system_name = models.CharField(_("対象システム"), max_length=200, blank=True)
    starts_on = models.DateField(_("契約期間（開始）"))
    ends_on = models.DateField(_("契約期間（終了）"), null=True, blank=True)
    has_confidentiality_clause = models.BooleanField(_("守秘義務条項あり"), default=False)
    confidentiality_article = models.CharField(_("守秘義務条項（条番号）"), max_length=50, blank=True)
    subcontracting_allowed = models.BooleanField(_("再委託の可否"), default=False)
    # The contract file: stored under var/uploads/private through tejun.lib.uploads (never in static files).
    file = models.FileField(_("契約書ファイル"), upload_to="private/contracts/%Y/", blank=True)
    file_name = models.CharField(_("契約書ファイル名"), max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("契約")
        verbose_name_plural = _("契約")
        ordering = ["contractor", "-starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.contractor} {self.title}"


class ContractorAccount(models.Model):
    """Links a vendor user to the contractor it works for: it sees only that contractor's records."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="accounts",
                                   verbose_name=_("委託事業者"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contractor_account",
                                verbose_name=_("利用者"))
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("事業者アカウント")
        verbose_name_plural = _("事業者アカウント")

    def __str__(self):
        return f"{self.contractor}: {self.user}"


# ---------------------------------------------------------------------------------------------
# The vendor procedures: P-05 on-site work, P-08 repair, P-09 equipment disposal, P-12 data provision.
# ---------------------------------------------------------------------------------------------

from tejun.workflow.models import WorkflowModel  # noqa: E402  (after the shared models above)

from .workflows import (  # noqa: E402
    DATA_PROVISION_WORKFLOW,
    EQUIPMENT_DISPOSAL_WORKFLOW,
    ONSITE_WORK_WORKFLOW,
    REPAIR_WORKFLOW,
)


def _refuse(message):
    from tejun.lib.errors import WrongState

    return WrongState(message)


class OnsiteWork(WorkflowModel):
    """庁舎内作業 (P-05): a visit by the contractor's people, their work report and its confirmation."""

    workflow = ONSITE_WORK_WORKFLOW

    number = models.CharField(_("番号"), max_length=20)
    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="onsite_works",
                                   verbose_name=_("委託事業者"))
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("契約"))
    work_date = models.DateField(_("作業日"))
    workers = models.CharField(_("作業者"), max_length=300, help_text=_("会社名と氏名（複数は「、」で区切る）"))
    area = models.CharField(_("作業場所"), max_length=200)
    purpose = models.TextField(_("作業目的・内容"))
    systems = models.CharField(_("対象システム・機器"), max_length=300, blank=True)
    report_file = models.FileField(_("作業報告書"), upload_to="private/vendors/%Y/", blank=True)
    report_name = models.CharField(_("作業報告書ファイル名"), max_length=200, blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)
    report_uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+", verbose_name=_("報告書の登録者"))
    report_uploaded_at = models.DateTimeField(_("報告書の登録日時"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("確認者"))
    confirmed_at = models.DateTimeField(_("確認日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("庁舎内作業")
        verbose_name_plural = _("庁舎内作業")
        ordering = ["-work_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="onsite_work_unique_number")]

    def __str__(self):
        return f"{self.number} {self.contractor.name}"

    def get_absolute_url(self):
        return reverse("vendors:onsite-detail", args=[self.pk])

    def on_submit_report(self, **kwargs):
        if not self.report_file:
            raise _refuse(_("作業報告書のファイルを添付してください。"))

    on_attach_report = on_replace_report = on_submit_report

    def on_confirm(self, *, actor, **kwargs):
        from django.utils import timezone

        self.confirmed_by = actor
        self.confirmed_at = timezone.now()


class Repair(WorkflowModel):
    """記録媒体を含む機器の修理 (P-08)."""

    workflow = REPAIR_WORKFLOW

    class Storage(models.TextChoices):
        REMOVED = "removed", _("記録媒体を取り外して修理に出す")
        ERASED = "erased", _("データを消去して修理に出す")
        AS_IS = "as_is", _("記録媒体を含むまま修理に出す")

    number = models.CharField(_("番号"), max_length=20)
    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="repairs",
                                   verbose_name=_("修理業者"))
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="repairs",
                                 verbose_name=_("契約（守秘義務条項）"))
    equipment = models.CharField(_("機器"), max_length=200, help_text=_("機器名・製造番号など"))
    storage = models.CharField(_("記録媒体"), max_length=200, help_text=_("例：内蔵SSD 256GB"))
    fault = models.TextField(_("故障の内容"))
    storage_handling = models.CharField(_("記録媒体の取扱い"), max_length=20, choices=Storage.choices)
    handling_note = models.CharField(_("取扱いの補足"), max_length=300, blank=True)
    # The reconfirmation of the confidentiality clause for this repair (who, when, which contract and article).
    clause_reconfirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                              blank=True, related_name="+", verbose_name=_("守秘義務の再確認者"))
    clause_reconfirmed_at = models.DateTimeField(_("守秘義務の再確認日時"), null=True, blank=True)
    clause_contract = models.ForeignKey(Contract, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("再確認した契約"))
    clause_article = models.CharField(_("再確認した条項"), max_length=50, blank=True)
    clause_note = models.CharField(_("再確認の方法・相手"), max_length=300, blank=True)
    sent_on = models.DateField(_("修理に出した日"), null=True, blank=True)
    returned_on = models.DateField(_("返却日"), null=True, blank=True)

    class Meta:
        verbose_name = _("修理")
        verbose_name_plural = _("修理")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="repair_unique_number")]

    def __str__(self):
        return f"{self.number} {self.equipment}"

    def get_absolute_url(self):
        return reverse("vendors:repair-detail", args=[self.pk])

    @property
    def clause_reconfirmed(self) -> bool:
        return bool(self.clause_reconfirmed_at and self.clause_contract_id and self.clause_article)

    def allows_send(self) -> bool:
        return self.clause_reconfirmed

    def on_send(self, **kwargs):
        from django.utils import timezone

        if not self.clause_reconfirmed:
            raise _refuse(_("契約の守秘義務条項をこの修理のために再確認するまで、修理に出すことはできません。"))
        self.sent_on = timezone.localdate()

    def on_receive(self, **kwargs):
        from django.utils import timezone

        self.returned_on = timezone.localdate()


class EquipmentDisposal(WorkflowModel):
    """記録媒体を含む機器の廃棄・リース返却 (P-09)."""

    workflow = EQUIPMENT_DISPOSAL_WORKFLOW

    class Kind(models.TextChoices):
        DISPOSAL = "disposal", _("廃棄")
        LEASE_RETURN = "lease_return", _("リース返却")
        RENTAL_RETURN = "rental_return", _("レンタル返却")

    class Method(models.TextChoices):
        OVERWRITE = "overwrite", _("データ消去ソフトによる上書き消去")
        DEGAUSS = "degauss", _("磁気による消去")
        PHYSICAL = "physical", _("物理的破壊（破砕・穿孔）")
        CRYPTO = "crypto", _("暗号化消去")
        OTHER = "other", _("その他")

    number = models.CharField(_("番号"), max_length=20)
    kind = models.CharField(_("区分"), max_length=20, choices=Kind.choices)
    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="equipment_disposals",
                                   verbose_name=_("委託事業者"))
    equipment = models.CharField(_("機器"), max_length=200, help_text=_("機器名・製造番号など"))
    storage = models.CharField(_("記録媒体"), max_length=200)
    planned_on = models.DateField(_("予定日"), null=True, blank=True)
    # Agreed with the contractor for this occasion (the source: その都度両者で確認).
    method = models.CharField(_("復元不可能にする方法"), max_length=20, choices=Method.choices, blank=True)
    method_detail = models.CharField(_("方法の詳細"), max_length=300, blank=True)
    agreed_with = models.CharField(_("確認した相手（事業者側）"), max_length=100, blank=True)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("確認した職員"))
    agreed_at = models.DateTimeField(_("方法の確認日時"), null=True, blank=True)
    certificate = models.FileField(_("消去・破壊証明書"), upload_to="private/vendors/%Y/", blank=True)
    certificate_name = models.CharField(max_length=200, blank=True)
    certificate_sha256 = models.CharField(max_length=64, blank=True)
    certificate_number = models.CharField(_("証明書番号"), max_length=100, blank=True)
    certificate_uploaded_at = models.DateTimeField(null=True, blank=True)
    closed_on = models.DateField(_("完了日"), null=True, blank=True)

    class Meta:
        verbose_name = _("機器の廃棄・リース返却")
        verbose_name_plural = _("機器の廃棄・リース返却")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="equipment_disposal_unique_number")]

    def __str__(self):
        return f"{self.number} {self.equipment}"

    def get_absolute_url(self):
        return reverse("vendors:disposal-detail", args=[self.pk])

    @property
    def method_agreed(self) -> bool:
        return bool(self.method and self.agreed_at)

    def allows_close(self) -> bool:
        return self.method_agreed and bool(self.certificate)

    def on_close(self, **kwargs):
        from django.utils import timezone

        if not self.method_agreed:
            raise _refuse(_("データを復元不可能にする方法を、今回の廃棄・返却について事業者と確認してください。"))
        if not self.certificate:
            raise _refuse(_("消去・破壊証明書を添付してください。"))
        self.closed_on = timezone.localdate()


class MemorandumTemplate(models.Model):
    """The memorandum's text (覚書), per body and versioned: the newest version is used for new memoranda."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    version = models.PositiveIntegerField(_("版"))
    text = models.TextField(_("本文"))
    note = models.CharField(_("変更の理由"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("作成者"))
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("覚書のひな形")
        verbose_name_plural = _("覚書のひな形")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["body", "version"], name="memorandum_template_version")]

    def __str__(self):
        return _("覚書のひな形 第%(v)d版") % {"v": self.version}


class DataProvision(WorkflowModel):
    """外部委託のためのデータ提供 (P-12), with its memorandum (覚書)."""

    workflow = DATA_PROVISION_WORKFLOW

    number = models.CharField(_("申請番号"), max_length=20)
    contractor = models.ForeignKey(Contractor, on_delete=models.PROTECT, related_name="provisions",
                                   verbose_name=_("委託事業者"))
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("契約"))
    system_name = models.CharField(_("構築するシステム"), max_length=200, help_text=_("例：会議録検索システム"))
    data_description = models.CharField(_("提供するデータの内容"), max_length=300)
    purpose = models.TextField(_("目的"))
    period_start = models.DateField(_("提供期間（開始）"))
    period_end = models.DateField(_("提供期間（終了）"))
    medium = models.CharField(_("提供媒体"), max_length=200, help_text=_("例：暗号化USBメモリ、DVD-R"))
    received_on = models.DateField(_("申請書の受領日"), null=True, blank=True)
    # The memorandum, generated at approval from the body's template and kept as printed.
    memorandum_template = models.ForeignKey(MemorandumTemplate, on_delete=models.PROTECT, null=True, blank=True,
                                            related_name="+", verbose_name=_("使用したひな形"))
    memorandum_text = models.TextField(_("覚書の本文"), blank=True)
    memorandum_date = models.DateField(_("覚書の日付"), null=True, blank=True)
    signed_file = models.FileField(_("署名済みの覚書"), upload_to="private/vendors/%Y/", blank=True)
    signed_name = models.CharField(max_length=200, blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True)
    provided_on = models.DateField(_("提供日"), null=True, blank=True)
    provided_medium = models.CharField(_("提供した媒体"), max_length=200, blank=True)
    returned_on = models.DateField(_("返却日"), null=True, blank=True)
    erasure_certificate = models.FileField(_("消去証明書"), upload_to="private/vendors/%Y/", blank=True)
    erasure_name = models.CharField(max_length=200, blank=True)
    erasure_sha256 = models.CharField(max_length=64, blank=True)
    erased_on = models.DateField(_("消去日"), null=True, blank=True)

    class Meta:
        verbose_name = _("データ提供")
        verbose_name_plural = _("データ提供")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="provision_unique_number"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="provision_period_order"),
        ]
        indexes = [models.Index(fields=["body", "state", "period_end"], name="provision_state_end_idx")]

    def __str__(self):
        return f"{self.number} {self.data_description}"

    def get_absolute_url(self):
        return reverse("vendors:provision-detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.state == "provided" and self.period_end < timezone.localdate()

    def on_approve(self, *, actor, **kwargs):
        from .memorandum import generate

        generate(self, actor=actor)

    def on_attach_signed(self, **kwargs):
        if not self.signed_file:
            raise _refuse(_("署名済みの覚書のファイルを添付してください。"))

    def on_provide(self, *, data, **kwargs):
        self.provided_on = data["provided_on"]
        self.provided_medium = str(data["provided_medium"])[:200]

    def on_return_data(self, *, data, **kwargs):
        from django.utils import timezone

        self.returned_on = data.get("returned_on") or timezone.localdate()

    on_record_return = on_return_data

    def on_record_erasure(self, **kwargs):
        if not self.erasure_certificate:
            raise _refuse(_("消去証明書のファイルを添付してください。"))
