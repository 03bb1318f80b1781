from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tejun.workflow.models import WorkflowModel

from .workflows import CARRY_OUT_WORKFLOW


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

    class Meta:
        verbose_name = _("持出し申請")
        verbose_name_plural = _("持出し申請")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="carry_out_unique_number"),
            models.CheckConstraint(condition=models.Q(due_date__gte=models.F("out_date")),
                                   name="carry_out_due_after_out"),
        ]
        indexes = [models.Index(fields=["body", "state", "due_date"], name="carry_out_state_due_idx")]

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

    # Hooks the workflow engine calls inside its transaction.
    def on_take_out(self, **_):
        self.taken_out_at = timezone.now()

    def on_bring_back(self, **_):
        self.returned_at = timezone.now()

    def on_confirm_return(self, **_):
        self.return_confirmed_at = timezone.now()
