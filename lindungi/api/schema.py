"""OpenAPI post-processing: document the one error shape on every operation."""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error answer of the API has this shape.",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string", "description": "Stable, for programs: `invalid`, `not_authenticated`, "
                         "`permission_denied`, `not_found`, `method_not_allowed`, `throttled`, `conflict`, …",
                         "example": "not_found"},
                "message": {"type": "string", "description": "For people, in the request's language."},
                "fields": {
                    "type": "object",
                    "description": "Messages per input field (dotted for nested input).",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}

_DESCRIPTIONS = {
    "400": "Invalid input (see `fields`).",
    "401": "Not signed in, or an invalid, expired or revoked token.",
    "403": "Signed in, but the policy does not allow this (or two-factor authentication is not set up).",
    "404": "Not found, or not within what you may see.",
    "409": "The object's state does not allow this.",
    "429": "Too many requests; retry after `Retry-After` seconds.",
}
_WRITE_METHODS = {"post", "put", "patch", "delete"}


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "head", "options", *_WRITE_METHODS}:
                continue
            statuses = ["401", "403", "429"]
            if "{" in path:
                statuses.append("404")
            if method in _WRITE_METHODS or any(p.get("in") == "query" for p in operation.get("parameters", [])):
                statuses.append("400")
            if method in _WRITE_METHODS:
                statuses.append("409")
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                responses.setdefault(status, {"description": _DESCRIPTIONS[status], "content": reference})
    return result
