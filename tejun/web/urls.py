from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from tejun.notify import views as notify_views

from . import second_factor_views, views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="my-tasks", permanent=False)),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change_view, name="password-change"),
    path("account/second-factor/", second_factor_views.status_view, name="second-factor"),
    path("account/second-factor/setup/", second_factor_views.setup_view, name="second-factor-setup"),
    path("account/second-factor/verify/", second_factor_views.verify_view, name="second-factor-verify"),
    path("people/<int:pk>/second-factor/reset/", second_factor_views.reset_view, name="second-factor-reset"),
    path("tasks/", views.my_tasks_view, name="my-tasks"),
    path("notifications/", views.notifications_view, name="notifications"),
    path("notifications/read/", views.notifications_read_view, name="notifications-read"),
    path("notifications/settings/", notify_views.preferences_view, name="notification-settings"),
]
