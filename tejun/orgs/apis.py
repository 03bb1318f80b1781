from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from tejun.access.policy import can, get_visible
from tejun.api.base import BodyMember
from tejun.lib.errors import Forbidden

from . import selectors, services
from .models import Absence, RoleAssignment, User
from .roles import Role


class PersonSerializer(serializers.ModelSerializer):
    post = serializers.CharField(source="post.name", default=None, read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "login_id", "full_name", "furigana", "email", "post", "is_active", "roles"]

    def get_roles(self, obj) -> list[str]:
        return sorted(selectors.acting_roles(obj))


class MeView(APIView):
    permission_classes = [BodyMember]

    @extend_schema(responses=PersonSerializer)
    def get(self, request):
        return Response(PersonSerializer(request.user).data)


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [BodyMember]
    serializer_class = PersonSerializer

    def get_queryset(self):
        if not can(self.request.user, "orgs.view_people"):
            raise Forbidden("職員一覧を閲覧する権限がありません。")
        return selectors.people_of_body(self.request.user)


class RoleAssignmentSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices)
    person = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), allow_null=True, required=False)
    post = serializers.IntegerField(source="post_id", allow_null=True, required=False)

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "person", "post", "valid_from", "valid_to", "is_deputy", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # Only people of the acting user's body can be chosen: another body's id is "does not exist".
            self.fields["person"].queryset = User.objects.filter(body_id=request.user.body_id)


class RoleAssignmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [BodyMember]
    serializer_class = RoleAssignmentSerializer

    def get_queryset(self):
        if not can(self.request.user, "orgs.view_people"):
            raise Forbidden("役割を閲覧する権限がありません。")
        return selectors.role_assignments_of_body(self.request.user)

    def create(self, request, *args, **kwargs):
        from .models import Post

        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        post = get_visible(request.user, Post, d["post_id"]) if d.get("post_id") else None
        ra = services.assign_role(actor=request.user, role=d["role"], person=d.get("person"), post=post,
                                  valid_from=d.get("valid_from"), valid_to=d.get("valid_to"),
                                  is_deputy=d.get("is_deputy", False), note=d.get("note", ""))
        return Response(self.get_serializer(ra).data, status=status.HTTP_201_CREATED)


class AbsenceSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())

    class Meta:
        model = Absence
        fields = ["id", "person", "starts_at", "ends_at", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["person"].queryset = User.objects.filter(body_id=request.user.body_id)


class AbsenceViewSet(mixins.CreateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [BodyMember]
    serializer_class = AbsenceSerializer

    def get_queryset(self):
        return selectors.absences_of_body(self.request.user)

    def create(self, request, *args, **kwargs):
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        absence = services.add_absence(actor=request.user, **s.validated_data)
        return Response(self.get_serializer(absence).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.delete_absence(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
