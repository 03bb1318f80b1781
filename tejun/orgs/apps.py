from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "tejun.orgs"
    label = "orgs"
    verbose_name = _("団体・職員・役割")

    def ready(self):
        from . import signals  # noqa: F401  (login/logout/failed-login audit)
