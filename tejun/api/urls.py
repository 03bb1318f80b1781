from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from tejun.assets import apis_io
from tejun.assets.apis import AssetViewSet, ClassificationLevelViewSet
from tejun.audit.apis import AuditEventViewSet
from tejun.media.apis import CarryOutViewSet
from tejun.media.disposal_apis import DisposalViewSet
from tejun.media.register_apis import CabinetViewSet, MediumExceptionViewSet, MediumViewSet, StocktakeViewSet
from tejun.orgs.apis import AbsenceViewSet, MeView, PersonViewSet, RoleAssignmentViewSet

from .auth import TokenView
from .errors import not_found

router = DefaultRouter()
router.register("people", PersonViewSet, basename="person")
router.register("role-assignments", RoleAssignmentViewSet, basename="role-assignment")
router.register("absences", AbsenceViewSet, basename="absence")
router.register("audit-events", AuditEventViewSet, basename="audit-event")
router.register("carry-outs", CarryOutViewSet, basename="carry-out")
router.register("disposals", DisposalViewSet, basename="disposal")
router.register("cabinets", CabinetViewSet, basename="cabinet")
router.register("media", MediumViewSet, basename="medium")
router.register("medium-exceptions", MediumExceptionViewSet, basename="medium-exception")
router.register("stocktakes", StocktakeViewSet, basename="stocktake")
router.register("assets", AssetViewSet, basename="asset")
router.register("classification-levels", ClassificationLevelViewSet, basename="classification-level")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up code as a file: the CSP allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # No Redoc page: drf-spectacular's Redoc template loads Google Fonts, and this app runs offline.
    path("", include(router.urls)),
    # Each later app keeps its own API routes (its api_urls.py), so apps never edit this file.
    path("", include("tejun.incidents.api_urls")),
    path("", include("tejun.vendors.api_urls")),
    path("", include("tejun.backups.api_urls")),
    path("", include("tejun.governance.api_urls")),
    path("", include("tejun.dashboard.api_urls")),
    # Last: any other path ending in "/" is a JSON 404 (paths without the slash are redirected to it).
    re_path(r"^.*/$", not_found, name="api-not-found"),
]

# The register's Excel import and export. First in the list: the router would read "assets/imports/"
# and "assets/export.xlsx" as the asset "imports" and the asset "export" in format "xlsx".
urlpatterns[:0] = [
    path("assets/imports/", apis_io.ImportCreateView.as_view(), name="api-asset-import-create"),
    path("assets/imports/<int:pk>/", apis_io.ImportDetailView.as_view(), name="api-asset-import-detail"),
    path("assets/imports/<int:pk>/commit/", apis_io.ImportCommitView.as_view(), name="api-asset-import-commit"),
    path("assets/export.xlsx", apis_io.ExportXlsxView.as_view(), name="api-asset-export-xlsx"),
]
