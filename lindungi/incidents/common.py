"""Small validation helpers shared by the incidents and legal services (both raise DomainError with
the field that is wrong, so forms and the API show the message next to it)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import DomainError
from lindungi.core.numbering import take_next
from lindungi.geo.models import Region


def today() -> datetime.date:
    return timezone.localdate()


def field_error(field: str, message, code: str = "invalid") -> DomainError:
    return DomainError(message, code=code, fields={field: [str(message)]})


def not_in_future(value: datetime.date | None, field: str) -> None:
    if value and value > today():
        raise field_error(field, _("The date cannot be in the future."))


def not_before(value: datetime.date | None, earlier: datetime.date | None, field: str, message) -> None:
    if value and earlier and value < earlier:
        raise field_error(field, message)


def required(value, field: str, message):
    if value in (None, "", [], ()):
        raise field_error(field, message, code="required")
    return value


def required_text(value: str | None, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error(field, message, code="required")
    return value


def choice(value: str | None, choices, field: str, message, *, blank: bool = False) -> str:
    value = value or ""
    if blank and not value:
        return ""
    if value not in choices.values:
        raise field_error(field, message)
    return value


def codes(values: Iterable[str] | None, choices, field: str, message) -> list[str]:
    """A list of codes of `choices`, without duplicates, in the choices' order."""
    values = list(values or [])
    unknown = [v for v in values if v not in choices.values]
    if unknown:
        raise field_error(field, message)
    return [v for v in choices.values if v in values]


def amount(value, field: str, *, required_message=None) -> int | None:
    """A sum of money in whole rupiah: a non-negative integer (None when empty and optional)."""
    if value in (None, ""):
        if required_message:
            raise field_error(field, required_message, code="required")
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise field_error(field, _("Enter an amount in whole rupiah.")) from None
    if number < 0:
        raise field_error(field, _("The amount cannot be negative."))
    return number


def clean_regions(province: Region | None, regency: Region | None, district: Region | None):
    """Check the chain province ⊃ regency ⊃ district; a lower level alone fills in the higher."""
    if district is not None:
        if district.level != Region.Level.DISTRICT:
            raise field_error("district", _("Choose a district."))
        if regency is None:
            regency = district.parent
        elif district.parent_id != regency.pk:
            raise field_error("district", _("The district is not in the chosen regency or city."))
    if regency is not None:
        if regency.level != Region.Level.REGENCY:
            raise field_error("regency", _("Choose a regency or city."))
        if province is None:
            province = regency.parent
        elif regency.parent_id != province.pk:
            raise field_error("regency", _("The regency or city is not in the chosen province."))
    if province is not None and province.level != Region.Level.PROVINCE:
        raise field_error("province", _("Choose a province."))
    return province, regency, district


def apply_changes(instance, data: dict, allowed: set[str]) -> list[str]:
    """Set `data` (only keys in `allowed`) on `instance`; return the names that changed."""
    unknown = set(data) - allowed
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))},
                          code="unknown_fields")
    changed = []
    for name, value in data.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def next_number(counter_model, organisation_id: int, year: int, prefix: str) -> str:
    """`<prefix>-<year>-<4-digit sequence>`, one sequence per organisation and year. Inside a
    transaction: the counter row stays locked until commit, so concurrent writers queue on it."""
    return f"{prefix}-{year}-{take_next(counter_model, organisation_id=organisation_id, year=year):04d}"
