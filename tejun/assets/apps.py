from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "tejun.assets"
    label = "assets"
    verbose_name = _("情報資産（重要性分類一覧表）")
