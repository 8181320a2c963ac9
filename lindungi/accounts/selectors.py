"""Reads of the accounts app, always through the policy. Across organisations a user or an
organisation answers 404 (OutOfScope), never 403."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from lindungi.accounts.models import ApiToken, Membership, Organisation, User
from lindungi.core import policy

USER_STATUSES = ("active", "invited", "deactivated")


def organisation_list(*, user, action: str = "accounts.organisation.view") -> QuerySet[Organisation]:
    queryset = Organisation.objects.select_related("province").annotate(
        active_users=Count("users", filter=Q(users__is_active=True))
    )
    return policy.scope_filter(user, action, queryset).order_by("kind", "name")


def organisation_get(*, user, pk, action: str = "accounts.organisation.view") -> Organisation:
    return policy.get_object(user, action, Organisation.objects.select_related("province"), pk=pk)


def _users_queryset() -> QuerySet[User]:
    return User.objects.select_related("organisation").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.order_by("role"))
    )


def user_list(*, user, status: str = "", role: str = "") -> QuerySet[User]:
    """The users of the viewer's organisation (administrators and supervisors)."""
    queryset = policy.scope_filter(user, "accounts.user.view", _users_queryset())
    if status == "active":
        queryset = queryset.filter(is_active=True)
    elif status == "deactivated":
        queryset = queryset.filter(is_active=False)
    elif status == "invited":
        queryset = queryset.filter(is_active=True, last_login__isnull=True, password__startswith="!")
    if role:
        queryset = queryset.filter(memberships__role=role)
    return queryset.distinct().order_by("-is_active", "full_name")


def user_get(*, user, pk, action: str = "accounts.user.view") -> User:
    return policy.get_object(user, action, _users_queryset(), pk=pk)


def token_list(*, user) -> QuerySet[ApiToken]:
    return policy.scope_filter(user, "accounts.token.manage", ApiToken.objects.all()).order_by("-created_at")


def token_get(*, user, pk) -> ApiToken:
    return policy.get_object(user, "accounts.token.manage", ApiToken.objects.all(), pk=pk)


def mfa_types(user) -> list[str]:
    """The kinds of second factor `user` has set up (totp, webauthn, recovery_codes)."""
    from allauth.mfa.models import Authenticator

    return sorted(set(Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True)))
