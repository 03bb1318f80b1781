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
        from tejun.media.models import MediumException

        register(MediumException, title=_("記録媒体の例外措置（C-1）"))
        from tejun.media.models import DisposalRequest

        register(DisposalRequest, title=_("記録媒体の廃棄（P-02）"),
                 select_related=("requester", "medium", "highest_level"))  # needs_approval reads the level
