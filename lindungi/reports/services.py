"""Writes: the annual report's narrative, and the audit record of every export."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lindungi.audit import services as audit
from lindungi.core import policy
from lindungi.core.errors import DomainError, validate
from lindungi.core.policy import PolicyDenied, Scope
from lindungi.reports.models import SECTIONS, AnnualNarrative, Language

ANNUAL_EDIT = "reports.annual.edit"


def narrative_save(*, actor, year: int, organisation, language: str, sections: dict[str, str]) -> AnnualNarrative:
    """Create or update the narrative of one annual report. `organisation` None: the network's
    report (secretariat only)."""
    policy.require(actor, ANNUAL_EDIT, Scope.ORGANISATION)
    if organisation is None and not actor.organisation.is_secretariat:
        raise PolicyDenied(ANNUAL_EDIT)
    if organisation is not None and organisation.pk != actor.organisation_id:
        raise PolicyDenied(ANNUAL_EDIT)
    if language not in Language.values:
        raise DomainError(_("Choose Indonesian or English."), code="invalid_language",
                          fields={"language": [str(_("Choose Indonesian or English."))]})
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise DomainError(_("Unknown section."), code="invalid_section", fields={name: [str(_("Unknown section."))] for name in unknown})
    with transaction.atomic():
        # order_by(): the default ordering joins the organisation, and PostgreSQL cannot lock
        # the nullable side of that outer join (the network's report has no organisation).
        narrative = (AnnualNarrative.objects.select_for_update().order_by()
                     .filter(year=year, organisation=organisation, language=language).first())
        created = narrative is None
        if created:
            narrative = AnnualNarrative(year=year, organisation=organisation, language=language)
        changed = []
        for name, text in sections.items():
            text = (text or "").strip()
            if getattr(narrative, name) != text:
                setattr(narrative, name, text)
                changed.append(name)
        narrative.updated_by = actor
        validate(narrative)
        narrative.save()
        audit.record("reports.annual.narrative_saved", actor=actor, obj=narrative,
                     organisation=organisation or actor.organisation,
                     payload={"year": year, "language": language, "sections": changed, "created": created})
    return narrative


def export_recorded(*, actor, kind: str, table: str, filters: dict, level: str, fmt: str, rows: int | None = None):
    """Every export leaves an audit event: which table, which filters, which format. No figures,
    no personal data."""
    payload = {"table": table, "filters": filters, "level": level, "format": fmt}
    if rows is not None:
        payload["rows"] = rows
    return audit.record(f"reports.export.{kind}", actor=actor, organisation=actor.organisation, payload=payload)
