from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditChain(models.Model):
    """The head of one hash chain: one per body (key = body id), key 0 for events of no body.

    Locking this row serialises appends to the chain, so two writers never
    take the same sequence number.
    """

    key = models.BigIntegerField(primary_key=True)
    seq = models.BigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default="")

    def __str__(self):
        return f"chain {self.key} @ {self.seq}"


class AuditEvent(models.Model):
    """Append-only: database triggers refuse UPDATE and DELETE (see migration 0002)."""

    chain_key = models.BigIntegerField(_("チェーン"), db_index=True)
    seq = models.BigIntegerField(_("連番"))
    body = models.ForeignKey(
        "orgs.Body", on_delete=models.DO_NOTHING, null=True, blank=True, db_constraint=False,
        related_name="+", verbose_name=_("団体"),
    )
    created_at = models.DateTimeField(_("日時"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, blank=True, db_constraint=False,
        related_name="+", verbose_name=_("実行者"),
    )
    actor_label = models.CharField(_("実行者名"), max_length=200, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("対象の種類"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("対象ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("対象"), max_length=300, blank=True)
    before = models.JSONField(_("変更前"), null=True, blank=True)
    after = models.JSONField(_("変更後"), null=True, blank=True)
    ip_address = models.CharField(_("接続元"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("監査イベント")
        verbose_name_plural = _("監査イベント")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["chain_key", "seq"], name="audit_event_unique_seq")]
        indexes = [
            # One object's history, newest first: with created_at in the index the database neither sorts nor
            # walks the whole body's events in time order looking for the object's (800 ms at 1,000,000).
            models.Index(fields=["object_type", "object_id", "created_at"], name="audit_object_time_idx"),
            # The event list: one body's events, newest first (1,000,000 events of many bodies).
            models.Index(fields=["body", "created_at"], name="audit_body_created_idx"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_repr}"
