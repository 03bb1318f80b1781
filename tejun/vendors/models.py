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
