from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "tejun.web"
    label = "web"
    verbose_name = _("画面")

    def ready(self):
        from tejun.media.models import CarryOutRequest
        from tejun.workflow.registry import register

        register(CarryOutRequest, title=_("データの持出し（P-01）"))
