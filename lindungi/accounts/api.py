"""The accounts API: who am I, organisations, users (administrators) and personal tokens. The same
selectors and services as the pages; errors in the one shape of `lindungi.api.errors`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from lindungi.accounts import selectors, services
from lindungi.accounts.mfa import mfa_required
from lindungi.accounts.models import ApiToken, Organisation, User
from lindungi.core import policy
from lindungi.core.policy import Role
from lindungi.geo.models import Region

# --- serializers --------------------------------------------------------------------------------


# Plain strings, not enums: several apps have a field called "kind", and their enum names would collide.
KIND_FIELD = dict(read_only=True, help_text="`secretariat` (the network secretariat) or `member`.")


class OrganisationSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(**KIND_FIELD)
    province = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.filter(level=Region.Level.PROVINCE), allow_null=True,
        required=False,
    )

    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "kind", "province", "city", "address", "phone", "email", "is_active"]
        read_only_fields = ["id", "kind", "is_active"]


class OrganisationUpdateSerializer(OrganisationSerializer):
    class Meta(OrganisationSerializer.Meta):
        read_only_fields = ["id", "code", "kind", "is_active"]


class OrganisationRefSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(**KIND_FIELD)

    class Meta:
        model = Organisation
        fields = ["id", "code", "name", "kind"]


class RolesField(serializers.ListField):
    child = serializers.ChoiceField(choices=Role.choices)


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    organisation = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "organisation", "roles", "is_active", "status", "date_joined",
                  "last_login", "deactivated_at"]

    def get_roles(self, obj) -> list[str]:
        return sorted(m.role for m in obj.memberships.all())

    def get_status(self, obj) -> str:
        if not obj.is_active:
            return "deactivated"
        return "invited" if obj.has_pending_invitation else "active"


class InviteSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField(max_length=200)
    roles = RolesField(min_length=1)


class UserUpdateSerializer(serializers.Serializer):
    email = serializers.EmailField(required=False)
    full_name = serializers.CharField(max_length=200, required=False)


class RolesSerializer(serializers.Serializer):
    roles = RolesField(min_length=1)


class MFASerializer(serializers.Serializer):
    required = serializers.BooleanField()
    enabled = serializers.BooleanField()
    types = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()
    organisation = OrganisationRefSerializer()
    roles = serializers.ListField(child=serializers.CharField())
    mfa = MFASerializer()
    authenticated_by = serializers.ChoiceField(choices=["session", "token"])


class TokenSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at", "status"]

    def get_status(self, obj) -> str:
        if obj.revoked_at:
            return "revoked"
        return "expired" if obj.is_expired else "active"


class TokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    expires_at = serializers.DateTimeField()


class TokenCreatedSerializer(TokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The secret. Shown in this response only.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


# --- helpers ------------------------------------------------------------------------------------

def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _authenticated_by_token(request) -> bool:
    return isinstance(request.auth, ApiToken)


def _require_recent_reauthentication(request) -> None:
    """Sensitive writes through a browser session need a recent re-authentication, as on the pages.
    (A personal token was itself created after one, so it may change roles, but see token creation.)"""
    if _authenticated_by_token(request):
        return
    # allauth has no public helper for "did this session re-authenticate lately?"; the decorator on
    # the pages uses the same function.
    from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate

    if not did_recently_reauthenticate(request._request):
        raise PermissionDenied(
            detail=_("Please confirm your identity again (re-authentication), then retry."),
            code="reauthentication_required",
        )


class _ListView(mixins.ListModelMixin, generics.GenericAPIView):
    """A paginated list (the project's Pagination) whose queryset comes from a selector."""

    list_action: str = ""

    def get(self, request):
        policy.require(request.user, self.list_action)
        return self.list(request)


# --- me -----------------------------------------------------------------------------------------

class MeView(APIView):
    """The signed-in user, their organisation, roles and two-factor status."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        types = selectors.mfa_types(user)
        data = {
            "id": user.pk, "email": user.email, "full_name": user.full_name, "organisation": user.organisation,
            "roles": sorted(str(r) for r in user.roles),
            "mfa": {"required": mfa_required(user), "enabled": bool(types), "types": types},
            "authenticated_by": "token" if _authenticated_by_token(request) else "session",
        }
        return Response(MeSerializer(data).data)


# --- organisations ------------------------------------------------------------------------------

class OrganisationListView(_ListView):
    serializer_class = OrganisationSerializer
    list_action = "accounts.organisation.view"

    def get_queryset(self):
        return selectors.organisation_list(user=self.request.user)

    @extend_schema(request=OrganisationSerializer, responses={201: OrganisationSerializer})
    def post(self, request):
        policy.require(request.user, "accounts.organisation.manage")
        serializer = OrganisationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k != "kind"}
        organisation = services.organisation_create(actor=request.user, **data)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)


class OrganisationDetailView(APIView):
    @extend_schema(responses=OrganisationSerializer)
    def get(self, request, pk):
        organisation = selectors.organisation_get(user=request.user, pk=pk)
        return Response(OrganisationSerializer(organisation).data)

    @extend_schema(request=OrganisationUpdateSerializer, responses=OrganisationSerializer)
    def patch(self, request, pk):
        organisation = selectors.organisation_get(user=request.user, pk=pk, action="accounts.organisation.edit")
        serializer = OrganisationUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        organisation = services.organisation_update(actor=request.user, organisation=organisation,
                                                    **serializer.validated_data)
        return Response(OrganisationSerializer(organisation).data)


class OrganisationDeactivateView(APIView):
    """A member organisation leaves or is suspended: its users are signed out, their tokens revoked,
    and none of them can sign in until it is reactivated (secretariat administrators)."""

    @extend_schema(request=None, responses=OrganisationSerializer)
    def post(self, request, pk):
        organisation = selectors.organisation_get(user=request.user, pk=pk, action="accounts.organisation.manage")
        _require_recent_reauthentication(request)
        organisation = services.organisation_deactivate(actor=request.user, organisation=organisation)
        return Response(OrganisationSerializer(organisation).data)


class OrganisationReactivateView(APIView):
    @extend_schema(request=None, responses=OrganisationSerializer)
    def post(self, request, pk):
        organisation = selectors.organisation_get(user=request.user, pk=pk, action="accounts.organisation.manage")
        _require_recent_reauthentication(request)
        organisation = services.organisation_reactivate(actor=request.user, organisation=organisation)
        return Response(OrganisationSerializer(organisation).data)


# --- users --------------------------------------------------------------------------------------

class UserListView(_ListView):
    """Users of your organisation; `?status=active|invited|deactivated` and `?role=` filter."""

    serializer_class = UserSerializer
    list_action = "accounts.user.view"

    def get_queryset(self):
        status_filter = self.request.query_params.get("status", "")
        role = self.request.query_params.get("role", "")
        return selectors.user_list(
            user=self.request.user,
            status=status_filter if status_filter in selectors.USER_STATUSES else "",
            role=role if role in Role.values else "",
        )

    @extend_schema(request=InviteSerializer, responses={201: UserSerializer})
    def post(self, request):
        policy.require(request.user, "accounts.user.manage")
        _require_recent_reauthentication(request)
        serializer = InviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_invite(actor=request.user, base_url=_base_url(request), **serializer.validated_data)
        return Response(UserSerializer(selectors.user_get(user=request.user, pk=user.pk)).data,
                        status=status.HTTP_201_CREATED)


class UserDetailView(APIView):
    @extend_schema(responses=UserSerializer)
    def get(self, request, pk):
        return Response(UserSerializer(selectors.user_get(user=request.user, pk=pk)).data)

    @extend_schema(request=UserUpdateSerializer, responses=UserSerializer)
    def patch(self, request, pk):
        target = selectors.user_get(user=request.user, pk=pk, action="accounts.user.manage")
        serializer = UserUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {"full_name": target.full_name, "email": target.email, **serializer.validated_data}
        services.user_update(actor=request.user, user=target, **data)
        return Response(UserSerializer(selectors.user_get(user=request.user, pk=pk)).data)


class UserRolesView(APIView):
    @extend_schema(request=RolesSerializer, responses=UserSerializer)
    def put(self, request, pk):
        target = selectors.user_get(user=request.user, pk=pk, action="accounts.user.manage")
        _require_recent_reauthentication(request)
        serializer = RolesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_set_roles(actor=request.user, user=target, roles=serializer.validated_data["roles"])
        return Response(UserSerializer(selectors.user_get(user=request.user, pk=pk)).data)


class UserDeactivateView(APIView):
    @extend_schema(request=None, responses=UserSerializer)
    def post(self, request, pk):
        target = selectors.user_get(user=request.user, pk=pk, action="accounts.user.manage")
        services.user_deactivate(actor=request.user, user=target)
        return Response(UserSerializer(selectors.user_get(user=request.user, pk=pk)).data)


class UserReactivateView(APIView):
    @extend_schema(request=None, responses=UserSerializer)
    def post(self, request, pk):
        target = selectors.user_get(user=request.user, pk=pk, action="accounts.user.manage")
        _require_recent_reauthentication(request)
        services.user_reactivate(actor=request.user, user=target)
        return Response(UserSerializer(selectors.user_get(user=request.user, pk=pk)).data)


# --- tokens -------------------------------------------------------------------------------------

class TokenListView(_ListView):
    """Your own personal API tokens (never their secrets)."""

    serializer_class = TokenSerializer
    list_action = "accounts.token.manage"

    def get_queryset(self):
        return selectors.token_list(user=self.request.user)

    @extend_schema(request=TokenCreateSerializer, responses={201: TokenCreatedSerializer})
    def post(self, request):
        policy.require(request.user, "accounts.token.manage")
        if _authenticated_by_token(request):
            # A leaked token must not be able to mint itself a successor that outlives its revocation.
            raise PermissionDenied(detail=_("A token cannot create tokens. Sign in with your browser."),
                                   code="token_not_allowed")
        _require_recent_reauthentication(request)
        serializer = TokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, secret = services.token_create(actor=request.user, **serializer.validated_data)
        token.token = secret
        return Response(TokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED)


class TokenRevokeView(APIView):
    @extend_schema(request=None, responses=TokenSerializer)
    def post(self, request, pk):
        token = selectors.token_get(user=request.user, pk=pk)
        token = services.token_revoke(actor=request.user, token=token)
        return Response(TokenSerializer(token).data)
