from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "tejun.media"
    label = "media"
    verbose_name = _("記録媒体・持出し")
