from rest_framework.routers import SimpleRouter

from .apis import BackupReportViewSet, BackupTargetViewSet

router = SimpleRouter()
router.register("backup-targets", BackupTargetViewSet, basename="backup-target")
router.register("backup-reports", BackupReportViewSet, basename="backup-report")

urlpatterns = router.urls
