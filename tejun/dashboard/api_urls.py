from django.urls import path

from .apis import DashboardView, NotificationPreferenceView

urlpatterns = [
    path("dashboard/", DashboardView.as_view(), name="api-dashboard"),
    path("notification-preference/", NotificationPreferenceView.as_view(), name="api-notification-preference"),
]
