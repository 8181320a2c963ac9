"""One error type for the domain. Services raise it; views show it on the form, the API maps it to
the one error shape (`{"error": {"code", "message", "fields"}}`) with status 400 (or 409)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(Exception):
    status_code = 400

    def __init__(self, message, *, code: str = "invalid", fields: dict[str, list] | None = None):
        super().__init__(str(message))
        self.message = message  # usually a lazy translation: rendered in the user's language
        self.code = code
        self.fields = fields or {}

    @classmethod
    def from_validation_error(cls, exc: ValidationError) -> DomainError:
        if hasattr(exc, "error_dict"):
            fields = {name: [str(m) for e in errors for m in e.messages] for name, errors in exc.error_dict.items()}
            first = next(iter(fields.values()), [""])[0]
            return cls(first, code="invalid", fields=fields)
        return cls("; ".join(str(m) for m in exc.messages), code="invalid")


class Conflict(DomainError):
    """The request is valid but the object's state does not allow it (e.g. an invalid transition)."""

    status_code = 409

    def __init__(self, message, *, code: str = "conflict", fields=None):
        super().__init__(message, code=code, fields=fields)


def validate(instance) -> None:
    """`full_clean()` that raises DomainError: the service-layer way to enforce model invariants."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc) from exc
