"""The authorisation policy of Lindungi, written once, as data: role × action × scope.

Every view, API endpoint, service and selector asks this module. Nothing else decides who may do
what. A role grants an action in one or more *scopes*; the scopes are turned into database filters
by the model that is being read (`Model.policy_q(user, scope)`), so lists, pages, exports and the
API can never disagree about what a user may see.

Across organisations the answer to "does this object exist?" is 404, never 403: `get_object`
raises `OutOfScope` (a 404) whether the object is missing or belongs to someone else, and the
audit trail records the second case as denied access.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # pragma: no cover
    from lindungi.accounts.models import User


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    SUPERVISOR = "supervisor", _("Supervisor")
    CASEWORKER = "caseworker", _("Caseworker (pendamping)")
    LEGAL_OFFICER = "legal_officer", _("Legal officer")
    PROGRAM_OFFICER = "program_officer", _("Program officer")
    ME_OFFICER = "me_officer", _("M&E officer")
    VIEWER = "viewer", _("Viewer")


class Scope(models.TextChoices):
    # The user is the assigned worker (caseworker, legal officer) of the object or of its case.
    ASSIGNED = "assigned", _("Assigned to me")
    # The object belongs to the user's organisation.
    ORGANISATION = "organisation", _("My organisation")
    # The object was shared with or transferred to the user's organisation, with consent,
    # and the share is still active.
    SHARED = "shared", _("Shared with my organisation")
    # Network-wide: aggregates, reference data and program information of the whole network.
    NETWORK = "network", _("Whole network")


@dataclass(frozen=True)
class Grant:
    scope: Scope
    # Only users of the network secretariat hold this grant (e.g. managing member organisations).
    secretariat_only: bool = False


ASSIGNED = Grant(Scope.ASSIGNED)
ORGANISATION = Grant(Scope.ORGANISATION)
SHARED = Grant(Scope.SHARED)
NETWORK = Grant(Scope.NETWORK)
SECRETARIAT_NETWORK = Grant(Scope.NETWORK, secretariat_only=True)

R = Role
ALL_ROLES = tuple(Role)
CASE_ROLES = (R.SUPERVISOR, R.CASEWORKER, R.LEGAL_OFFICER)
"""Roles that can see case data; MFA is mandatory for them (and for administrators)."""
MFA_REQUIRED_ROLES = frozenset({*CASE_ROLES, R.ADMINISTRATOR})


def _everyone(*grants: Grant) -> dict[Role, tuple[Grant, ...]]:
    return {role: grants for role in ALL_ROLES}


# action -> role -> grants. Actions are namespaced like audit codes: "<app>.<object>.<verb>".
RULES: dict[str, dict[Role, tuple[Grant, ...]]] = {
    # --- accounts ---------------------------------------------------------------------------
    "accounts.organisation.view": _everyone(ORGANISATION) | {R.ADMINISTRATOR: (ORGANISATION, SECRETARIAT_NETWORK)},
    "accounts.organisation.manage": {R.ADMINISTRATOR: (SECRETARIAT_NETWORK,)},
    "accounts.organisation.edit": {R.ADMINISTRATOR: (ORGANISATION, SECRETARIAT_NETWORK)},
    "accounts.user.view": {R.ADMINISTRATOR: (ORGANISATION,), R.SUPERVISOR: (ORGANISATION,)},
    "accounts.user.manage": {R.ADMINISTRATOR: (ORGANISATION,)},
    # Personal API tokens: every user manages their own (ASSIGNED = the token's owner).
    "accounts.token.manage": _everyone(ASSIGNED),
    # --- audit ------------------------------------------------------------------------------
    "audit.event.view": {R.ADMINISTRATOR: (ORGANISATION,)},
    "audit.event.export": {R.ADMINISTRATOR: (ORGANISATION,)},
    # --- geo (reference data, not personal) ------------------------------------------------
    "geo.region.view": _everyone(NETWORK),
    # --- cases ------------------------------------------------------------------------------
    "cases.case.view": {
        R.CASEWORKER: (ASSIGNED, SHARED),
        R.LEGAL_OFFICER: (ASSIGNED, SHARED),
        R.SUPERVISOR: (ORGANISATION, SHARED),
    },
    "cases.case.create": {R.CASEWORKER: (ORGANISATION,), R.LEGAL_OFFICER: (ORGANISATION,), R.SUPERVISOR: (ORGANISATION,)},
    "cases.case.edit": {R.CASEWORKER: (ASSIGNED,), R.LEGAL_OFFICER: (ASSIGNED,), R.SUPERVISOR: (ORGANISATION,)},
    "cases.case.assign": {R.SUPERVISOR: (ORGANISATION,)},
    "cases.case.approve": {R.SUPERVISOR: (ORGANISATION,)},
    "cases.case.export": {R.CASEWORKER: (ASSIGNED,), R.SUPERVISOR: (ORGANISATION,)},
    "cases.case.export_identifying": {R.SUPERVISOR: (ORGANISATION,)},
    "cases.case.transfer": {R.CASEWORKER: (ASSIGNED,), R.SUPERVISOR: (ORGANISATION,)},
    "cases.case.transfer_approve": {R.SUPERVISOR: (ORGANISATION,)},
    "cases.case.share": {R.SUPERVISOR: (ORGANISATION,)},
    "cases.transfer.receive": {R.SUPERVISOR: (ORGANISATION,)},
    "cases.provider.view": {R.CASEWORKER: (NETWORK,), R.LEGAL_OFFICER: (NETWORK,), R.SUPERVISOR: (NETWORK,), R.ADMINISTRATOR: (NETWORK,)},
    "cases.provider.manage": {R.SUPERVISOR: (ORGANISATION,), R.ADMINISTRATOR: (ORGANISATION,)},
    "cases.case.reopen": {R.CASEWORKER: (ASSIGNED,), R.SUPERVISOR: (ORGANISATION,)},
    # Shares and transfers: the requests themselves (sender: ORGANISATION covers both ends).
    "cases.share.view": {R.CASEWORKER: (ASSIGNED,), R.SUPERVISOR: (ORGANISATION,)},
    # --- incidents --------------------------------------------------------------------------
    "incidents.incident.view": {
        R.CASEWORKER: (ASSIGNED, SHARED),
        R.LEGAL_OFFICER: (ASSIGNED, SHARED),
        R.SUPERVISOR: (ORGANISATION, SHARED),
    },
    "incidents.incident.edit": {R.CASEWORKER: (ASSIGNED,), R.LEGAL_OFFICER: (ASSIGNED,), R.SUPERVISOR: (ORGANISATION,)},
    # Recording an incident for cases of the organisation (the service checks each linked case).
    "incidents.incident.create": {R.CASEWORKER: (ORGANISATION,), R.LEGAL_OFFICER: (ORGANISATION,),
                                  R.SUPERVISOR: (ORGANISATION,)},
    # Reference lists are network-wide (one list for every member): only the secretariat edits them.
    "incidents.reference.manage": {R.ADMINISTRATOR: (SECRETARIAT_NETWORK,), R.SUPERVISOR: (SECRETARIAT_NETWORK,)},
    # --- legal ------------------------------------------------------------------------------
    "legal.legalcase.view": {
        R.LEGAL_OFFICER: (ASSIGNED, SHARED),
        R.CASEWORKER: (ASSIGNED,),
        R.SUPERVISOR: (ORGANISATION, SHARED),
    },
    "legal.legalcase.edit": {R.LEGAL_OFFICER: (ASSIGNED,), R.SUPERVISOR: (ORGANISATION,)},
    "legal.legalcase.create": {R.LEGAL_OFFICER: (ORGANISATION,), R.SUPERVISOR: (ORGANISATION,)},
    # (Re)assigning the legal officer of a legal case.
    "legal.legalcase.assign": {R.SUPERVISOR: (ORGANISATION,)},
    # Network-wide reference lists (laws and articles, stages, deadlines...): the secretariat only.
    "legal.reference.manage": {R.ADMINISTRATOR: (SECRETARIAT_NETWORK,), R.SUPERVISOR: (SECRETARIAT_NETWORK,)},
    "legal.calendar.view": {R.LEGAL_OFFICER: (ASSIGNED,), R.SUPERVISOR: (ORGANISATION,), R.CASEWORKER: (ASSIGNED,)},
    # --- programs (no personal data except attendance lists) --------------------------------
    "programs.program.view": _everyone(ORGANISATION, NETWORK),
    "programs.program.edit": {R.PROGRAM_OFFICER: (ORGANISATION,), R.ME_OFFICER: (ORGANISATION,), R.ADMINISTRATOR: (ORGANISATION,)},
    "programs.activity.edit": {R.PROGRAM_OFFICER: (ORGANISATION,), R.ME_OFFICER: (ORGANISATION,)},
    "programs.indicator.report": {R.ME_OFFICER: (ORGANISATION,), R.PROGRAM_OFFICER: (ORGANISATION,)},
    "programs.attendance.view": {R.PROGRAM_OFFICER: (ORGANISATION,), R.ME_OFFICER: (ORGANISATION,)},
    # Network-wide reference lists (activity types, countries...): the secretariat only.
    "programs.reference.manage": {R.ADMINISTRATOR: (SECRETARIAT_NETWORK,), R.ME_OFFICER: (SECRETARIAT_NETWORK,)},
    "programs.iati.export": {R.ME_OFFICER: (ORGANISATION, NETWORK), R.PROGRAM_OFFICER: (ORGANISATION,), R.VIEWER: (ORGANISATION,)},
    # --- reports (aggregates only) ----------------------------------------------------------
    "reports.statistics.view": {
        R.SUPERVISOR: (ORGANISATION, NETWORK),
        R.ME_OFFICER: (ORGANISATION, NETWORK),
        R.PROGRAM_OFFICER: (ORGANISATION, NETWORK),
        R.ADMINISTRATOR: (ORGANISATION, NETWORK),
        R.VIEWER: (ORGANISATION, NETWORK),
        R.LEGAL_OFFICER: (ORGANISATION,),
        R.CASEWORKER: (ASSIGNED,),
    },
    "reports.statistics.export": {
        R.SUPERVISOR: (ORGANISATION, NETWORK),
        R.ME_OFFICER: (ORGANISATION, NETWORK),
        R.VIEWER: (ORGANISATION, NETWORK),
    },
    "reports.dataset.export": {R.SUPERVISOR: (ORGANISATION,), R.ME_OFFICER: (ORGANISATION, SECRETARIAT_NETWORK)},
    "reports.annual.view": _everyone(ORGANISATION, NETWORK),
    "reports.annual.edit": {R.ME_OFFICER: (ORGANISATION,), R.PROGRAM_OFFICER: (ORGANISATION,), R.ADMINISTRATOR: (ORGANISATION,)},
}


class PolicyDenied(PermissionDenied):
    """The user's roles do not grant the action at all (403). Audited as denied access."""

    def __init__(self, action: str):
        super().__init__(action)
        self.action = action


class OutOfScope(Http404):
    """The object is missing or outside the user's scope; both answer 404 so existence never leaks."""

    def __init__(self, action: str, model: type[models.Model] | None = None, lookup: dict | None = None,
                 exists: bool = False):
        super().__init__(action)
        self.action = action
        self.model = model
        self.lookup = lookup or {}
        self.exists = exists  # True when the object exists but is out of scope: worth auditing.


def _check_action(action: str) -> dict[Role, tuple[Grant, ...]]:
    try:
        return RULES[action]
    except KeyError:
        raise LookupError(f"Unknown policy action {action!r}; add it to lindungi.core.policy.RULES") from None


def user_roles(user: User | None) -> frozenset[Role]:
    """The roles that count: none for an inactive user, or a user of an inactive organisation
    (whose sessions and tokens were ended with it; this holds whatever slipped through)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if not user.organisation.is_active:
        return frozenset()
    return user.roles


def scopes(user: User | None, action: str) -> frozenset[Scope]:
    """The scopes in which `user` may perform `action` (empty when not at all)."""
    rule = _check_action(action)
    roles = user_roles(user)
    if not roles:
        return frozenset()
    is_secretariat = user.organisation.is_secretariat
    found = set()
    for role in roles:
        for grant in rule.get(role, ()):
            if grant.secretariat_only and not is_secretariat:
                continue
            found.add(grant.scope)
    return frozenset(found)


def allowed(user: User | None, action: str, scope: Scope | None = None) -> bool:
    granted = scopes(user, action)
    return bool(granted) if scope is None else scope in granted


def require(user: User | None, action: str, scope: Scope | None = None) -> frozenset[Scope]:
    """Raise PolicyDenied unless the action is granted (in `scope`, if given); return the scopes."""
    granted = scopes(user, action)
    if not granted or (scope is not None and scope not in granted):
        raise PolicyDenied(action)
    return granted


def scope_filter(user: User | None, action: str, queryset: models.QuerySet) -> models.QuerySet:
    """Restrict `queryset` to the rows `user` may `action`; no grant means an empty queryset.

    The model defines `policy_q(user, scope) -> Q | None` (None: that scope gives nothing here;
    an empty `Q()`: that scope gives every row).
    """
    condition = None
    for scope in scopes(user, action):
        q = queryset.model.policy_q(user, scope)
        if q is None:
            continue
        if not q:
            # Django drops an empty Q when it is OR-ed (`Q(a) | Q()` is `Q(a)`), which would turn
            # "everything" into "only the narrower scope": an empty Q wins outright.
            return queryset
        condition = q if condition is None else condition | q
    if condition is None:
        return queryset.none()
    # A scope's Q may join to many rows (shares, assignments): keep each object once.
    needs_distinct = getattr(queryset.model, "policy_q_needs_distinct", False)
    filtered = queryset.filter(condition)
    return filtered.distinct() if needs_distinct else filtered


def get_object(user: User | None, action: str, queryset: models.QuerySet, **lookup):
    """The object matching `lookup` if `user` may `action` it; otherwise OutOfScope (404)."""
    try:
        return scope_filter(user, action, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        exists = False
        try:
            exists = queryset.model._default_manager.filter(**lookup).exists()
        except (ValueError, TypeError):
            pass
        raise OutOfScope(action, queryset.model, lookup, exists=exists) from None


def require_object(user: User | None, action: str, obj: models.Model) -> None:
    """Raise OutOfScope unless `obj` is within the user's scope for `action`."""
    model = type(obj)
    if not scope_filter(user, action, model._default_manager.filter(pk=obj.pk)).exists():
        raise OutOfScope(action, model, {"pk": obj.pk}, exists=True)


def in_scope(user: User | None, action: str, obj: models.Model) -> bool:
    try:
        require_object(user, action, obj)
    except OutOfScope:
        return False
    return True


def in_scope_many(user: User | None, actions: list[str] | tuple[str, ...], obj: models.Model) -> dict[str, bool]:
    """`in_scope` for several actions on one object (the buttons of a page), in one query: each
    scope any of the actions grants is asked once, as a flag of the same row."""
    granted = {action: scopes(user, action) for action in actions}
    model = type(obj)
    inside: set[Scope] = set()
    flags = {}
    for scope in sorted(set().union(*granted.values())):
        q = model.policy_q(user, scope)
        if q is None:
            continue
        if not q:
            inside.add(scope)  # an empty Q: every row
            continue
        flags[f"in_{scope.value}"] = (scope, q)
    if flags and getattr(model, "policy_q_needs_distinct", False):
        # A scope that joins to many rows could flag each joined row differently: ask each alone.
        inside.update(scope for scope, q in flags.values() if model._default_manager.filter(q, pk=obj.pk).exists())
    elif flags:
        row = model._default_manager.filter(pk=obj.pk).values(**{
            name: models.ExpressionWrapper(q, output_field=models.BooleanField()) for name, (_s, q) in flags.items()
        }).first()
        if row is not None:
            inside.update(flags[name][0] for name, value in row.items() if value)
    return {action: bool(granted[action] & inside) for action in actions}
