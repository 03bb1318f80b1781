from rest_framework.routers import SimpleRouter

from .apis import (
    ChecklistItemViewSet,
    ImprovementActionViewSet,
    InspectionCampaignViewSet,
    PolicyDocumentViewSet,
)

router = SimpleRouter()
router.register("policy-documents", PolicyDocumentViewSet, basename="policy-document")
router.register("inspection-campaigns", InspectionCampaignViewSet, basename="inspection-campaign")
router.register("improvement-actions", ImprovementActionViewSet, basename="improvement-action")
router.register("checklist-items", ChecklistItemViewSet, basename="checklist-item")
urlpatterns = router.urls
