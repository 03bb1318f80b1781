from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "tejun.vendors"
    label = "vendors"
    verbose_name = _("委託事業者")

    def ready(self):
        from tejun.workflow.registry import register

        from .models import DataProvision, EquipmentDisposal, OnsiteWork, Repair

        # "私のタスク": what waits for a decision or a step (a vendor account sees its own contractor's).
        register(DataProvision, title=_("データ提供（P-12）"), select_related=("requester", "contractor"))
        register(OnsiteWork, title=_("庁舎内作業の報告書（P-05）"), select_related=("requester", "contractor"))
        register(Repair, title=_("記録媒体を含む機器の修理（P-08）"), select_related=("requester", "contractor"))
        register(EquipmentDisposal, title=_("機器の廃棄・リース返却（P-09）"),
                 select_related=("requester", "contractor"))
