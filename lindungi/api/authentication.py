from __future__ import annotations

from rest_framework import authentication, exceptions


class SessionAuthentication(authentication.SessionAuthentication):
    """Django sessions with CSRF, as DRF does it; unauthenticated answers 401, not 403."""

    def authenticate_header(self, request):
        return "Session"


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer lgi_<prefix>_<secret>`: a personal API token (see accounts.ApiToken)."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0] != self.keyword:
            return None
        from lindungi.accounts.tokens import authenticate_token

        user, token = authenticate_token(parts[1])
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        return user, token

    def authenticate_header(self, request):
        return self.keyword
