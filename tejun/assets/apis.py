"""API of the register (C-3): /api/v1/assets/ and /api/v1/classification-levels/.

Levels are written as codes of the body's active scheme ("3A") and read back as code and label.
The same filters as the list page (AssetFilter), the same services, body-scoped.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tejun.access.policy import can
from tejun.api.base import BodyMember, StrictFields
from tejun.lib.errors import Forbidden
from tejun.lib.pagination import IdPageNumberPagination
from tejun.orgs.models import Post

from . import schemes, selectors, services
from .models import Asset, ClassificationLevel


class AssetReader(BodyMember):
    """A member of staff of the body (vendors may not read the register)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if not can(request.user, "assets.view"):
            self.message = _("情報資産台帳を閲覧する権限がありません。")
            return False
        return True


class LevelCodeField(serializers.CharField):
    """A level as its code ("3A"); the service checks it against the body's active scheme."""

    def to_representation(self, value):
        return value.code if isinstance(value, ClassificationLevel) else super().to_representation(value)


class AssetSerializer(StrictFields, serializers.Serializer):
    """One row of the 重要性分類一覧表. Levels are codes of the active scheme; unknown fields are refused."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(required=False, allow_blank=True, max_length=30,
                                   help_text=_("管理番号。登録時に省略すると IA-00001 の形式で採番します。"))
    department = serializers.CharField(max_length=100, help_text=_("所属"))
    name = serializers.CharField(max_length=200, help_text=_("資産名称"))
    business = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text=_("業務"))
    form = serializers.ChoiceField(choices=Asset.Form.choices, help_text=_("形態"))
    form_label = serializers.CharField(source="get_form_display", read_only=True)
    location = serializers.CharField(required=False, allow_blank=True, max_length=300, help_text=_("保存場所"))
    network_layer = serializers.ChoiceField(choices=Asset.NetworkLayer.choices, required=False, allow_blank=True,
                                            help_text=_("ネットワーク（空文字は該当なし）"))
    network_layer_label = serializers.CharField(source="get_network_layer_display", read_only=True)
    confidentiality = LevelCodeField(max_length=10, help_text=_("機密性の分類コード（例：3A、2）"))
    confidentiality_label = serializers.CharField(source="confidentiality.label", read_only=True)
    integrity = LevelCodeField(max_length=10, help_text=_("完全性の分類コード"))
    integrity_label = serializers.CharField(source="integrity.label", read_only=True)
    availability = LevelCodeField(max_length=10, help_text=_("可用性の分類コード"))
    availability_label = serializers.CharField(source="availability.label", read_only=True)
    has_personal_info = serializers.BooleanField(required=False, help_text=_("個人情報"))
    has_sensitive_personal_info = serializers.BooleanField(required=False, help_text=_("要配慮個人情報"))
    has_specific_personal_info = serializers.BooleanField(required=False, help_text=_("特定個人情報"))
    manager_post = serializers.PrimaryKeyRelatedField(queryset=Post.objects.none(), required=False, allow_null=True,
                                                      help_text=_("管理者（役職）の ID"))
    manager_post_name = serializers.CharField(source="manager_post.name", read_only=True, default=None,
                                              allow_null=True)
    access_holders = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                           help_text=_("アクセス権者"))
    retention_years = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100,
                                               help_text=_("保存年限（年）。null は常用・永年"))
    expires_on = serializers.DateField(required=False, allow_null=True, help_text=_("満了日"))
    external_party = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                           help_text=_("外部提供・委託先"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, help_text=_("備考"))
    confirmed_on = serializers.DateField(read_only=True, help_text=_("確認日"))
    confirmed_by = serializers.CharField(source="confirmed_by.full_name", read_only=True, default=None,
                                         allow_null=True)
    status = serializers.ChoiceField(choices=Asset.Status.choices, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and getattr(request.user, "body_id", None):
            # Only the acting body's posts can be chosen: another body's id "does not exist".
            self.fields["manager_post"].queryset = Post.objects.filter(body_id=request.user.body_id)


class DisposeInputSerializer(StrictFields, serializers.Serializer):
    """What was done to dispose of the asset (optional)."""

    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000,
                                 help_text=_("廃棄の記録（方法・日付など）"))


FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description=_("資産名称・所属・業務・保存場所・管理番号の部分一致（空白区切りで AND）")),
    OpenApiParameter("department", str, description=_("所属（完全一致）")),
    OpenApiParameter("confidentiality", str, description=_("機密性の分類コード（例：3A）")),
    OpenApiParameter("integrity", str, description=_("完全性の分類コード")),
    OpenApiParameter("availability", str, description=_("可用性の分類コード")),
    OpenApiParameter("confidentiality_min", int, description=_("機密性がこの段階以上（2 なら 2・3・3A・3B・3C）")),
    OpenApiParameter("form", str, enum=Asset.Form.values, description=_("形態")),
    OpenApiParameter("network_layer", str, enum=[v or "none" for v in Asset.NetworkLayer.values],
                     description=_("ネットワーク（none は該当なし）")),
    OpenApiParameter("status", str, enum=["", *Asset.Status.values],
                     description=_("状態。省略時は使用中のみ、空文字ですべて")),
    *[OpenApiParameter(flag, OpenApiTypes.BOOL, description=str(Asset._meta.get_field(flag).verbose_name))
      for flag in selectors.FLAGS],
    OpenApiParameter("manager_post", int, description=_("管理者（役職）の ID")),
    OpenApiParameter("due", OpenApiTypes.BOOL, description=_("定期確認の時期を迎えたものだけ")),
    OpenApiParameter("sort", str, enum=list(selectors.SORTS), description=_("並び順（- は降順）")),
]


@extend_schema_view(list=extend_schema(parameters=FILTER_PARAMETERS))
class AssetViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The information-asset register (重要性分類一覧表). Writes need the role to edit the register."""

    permission_classes = [AssetReader]
    serializer_class = AssetSerializer
    pagination_class = IdPageNumberPagination  # long lists: the page's ids first
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Asset.objects.none()
        flt = selectors.AssetFilter.from_params(self.request.query_params)
        return selectors.asset_list(self.request.user, flt).select_related("confirmed_by")

    def get_object(self):
        return selectors.asset_get(self.request.user, self.kwargs["pk"])

    def _require_edit(self):
        if not can(self.request.user, "assets.edit"):
            raise Forbidden(_("情報資産を編集する権限がありません。"))

    def create(self, request, *args, **kwargs):
        self._require_edit()
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        asset = services.create_asset(actor=request.user, **s.validated_data)
        return Response(self.get_serializer(asset).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        asset = self.get_object()
        self._require_edit()
        s = self.get_serializer(asset, data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        asset = services.update_asset(asset, actor=request.user, **s.validated_data)
        return Response(self.get_serializer(asset).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=None, responses=AssetSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Periodic confirmation: the entry is still right (records who and when)."""
        asset = services.confirm_asset(self.get_object(), actor=request.user)
        return Response(self.get_serializer(asset).data)

    @extend_schema(request=DisposeInputSerializer, responses=AssetSerializer)
    @action(detail=True, methods=["post"])
    def dispose(self, request, pk=None):
        """Mark the asset 廃棄済 (409 when it already is)."""
        asset = self.get_object()
        self._require_edit()
        s = DisposeInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        asset = services.dispose_asset(asset, actor=request.user, note=s.validated_data["note"])
        return Response(self.get_serializer(asset).data)


class ClassificationLevelSerializer(serializers.ModelSerializer):
    axis_label = serializers.CharField(source="get_axis_display", read_only=True)
    label = serializers.CharField(read_only=True)
    handling_restrictions = serializers.ListField(child=serializers.CharField(), source="restriction_lines",
                                                  read_only=True, help_text=_("取扱制限（1項目ずつ）"))
    scheme = serializers.CharField(source="scheme.name", read_only=True)

    class Meta:
        model = ClassificationLevel
        fields = ["id", "scheme", "axis", "axis_label", "code", "label", "base_class", "rank", "definition",
                  "handling_restrictions"]


class ClassificationLevelViewSet(viewsets.ReadOnlyModelViewSet):
    """The levels of the body's active classification scheme, highest first per axis (read-only)."""

    permission_classes = [AssetReader]
    serializer_class = ClassificationLevelSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ClassificationLevel.objects.none()
        scheme = schemes.active_scheme(self.request.user.body)
        return ClassificationLevel.objects.filter(scheme=scheme).select_related("scheme").order_by("axis", "-rank")
