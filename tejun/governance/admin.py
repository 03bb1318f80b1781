"""Read-only admin screens: every change goes through the pages or the API (audited services)."""

from django.contrib import admin

from tejun.assets.admin import ReadOnlyBodyAdmin

from .models import (
    Acknowledgement,
    ChecklistItem,
    ImprovementAction,
    InspectionCampaign,
    InspectionResponse,
    PolicyDocument,
    PolicyReview,
    PolicyVersion,
)


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(ReadOnlyBodyAdmin):
    list_display = ("title", "kind", "current_version", "review_cycle_months", "next_review_due")


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyBodyAdmin):
    list_display = ("document", "number", "effective_on", "file_name", "uploaded_by")


@admin.register(PolicyReview)
class PolicyReviewAdmin(ReadOnlyBodyAdmin):
    list_display = ("document", "reviewed_on", "outcome", "approved_by", "next_review_due")


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyBodyAdmin):
    list_display = ("version", "person", "acknowledged_at")


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ReadOnlyBodyAdmin):
    list_display = ("code", "procedure", "text", "order", "is_active")


@admin.register(InspectionCampaign)
class InspectionCampaignAdmin(ReadOnlyBodyAdmin):
    list_display = ("title", "fiscal_year", "due_on", "closed_at")


@admin.register(InspectionResponse)
class InspectionResponseAdmin(ReadOnlyBodyAdmin):
    list_display = ("campaign", "person", "submitted_at")


@admin.register(ImprovementAction)
class ImprovementActionAdmin(ReadOnlyBodyAdmin):
    list_display = ("campaign", "description", "assignee", "due_on", "done_on")
