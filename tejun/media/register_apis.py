"""API of the media register (C-1): /api/v1/cabinets/, /api/v1/media/, /api/v1/medium-exceptions/,
/api/v1/stocktakes/. The same selectors and services as the pages, body-scoped; vendors may not read.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tejun.access.policy import can
from tejun.api.base import BodyMember, StrictFields
from tejun.lib.errors import Forbidden, NotFound, WrongState
from tejun.orgs.models import User
from tejun.workflow.engine import available_transitions, perform

from . import register_selectors as selectors
from . import register_services as services
from .apis import TransitionInputSerializer  # the same input as the carry-out transitions
from .models import Cabinet, Medium, MediumException, Stocktake, StocktakeItem

EXCEPTION_WORKFLOW = MediumException.workflow


class MediaReader(BodyMember):
    """A member of staff of the body (vendors may not read the media register)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if not can(request.user, "media.view"):
            self.message = _("記録媒体の台帳を閲覧する権限がありません。")
            return False
        return True


def _require(user, action_name: str, message: str):
    if not can(user, action_name):
        raise Forbidden(message)


class BodyScopedPK(serializers.PrimaryKeyRelatedField):
    """An id of a row of the acting user's body: another body's id "does not exist" (400)."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        body_id = getattr(getattr(request, "user", None), "body_id", None) or -1
        qs = self.model.objects.filter(body_id=body_id)
        return qs.filter(is_active=True) if self.model is User else qs


# ------------------------------------------------------------------------------------------ cabinets

class CabinetSerializer(StrictFields, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100, help_text=gettext_lazy("名称"))
    place = serializers.CharField(max_length=200, help_text=gettext_lazy("設置場所"))
    lockable = serializers.BooleanField(required=False, default=True,
                                        help_text=gettext_lazy("施錠可能。false のキャビネットには記録媒体を保管できません"))
    key_custodian = BodyScopedPK(User, required=False, allow_null=True, help_text=gettext_lazy("鍵の管理者（職員の ID）"))
    key_custodian_name = serializers.CharField(source="key_custodian.full_name", read_only=True, default=None,
                                               allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text=gettext_lazy("備考"))
    media_count = serializers.IntegerField(read_only=True, help_text=gettext_lazy("保管中（廃棄済以外）の記録媒体の数"))


class CabinetViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Cabinets (施錠可能なキャビネット, C-1(4)). Writes need the role that keeps the media register."""

    permission_classes = [MediaReader]
    serializer_class = CabinetSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Cabinet.objects.none()
        return selectors.cabinet_list(self.request.user)

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (Cabinet.DoesNotExist, ValueError, TypeError):
            raise NotFound(_("見つかりません。")) from None

    def create(self, request, *args, **kwargs):
        _require(request.user, "media.register", _("キャビネットを登録する権限がありません。"))
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        cabinet = services.create_cabinet(actor=request.user, **s.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=cabinet.pk)).data,
                        status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        cabinet = self.get_object()
        _require(request.user, "media.register", _("キャビネットを編集する権限がありません。"))
        s = self.get_serializer(cabinet, data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        services.update_cabinet(cabinet, actor=request.user, **s.validated_data)
        return Response(self.get_serializer(self.get_object()).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)


# ------------------------------------------------------------------------------------------ media

class LevelCodeField(serializers.CharField):
    """A confidentiality level as its code ("3A", "2"); the service checks it against the active scheme."""

    def to_representation(self, value):
        return getattr(value, "code", value)


class MediumSerializer(StrictFields, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True, help_text=gettext_lazy("登録番号（MD-00001 の形式で自動採番）"))
    kind = serializers.ChoiceField(choices=Medium.Kind.choices, help_text=gettext_lazy("種類"))
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    product = serializers.CharField(max_length=200, help_text=gettext_lazy("製品名"))
    serial = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text=gettext_lazy("製造番号"))
    capacity = serializers.CharField(required=False, allow_blank=True, max_length=50, help_text=gettext_lazy("容量"))
    encrypted = serializers.BooleanField(required=False, help_text=gettext_lazy("暗号化"))
    owner = serializers.ChoiceField(choices=Medium.Owner.choices, required=False,
                                    help_text=gettext_lazy("所有（body: 団体所有、private: 私物）"))
    owner_label = serializers.CharField(source="get_owner_display", read_only=True)
    custodian = BodyScopedPK(User, required=False, help_text=gettext_lazy("管理者（職員の ID）。登録時に省略すると登録した人"))
    custodian_name = serializers.CharField(source="custodian.full_name", read_only=True)
    cabinet = BodyScopedPK(Cabinet, help_text=gettext_lazy("保管キャビネットの ID（施錠可能なものに限る）"))
    cabinet_name = serializers.CharField(source="cabinet.name", read_only=True)
    highest_level = LevelCodeField(required=False, allow_null=True, max_length=10,
                                   help_text=gettext_lazy("書き込んだデータの最高機密性の分類コード（上げることだけできる）"))
    highest_level_label = serializers.CharField(source="highest_level.label", read_only=True, default=None,
                                                allow_null=True)
    exception = BodyScopedPK(MediumException, required=False, allow_null=True,
                             help_text=gettext_lazy("例外措置の ID（USBメモリ・私物の記録媒体に必要）"))
    exception_number = serializers.CharField(source="exception.number", read_only=True, default=None,
                                             allow_null=True)
    needs_exception = serializers.BooleanField(read_only=True)
    status = serializers.ChoiceField(choices=Medium.Status.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    registered_on = serializers.DateField(required=False, help_text=gettext_lazy("登録日（省略時は今日）"))
    last_stocktake_on = serializers.DateField(read_only=True, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text=gettext_lazy("備考"))


class MediumDetailSerializer(MediumSerializer):
    usable = serializers.SerializerMethodField(help_text=gettext_lazy("今日、使用・持出しできるか"))
    unusable_reason = serializers.SerializerMethodField(help_text=gettext_lazy("使用できない理由"))

    def _usable(self, obj) -> tuple[bool, str]:
        cache = self.context.setdefault("_usable", {})
        if obj.pk not in cache:
            cache[obj.pk] = services.medium_usable(obj, timezone.localdate())
        return cache[obj.pk]

    def get_usable(self, obj) -> bool:
        return self._usable(obj)[0]

    def get_unusable_reason(self, obj) -> str:
        return str(self._usable(obj)[1])


class DataWrittenSerializer(StrictFields, serializers.Serializer):
    level = serializers.CharField(max_length=10, help_text=gettext_lazy("書き込んだデータの機密性の分類コード（例：2、3A）"))


MEDIUM_FILTERS = [
    OpenApiParameter("q", str, description=gettext_lazy("登録番号・製品名・製造番号・備考の部分一致（空白区切りで AND）")),
    OpenApiParameter("kind", str, enum=Medium.Kind.values, description=gettext_lazy("種類")),
    OpenApiParameter("status", str, enum=[*Medium.Status.values, "active"],
                     description=gettext_lazy("状態（active は廃棄済以外）。省略時はすべて")),
    OpenApiParameter("owner", str, enum=Medium.Owner.values, description=gettext_lazy("所有")),
    OpenApiParameter("cabinet", int, description=gettext_lazy("保管キャビネットの ID")),
    OpenApiParameter("custodian", int, description=gettext_lazy("管理者（職員）の ID")),
]


@extend_schema_view(list=extend_schema(parameters=MEDIUM_FILTERS),
                    retrieve=extend_schema(responses=MediumDetailSerializer))
class MediumViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The 記録媒体管理台帳. The status follows carry-out, disposal and stock-take; it is not written here."""

    permission_classes = [MediaReader]
    serializer_class = MediumSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return MediumDetailSerializer if self.action != "list" else MediumSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Medium.objects.none()
        return selectors.medium_list(self.request.user, selectors.MediumFilter.from_params(self.request.query_params))

    def get_object(self):
        return selectors.medium_get(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        _require(request.user, "media.register", _("記録媒体を登録する権限がありません。"))
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        medium = services.create_medium(actor=request.user, **s.validated_data)
        return Response(self.get_serializer(medium).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        medium = self.get_object()
        _require(request.user, "media.register", _("記録媒体を編集する権限がありません。"))
        if medium.status == Medium.Status.DISPOSED:
            raise WrongState(_("廃棄済の記録媒体は修正できません。"))
        s = self.get_serializer(medium, data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        medium = services.update_medium(medium, actor=request.user, **s.validated_data)
        return Response(self.get_serializer(medium).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=DataWrittenSerializer, responses=MediumDetailSerializer,
                   summary=gettext_lazy("データを書き込んだことを記録する（最高機密性は上がるだけ）"))
    @action(detail=True, methods=["post"], url_path="data-written")
    def data_written(self, request, pk=None):
        medium = self.get_object()
        s = DataWrittenSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        medium = services.record_data_written(medium, s.validated_data["level"], actor=request.user)
        return Response(MediumDetailSerializer(medium, context=self.get_serializer_context()).data)


# ------------------------------------------------------------------------------------------ exceptions

class ExceptionSerializer(StrictFields, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)
    state_label = serializers.CharField(read_only=True)
    requester = serializers.CharField(source="requester.full_name", read_only=True)
    kind = serializers.ChoiceField(choices=MediumException.Kind.choices, help_text=gettext_lazy("例外の種類"))
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    purpose = serializers.CharField(max_length=2000, help_text=gettext_lazy("目的・理由"))
    medium_description = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                               help_text=gettext_lazy("対象の記録媒体（製品名・製造番号など）"))
    medium = BodyScopedPK(Medium, required=False, allow_null=True,
                          help_text=gettext_lazy("登録済みの記録媒体の ID（承認されるとその媒体に結び付く）"))
    medium_number = serializers.CharField(source="medium.number", read_only=True, default=None, allow_null=True)
    valid_from = serializers.DateField(help_text=gettext_lazy("有効期間（開始）"))
    valid_to = serializers.DateField(help_text=gettext_lazy("有効期間（終了）。開始から1年以内"))
    in_force = serializers.SerializerMethodField(help_text=gettext_lazy("承認済みで、今日が有効期間内か"))
    created_at = serializers.DateTimeField(read_only=True)
    available_transitions = serializers.SerializerMethodField(
        help_text=gettext_lazy("この利用者がいま行える操作: POST /medium-exceptions/{id}/{操作}/"))

    def get_in_force(self, obj) -> bool:
        return obj.covers(timezone.localdate())

    def get_available_transitions(self, obj) -> list[str]:
        return [t.name for t, _a in available_transitions(self.context["request"].user, obj)]


class ExceptionFilter(serializers.Serializer):
    state = serializers.ChoiceField(choices=list(EXCEPTION_WORKFLOW.states.items()), required=False)
    kind = serializers.ChoiceField(choices=MediumException.Kind.choices, required=False)
    q = serializers.CharField(required=False, max_length=100,
                              help_text=gettext_lazy("申請番号・対象の記録媒体・目的で検索"))


@extend_schema_view(list=extend_schema(parameters=[ExceptionFilter]))
class MediumExceptionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Exceptions (例外措置, C-1(1)(2)). Each transition is `POST /medium-exceptions/{id}/{transition}/`.

    PATCH corrects a request that was sent back (差戻し); the officer approves, never the requester.
    """

    permission_classes = [MediaReader]
    serializer_class = ExceptionSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MediumException.objects.none()
        f = ExceptionFilter(data={k: v for k, v in self.request.query_params.items() if k in ("state", "kind", "q")})
        f.is_valid(raise_exception=True)
        return selectors.exception_list(self.request.user, **f.validated_data)

    def get_object(self):
        return selectors.exception_get(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        _require(request.user, "media.request_exception", _("例外措置を申請する権限がありません。"))
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        exc = services.create_exception(actor=request.user, **s.validated_data)
        return Response(self.get_serializer(exc).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        exc = self.get_object()
        if not can(request.user, "media.edit_exception", exc):
            raise Forbidden(_("この申請を修正できるのは申請者だけです。"))
        if exc.state != "sent_back":
            raise WrongState(_("差戻しされた申請だけ修正できます。"))
        s = self.get_serializer(exc, data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        exc = services.update_exception(exc, actor=request.user, **s.validated_data)
        return Response(self.get_serializer(exc).data)

    @extend_schema(
        operation_id="medium_exceptions_transition",
        summary=gettext_lazy("状態を進める（承認・差戻し・却下・再申請・取下げ・取消し）"),
        request=TransitionInputSerializer, responses=ExceptionSerializer,
        parameters=[OpenApiParameter("transition", str, OpenApiParameter.PATH,
                                     enum=[t.name for t in EXCEPTION_WORKFLOW.transitions])],
    )
    @action(detail=True, methods=["post"], url_path=r"(?P<transition>[a-z_]+)")
    def transition(self, request, pk=None, transition=None):
        exc = self.get_object()
        if EXCEPTION_WORKFLOW.get(transition) is None:
            raise NotFound(_("この操作はありません: %(name)s") % {"name": transition})
        s = TransitionInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        exc = perform(exc, transition, request.user, comment=s.validated_data["comment"],
                      deputy_reason=s.validated_data["deputy_reason"])
        return Response(self.get_serializer(exc).data)


# ------------------------------------------------------------------------------------------ stock-takes

class StocktakeItemSerializer(serializers.ModelSerializer):
    medium_number = serializers.CharField(source="medium.number", read_only=True)
    medium_kind = serializers.CharField(source="medium.get_kind_display", read_only=True)
    medium_product = serializers.CharField(source="medium.product", read_only=True)
    medium_status = serializers.CharField(source="medium.status", read_only=True)
    cabinet_name = serializers.CharField(source="cabinet.name", read_only=True)
    result_label = serializers.CharField(source="get_result_display", read_only=True)
    checked_by_name = serializers.CharField(source="checked_by.full_name", read_only=True, default=None,
                                            allow_null=True)

    class Meta:
        model = StocktakeItem
        fields = ["id", "medium", "medium_number", "medium_kind", "medium_product", "medium_status", "cabinet",
                  "cabinet_name", "result", "result_label", "checked_by", "checked_by_name", "checked_at", "note"]
        read_only_fields = fields


class StocktakeSerializer(StrictFields, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(source="__str__", read_only=True)
    status = serializers.ChoiceField(choices=Stocktake.Status.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    started_at = serializers.DateTimeField(read_only=True)
    started_by = serializers.CharField(source="started_by.full_name", read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text=gettext_lazy("備考"))
    item_count = serializers.IntegerField(read_only=True)
    present_count = serializers.IntegerField(read_only=True)
    missing_count = serializers.IntegerField(read_only=True)


class StocktakeDetailSerializer(StocktakeSerializer):
    items = serializers.SerializerMethodField()

    @extend_schema_field(StocktakeItemSerializer(many=True))
    def get_items(self, obj) -> list[dict]:
        return StocktakeItemSerializer(selectors.stocktake_items(obj), many=True).data


class MarkInputSerializer(StrictFields, serializers.Serializer):
    item = serializers.IntegerField(help_text=gettext_lazy("棚卸の項目の ID（items[].id）"))
    result = serializers.ChoiceField(choices=StocktakeItem.Result.choices,
                                     help_text=gettext_lazy("present: あり、missing: 所在不明、空文字: 未確認に戻す"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text=gettext_lazy("備考"))


class CloseInputSerializer(StrictFields, serializers.Serializer):
    unchecked_as_missing = serializers.BooleanField(
        required=False, default=False,
        help_text=gettext_lazy("未確認の記録媒体を所在不明として完了する（false なら未確認があると 400）"))


@extend_schema_view(retrieve=extend_schema(responses=StocktakeDetailSerializer),
                    create=extend_schema(responses={201: StocktakeDetailSerializer}))
class StocktakeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Stock-takes (棚卸). POST starts a round (one open round per body); mark each item, then close."""

    permission_classes = [MediaReader]
    serializer_class = StocktakeSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        return StocktakeSerializer if self.action == "list" else StocktakeDetailSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Stocktake.objects.none()
        return selectors.stocktake_list(self.request.user)

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (Stocktake.DoesNotExist, ValueError, TypeError):
            raise NotFound(_("見つかりません。")) from None

    def _detail(self, stocktake_pk):
        obj = self.get_queryset().get(pk=stocktake_pk)
        return StocktakeDetailSerializer(obj, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        _require(request.user, "media.stocktake", _("棚卸を行う権限がありません。"))
        s = StocktakeSerializer(data=request.data, context=self.get_serializer_context())
        s.is_valid(raise_exception=True)
        stocktake = services.start_stocktake(actor=request.user, note=s.validated_data.get("note", ""))
        return Response(self._detail(stocktake.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=MarkInputSerializer, responses=StocktakeItemSerializer,
                   summary=gettext_lazy("1点の結果を記録する（あり・所在不明・未確認に戻す）"))
    @action(detail=True, methods=["post"])
    def mark(self, request, pk=None):
        stocktake = self.get_object()
        _require(request.user, "media.stocktake", _("棚卸を行う権限がありません。"))
        s = MarkInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        item = selectors.stocktake_item_get(request.user, stocktake, s.validated_data["item"])
        services.mark_item(item, actor=request.user, result=s.validated_data["result"],
                           note=s.validated_data.get("note"))
        return Response(StocktakeItemSerializer(selectors.stocktake_item_get(request.user, stocktake, item.pk)).data)

    @extend_schema(request=CloseInputSerializer, responses=StocktakeDetailSerializer,
                   summary=gettext_lazy("棚卸を完了する（所在不明は紛失として記録され、事故報告の対象になる）"))
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        stocktake = self.get_object()
        _require(request.user, "media.stocktake", _("棚卸を行う権限がありません。"))
        s = CloseInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.close_stocktake(stocktake, actor=request.user,
                                 unchecked_as_missing=s.validated_data["unchecked_as_missing"])
        return Response(self._detail(stocktake.pk))
