"""The home-page section of program and M&E officers: upcoming activities and indicators behind
target."""

from __future__ import annotations

from lindungi.core import policy
from lindungi.core.policy import Scope
from lindungi.programs import selectors


def home_section(request):
    user = request.user
    if not (policy.allowed(user, "programs.activity.edit", Scope.ORGANISATION)
            or policy.allowed(user, "programs.indicator.report", Scope.ORGANISATION)):
        return None
    return {
        "template": "programs/home_section.html",
        "upcoming": list(selectors.upcoming_activities(user=user)[:10]),
        "behind": selectors.indicators_behind_target(user=user, limit=8),
    }
