from rest_framework.routers import SimpleRouter

from . import apis

router = SimpleRouter()
router.register("contractors", apis.ContractorViewSet, basename="contractor")
router.register("contracts", apis.ContractViewSet, basename="contract")
router.register("contractor-accounts", apis.ContractorAccountViewSet, basename="contractor-account")
router.register("onsite-works", apis.OnsiteWorkViewSet, basename="onsite-work")
router.register("repairs", apis.RepairViewSet, basename="repair")
router.register("equipment-disposals", apis.EquipmentDisposalViewSet, basename="equipment-disposal")
router.register("data-provisions", apis.DataProvisionViewSet, basename="data-provision")
router.register("memorandum-templates", apis.MemorandumTemplateViewSet, basename="memorandum-template")

urlpatterns = router.urls
