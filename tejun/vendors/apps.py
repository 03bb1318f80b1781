from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "tejun.vendors"
    label = "vendors"
    verbose_name = _("委託事業者")
