"""/api/v1/dashboard/ (the same reads as the page) and /api/v1/notification-preference/ (the notify app has no
API module of its own, and tejun/api/urls.py is not edited by apps, so the person's setting lives here)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tejun.access.policy import can
from tejun.api.base import BodyMember, StrictFields
from tejun.notify.models import Preference
from tejun.notify.services import email_mode_of, set_email_mode

from . import selectors


class DashboardReader(BodyMember):
    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if not can(request.user, "dashboard.view"):
            self.message = _("ダッシュボードを閲覧する権限がありません。")
            return False
        return True


def _item(i):
    return {"label": i.label, "url": i.url, "date": i.day, "note": i.note}


class DashboardView(APIView):
    """Overdue per area, the backup board, incidents per month and what comes due (staff only)."""

    permission_classes = [DashboardReader]

    @extend_schema(responses=None)
    def get(self, request):
        d = selectors.dashboard(request.user, timezone.localdate())
        board, chart = d.board, d.chart
        return Response({
            "date": d.today,
            "areas": [{"key": a.key, "title": a.title, "procedure": a.procedure, "count": a.count,
                       "items": [_item(i) for i in a.items], "unavailable": a.unavailable}
                      for a in d.areas],
            "backups": None if board.unavailable else [
                {"id": r.id, "name": r.name, "status": r.status, "status_label": r.status_label, "down": r.down,
                 "last_run_at": r.last_run_at, "last_result": r.last_result, "next_due": r.next_due,
                 "restore_due": r.restore_due} for r in board.rows],
            "incidents_per_month": None if chart is None else [
                {"month": r["month"].strftime("%Y-%m"), "total": r["total"],
                 # str(): the kinds are lazy translations, which JSON cannot use as keys (500 before).
                 "by_kind": {str(k): n for k, n in zip(chart.kinds, r["counts"], strict=True)}} for r in chart.rows],
            "coming_due": [_item(i) for i in d.coming],
        })


class PreferenceSerializer(StrictFields, serializers.Serializer):
    email_mode = serializers.ChoiceField(choices=Preference.EmailMode.choices,
                                         help_text=_("each: 通知のたびにメール、digest: 1日1回まとめて"))


class NotificationPreferenceView(APIView):
    """The acting person's own choice of e-mail: each notification, or one daily digest."""

    permission_classes = [BodyMember]

    @extend_schema(responses=PreferenceSerializer)
    def get(self, request):
        return Response({"email_mode": email_mode_of(request.user)})

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def put(self, request):
        s = PreferenceSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        pref = set_email_mode(actor=request.user, email_mode=s.validated_data["email_mode"])
        return Response({"email_mode": pref.email_mode})

    patch = put
