from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("tejun.web.urls")),
    path("", include("tejun.orgs.urls")),
    path("media/", include("tejun.media.urls")),
    path("assets/", include("tejun.assets.urls")),
    path("audit/", include("tejun.audit.urls")),
    path("incidents/", include("tejun.incidents.urls")),
    path("vendors/", include("tejun.vendors.urls")),
    path("backups/", include("tejun.backups.urls")),
    path("governance/", include("tejun.governance.urls")),
    path("dashboard/", include("tejun.dashboard.urls")),
    path("api/v1/", include("tejun.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
