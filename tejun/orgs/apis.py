from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from tejun.access.policy import can
from tejun.api.base import BodyMember, StrictFields
from tejun.lib.errors import Forbidden

from . import selectors, services
from .models import Absence, Post, RoleAssignment, User
from .roles import Role


class PersonSerializer(serializers.ModelSerializer):
    post = serializers.CharField(source="post.name", default=None, read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField(help_text=_("いま行使できる役割（代理を含む）"))

    class Meta:
        model = User
        fields = ["id", "login_id", "full_name", "furigana", "email", "post", "is_active", "roles"]

    def get_roles(self, obj) -> list[str]:
        known = self.context.get("roles_by_person")
        if known is not None and obj.pk in known:
            return known[obj.pk]
        return sorted(selectors.acting_roles(obj))


class MeView(APIView):
    """The logged-in user, with the roles they can act in now."""

    permission_classes = [BodyMember]

    @extend_schema(responses=PersonSerializer)
    def get(self, request):
        return Response(PersonSerializer(request.user, context={"request": request}).data)


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """The people of the user's body (read-only; people are managed in the admin)."""

    permission_classes = [BodyMember]
    serializer_class = PersonSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        if not can(self.request.user, "orgs.view_people"):
            raise Forbidden(_("職員一覧を閲覧する権限がありません。"))
        return selectors.people_of_body(self.request.user)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        people = list(queryset) if page is None else page
        # Everyone's roles in a bounded number of queries, not acting_roles() once per row.
        roles = selectors.acting_roles_of_people(request.user.body_id, people)
        context = {**self.get_serializer_context(),
                   "roles_by_person": {pk: sorted(held) for pk, held in roles.items()}}
        data = self.get_serializer_class()(people, many=True, context=context).data
        return Response(data) if page is None else self.get_paginated_response(data)


class RoleAssignmentSerializer(StrictFields, serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices)
    person = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), allow_null=True, required=False)
    post = serializers.PrimaryKeyRelatedField(queryset=Post.objects.none(), allow_null=True, required=False)

    class Meta:
        model = RoleAssignment
        fields = ["id", "role", "person", "post", "valid_from", "valid_to", "is_deputy", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # Only the acting user's body can be chosen: another body's id "does not exist".
            self.fields["person"].queryset = User.objects.filter(body_id=request.user.body_id)
            self.fields["post"].queryset = Post.objects.filter(body_id=request.user.body_id)


class RoleAssignmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Role assignments: every member of staff sees them (as on the people page); managers add them."""

    permission_classes = [BodyMember]
    serializer_class = RoleAssignmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RoleAssignment.objects.none()
        if not can(self.request.user, "orgs.view_people"):
            raise Forbidden(_("役割を閲覧する権限がありません。"))
        return selectors.role_assignments_of_body(self.request.user).order_by("role", "is_deputy", "valid_from",
                                                                               "id")

    def create(self, request, *args, **kwargs):
        # Refuse the wrong role before looking at the input: a 403 does not depend on what was sent.
        if not can(request.user, "orgs.manage_people"):
            raise Forbidden(_("職員・役割を管理する権限がありません。"))
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        ra = services.assign_role(actor=request.user, role=d["role"], person=d.get("person"), post=d.get("post"),
                                  valid_from=d.get("valid_from"), valid_to=d.get("valid_to"),
                                  is_deputy=d.get("is_deputy", False), note=d.get("note", ""))
        return Response(self.get_serializer(ra).data, status=status.HTTP_201_CREATED)


class AbsenceSerializer(StrictFields, serializers.ModelSerializer):
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
    """Absences (不在): anyone records or removes their own; managers anyone's. Contractors see none."""

    permission_classes = [BodyMember]
    serializer_class = AbsenceSerializer

    def _check_staff(self):
        if not can(self.request.user, "orgs.view_people"):
            raise Forbidden(_("不在の予定を閲覧・登録する権限がありません。"))

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Absence.objects.none()
        self._check_staff()
        return selectors.absences_of_body(self.request.user).order_by("-starts_at", "-id")

    def create(self, request, *args, **kwargs):
        self._check_staff()
        s = self.get_serializer(data=request.data)
        s.is_valid(raise_exception=True)
        absence = services.add_absence(actor=request.user, **s.validated_data)
        return Response(self.get_serializer(absence).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        services.delete_absence(self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
