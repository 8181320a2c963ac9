"""The home page's statistics section: this year's key figures at the user's default level."""

from __future__ import annotations

import datetime

from django.utils import timezone

from lindungi.core import policy
from lindungi.core.errors import DomainError
from lindungi.reports.factsheet import key_figures
from lindungi.reports.measures import Filters
from lindungi.reports.selectors import LEVEL_LABELS, VIEW, audience_for


def home_section(request) -> dict | None:
    user = request.user
    if not policy.allowed(user, VIEW):
        return None
    year = timezone.localdate().year
    try:
        audience = audience_for(user)
        figures = key_figures(audience, Filters(date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31)))
    except DomainError:
        return None
    return {"template": "reports/home_section.html", "figures": figures, "year": year,
            "level": LEVEL_LABELS[audience.level]}
