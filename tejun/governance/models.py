"""Policy documents and their reviews (C-2), acknowledgements, and the yearly self-inspection (C-4, P-07)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tejun.lib.wareki import fiscal_year_label


class PolicyDocument(models.Model):
    """情報セキュリティポリシー, 実施手順, 緊急対応計画: one of each per body, with versions and a review cycle."""

    class Kind(models.TextChoices):
        POLICY = "policy", _("情報セキュリティポリシー")
        PROCEDURES = "procedures", _("情報セキュリティ実施手順")
        EMERGENCY_PLAN = "emergency_plan", _("緊急対応計画")

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    review_cycle_months = models.PositiveSmallIntegerField(_("見直しの周期（月）"), default=12)
    next_review_due = models.DateField(_("次回見直し期限"), null=True, blank=True)
    requires_acknowledgement = models.BooleanField(
        _("職員の周知確認を求める"), default=False, help_text=_("新しい版を登録すると、全職員に「読みました」の確認を求めます。"))
    current_version = models.ForeignKey("PolicyVersion", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name=_("現行版"))
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("規程文書")
        verbose_name_plural = _("規程文書")
        ordering = ["body", "kind"]
        constraints = [models.UniqueConstraint(fields=["body", "kind"], name="policy_document_one_per_kind")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:document-detail", args=[self.pk])


class PolicyVersion(models.Model):
    """One version (版) of a document: the file as adopted, and what changed."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    document = models.ForeignKey(PolicyDocument, on_delete=models.PROTECT, related_name="versions",
                                 verbose_name=_("規程文書"))
    number = models.PositiveIntegerField(_("版"))
    effective_on = models.DateField(_("施行日"))
    summary = models.TextField(_("改定内容"), blank=True)
    file = models.FileField(_("ファイル"), upload_to="private/governance/%Y/")
    file_name = models.CharField(_("ファイル名"), max_length=255)
    content_type = models.CharField(_("形式"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("サイズ"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登録者"))
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("規程文書の版")
        verbose_name_plural = _("規程文書の版")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="policy_version_unique_number")]

    def __str__(self):
        return f"{self.document.title} 第{self.number}版"

    @property
    def label(self) -> str:
        return _("第%(n)d版") % {"n": self.number}


class PolicyReview(models.Model):
    """見直し (C-2): when the promoter reviewed a document, what changed, who approved, when the next is due."""

    class Outcome(models.TextChoices):
        UNCHANGED = "unchanged", _("改定なし")
        REVISED = "revised", _("改定あり")

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    document = models.ForeignKey(PolicyDocument, on_delete=models.PROTECT, related_name="reviews",
                                 verbose_name=_("規程文書"))
    reviewed_on = models.DateField(_("見直し日"))
    outcome = models.CharField(_("結果"), max_length=20, choices=Outcome.choices)
    changes = models.TextField(_("見直しの内容"), help_text=_("何を確認し、何を変えたか（変えなかった理由）"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("承認者"))
    approved_on = models.DateField(_("承認日"))
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("改定後の版"))
    next_review_due = models.DateField(_("次回見直し期限"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("記録者"))
    created_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("見直しの記録")
        verbose_name_plural = _("見直しの記録")
        ordering = ["document", "-reviewed_on", "-id"]

    def __str__(self):
        return f"{self.document.title} {self.reviewed_on}"


class Acknowledgement(models.Model):
    """周知確認: this person read this version. A new version asks again."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements",
                                verbose_name=_("版"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("職員"))
    acknowledged_at = models.DateTimeField(_("確認日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("周知確認")
        verbose_name_plural = _("周知確認")
        ordering = ["version", "acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["version", "person"], name="acknowledgement_once")]

    def __str__(self):
        return f"{self.person} {self.version}"


class ChecklistItem(models.Model):
    """A question of the self-inspection checklist (自己点検票), seeded from the procedures; editable per body."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    code = models.CharField(_("項目番号"), max_length=20)
    procedure = models.CharField(_("根拠"), max_length=30, blank=True, help_text=_("例：P-07、C-1(4)"))
    text = models.TextField(_("点検項目"))
    order = models.PositiveSmallIntegerField(_("順序"), default=0)
    is_active = models.BooleanField(_("使用する"), default=True)

    class Meta:
        verbose_name = _("自己点検項目")
        verbose_name_plural = _("自己点検項目")
        ordering = ["body", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["body", "code"], name="checklist_item_unique_code")]

    def __str__(self):
        return f"{self.code} {self.text[:30]}"


class InspectionCampaign(models.Model):
    """One self-inspection per fiscal year (年度): every member of staff answers the checklist of that year."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    due_on = models.DateField(_("回答期限"))
    closed_at = models.DateTimeField(_("締切日時"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("実施者"))
    created_at = models.DateTimeField(_("開始日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("自己点検")
        verbose_name_plural = _("自己点検")
        ordering = ["body", "-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["body", "fiscal_year"], name="inspection_one_per_year")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:campaign-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)


class CampaignItem(models.Model):
    """The checklist as it was when the campaign started: later edits of the template do not change past years."""

    campaign = models.ForeignKey(InspectionCampaign, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("項目番号"), max_length=20)
    procedure = models.CharField(_("根拠"), max_length=30, blank=True)
    text = models.TextField(_("点検項目"))
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    class Meta:
        verbose_name = _("自己点検の項目")
        verbose_name_plural = _("自己点検の項目")
        ordering = ["campaign", "order", "id"]

    def __str__(self):
        return f"{self.code} {self.text[:30]}"


class InspectionResponse(models.Model):
    """One person's answers in one campaign; submitted_at empty = not yet answered (未回答)."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    campaign = models.ForeignKey(InspectionCampaign, on_delete=models.PROTECT, related_name="responses",
                                 verbose_name=_("自己点検"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("職員"))
    submitted_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("自己点検の回答")
        verbose_name_plural = _("自己点検の回答")
        ordering = ["campaign", "person__furigana", "person__login_id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="inspection_response_once")]

    def __str__(self):
        return f"{self.campaign} {self.person}"

    def get_absolute_url(self):
        return reverse("governance:campaign-answer", args=[self.campaign_id])


class InspectionAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("はい")
        NO = "no", _("いいえ")
        NA = "na", _("該当なし")

    response = models.ForeignKey(InspectionResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(CampaignItem, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(_("回答"), max_length=3, choices=Answer.choices)
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        ordering = ["response", "item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="inspection_answer_once")]

    def __str__(self):
        return f"{self.item.code}: {self.answer}"


class ImprovementAction(models.Model):
    """改善措置: what is done about an item answered いいえ, tracked to done."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    campaign = models.ForeignKey(InspectionCampaign, on_delete=models.PROTECT, related_name="actions",
                                 verbose_name=_("自己点検"))
    item = models.ForeignKey(CampaignItem, on_delete=models.PROTECT, null=True, blank=True, related_name="actions",
                             verbose_name=_("点検項目"))
    description = models.TextField(_("改善措置"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("担当者"))
    due_on = models.DateField(_("期限"))
    done_on = models.DateField(_("完了日"), null=True, blank=True)
    result = models.TextField(_("実施結果"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登録者"))
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("改善措置")
        verbose_name_plural = _("改善措置")
        ordering = ["campaign", "done_on", "due_on", "id"]

    def __str__(self):
        return self.description[:50]

    def get_absolute_url(self):
        return reverse("governance:campaign-detail", args=[self.campaign_id]) + f"#action-{self.pk}"

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
