"""Reads of the incidents app, always scoped through the policy. Showing an incident records
`incidents.incident.viewed`. Statistics are the reports app's (`reports.sources`)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lindungi.audit import services as audit
from lindungi.cases.models import Case, CaseShare
from lindungi.cases.selectors import numbered_like
from lindungi.core import policy
from lindungi.core.errors import DomainError
from lindungi.crypto.fields import blind_search
from lindungi.incidents.models import (
    SEARCH_SYNONYMS,
    Context,
    ExploitationType,
    Incident,
    IncidentCase,
    IncidentType,
    OnlineSubtype,
    Perpetrator,
    Platform,
    Setting,
    Verification,
)

VIEW, EDIT = "incidents.incident.view", "incidents.incident.edit"
_NUMBER = re.compile(r"^IN-\d{0,4}(-\d{0,5}(-T?)?)?$", re.IGNORECASE)  # "-T": moved by a transfer
CONTEXT_FIELDS = {
    Context.POSSIBLE_EXPLOITATION: "possible_exploitation", Context.ONLINE: "is_online",
    Context.CROSS_BORDER: "is_cross_border", Context.THIRD_PARTY: "third_party_involved",
    Context.FAMILY_INVOLVED: "family_involved", Context.CHILD_PERPETRATOR: "child_perpetrator",
}


def visible_incidents(user, action: str = VIEW) -> QuerySet:
    return policy.scope_filter(user, action, Incident.objects.all())


def type_for_search(text: str) -> str | None:
    """The exploitation type a search word stands for: a term to avoid (e.g. "child prostitute")
    finds the incidents classified with the recommended term."""
    text = " ".join((text or "").lower().split())
    if text in SEARCH_SYNONYMS:
        return SEARCH_SYNONYMS[text]
    for code, label in ExploitationType.choices:
        if text and (text == code or text == str(label).lower()):
            return code
    return None


def _date(params, name):
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise DomainError(_("Enter a valid date."), fields={name: [str(_("Enter a valid date."))]}) from None


@dataclass
class IncidentFilters:
    type: str = ""
    subtype: str = ""
    setting: str = ""
    verification: str = ""
    context: str = ""
    platform: str = ""
    province: str = ""
    regency: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    case: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, params) -> IncidentFilters:
        def text(name, limit=60):
            return (params.get(name) or "").strip()[:limit]

        return cls(type=text("type"), subtype=text("subtype"), setting=text("setting"),
                   verification=text("verification"), context=text("context"), platform=text("platform"),
                   province=text("province"), regency=text("regency"), date_from=_date(params, "date_from"),
                   date_to=_date(params, "date_to"), case=text("case"), q=text("q", 100))


def _check(value: str, choices, field: str) -> None:
    if value and value not in choices.values:
        raise DomainError(_("Unknown filter value."), fields={field: [str(_("Unknown filter value."))]})


def search_q(user, text: str) -> Q:
    """Incident number, a term (or a term to avoid) of an exploitation type, a linked case's
    number, or a perpetrator's full name (blind index)."""
    text = " ".join((text or "").split())
    if not text:
        return Q()
    if _NUMBER.match(text):
        return Q(number__startswith=text.upper())  # numbers are upper case: the prefix index serves it
    code = type_for_search(text)
    if code:
        return Q(Exists(IncidentType.objects.filter(incident_id=OuterRef("pk"), type=code)))
    names = blind_search(Perpetrator.objects.filter(organisation_id=user.organisation_id), "name_index",
                         [user.organisation_id], text)
    found = Q(pk__any_of=[p.incident_id for p in names])
    cases = numbered_like(user, text, VIEW)
    if cases is not None:
        # A subquery, not a correlated EXISTS: that one was tried on every incident of the list.
        found |= Q(pk__in=IncidentCase.objects.filter(case_id__in=cases).values("incident_id"))
    return found


def incident_list(*, user, filters: IncidentFilters | None = None, action: str = VIEW) -> QuerySet:
    filters = filters or IncidentFilters()
    qs = visible_incidents(user, action).for_list()
    _check(filters.type, ExploitationType, "type")
    _check(filters.subtype, OnlineSubtype, "subtype")
    _check(filters.setting, Setting, "setting")
    _check(filters.verification, Verification, "verification")
    _check(filters.context, Context, "context")
    if filters.type:
        qs = qs.filter(Exists(IncidentType.objects.filter(incident_id=OuterRef("pk"), type=filters.type)))
    if filters.subtype:
        qs = qs.filter(Exists(IncidentType.objects.filter(incident_id=OuterRef("pk"), subtype=filters.subtype)))
    if filters.setting:
        qs = qs.filter(setting=filters.setting)
    if filters.verification:
        qs = qs.filter(verification=filters.verification)
    if filters.context:
        qs = qs.filter(**{CONTEXT_FIELDS[filters.context]: True})
    if filters.platform:
        qs = qs.filter(platforms__code=filters.platform)
    if filters.regency:
        qs = qs.filter(regency_id=filters.regency)
    elif filters.province:
        qs = qs.filter(province_id=filters.province)
    if filters.date_from:
        qs = qs.filter(occurred_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(occurred_on__lte=filters.date_to)
    if filters.case:
        try:
            qs = qs.filter(case_links__case_id=filters.case)
        except ValidationError:
            raise DomainError(_("Unknown filter value."), fields={"case": [str(_("Unknown filter value."))]}) from None
    if filters.q:
        qs = qs.filter(search_q(user, filters.q))
    return qs.order_by("-occurred_on", "-number")


def incident_get(*, user, pk, action: str = VIEW, record_view: bool = True) -> Incident:
    """The incident if the user may `action` it (else OutOfScope, 404). Showing it is audited."""
    incident = policy.get_object(user, action, Incident.objects.select_related(
        "organisation", "province", "regency", "district"), pk=pk)
    if record_view:
        payload = {}
        if incident.organisation_id != user.organisation_id:
            payload["shared"] = True
        audit.record("incidents.incident.viewed", actor=user, obj=incident, payload=payload)
    return incident


def perpetrator_get(*, user, pk, action: str = EDIT) -> Perpetrator:
    """A perpetrator whose incident the user may `action`; otherwise OutOfScope (404)."""
    try:
        return Perpetrator.objects.select_related("incident").get(pk=pk, incident__in=visible_incidents(user, action))
    except (Perpetrator.DoesNotExist, ValueError, TypeError, ValidationError):
        try:
            exists = Perpetrator.objects.filter(pk=pk).exists()
        except (ValueError, TypeError, ValidationError):
            exists = False
        raise policy.OutOfScope(action, Perpetrator, {"pk": pk}, exists=exists) from None


def linked_cases(*, user, incident: Incident) -> list[Case]:
    """The incident's cases, with a flag saying whether the user may open each."""
    cases = list(incident.cases.select_related("child").order_by("number"))
    visible = set(policy.scope_filter(user, "cases.case.view", Case.objects.filter(
        pk__in=[c.pk for c in cases])).values_list("pk", flat=True))
    for case in cases:
        case.user_can_open = case.pk in visible
    return cases


def linkable_cases(user) -> QuerySet:
    """The cases the user may link an incident to: their organisation's cases in their scope."""
    return policy.scope_filter(user, "cases.case.view", Case.objects.filter(
        organisation_id=user.organisation_id)).order_by("-registered_on", "-number")


def cases_by_numbers(user, numbers) -> tuple[list[Case], list[str]]:
    """Resolve case numbers typed by the user within the cases they may link: (found, unknown)."""
    wanted = [n.strip().upper() for n in numbers if n and n.strip()]
    found = {c.number: c for c in linkable_cases(user).filter(number__in=wanted)}
    return [found[n] for n in dict.fromkeys(wanted) if n in found], [n for n in wanted if n not in found]


def incidents_by_numbers(user, numbers) -> tuple[list[Incident], list[str]]:
    wanted = [n.strip().upper() for n in numbers if n and n.strip()]
    found = {i.number: i for i in visible_incidents(user).filter(organisation_id=user.organisation_id,
                                                                 number__in=wanted)}
    return [found[n] for n in dict.fromkeys(wanted) if n in found], [n for n in wanted if n not in found]


def platforms(active_only: bool = True) -> QuerySet:
    qs = Platform.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def is_shared_with(user, incident: Incident) -> bool:
    return incident.organisation_id != user.organisation_id and CaseShare.objects.active().filter(
        case__incident_links__incident=incident, to_organisation_id=user.organisation_id).exists()
