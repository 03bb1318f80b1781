from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tejun.access.policy import can
from tejun.api.base import BodyMember, StrictFields
from tejun.lib.errors import Forbidden, NotFound, WrongState
from tejun.lib.pagination import IdPageNumberPagination
from tejun.workflow.engine import available_transitions, perform

from . import selectors, services
from .models import CarryOutRequest, Confidentiality, Medium

WORKFLOW = CarryOutRequest.workflow


class BodyMedium(serializers.PrimaryKeyRelatedField):
    """A medium of the acting user's body: another body's id reads as "does not exist", like a missing one."""

    def get_queryset(self):
        request = self.context.get("request")
        return Medium.objects.filter(body_id=getattr(getattr(request, "user", None), "body_id", None) or -1)


class CarryOutSerializer(StrictFields, serializers.ModelSerializer):
    medium = BodyMedium(required=False, allow_null=True, help_text=gettext_lazy(
        "記録媒体管理台帳の媒体 id（任意）。廃棄済・紛失・持出中・廃棄申請中の媒体や、有効な例外措置のない"
        "USBメモリ・私物の媒体は指定できません。"))
    medium_number = serializers.CharField(source="medium.number", read_only=True, default=None)
    requester = serializers.CharField(source="requester.full_name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    available_transitions = serializers.SerializerMethodField(
        help_text=gettext_lazy("この利用者がいま行える操作: POST /carry-outs/{id}/{操作}/"))
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices)
    # The model's TextField has no limit; the API keeps a request to a sensible size.
    purpose = serializers.CharField(max_length=2000)

    class Meta:
        model = CarryOutRequest
        fields = ["id", "number", "state", "state_label", "requester", "medium", "medium_number",
                  "data_description", "confidentiality",
                  "purpose", "destination", "encrypted", "password_protected", "locked_case", "protection_note",
                  "out_date", "due_date", "taken_out_at", "returned_at", "return_confirmed_at", "created_at",
                  "available_transitions"]
        read_only_fields = ["number", "state", "taken_out_at", "returned_at", "return_confirmed_at", "created_at"]

    def get_available_transitions(self, obj) -> list[str]:
        # request.user, the same object for every row: access.policy caches its acting roles on it.
        return [t.name for t, _a in available_transitions(self.context["request"].user, obj)]


class CarryOutFilter(serializers.Serializer):
    state = serializers.ChoiceField(choices=list(WORKFLOW.states.items()), required=False)
    q = serializers.CharField(required=False, max_length=100, help_text=gettext_lazy("申請番号・データ・持出し先で検索"))


# --- the media a request may name: the suggestions of the forms' 登録番号 input (media/medium_picker.js) -------

SUGGESTIONS = 20


class MediumSearchFilter(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text=gettext_lazy(
        "登録番号・製品名の部分一致（全角英数字は半角として検索）。省略時は登録番号順の最初から"))


class MediumChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True, help_text=gettext_lazy("登録番号"))
    label = serializers.SerializerMethodField(help_text=gettext_lazy("画面の選択肢と同じ表示：登録番号・種類・製品名・最高機密性"))
    kind = serializers.CharField(read_only=True)
    product = serializers.CharField(read_only=True)

    def get_label(self, obj) -> str:
        from .forms import medium_label

        return medium_label(obj)


class MediumChoicesSerializer(serializers.Serializer):
    results = MediumChoiceSerializer(many=True, read_only=True)
    more = serializers.BooleanField(read_only=True, help_text=gettext_lazy(
        "ほかにも該当する記録媒体がある（最初の20件だけ返します。絞り込んでください）"))


def medium_choices(request, media) -> Response:
    """The first SUGGESTIONS of `media` (a body-scoped queryset ordered by number) that match ?q=."""
    from django.db.models import Q

    from .forms import normalise_number

    f = MediumSearchFilter(data={k: v for k, v in request.query_params.items() if k == "q"})
    f.is_valid(raise_exception=True)
    q = normalise_number(f.validated_data.get("q", ""))
    if q:
        media = media.filter(Q(number__icontains=q) | Q(product__icontains=q))
    rows = list(media[:SUGGESTIONS + 1])
    return Response({"results": MediumChoiceSerializer(rows[:SUGGESTIONS], many=True).data,
                     "more": len(rows) > SUGGESTIONS})


class TransitionInputSerializer(StrictFields, serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    deputy_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


@extend_schema_view(list=extend_schema(parameters=[CarryOutFilter]))
class CarryOutViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """P-01 carry-out requests. Each transition is `POST /carry-outs/{id}/{transition}/`.

    PATCH corrects a request that was sent back (差戻し); there is no PUT and no DELETE (withdraw instead).
    """

    permission_classes = [BodyMember]
    serializer_class = CarryOutSerializer
    pagination_class = IdPageNumberPagination  # long lists: the page's ids first
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CarryOutRequest.objects.none()
        f = CarryOutFilter(data={k: v for k, v in self.request.query_params.items() if k in ("state", "q")})
        f.is_valid(raise_exception=True)
        return selectors.carry_out_list(self.request.user, state=f.validated_data.get("state", ""),
                                        q=f.validated_data.get("q", ""))

    def get_object(self):
        return selectors.carry_out_get(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        if not can(request.user, "media.create_carry_out"):  # the role before the input (authorisation matrix)
            raise Forbidden(_("持出し申請を行う権限がありません。"))
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        obj = services.create_carry_out(actor=request.user, **s.validated_data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        # Who and when before what: the service checks again under the row lock.
        if not can(request.user, "media.edit_carry_out", obj):
            raise Forbidden(_("この申請を修正できるのは申請者だけです。"))
        if obj.state != "sent_back":
            raise WrongState(_("差戻しされた申請だけ修正できます。"))
        s = self.get_serializer(obj, data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        obj = services.update_carry_out(obj, actor=request.user, **s.validated_data)
        return Response(self.get_serializer(obj).data)

    @extend_schema(parameters=[MediumSearchFilter], responses=MediumChoicesSerializer,
                   summary=gettext_lazy("持出しに使える記録媒体を探す（保管中で、持出し申請が処理中でなく、"
                                        "USBメモリ・私物は有効な例外措置のあるもの）"))
    @action(detail=False, methods=["get"], url_path="media", url_name="media")
    def usable_media(self, request, format=None):  # format: the router's .json twin
        if not can(request.user, "media.create_carry_out"):
            raise Forbidden(_("持出し申請を行う権限がありません。"))
        return medium_choices(request, selectors.usable_media(request.user))

    @extend_schema(
        operation_id="carry_outs_transition",
        summary=gettext_lazy("状態を進める（承認・差戻し・却下・再申請・取下げ・持出し・返却・返却確認・紛失の報告）"),
        request=TransitionInputSerializer, responses=CarryOutSerializer,
        parameters=[OpenApiParameter("transition", str, OpenApiParameter.PATH,
                                     enum=[t.name for t in WORKFLOW.transitions])],
    )
    @action(detail=True, methods=["post"], url_path=r"(?P<transition>[a-z_]+)")
    def transition(self, request, pk=None, transition=None):
        obj = self.get_object()
        if WORKFLOW.get(transition) is None:
            raise NotFound(_("この操作はありません: %(name)s") % {"name": transition})
        s = TransitionInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        obj = perform(obj, transition, request.user, comment=s.validated_data["comment"],
                      deputy_reason=s.validated_data["deputy_reason"])
        return Response(self.get_serializer(obj).data)
