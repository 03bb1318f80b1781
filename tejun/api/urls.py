from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from tejun.audit.apis import AuditEventViewSet
from tejun.media.apis import CarryOutViewSet
from tejun.orgs.apis import AbsenceViewSet, MeView, PersonViewSet, RoleAssignmentViewSet

from .auth import TokenView
from .errors import not_found

router = DefaultRouter()
router.register("people", PersonViewSet, basename="person")
router.register("role-assignments", RoleAssignmentViewSet, basename="role-assignment")
router.register("absences", AbsenceViewSet, basename="absence")
router.register("audit-events", AuditEventViewSet, basename="audit-event")
router.register("carry-outs", CarryOutViewSet, basename="carry-out")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include(router.urls)),
    # Last: any other path ending in "/" is a JSON 404 (paths without the slash are redirected to it).
    re_path(r"^.*/$", not_found, name="api-not-found"),
]
