from __future__ import annotations

import uuid

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control

from lindungi.core import request_context
from lindungi.core.policy import OutOfScope, PolicyDenied


def client_ip(request) -> str | None:
    """The client's address for the audit trail. Behind our own reverse proxies (their number is
    LINDUNGI_TRUSTED_PROXY_COUNT, 0 by default and 1 in production) it is the address the nearest
    trusted proxy saw in X-Forwarded-For; anything further left was written by the client and
    could be forged. Without trusted proxies, REMOTE_ADDR."""
    trusted = getattr(settings, "LINDUNGI_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= trusted and hops[-trusted]:
            return hops[-trusted]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = request_context.bind(request_context.RequestInfo(request.request_id, client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class PrivateCacheMiddleware:
    """Pages seen by a signed-in user may hold personal data: never store them in any cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response


class DeniedAccessAuditMiddleware:
    """Records denied access (403 by policy, 404 for an object that exists out of scope)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PolicyDenied | OutOfScope):
            from lindungi.audit.services import record_denied

            record_denied(request.user, exception)
        return None
