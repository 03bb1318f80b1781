from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from tejun.audit.apis import AuditEventViewSet
from tejun.media.apis import CarryOutViewSet
from tejun.orgs.apis import AbsenceViewSet, MeView, PersonViewSet, RoleAssignmentViewSet

router = DefaultRouter()
router.register("people", PersonViewSet, basename="person")
router.register("role-assignments", RoleAssignmentViewSet, basename="role-assignment")
router.register("absences", AbsenceViewSet, basename="absence")
router.register("audit-events", AuditEventViewSet, basename="audit-event")
router.register("carry-outs", CarryOutViewSet, basename="carry-out")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include(router.urls)),
]
