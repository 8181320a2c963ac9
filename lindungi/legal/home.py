"""Home-page section of legal officers and supervisors: upcoming hearings and filing deadlines
(registered in core/home.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lindungi.core import policy
from lindungi.core.policy import Role
from lindungi.legal import selectors

DAYS = 14


def upcoming_section(request):
    user = request.user
    if not policy.allowed(user, selectors.CALENDAR):
        return None
    upcoming = selectors.upcoming(user, days=DAYS)
    is_legal_role = bool(user.roles & {Role.LEGAL_OFFICER, Role.SUPERVISOR})
    if not is_legal_role and not (upcoming["hearings"] or upcoming["deadlines"]):
        return None  # a caseworker sees the section only when a child of theirs has a hearing or deadline
    return {
        "template": "legal/home_section.html",
        "title": _("Hearings and deadlines (next %(days)s days)") % {"days": DAYS},
        **upcoming,
    }
