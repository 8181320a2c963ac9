from __future__ import annotations

import uuid

from django.utils.cache import add_never_cache_headers, patch_cache_control

from lindungi.core import request_context
from lindungi.core.policy import OutOfScope, PolicyDenied


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: behind the reverse proxy, gunicorn's --forwarded-allow-ips makes it the
    # client's address; trusting X-Forwarded-For here would let anyone forge it in the audit trail.
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
