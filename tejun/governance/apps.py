from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "tejun.governance"
    label = "governance"
    verbose_name = _("見直し・自己点検")
