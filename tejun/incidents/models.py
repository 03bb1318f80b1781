"""Security incidents (P-04, P-06, P-10) with the breach contact matrix and the P-11 checklist."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tejun.orgs.roles import Role
from tejun.workflow.models import WorkflowModel

from .workflows import BREACH, FAILURE, INCIDENT_WORKFLOW, MALFUNCTION, PROCEDURE_LABELS, SECURITY

OPEN_STATES = tuple(s for s in INCIDENT_WORKFLOW.states if s not in INCIDENT_WORKFLOW.final)


class IncidentQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state__in=INCIDENT_WORKFLOW.final)

    def closed(self):
        return self.filter(state__in=INCIDENT_WORKFLOW.final)


class Incident(WorkflowModel):
    """事故報告: what happened, reported by anyone (requester = the reporter), run to closure."""

    workflow = INCIDENT_WORKFLOW

    class Kind(models.TextChoices):
        UNAUTHORIZED_ACCESS = "unauthorized_access", _("不正アクセス")
        VIRUS = "virus", _("ウイルス感染")
        MALFUNCTION = "malfunction", _("不具合")
        FAILURE = "failure", _("システム障害")
        LEAK_LOSS = "leak_loss", _("情報の漏えい・紛失")
        THEFT = "theft", _("機器・媒体の盗難")
        OTHER = "other", _("その他")

    KIND_PROCEDURE = {
        Kind.UNAUTHORIZED_ACCESS: SECURITY, Kind.VIRUS: SECURITY, Kind.OTHER: SECURITY,
        Kind.MALFUNCTION: MALFUNCTION, Kind.FAILURE: FAILURE,
        Kind.LEAK_LOSS: BREACH, Kind.THEFT: BREACH,
    }

    number = models.CharField(_("事故番号"), max_length=20)
    kind = models.CharField(_("種類"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("件名"), max_length=200)
    description = models.TextField(_("事案の内容"))
    location = models.CharField(_("場所・機器"), max_length=200, blank=True)
    occurred_at = models.DateTimeField(_("発生日時"), null=True, blank=True)
    reported_at = models.DateTimeField(_("報告日時"), default=timezone.now)
    contractor = models.ForeignKey("vendors.Contractor", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("委託事業者"))
    # What it came from (a lost medium, a carry-out, a data provision ...).
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    source_id = models.CharField(max_length=64, blank=True)
    source_label = models.CharField(_("発生元"), max_length=300, blank=True)

    # Investigation (P-04 状況調査, P-10 原因・確認した被害・影響範囲)
    findings = models.TextField(_("調査結果"), blank=True)
    cause = models.TextField(_("原因"), blank=True)
    damage = models.TextField(_("確認した被害"), blank=True)
    scope = models.TextField(_("影響範囲"), blank=True)
    instruction = models.TextField(_("統括管理者の指示（代決の場合は管理者の判断）"), blank=True)
    action_taken = models.TextField(_("措置・対処の内容"), blank=True)
    prevention = models.TextField(_("再発防止策"), blank=True)
    # Malfunction: the vendor contacted (which, when, what was said)
    vendor_name = models.CharField(_("連絡した事業者"), max_length=200, blank=True)
    vendor_contacted_at = models.DateTimeField(_("事業者への連絡日時"), null=True, blank=True)
    vendor_note = models.TextField(_("事業者への連絡内容"), blank=True)
    # Failure record (P-06)
    system_name = models.CharField(_("障害が発生したシステム"), max_length=200, blank=True)
    failure_started_at = models.DateTimeField(_("障害の発生日時"), null=True, blank=True)
    failure_ended_at = models.DateTimeField(_("障害の復旧日時"), null=True, blank=True)
    impact = models.TextField(_("業務への影響"), blank=True)
    # Breach (P-10): the case of the contact matrix and the personal-data questions
    case = models.ForeignKey("ContactCase", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("事案の区分"))
    persons_affected = models.PositiveIntegerField(_("影響を受ける本人の数"), null=True, blank=True)
    sensitive_data = models.BooleanField(_("要配慮個人情報を含む"), default=False)
    financial_risk = models.BooleanField(_("財産的被害のおそれ"), default=False)
    wrongful_purpose = models.BooleanField(_("不正の目的によるおそれ"), default=False)
    closed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("セキュリティ事故")
        verbose_name_plural = _("セキュリティ事故")
        ordering = ["-reported_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="incident_unique_number")]
        indexes = [
            models.Index(fields=["body", "reported_at"], name="incident_reported_idx"),
            models.Index(fields=["body", "state"], name="incident_state_idx"),
            models.Index(fields=["source_type", "source_id"], name="incident_source_idx"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("incidents:detail", args=[self.pk])

    @property
    def procedure(self) -> str:
        return self.KIND_PROCEDURE.get(self.kind, SECURITY)

    @property
    def procedure_label(self):
        return PROCEDURE_LABELS[self.procedure]

    @property
    def is_open(self) -> bool:
        return self.state not in self.workflow.final

    @property
    def is_breach(self) -> bool:
        return self.procedure == BREACH

    @property
    def is_failure(self) -> bool:
        return self.procedure == FAILURE

    @property
    def is_malfunction(self) -> bool:
        return self.procedure == MALFUNCTION

    @property
    def ppc_report_likely(self) -> bool:
        """個人情報保護委員会への報告・本人通知が必要となりうるか (個人情報保護法 施行規則の類型)."""
        return bool(self.sensitive_data or self.financial_risk or self.wrongful_purpose
                    or (self.persons_affected or 0) > 100)

    @property
    def publication_likely(self) -> bool:
        """公表を検討すべきか: a report to the Commission is likely, or many people are affected."""
        return self.ppc_report_likely

    # The engine asks these; one guard and one hook per transition (see transitions.py).
    def transition_allowed(self, name: str) -> bool:
        from .workflows import TRANSITION_PROCEDURES

        return self.state in TRANSITION_PROCEDURES.get(name, {}).get(self.procedure, ())


def _guard(name):
    def allows(self):
        return self.transition_allowed(name)
    allows.__name__ = f"allows_{name}"
    return allows


def _hook(name):
    def on(self, *, actor, data, comment):
        from .transitions import apply_transition

        apply_transition(self, name, actor=actor, data=data, comment=comment)
    on.__name__ = f"on_{name}"
    return on


for _t in INCIDENT_WORKFLOW.transitions:
    setattr(Incident, f"allows_{_t.name}", _guard(_t.name))
    setattr(Incident, f"on_{_t.name}", _hook(_t.name))


class ContactParty(models.Model):
    """緊急連絡先: one party the contact matrix names (議会管理者, 警察 ...), with how to reach it."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    key = models.SlugField(_("識別子"), max_length=40)
    name = models.CharField(_("連絡先"), max_length=100)
    contact_details = models.CharField(_("連絡方法（電話番号など）"), max_length=300, blank=True)
    note = models.CharField(_("備考"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("緊急連絡先")
        verbose_name_plural = _("緊急連絡先")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["body", "key"], name="contact_party_unique_key")]

    def __str__(self):
        return self.name


class ContactCase(models.Model):
    """One row of the P-10 contact matrix: a case, who makes the calls, and whom to contact."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    name = models.CharField(_("事案"), max_length=200)
    caller_role = models.CharField(_("連絡者"), max_length=32, choices=Role.choices, default=Role.MANAGER)
    parties = models.ManyToManyField(ContactParty, related_name="cases", verbose_name=_("連絡先"))
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)
    active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("事案別連絡先")
        verbose_name_plural = _("事案別連絡先")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class IncidentContact(models.Model):
    """One line of a breach's contact checklist, made when the case is chosen."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="contacts")
    party = models.ForeignKey(ContactParty, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    name = models.CharField(_("連絡先"), max_length=100)
    contact_details = models.CharField(_("連絡方法"), max_length=300, blank=True)
    caller_role = models.CharField(_("連絡者"), max_length=32, choices=Role.choices, default=Role.MANAGER)
    required = models.BooleanField(_("必須"), default=True)
    done_at = models.DateTimeField(_("連絡日時"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("連絡した人"))
    waived_reason = models.CharField(_("連絡不要の理由"), max_length=300, blank=True)
    note = models.CharField(_("備考"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("連絡チェックリスト")
        verbose_name_plural = _("連絡チェックリスト")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    @property
    def settled(self) -> bool:
        return bool(self.done_at or self.waived_reason or not self.required)


class DisconnectionStep(models.Model):
    """P-11: one of the ten network-disconnection steps attached to an incident."""

    class Step(models.IntegerChoices):
        PRESERVE_LOGS = 1, _("事案に係るシステムのアクセス記録及び現状を保存")
        UNPLUG_CABLE = 2, _("ネットワークケーブルの引き抜き")
        CUT_WIRELESS = 3, _("無線の切断")
        RECORD_ACTIONS = 4, _("事案に対処した経過を記録")
        PRESERVE_EVIDENCE = 5, _("事案に係る証拠保全の実施を完了")
        INTERIM_PREVENTION = 6, _("再発防止の暫定措置を検討")
        RECOVER = 7, _("暫定防止措置を講じた後、復旧")
        RISK_ANALYSIS = 8, _("リスク分析")
        REVIEW_POLICY = 9, _("情報セキュリティポリシー、セキュリティ実施手順の見直し")
        REPORT_SUPREME = 10, _("情報システム・セキュリティ統括管理者への報告")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="disconnection_steps")
    step = models.PositiveSmallIntegerField(_("手順"), choices=Step.choices)
    done_at = models.DateTimeField(_("実施日時"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("実施者"))
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ネットワーク切断の手順")
        verbose_name_plural = _("ネットワーク切断の手順")
        ordering = ["step"]
        constraints = [models.UniqueConstraint(fields=["incident", "step"], name="disconnection_step_once")]

    def __str__(self):
        return self.get_step_display()


class TimelineEntry(models.Model):
    """経過記録: a transition (added automatically) or a person's note with the time it happened."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("手続")
        NOTE = "note", _("記録")
        CHECKLIST = "checklist", _("チェックリスト")
        ATTACHMENT = "attachment", _("添付")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices, default=Kind.NOTE)
    at = models.DateTimeField(_("日時"))
    text = models.TextField(_("内容"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("記録者"))
    recorded_at = models.DateTimeField(_("記録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("経過記録")
        verbose_name_plural = _("経過記録")
        ordering = ["at", "id"]

    def __str__(self):
        return self.text[:50]


class IncidentAttachment(models.Model):
    """A log file, screenshot or report kept with the incident (served only after a permission check)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("ファイル"), upload_to="private/incidents/%Y/")
    file_name = models.CharField(_("ファイル名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("サイズ"), default=0)
    description = models.CharField(_("説明"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登録者"))
    uploaded_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.file_name


class ReminderRule(models.Model):
    """How many hours an incident may wait in a state before the next actors are reminded."""

    body = models.ForeignKey("orgs.Body", on_delete=models.PROTECT, related_name="+", verbose_name=_("団体"))
    state = models.CharField(_("段階"), max_length=32, choices=list(INCIDENT_WORKFLOW.states.items()))
    hours = models.PositiveIntegerField(_("督促までの時間"))

    class Meta:
        verbose_name = _("督促の設定")
        verbose_name_plural = _("督促の設定")
        ordering = ["state"]
        constraints = [models.UniqueConstraint(fields=["body", "state"], name="incident_reminder_once")]

    def __str__(self):
        return f"{self.state} {self.hours}h"
