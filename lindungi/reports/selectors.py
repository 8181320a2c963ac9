"""Reads, always through the policy: which figures a user may see, and the narrative of a report.

Audiences (DOMAIN.md, SECURITY.md): the network level (`reports.statistics.view` in the NETWORK
scope: secretariat and member organisations, aggregates only), one organisation (ORGANISATION
scope: the user's own), and a worker's own cases (ASSIGNED scope: the personal dashboard).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from lindungi.core import policy
from lindungi.core.errors import DomainError
from lindungi.core.policy import Scope
from lindungi.reports.measures import Audience, Filters
from lindungi.reports.models import SECTIONS, AnnualNarrative, Language
from lindungi.reports.tables import StatTable, compute_table

VIEW = "reports.statistics.view"
EXPORT = "reports.statistics.export"
DATASET = "reports.dataset.export"
ANNUAL_VIEW = "reports.annual.view"
ANNUAL_EDIT = "reports.annual.edit"

LEVEL_SCOPES = {Audience.NETWORK: Scope.NETWORK, Audience.ORGANISATION: Scope.ORGANISATION,
                Audience.PERSONAL: Scope.ASSIGNED}
LEVEL_LABELS = {Audience.NETWORK: _("Whole network"), Audience.ORGANISATION: _("My organisation"),
                Audience.PERSONAL: _("My cases")}


def audience_levels(user, action: str = VIEW) -> list[str]:
    granted = policy.scopes(user, action)
    return [level for level, scope in LEVEL_SCOPES.items() if scope in granted]


def default_level(user, action: str = VIEW) -> str | None:
    levels = audience_levels(user, action)
    if not levels:
        return None
    if user.organisation.is_secretariat and Audience.NETWORK in levels:
        return Audience.NETWORK
    for level in (Audience.ORGANISATION, Audience.PERSONAL, Audience.NETWORK):
        if level in levels:
            return level
    return levels[0]


def audience_for(user, level: str | None = None, action: str = VIEW) -> Audience:
    """The audience `user` asked for (or their default); PolicyDenied when not granted."""
    policy.require(user, action)
    level = level or default_level(user, action)
    if level not in LEVEL_SCOPES:
        raise DomainError(_("Unknown level of figures."), code="invalid_level", fields={"level": [str(_("Choose a level."))]})
    policy.require(user, action, LEVEL_SCOPES[level])
    if level == Audience.NETWORK:
        return Audience(Audience.NETWORK)
    if level == Audience.ORGANISATION:
        return Audience(Audience.ORGANISATION, organisation_id=user.organisation_id)
    return Audience(Audience.PERSONAL, user_id=user.pk)


def statistics_table(*, user, measure: str, rows: str, cols: str | None = None, filters: Filters | None = None,
                     level: str | None = None, action: str = VIEW) -> StatTable:
    audience = audience_for(user, level, action)
    filters = filters or Filters()
    if audience.level != Audience.NETWORK and filters.organisation and filters.organisation != user.organisation_id:
        filters = Filters(filters.date_from, filters.date_to, filters.province, filters.regency, filters.type, None)
    return compute_table(measure_key=measure, rows=rows, cols=cols, filters=filters, audience=audience)


def year_filters(year: int, **extra) -> Filters:
    return Filters(date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31), **extra)


# --- annual report narrative --------------------------------------------------------------------

def narrative_get(*, user, year: int, organisation, language: str) -> AnnualNarrative | None:
    """The saved narrative (or None). `organisation` None: the network's report."""
    policy.require(user, ANNUAL_VIEW)
    if language not in Language.values:
        raise DomainError(_("Choose Indonesian or English."), code="invalid_language")
    qs = policy.scope_filter(user, ANNUAL_VIEW, AnnualNarrative.objects.all())
    return qs.filter(year=year, organisation=organisation, language=language).first()


def can_edit_narrative(user, organisation) -> bool:
    if not policy.allowed(user, ANNUAL_EDIT, Scope.ORGANISATION):
        return False
    if organisation is None:
        return user.organisation.is_secretariat
    return organisation.pk == user.organisation_id


def narrative_years(*, user) -> list[int]:
    qs = policy.scope_filter(user, ANNUAL_VIEW, AnnualNarrative.objects.all())
    return sorted(set(qs.values_list("year", flat=True)), reverse=True)


__all__ = ["SECTIONS", "audience_for", "audience_levels", "statistics_table", "narrative_get"]
