from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _repair_search(using="default", **kwargs):
    """Django rebuilds a table to alter it on SQLite, dropping the search's triggers: put them back."""
    from django.db import connections

    from . import search

    search.repair(connections[using])


class AssetsConfig(AppConfig):
    name = "tejun.assets"
    label = "assets"
    verbose_name = _("情報資産（重要性分類一覧表）")

    def ready(self):
        post_migrate.connect(_repair_search, sender=self, dispatch_uid="assets.repair_search")
