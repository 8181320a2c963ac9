"""The one error shape of the API:

    {"error": {"code": "not_found", "message": "...", "fields": {"name": ["..."]}}}
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from lindungi.core.errors import DomainError
from lindungi.core.policy import OutOfScope, PolicyDenied


def error_response(code: str, message, http_status: int, fields: dict | None = None, headers=None) -> Response:
    body = {"error": {"code": code, "message": str(message), "fields": fields or {}}}
    return Response(body, status=http_status, headers=headers)


def _flatten(detail) -> dict:
    if isinstance(detail, dict):
        return {key: [str(m) for m in (value if isinstance(value, list) else [value])] for key, value in detail.items()}
    return {}


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, PolicyDenied | OutOfScope):
        from lindungi.audit.services import record_denied

        record_denied(getattr(request, "user", None), exc)
    if isinstance(exc, DomainError):
        return error_response(exc.code, exc.message, exc.status_code, exc.fields)
    if isinstance(exc, Http404):
        return error_response("not_found", _("Not found."), status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return error_response("permission_denied", _("You do not have permission to do this."), 403)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's generic 500 page, details only in the server log
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if isinstance(exc.detail, list):
            fields = {"non_field_errors": [str(m) for m in exc.detail]}
        first = next(iter(fields.values()), [_("Invalid input.")])[0]
        return error_response("invalid", first, response.status_code, fields)
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else code
    message = exc.detail if isinstance(getattr(exc, "detail", None), str) else str(getattr(exc, "detail", exc))
    headers = {k: v for k, v in response.items() if k in ("Retry-After", "WWW-Authenticate")}
    return error_response(code, message, response.status_code, headers=headers)
