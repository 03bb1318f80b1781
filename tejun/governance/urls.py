from django.urls import path

from . import views

app_name = "governance"
urlpatterns = [
    path("", views.index, name="index"),
    path("documents/setup/", views.setup_documents, name="document-setup"),
    path("documents/<int:pk>/", views.document_detail, name="document-detail"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document-edit"),
    path("documents/<int:pk>/versions/new/", views.version_new, name="version-new"),
    path("documents/<int:pk>/reviews/new/", views.review_new, name="review-new"),
    path("versions/<int:pk>/file/", views.version_file, name="version-file"),
    path("versions/<int:pk>/acknowledge/", views.version_acknowledge, name="version-acknowledge"),
    path("inspections/", views.campaign_list, name="campaign-list"),
    path("inspections/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("inspections/<int:pk>/answer/", views.campaign_answer, name="campaign-answer"),
    path("inspections/<int:pk>/close/", views.campaign_close, name="campaign-close"),
    path("inspections/<int:pk>/actions/", views.action_new, name="action-new"),
    path("inspections/<int:pk>/summary.pdf", views.campaign_summary_pdf, name="campaign-summary-pdf"),
    path("responses/<int:pk>/sheet.pdf", views.response_sheet_pdf, name="response-sheet-pdf"),
    path("actions/<int:pk>/complete/", views.action_complete, name="action-complete"),
    path("checklist/", views.checklist, name="checklist"),
    path("checklist/<int:pk>/active/", views.checklist_toggle, name="checklist-toggle"),
]
