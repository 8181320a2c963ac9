"""Helpers shared by the case services: permission checks, locking, timeline events, settings."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.cases.models import Case, CaseEvent
from lindungi.core import policy
from lindungi.core.errors import Conflict, DomainError


def setting_days(name: str, default: int) -> int:
    """Deadlines of the tasks engine, configurable in settings (`LINDUNGI_CASES_<NAME>_DAYS`)."""
    return int(getattr(settings, f"LINDUNGI_CASES_{name}_DAYS", default))


def assessment_due_days() -> int:
    return setting_days("ASSESSMENT_DUE", 7)


def case_plan_due_days() -> int:
    return setting_days("CASE_PLAN_DUE", 14)


def referral_response_days() -> int:
    return setting_days("REFERRAL_RESPONSE", 7)


def require_case(actor, action: str, case: Case) -> None:
    """Action-level, then object-level: PolicyDenied (403) or OutOfScope (404), both audited."""
    policy.require(actor, action)
    policy.require_object(actor, action, case)


def lock(case: Case) -> Case:
    """The case row, locked until the end of the transaction (two people changing the status of
    the same case at the same moment are serialised; the second sees the first's result)."""
    return Case.objects.select_for_update().get(pk=case.pk)


def require_open(case: Case) -> None:
    if not case.is_open:
        raise Conflict(_("The case is closed. Re-open it first."), code="case_closed")


def event(case: Case, event_kind: str, actor, /, note: str = "", **data) -> CaseEvent:
    """A line in the case's timeline (`data`: codes and ids only; free text goes in `note`)."""
    return CaseEvent.objects.create(organisation_id=case.organisation_id, case=case, actor=actor, kind=event_kind,
                                    data=data, note=note or "")


def today() -> datetime.date:
    return timezone.localdate()


def not_in_future(value: datetime.date | None, field: str) -> None:
    if value and value > today():
        raise DomainError(_("The date cannot be in the future."), fields={field: [str(_("The date cannot be in the future."))]})


def required_text(value: str | None, field: str, message) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, code="required", fields={field: [str(message)]})
    return value


def changed_fields(instance, data: dict, allowed: set[str]) -> list[str]:
    """Apply `data` (only keys in `allowed`) to `instance`; return the names that changed."""
    unknown = set(data) - allowed
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}, code="unknown_fields")
    changed = []
    for name, value in data.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed
