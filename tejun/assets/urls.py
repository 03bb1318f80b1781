from django.urls import path

from . import views, views_io

app_name = "assets"
urlpatterns = [
    path("", views.asset_list, name="asset-list"),
    path("new/", views.asset_new, name="asset-new"),
    path("<int:pk>/", views.asset_detail, name="asset-detail"),
    path("<int:pk>/edit/", views.asset_edit, name="asset-edit"),
    path("<int:pk>/confirm/", views.asset_confirm, name="asset-confirm"),
    path("<int:pk>/dispose/", views.asset_dispose, name="asset-dispose"),
    path("scheme/", views.scheme, name="scheme"),
    path("scheme/levels/<int:pk>/", views.level_edit, name="level-edit"),
    path("scheme/change/", views.scheme_change, name="scheme-change"),
    path("export.xlsx", views_io.export_xlsx, name="export-xlsx"),
    path("export.pdf", views_io.export_pdf, name="export-pdf"),
    path("import/template.xlsx", views_io.import_template, name="import-template"),
    path("import/", views_io.import_upload, name="import-upload"),
    path("import/<int:pk>/", views_io.import_preview, name="import-preview"),
    path("import/<int:pk>/commit/", views_io.import_commit, name="import-commit"),
]
