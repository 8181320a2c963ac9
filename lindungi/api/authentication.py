"""How API clients prove who they are: a browser session (with CSRF on writes) or a personal token.

A personal token acts as its user with exactly the user's current roles (see accounts.ApiToken):
it can never do more than the user could in the browser.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import authentication, exceptions


class SessionAuthentication(authentication.SessionAuthentication):
    """Django sessions with CSRF enforced on unsafe methods (DRF's behaviour); unauthenticated
    requests answer 401, not 403."""

    def authenticate_header(self, request):
        return "Session"

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                _("The CSRF token is missing or wrong: send the X-CSRFToken header with unsafe methods."),
                code="csrf_failed",
            ) from None


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer lgi_<prefix>_<secret>`: a personal API token (see accounts.ApiToken)."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if parts[0].lower() != self.keyword.lower():
            return None  # another scheme: not ours to judge
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header: use “Bearer <token>”."))
        from lindungi.accounts.tokens import authenticate_token

        user, token = authenticate_token(parts[1])
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        return user, token

    def authenticate_header(self, request):
        return self.keyword


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "lindungi.api.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        definition = build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")
        definition["description"] = "A personal API token (`lgi_…`), created on the “API tokens” page."
        return definition


class LindungiSessionScheme(OpenApiAuthenticationExtension):
    target_class = "lindungi.api.authentication.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
                "description": "A signed-in browser session; unsafe methods also need the CSRF token header."}
