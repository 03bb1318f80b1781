from django.urls import path, re_path

from . import ping_views, views

app_name = "backups"
PING = r"^ping/(?P<token>[A-Za-z0-9_-]{16,100})"
urlpatterns = [
    path("", views.board, name="board"),
    path("targets/new/", views.target_new, name="target-new"),
    path("targets/<int:pk>/", views.target_detail, name="target-detail"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target-edit"),
    path("targets/<int:pk>/token/", views.target_token, name="target-token"),
    path("targets/<int:pk>/acknowledge/", views.target_acknowledge, name="target-acknowledge"),
    path("targets/<int:pk>/checkins/new/", views.checkin_new, name="checkin-new"),
    path("targets/<int:pk>/restore-tests/new/", views.restore_new, name="restore-new"),
    path("targets/<int:pk>/reports/new/", views.report_new, name="report-new"),
    path("checkins/<int:pk>/file/", views.checkin_file, name="checkin-file"),
    path("checkins/<int:pk>/log/", views.checkin_log, name="checkin-log"),
    path("reports/<int:pk>/file/", views.report_file, name="report-file"),
    re_path(r"^reports/(?P<pk>[0-9]+)/(?P<decision>accept|return)/$", views.report_decide, name="report-decide"),
    # The backup script's check-in URLs (no login; the token is the secret). The trailing slash is optional:
    # a POST redirected to add it would lose its log.
    re_path(rf"{PING}/(?P<kind>start|success|fail)/?$", ping_views.ping, name="ping"),
    re_path(rf"{PING}/(?P<exit_status>-?[0-9]{{1,4}})/?$", ping_views.ping, name="ping-exit"),
    re_path(rf"{PING}/?$", ping_views.ping, name="ping-base"),
]
