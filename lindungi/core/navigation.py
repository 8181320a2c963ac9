"""The main navigation, by role: an entry shows when its route exists and the policy grants its
action to the user."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from lindungi.core import policy
from lindungi.core.policy import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    action: str | tuple[str, ...] | None  # None: every signed-in user; a tuple: any of these actions
    description: str = ""


# The network-wide reference lists, managed by the secretariat, by part of Lindungi (core/views.py:
# reference_lists): title, action, the module holding the part's REFERENCE_LISTS, a list's URL name.
REFERENCE_PARTS = (
    (_("Incidents"), "incidents.reference.manage", "lindungi.incidents.views", "incidents:reference"),
    (_("Legal cases"), "legal.reference.manage", "lindungi.legal.views.reference", "legal:reference"),
    (_("Programs"), "programs.reference.manage", "lindungi.programs.views.reference", "programs:reference_list"),
)
REFERENCE_ACTIONS = tuple(action for _title, action, _module, _url_name in REFERENCE_PARTS)

NAVIGATION = [
    NavItem(_("Home"), "core:home", None, _("Your tasks and shortcuts.")),
    NavItem(_("Cases"), "cases:list", "cases.case.view", _("Register children, assess, plan, refer and follow up their cases.")),
    NavItem(_("Incidents"), "incidents:list", "incidents.incident.view", _("Record and classify incidents of exploitation.")),
    NavItem(_("Legal cases"), "legal:list", "legal.legalcase.view", _("Follow legal cases from police report to verdict and restitution.")),
    NavItem(_("Service providers"), "cases:providers", "cases.provider.view", _("Find police units, hospitals, safe houses and other services.")),
    NavItem(_("Programs"), "programs:list", "programs.program.view", _("Plan and record programs, activities and events against their logframes.")),
    NavItem(_("Statistics"), "reports:dashboard", "reports.statistics.view", _("See statistics and dashboards; download factsheets.")),
    NavItem(_("Annual reports"), "reports:annual_list", "reports.annual.view", _("Write and download the annual report.")),
    NavItem(_("Users"), "accounts:user_list", "accounts.user.manage", _("Invite users, set their roles, deactivate accounts.")),
    NavItem(_("Organisations"), "accounts:organisation_list", "accounts.organisation.manage", _("Manage the member organisations of the network.")),
    NavItem(_("Reference lists"), "core:reference_lists", REFERENCE_ACTIONS,
            _("Keep the lists the whole network shares up to date: platforms, courts, laws, activity types.")),
    NavItem(_("Audit trail"), "audit:list", "audit.event.view", _("See who did what, and who looked at which record.")),
]


def items_for(user, current_path: str = "") -> list[dict]:
    result = []
    for item in NAVIGATION:
        actions = (item.action,) if isinstance(item.action, str) else item.action
        if actions is not None and not any(policy.allowed(user, action) for action in actions):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue  # that part of Lindungi is not installed (yet)
        active = current_path == url if url == "/" else current_path.startswith(url)
        result.append({"label": item.label, "url": url, "active": active, "description": item.description})
    return result


# What each role is for, in one line (home page).
ROLE_SUMMARIES = {
    Role.ADMINISTRATOR: _("Manages the accounts and settings of your organisation."),
    Role.SUPERVISOR: _("Oversees every case of your organisation: assigns, reviews and approves."),
    Role.CASEWORKER: _("Accompanies the children whose cases are assigned to you."),
    Role.LEGAL_OFFICER: _("Follows the legal cases assigned to you, from report to verdict."),
    Role.PROGRAM_OFFICER: _("Plans programs and records their activities and events."),
    Role.ME_OFFICER: _("Monitors indicators and prepares statistics and reports."),
    Role.VIEWER: _("Reads programs, statistics and reports; sees no case files."),
}


def roles_for(user) -> list[dict]:
    return [{"code": role.value, "label": role.label, "summary": ROLE_SUMMARIES[role]}
            for role in sorted(user.roles, key=list(Role).index)]
