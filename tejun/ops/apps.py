from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running Tejun itself: backup and restore of the whole instance (no models)."""

    name = "tejun.ops"
    label = "ops"
    verbose_name = _("運用")
