from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse

from lindungi.core.errors import DomainError


def apply_errors(form, error: DomainError) -> None:
    """Put a service's error back on the form: on its fields when the form has them."""
    placed = False
    for name, msgs in (error.fields or {}).items():
        for message in msgs:
            if form is not None and name in form.fields:
                form.add_error(name, message)
                placed = True
    if not placed:
        if form is not None:
            form.add_error(None, str(error.message))


def run(request, form, call):
    """Call the service; on a DomainError, show it on the form (or as a message) and return None."""
    try:
        return call()
    except DomainError as error:
        if form is None:
            messages.error(request, str(error.message))
        else:
            apply_errors(form, error)
        return None


def svg_response(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def year_param(request):
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 1990 <= int(value) <= 2100 else None
