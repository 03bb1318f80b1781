from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tejun.api.base import BodyMember
from tejun.workflow.engine import available_transitions, perform

from . import selectors, services
from .models import CarryOutRequest, Confidentiality


class CarryOutSerializer(serializers.ModelSerializer):
    requester = serializers.CharField(source="requester.full_name", read_only=True)
    state_label = serializers.CharField(read_only=True)
    available_transitions = serializers.SerializerMethodField()
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices)

    class Meta:
        model = CarryOutRequest
        fields = ["id", "number", "state", "state_label", "requester", "data_description", "confidentiality",
                  "purpose", "destination", "encrypted", "password_protected", "locked_case", "protection_note",
                  "out_date", "due_date", "taken_out_at", "returned_at", "return_confirmed_at", "created_at",
                  "available_transitions"]
        read_only_fields = ["number", "state", "taken_out_at", "returned_at", "return_confirmed_at", "created_at"]

    def get_available_transitions(self, obj) -> list[str]:
        return [t.name for t, _a in available_transitions(self.context["request"].user, obj)]


class TransitionInputSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    deputy_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class CarryOutViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """P-01 carry-out requests. Each transition is `POST /carry-outs/{id}/{transition}/`."""

    permission_classes = [BodyMember]
    serializer_class = CarryOutSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        p = self.request.query_params
        return selectors.carry_out_list(self.request.user, state=p.get("state", ""), q=p.get("q", ""))

    def get_object(self):
        return selectors.carry_out_get(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        obj = services.create_carry_out(actor=request.user, **s.validated_data)
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        obj = self.get_object()
        s = self.get_serializer(obj, data=request.data, partial=True)
        s.is_valid(raise_exception=True)
        obj = services.update_carry_out(obj, actor=request.user, **s.validated_data)
        return Response(self.get_serializer(obj).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        request=TransitionInputSerializer, responses=CarryOutSerializer,
        parameters=[OpenApiParameter("transition", str, OpenApiParameter.PATH,
                                     enum=[t.name for t in CarryOutRequest.workflow.transitions])],
    )
    @action(detail=True, methods=["post"], url_path=r"(?P<transition>[a-z_]+)")
    def transition(self, request, pk=None, transition=None):
        obj = self.get_object()
        s = TransitionInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        obj = perform(obj, transition, request.user, comment=s.validated_data["comment"],
                      deputy_reason=s.validated_data["deputy_reason"])
        return Response(self.get_serializer(obj).data)
