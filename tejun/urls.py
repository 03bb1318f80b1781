from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("tejun.web.urls")),
    path("", include("tejun.orgs.urls")),
    path("media/", include("tejun.media.urls")),
    path("assets/", include("tejun.assets.urls")),
    path("audit/", include("tejun.audit.urls")),
    path("api/v1/", include("tejun.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
