"""Read-only admin screens of the register: every change goes through the pages or the API (audited services)."""

from django.contrib import admin

from .models import Asset, ClassificationLevel, ClassificationScheme, RegisterSettings


class ReadOnlyBodyAdmin(admin.ModelAdmin):
    """For looking things up; writes here would bypass the services and their audit events."""

    body_field = "body"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.body_field}_id": request.user.body_id})

    def get_list_filter(self, request):
        # The body filter would list every body's name (as in orgs.admin).
        filters = super().get_list_filter(request)
        return filters if request.user.is_superuser else tuple(f for f in filters if f != "body")


@admin.register(Asset)
class AssetAdmin(ReadOnlyBodyAdmin):
    list_display = ("number", "name", "department", "form", "confidentiality", "integrity", "availability",
                    "status", "confirmed_on", "body")
    list_filter = ("status", "form", "network_layer", "has_personal_info", "body")
    search_fields = ("number", "name", "department", "business", "location")
    list_select_related = ("confidentiality", "integrity", "availability", "body")


class LevelInline(admin.TabularInline):
    model = ClassificationLevel
    fields = ("axis", "code", "base_class", "rank", "definition", "handling_restrictions")
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClassificationScheme)
class ClassificationSchemeAdmin(ReadOnlyBodyAdmin):
    list_display = ("name", "preset", "is_active", "body", "created_at")
    list_filter = ("is_active", "body")
    inlines = [LevelInline]


@admin.register(RegisterSettings)
class RegisterSettingsAdmin(ReadOnlyBodyAdmin):
    list_display = ("body", "confirmation_months")
