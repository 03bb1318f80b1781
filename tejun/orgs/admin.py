"""Japanese admin screens for bodies, posts, people, roles and absences. Every save is audited."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tejun.audit.services import record, snapshot

from .models import Absence, Body, Post, RoleAssignment, User

admin.site.site_header = _("Tejun 管理画面")
admin.site.site_title = _("Tejun 管理画面")
admin.site.index_title = _("団体・職員・役割の管理")


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits write the same audit events as the services do."""

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

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        # A body's administrator sees only their own body; the instance superuser sees all.
        if request.user.is_superuser or not hasattr(qs.model, "body"):
            return qs
        return qs.filter(body_id=request.user.body_id)


@admin.register(Body)
class BodyAdmin(AuditedAdmin):
    list_display = ("name", "kind", "password_expiry_days")

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        return qs if request.user.is_superuser else qs.filter(pk=request.user.body_id)


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


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    form = TejunUserChangeForm
    add_form = TejunUserCreationForm
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


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ("role", "person", "post", "valid_from", "valid_to", "is_deputy", "body")
    list_filter = ("body", "role", "is_deputy")


@admin.register(Absence)
class AbsenceAdmin(AuditedAdmin):
    list_display = ("person", "starts_at", "ends_at", "reason", "body")
    list_filter = ("body",)
