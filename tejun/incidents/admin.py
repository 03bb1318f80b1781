"""Read-only admin screens: every change to an incident goes through the pages or the API (audited services)."""

from django.contrib import admin

from tejun.assets.admin import ReadOnlyBodyAdmin

from .models import ContactCase, ContactParty, Incident


@admin.register(Incident)
class IncidentAdmin(ReadOnlyBodyAdmin):
    list_display = ("number", "kind", "state", "title", "requester", "reported_at", "body")
    list_filter = ("kind", "state", "body")
    search_fields = ("number", "title", "description")
    list_select_related = ("requester", "body")


@admin.register(ContactParty)
class ContactPartyAdmin(ReadOnlyBodyAdmin):
    list_display = ("name", "contact_details", "order", "body")


@admin.register(ContactCase)
class ContactCaseAdmin(ReadOnlyBodyAdmin):
    list_display = ("name", "caller_role", "active", "order", "body")
