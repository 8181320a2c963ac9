from __future__ import annotations

from django.db import models

from lindungi.core.errors import DomainError, validate

# Fields whose values may be written into audit payloads: ids and codes only (names never).
_M2M = "m2m"


def assign(instance: models.Model, data: dict, fields: tuple[str, ...]) -> list[str]:
    """Copy `fields` from `data` onto `instance`; returns the names of the fields that changed."""
    changed = []
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        field = instance._meta.get_field(name)
        attname = field.attname if isinstance(field, models.ForeignKey) else name
        if isinstance(field, models.ForeignKey) and isinstance(value, models.Model):
            value = value.pk
        if getattr(instance, attname) != value:
            setattr(instance, attname, value)
            changed.append(name)
    return changed


def set_m2m(instance: models.Model, data: dict, fields: tuple[str, ...]) -> list[str]:
    changed = []
    for name in fields:
        if name not in data:
            continue
        manager = getattr(instance, name)
        new = {getattr(v, "pk", v) for v in (data[name] or [])}
        if set(manager.values_list("pk", flat=True)) != new:
            manager.set(list(new))
            changed.append(name)
    return changed


def check(instance: models.Model, exclude=None) -> None:
    validate(instance) if exclude is None else _validate_excluding(instance, exclude)


def _validate_excluding(instance, exclude):
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise DomainError.from_validation_error(exc) from exc


def fail(message, field: str | None = None, code: str = "invalid"):
    raise DomainError(message, code=code, fields={field: [str(message)]} if field else None)
