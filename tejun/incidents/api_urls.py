from django.urls import path
from rest_framework.routers import SimpleRouter

from .apis import ContactCaseViewSet, ContactPartyViewSet, IncidentViewSet, ReminderHoursView

router = SimpleRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("incident-contact-parties", ContactPartyViewSet, basename="incident-contact-party")
router.register("incident-contact-cases", ContactCaseViewSet, basename="incident-contact-case")

urlpatterns = [
    path("incident-reminder-hours/", ReminderHoursView.as_view(), name="incident-reminder-hours"),
    *router.urls,
]
