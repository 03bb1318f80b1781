"""Japanese admin screens for bodies, posts, people, roles and absences. Every save is audited.

The instance superuser sees every body. Anyone else needs both the Django permission and the
policy's "orgs.manage_people" (a role, held now), and sees, chooses and saves only rows of their
own body; they cannot add or delete bodies, see superusers or grant superuser status.
"""

from contextvars import ContextVar

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, UserChangeForm, UserCreationForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tejun.access.policy import can
from tejun.audit.services import record, snapshot

from . import services
from .models import Absence, Body, Post, RoleAssignment, User

admin.site.site_header = _("Tejun 管理画面")
admin.site.site_title = _("Tejun 管理画面")
admin.site.index_title = _("団体・職員・役割の管理")

# The administrator changing a password in the admin (the password form is built without the request).
_password_actor: ContextVar[User | None] = ContextVar("tejun_password_actor", default=None)


def _body_admin(request) -> bool:
    """A non-superuser may use these screens only while acting in a role that manages people."""
    return can(request.user, "orgs.manage_people")


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits write the same audit events as the services do, and stay inside the user's body."""

    body_field = "body"

    # --- permissions: Django's, plus the policy for body administrators ---
    def has_module_permission(self, request):
        return super().has_module_permission(request) and (request.user.is_superuser or _body_admin(request))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (request.user.is_superuser or _body_admin(request))

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (request.user.is_superuser or _body_admin(request))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (request.user.is_superuser or _body_admin(request))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (request.user.is_superuser or _body_admin(request))

    # --- scoping ---
    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # A body's administrator sees only their own body; the instance superuser sees all.
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.body_field}_id": request.user.body_id})

    def get_list_filter(self, request):
        # The body filter would list every body's name.
        filters = super().get_list_filter(request)
        return filters if request.user.is_superuser else tuple(f for f in filters if f != "body")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            body_id = request.user.body_id
            if db_field.name == "body":
                kwargs["queryset"] = Body.objects.filter(pk=body_id)
                kwargs.setdefault("initial", body_id)
            elif db_field.remote_field.model is User:
                kwargs["queryset"] = User.objects.filter(body_id=body_id, is_superuser=False)
            elif db_field.remote_field.model is Post:
                kwargs["queryset"] = Post.objects.filter(body_id=body_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- audited writes ---
    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
            super().save_model(request, obj, form, change)
            record(request.user, "update" if change else "create", obj, before, snapshot(obj))

    def delete_model(self, request, obj):
        with transaction.atomic():
            record(request.user, "delete", obj, snapshot(obj), None)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Body)
class BodyAdmin(AuditedAdmin):
    list_display = ("name", "kind", "password_expiry_days")

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        return qs if request.user.is_superuser else qs.filter(pk=request.user.body_id)

    # Only the instance superuser adds or removes bodies.
    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(Post)
class PostAdmin(AuditedAdmin):
    list_display = ("name", "body", "order")
    list_filter = ("body",)


class TejunUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("login_id", "full_name", "body")


class TejunUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class TejunAdminPasswordChangeForm(AdminPasswordChangeForm):
    """Validated by the P-07 validators like any form; saved through services.set_password so the
    password history, the audit event and "change at the next login" apply to administrators too."""


    def save(self, commit=True):
        actor = _password_actor.get()
        if self.cleaned_data.get("set_usable_password", True):
            services.set_password(self.user, self.cleaned_data["password1"], actor=actor)
        else:
            with transaction.atomic():
                self.user.set_unusable_password()
                self.user.save(update_fields=["password"])
                record(actor, "password_disable", self.user)
        return self.user


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    form = TejunUserChangeForm
    add_form = TejunUserCreationForm
    change_password_form = TejunAdminPasswordChangeForm
    ordering = ("furigana", "login_id")
    list_display = ("login_id", "full_name", "furigana", "post", "body", "is_active")
    list_filter = ("body", "is_active")
    search_fields = ("login_id", "full_name", "furigana", "email")
    fieldsets = (
        (None, {"fields": ("login_id", "password")}),
        (_("本人情報"), {"fields": ("full_name", "furigana", "email", "birth_date")}),
        (_("所属"), {"fields": ("body", "post")}),
        (_("権限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("記録"), {"fields": ("last_login", "password_changed_at", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("login_id", "full_name", "body", "password1", "password2")}),)
    readonly_fields = ("last_login", "password_changed_at", "date_joined")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # The instance's superusers are not a body administrator's to see or edit.
        return qs if request.user.is_superuser else qs.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Only a superuser grants superuser status.
        return tuple(
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f != "is_superuser")})
            for name, opts in fieldsets
        )

    def user_change_password(self, request, id, form_url=""):
        token = _password_actor.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _password_actor.reset(token)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("role", "person", "post", "valid_from", "valid_to", "is_deputy", "body")
    list_filter = ("body", "role", "is_deputy")


@admin.register(Absence)
class AbsenceAdmin(AuditedAdmin):
    list_display = ("person", "starts_at", "ends_at", "reason", "body")
    list_filter = ("body",)
