from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "tejun.incidents"
    label = "incidents"
    verbose_name = _("セキュリティ事故")

    def ready(self):
        from tejun.workflow.registry import register

        from .models import Incident

        register(Incident, title=_("セキュリティ事故・障害（P-04・P-06・P-10）"))
