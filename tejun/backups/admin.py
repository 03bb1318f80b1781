"""Read-only admin screens of the backups: every change goes through the pages or the API (audited services)."""

from django.contrib import admin

from tejun.assets.admin import ReadOnlyBodyAdmin

from .models import BackupAlert, BackupReport, BackupTarget, CheckIn, RestoreTest


@admin.register(BackupTarget)
class BackupTargetAdmin(ReadOnlyBodyAdmin):
    list_display = ("name", "kind", "schedule_kind", "cron", "interval_hours", "grace_hours", "active", "body")
    list_filter = ("kind", "active", "body")
    search_fields = ("name", "description")
    exclude = ("token_hash",)  # the hash is of no use to a reader, and one less thing to leak


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyBodyAdmin):
    list_display = ("target", "kind", "source", "ran_at", "exit_status", "recorded_by", "body")
    list_filter = ("kind", "source", "body")
    list_select_related = ("target", "recorded_by", "body")
    date_hierarchy = "ran_at"


@admin.register(BackupAlert)
class BackupAlertAdmin(ReadOnlyBodyAdmin):
    list_display = ("target", "reason", "raised_at", "acknowledged_at", "acknowledged_by", "body")
    list_filter = ("reason", "body")
    list_select_related = ("target", "acknowledged_by", "body")


@admin.register(RestoreTest)
class RestoreTestAdmin(ReadOnlyBodyAdmin):
    list_display = ("target", "performed_on", "restored", "result", "recorded_by", "body")
    list_filter = ("result", "body")


@admin.register(BackupReport)
class BackupReportAdmin(ReadOnlyBodyAdmin):
    list_display = ("target", "contractor", "period_from", "period_to", "result", "state", "submitted_at", "body")
    list_filter = ("state", "result", "body")
