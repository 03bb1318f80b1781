from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Role


def default_second_factor_roles() -> list[str]:
    """Those who decide on incidents and approve carry-outs log in with a second factor by default."""
    return [Role.SUPREME_ADMIN.value, Role.MANAGER.value, Role.OFFICER.value]


class Body(models.Model):
    """団体: a council, a municipality, ... Every domain record belongs to one."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("議会")
        MUNICIPALITY = "municipality", _("市区町村")
        UNION = "union", _("一部事務組合")
        OTHER = "other", _("その他")

    name = models.CharField(_("団体名"), max_length=100, unique=True)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices, default=Kind.COUNCIL)
    password_expiry_days = models.PositiveIntegerField(
        _("パスワード有効期間（日）"), default=90, help_text=_("0 にすると期限なし")
    )
    second_factor_roles = models.JSONField(
        _("二要素認証が必須の役割"), default=default_second_factor_roles, blank=True,
        help_text=_("これらの役割を持つ職員は、ログインに認証アプリの確認コードが必要です。"),
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("団体")
        verbose_name_plural = _("団体")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Post(models.Model):
    """役職. Roles may be assigned to a post so the April reshuffle edits data, not code."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="posts", verbose_name=_("団体"))
    name = models.CharField(_("役職名"), max_length=100)
    order = models.PositiveIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("役職")
        verbose_name_plural = _("役職")
        ordering = ["body", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["body", "name"], name="post_unique_name_per_body")]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, login_id, password=None, **extra):
        if not login_id:
            raise ValueError("login_id is required")
        user = self.model(login_id=login_id, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, login_id, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(login_id, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: a member of staff or a contractor's account."""

    login_id = models.CharField(_("ログインID"), max_length=64, unique=True)
    full_name = models.CharField(_("氏名"), max_length=100)
    furigana = models.CharField(_("ふりがな"), max_length=100, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    birth_date = models.DateField(
        _("生年月日"), null=True, blank=True, help_text=_("パスワードの確認にのみ使います。")
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("団体")
    )
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="holders", verbose_name=_("役職")
    )
    is_active = models.BooleanField(_("有効"), default=True)
    is_staff = models.BooleanField(_("管理画面を使える"), default=False)
    password_changed_at = models.DateTimeField(_("パスワード変更日時"), null=True, blank=True)
    date_joined = models.DateTimeField(_("登録日時"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "login_id"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("職員")
        verbose_name_plural = _("職員")
        ordering = ["furigana", "login_id"]

    def __str__(self):
        return self.full_name or self.login_id

    def clean(self):
        super().clean()
        if self.post_id and self.post.body_id != self.body_id:
            raise ValidationError({"post": _("この団体の役職ではありません。")})

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name


class PasswordHistory(models.Model):
    """Hashes of earlier passwords, so the last five are not reused (P-07)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class RoleAssignment(models.Model):
    """A role of PROCEDURES.md held by a person or by a post, for a period; maybe as deputy (代理)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("団体"))
    role = models.CharField(_("役割"), max_length=32, choices=Role.choices)
    person = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments",
        verbose_name=_("職員"),
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments",
        verbose_name=_("役職"),
    )
    valid_from = models.DateField(_("開始日"), default=timezone.localdate)
    valid_to = models.DateField(_("終了日"), null=True, blank=True)
    is_deputy = models.BooleanField(_("代理"), default=False, help_text=_("本来の担当者が不在のときだけ役割を持ちます。"))
    note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("役割の割当て")
        verbose_name_plural = _("役割の割当て")
        ordering = ["body", "role", "is_deputy", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False, post__isnull=True) | Q(person__isnull=True, post__isnull=False)),
                name="role_assignment_person_xor_post",
                violation_error_message=_("職員か役職のどちらか一方を指定してください。"),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="role_assignment_period_order",
                violation_error_message=_("終了日は開始日以降にしてください。"),
            ),
        ]

    def __str__(self):
        holder = self.person or self.post
        return f"{self.get_role_display()}: {holder}"

    def clean(self):
        """The person or post must belong to the assignment's body (the admin and imports call this)."""
        super().clean()
        errors = {}
        if self.body_id and self.person_id and self.person.body_id != self.body_id:
            errors["person"] = _("この団体の職員ではありません。")
        if self.body_id and self.post_id and self.post.body_id != self.body_id:
            errors["post"] = _("この団体の役職ではありません。")
        if errors:
            raise ValidationError(errors)


class Absence(models.Model):
    """不在: while it covers now, the person's roles pass to deputies (代理) or the next role (代決)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="absences", verbose_name=_("団体"))
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="absences", verbose_name=_("職員"))
    starts_at = models.DateTimeField(_("開始"))
    ends_at = models.DateTimeField(_("終了"))
    reason = models.CharField(_("理由"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("不在")
        verbose_name_plural = _("不在")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="absence_period_order",
                                   violation_error_message=_("終了は開始より後にしてください。")),
        ]

    def __str__(self):
        return f"{self.person} {self.starts_at:%Y-%m-%d}–{self.ends_at:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.body_id and self.person_id and self.person.body_id != self.body_id:
            raise ValidationError({"person": _("この団体の職員ではありません。")})


class SecondFactor(models.Model):
    """A person's authenticator app (TOTP, RFC 6238). Confirmed once a code from the app was accepted."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="second_factor")
    secret = models.CharField(max_length=64)  # base32; see tejun/orgs/second_factor.py
    confirmed_at = models.DateTimeField(_("設定日時"), null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)  # a code is accepted once (no replay)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("二要素認証")
        verbose_name_plural = _("二要素認証")

    def __str__(self):
        return f"{self.user} ({'confirmed' if self.confirmed_at else 'pending'})"


class RecoveryCode(models.Model):
    """One-time codes for a lost phone; only their sha256 is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("リカバリーコード")
        verbose_name_plural = _("リカバリーコード")

    def __str__(self):
        return f"{self.user_id} {'used' if self.used_at else 'unused'}"
