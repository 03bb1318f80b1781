"""API of the register's Excel import and export (issue 3, parts 4, 5 and 7).

POST /api/v1/assets/imports/              multipart: file (.xlsx), mode (create | update) → the checked batch
GET  /api/v1/assets/imports/{id}/         the batch: status, counts, every error, the preview rows
POST /api/v1/assets/imports/{id}/commit/  write the batch, all or nothing (409 when not committable)
GET  /api/v1/assets/export.xlsx?filters   the filtered register as 重要性分類一覧表 (the list's filters)
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tejun.access.policy import can
from tejun.api.base import BodyMember
from tejun.lib import xlsx
from tejun.lib.errors import Forbidden, InvalidInput

from . import exports, imports
from .models import ImportBatch
from .selectors import AssetFilter


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Excel の行番号")
    column = serializers.CharField(help_text="列の見出し")
    message = serializers.CharField()


class ImportPreviewRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["create", "update", "unchanged", "error"])
    number = serializers.CharField()
    values = serializers.ListField(child=serializers.CharField(allow_blank=True),
                                   help_text="columns の順の表示値")
    changed = serializers.ListField(child=serializers.CharField(), help_text="更新で変わる列の見出し")


class ImportBatchSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.full_name", read_only=True)
    columns = serializers.SerializerMethodField()
    errors = ImportErrorSerializer(many=True, read_only=True)
    preview = ImportPreviewRowSerializer(many=True, read_only=True)

    class Meta:
        model = ImportBatch
        fields = ["id", "file_name", "mode", "mode_label", "status", "status_label", "uploaded_by", "total_rows",
                  "create_count", "update_count", "unchanged_count", "error_count", "errors", "columns", "preview",
                  "created_at", "committed_at"]
        read_only_fields = fields

    def get_columns(self, obj) -> list[str]:
        return list(exports.HEADERS)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".xlsx（20 MB まで）")
    mode = serializers.ChoiceField(choices=ImportBatch.Mode.choices, default=ImportBatch.Mode.CREATE,
                                   help_text="create: 新規登録のみ / update: 管理番号が一致する資産を更新する")


def _require_import(user):
    if not can(user, "assets.import"):
        raise Forbidden(_("情報資産を取り込む権限がありません。"))


class ImportCreateView(APIView):
    """Upload a file: every row is checked now; nothing is written to the register until commit."""

    permission_classes = [BodyMember]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": ImportUploadSerializer},
                   responses={201: ImportBatchSerializer}, operation_id="assets_imports_create")
    def post(self, request):
        _require_import(request.user)
        s = ImportUploadSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        upload = s.validated_data["file"]
        if upload.size > xlsx.MAX_UPLOAD_BYTES:
            message = _("ファイルが大きすぎます（上限 %(mb)d MB）。") % {"mb": xlsx.MAX_UPLOAD_BYTES // (1024 * 1024)}
            raise InvalidInput(message, fields={"file": [message]})
        batch = imports.upload_batch(actor=request.user, file_name=upload.name, data=upload.read(),
                                     mode=s.validated_data["mode"])
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class ImportDetailView(APIView):
    permission_classes = [BodyMember]

    @extend_schema(responses={200: ImportBatchSerializer}, operation_id="assets_imports_retrieve")
    def get(self, request, pk: int):
        return Response(ImportBatchSerializer(imports.get_batch(request.user, pk)).data)


class ImportCommitView(APIView):
    permission_classes = [BodyMember]

    @extend_schema(request=None, responses={200: ImportBatchSerializer}, operation_id="assets_imports_commit")
    def post(self, request, pk: int):
        batch = imports.get_batch(request.user, pk)
        batch = imports.commit_batch(batch, actor=request.user)
        return Response(ImportBatchSerializer(batch).data)


EXPORT_PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, required=False, description=desc)
    for name, desc in (
        ("q", "資産名称・所属・業務・保存場所・管理番号の部分一致"), ("department", "所属"),
        ("confidentiality", "機密性の記号"), ("integrity", "完全性の記号"), ("availability", "可用性の記号"),
        ("confidentiality_min", "機密性の下限（2 なら 2 以上）"), ("form", "paper / electronic / system"),
        ("network_layer", "mynumber / lgwan / internet / none"), ("status", "in_use（既定）/ disposed / 空ですべて"),
        ("has_personal_info", "1 / 0"), ("has_sensitive_personal_info", "1 / 0"),
        ("has_specific_personal_info", "1 / 0"), ("manager_post", "役職の id"), ("sort", "並び順"),
    )
]


class FileOrJsonErrors(BaseContentNegotiation):
    """The answer is a file, or a JSON error: whatever the client's Accept header (or ?format=) says."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportXlsxView(APIView):
    """The filtered register as the 重要性分類一覧表 (.xlsx), importable back in update mode."""

    permission_classes = [BodyMember]
    content_negotiation_class = FileOrJsonErrors

    @extend_schema(parameters=EXPORT_PARAMETERS, operation_id="assets_export_xlsx",
                   responses={(200, xlsx.XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY)})
    def get(self, request):
        if not can(request.user, "assets.view"):
            raise Forbidden(_("情報資産台帳を閲覧する権限がありません。"))
        wb, _count = exports.export_workbook(request.user, AssetFilter.from_params(request.query_params))
        return xlsx.workbook_response(wb, exports.export_filename(request.user.body, "xlsx"))
