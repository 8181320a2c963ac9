"""The one error shape of the API, for every 4xx the API answers:

    {"error": {"code": "not_found", "message": "...", "fields": {"name": ["..."]}}}

`code` is stable and meant for programs; `message` is translated for people; `fields` maps an
input field (dotted for nested input, e.g. `address.city` or `items.0.name`) to its messages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from lindungi.core.errors import DomainError
from lindungi.core.policy import OutOfScope, PolicyDenied

# Headers of DRF's own error responses that the client needs to act on.
_KEPT_HEADERS = ("Retry-After", "WWW-Authenticate", "Allow")


def error_body(code: str, message, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def error_response(code: str, message, http_status: int, fields: dict | None = None, headers=None) -> Response:
    return Response(error_body(code, message, fields), status=http_status, headers=headers)


def json_error(code: str, message, http_status: int) -> JsonResponse:
    """The same shape outside DRF (Django's 404/500 handlers for /api/ paths)."""
    return JsonResponse(error_body(code, message), status=http_status)


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail → {"field": [...], "nested.field": [...], "items.0.name": [...]}."""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            fields.update(flatten_errors(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, item in enumerate(detail):
            if item:  # many=True: an empty dict is an item without errors
                fields.update(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
    elif isinstance(detail, list):
        fields[prefix or "non_field_errors"] = [str(message) for message in detail]
    else:
        fields[prefix or "non_field_errors"] = [str(detail)]
    return fields


def exception_handler(exc, context):
    request = context.get("request")
    if isinstance(exc, PolicyDenied | OutOfScope):
        from lindungi.audit.services import record_denied

        record_denied(getattr(request, "user", None), exc)
    if isinstance(exc, DjangoValidationError):
        exc = DomainError.from_validation_error(exc)  # a model invariant that a service did not wrap
    if isinstance(exc, DomainError):
        return error_response(exc.code, exc.message, exc.status_code, exc.fields)
    if isinstance(exc, Http404):
        return error_response("not_found", _("Not found."), status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return error_response("permission_denied", _("You do not have permission to do this."),
                              status.HTTP_403_FORBIDDEN)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: the generic 500 answer, details only in the server log
    headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten_errors(exc.detail)
        first = next(iter(fields.values()), [_("Invalid input.")])[0]
        return error_response("invalid", first, response.status_code, fields, headers=headers)
    code = exc.default_code if isinstance(exc, exceptions.APIException) else "error"
    detail = getattr(exc, "detail", None)
    if isinstance(detail, exceptions.ErrorDetail):
        code = detail.code or code
    message = detail if isinstance(detail, str) else _("The request could not be processed.")
    return error_response(code, message, response.status_code, headers=headers)
