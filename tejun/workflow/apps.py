from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "tejun.workflow"
    label = "workflow"
    verbose_name = _("決裁・手続の流れ")
