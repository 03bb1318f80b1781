from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkflowModel(models.Model):
    """Base of every request or report run by the engine. Subclasses set `workflow`."""

    workflow = None  # a definitions.Workflow

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    state = models.CharField(_("状態"), max_length=32, db_index=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申請者")
    )
    created_at = models.DateTimeField(_("申請日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.state:
            self.state = self.workflow.initial
        super().save(*args, **kwargs)

    @property
    def state_label(self):
        return self.workflow.label(self.state)


class TransitionLog(models.Model):
    """Every decision and step: who, when, from which state to which, with what comment (決裁の記録)."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("操作"), max_length=32)
    label = models.CharField(_("操作名"), max_length=100)
    from_state = models.CharField(_("変更前の状態"), max_length=32)
    to_state = models.CharField(_("変更後の状態"), max_length=32)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("実行者"))
    acting_role = models.CharField(_("役割"), max_length=32, blank=True)
    deputy_decision = models.BooleanField(_("代決・代理"), default=False)
    deputy_reason = models.TextField(_("代決の理由"), blank=True)
    comment = models.TextField(_("コメント"), blank=True)
    data = models.JSONField(_("入力内容"), default=dict, blank=True)
    at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("決裁・処理の記録")
        verbose_name_plural = _("決裁・処理の記録")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="transition_subject_idx")]

    def __str__(self):
        return f"{self.label} {self.from_state}→{self.to_state}"

    @property
    def action_label(self) -> str:
        """The step's name in the reader's language (`label` keeps the words used when it happened)."""
        # get_for_id reads ContentType's cache (no query after the first); self.content_type would be one query
        # per row of a history.
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        transition = getattr(model, "workflow", None) and model.workflow.get(self.transition)
        return str(transition.label) if transition else self.label
