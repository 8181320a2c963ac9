"""Reads of the legal app, always scoped through the policy. Showing a legal case records
`legal.legalcase.viewed`. Calendar events and deadlines carry no names (case numbers only).
`outcome_q` at the end gives the reports' statistics the legal outcomes on plain columns."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lindungi.accounts.models import User
from lindungi.audit import services as audit
from lindungi.cases.selectors import numbered_like, organisations_in_reach
from lindungi.core import policy
from lindungi.core.errors import DomainError
from lindungi.core.policy import Role
from lindungi.incidents.common import today
from lindungi.incidents.models import ExploitationType, Incident, IncidentType
from lindungi.legal import deadlines as deadline_rules
from lindungi.legal import stages
from lindungi.legal.models import (
    Accompaniment,
    Appeal,
    Charge,
    Defendant,
    Hearing,
    HearingStatus,
    LawArticle,
    LegalCase,
    LegalCaseIncident,
    LegalCaseVictim,
    Milestone,
    ProtectionRequest,
    Restitution,
    Stage,
    StageEntry,
    Verdict,
)

VIEW, EDIT, CALENDAR = "legal.legalcase.view", "legal.legalcase.edit", "legal.calendar.view"
_NUMBER = re.compile(r"^LC-\d{0,4}(-\d{0,5}(-T?)?)?$", re.IGNORECASE)  # "-T": moved by a transfer
# What could still be the beginning of an incident number ("IN", "IN-2026-00", "IN-2026-0042-T").
_INCIDENT_NUMBER = re.compile(r"^IN(-\d{0,4}(-\d{0,5}(-T?)?)?)?$", re.IGNORECASE)


def visible_legal_cases(user, action: str = VIEW) -> QuerySet:
    return policy.scope_filter(user, action, LegalCase.objects.all())


# --- list ---------------------------------------------------------------------------------------


def _date(params, name):
    value = (params.get(name) or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise DomainError(gettext_lazy("Enter a valid date."), fields={name: [_("Enter a valid date.")]}) from None


@dataclass
class LegalCaseFilters:
    stage: str = ""
    law: str = ""
    article: str = ""
    type: str = ""
    province: str = ""
    officer: str = ""  # "me", "none" or a user id
    status: str = ""  # "open" or "closed"
    date_from: datetime.date | None = None  # reported to the police, from
    date_to: datetime.date | None = None
    q: str = ""

    @classmethod
    def from_params(cls, params) -> LegalCaseFilters:
        def text(name, limit=60):
            return (params.get(name) or "").strip()[:limit]

        return cls(stage=text("stage"), law=text("law"), article=text("article"), type=text("type"),
                   province=text("province"), officer=text("officer"), status=text("status"),
                   date_from=_date(params, "date_from"), date_to=_date(params, "date_to"), q=text("q", 100))


def _unknown(field_name: str) -> DomainError:
    return DomainError(gettext_lazy("Unknown filter value."), fields={field_name: [_("Unknown filter value.")]})


def _search_q(user, text: str, action: str) -> Q:
    """A legal case number, or the number of one of its incidents or of its victims' cases.
    Numbers are upper case, so each is a prefix match the (organisation, number) prefix index
    serves; the incidents and cases are subqueries, not joins (a join needs DISTINCT, and an OR
    across two joins read every legal case). A legal case links only its own organisation's
    incidents and cases, so those of the organisations in reach are enough."""
    text = " ".join(text.split()).upper()
    if _NUMBER.match(text):
        return Q(number__startswith=text)
    found = Q(pk__in=[])
    if _INCIDENT_NUMBER.match(text):
        incidents = Incident.objects.filter(organisation_id__in=organisations_in_reach(user, action),
                                            number__startswith=text)
        found |= Q(pk__in=LegalCaseIncident.objects.filter(incident_id__in=incidents.values("pk"))
                   .values("legal_case_id"))
    cases = numbered_like(user, text, action)
    if cases is not None:
        found |= Q(pk__in=LegalCaseVictim.objects.filter(case_id__in=cases).values("legal_case_id"))
    return found


def legal_case_list(*, user, filters: LegalCaseFilters | None = None, action: str = VIEW) -> QuerySet:
    filters = filters or LegalCaseFilters()
    qs = visible_legal_cases(user, action).for_list()
    if filters.stage:
        qs = qs.filter(stage__code=filters.stage)
    if filters.law:
        qs = qs.filter(Exists(Charge.objects.filter(legal_case_id=OuterRef("pk"), article__law__code=filters.law)))
    if filters.article:
        qs = qs.filter(Exists(Charge.objects.filter(legal_case_id=OuterRef("pk"), article__code=filters.article)))
    if filters.type:
        if filters.type not in ExploitationType.values:
            raise _unknown("type")
        qs = qs.filter(Exists(LegalCaseIncident.objects.filter(
            legal_case_id=OuterRef("pk"),
            incident_id__in=IncidentType.objects.filter(type=filters.type).values("incident_id"))))
    if filters.province:
        qs = qs.filter(Exists(LegalCaseIncident.objects.filter(legal_case_id=OuterRef("pk"),
                                                               incident__province_id=filters.province)))
    if filters.officer == "me":
        qs = qs.filter(assigned_officer_id=user.pk)
    elif filters.officer == "none":
        qs = qs.filter(assigned_officer__isnull=True)
    elif filters.officer:
        if not filters.officer.isdigit():
            raise _unknown("officer")
        qs = qs.filter(assigned_officer_id=int(filters.officer))
    if filters.status == "open":
        qs = qs.filter(is_closed=False)
    elif filters.status == "closed":
        qs = qs.filter(is_closed=True)
    elif filters.status:
        raise _unknown("status")
    if filters.date_from:
        qs = qs.filter(reported_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(reported_on__lte=filters.date_to)
    if filters.q:
        qs = qs.filter(_search_q(user, filters.q, action))
    return qs.order_by("is_closed", "-created_at")


# --- one legal case -----------------------------------------------------------------------------


def legal_case_get(*, user, pk, action: str = VIEW, record_view: bool = True) -> LegalCase:
    """The legal case if the user may `action` it (else OutOfScope, 404). Showing it is audited."""
    legal_case = policy.get_object(user, action, LegalCase.objects.select_related(
        "organisation", "stage", "assigned_officer", "police_unit_level"), pk=pk)
    if record_view:
        payload = {"shared": True} if legal_case.organisation_id != user.organisation_id else {}
        audit.record("legal.legalcase.viewed", actor=user, obj=legal_case, payload=payload)
    return legal_case


RELATED_PATHS = {
    Hearing: "legal_case", Accompaniment: "legal_case", Restitution: "legal_case", ProtectionRequest: "legal_case",
    Charge: "legal_case", Defendant: "legal_case", StageEntry: "legal_case",
    Verdict: "defendant__legal_case", Appeal: "defendant__legal_case",
}


def related_get(*, user, model, pk, action: str = EDIT, legal_case: LegalCase | None = None):
    """A record of a legal case (hearing, defendant, ...) whose legal case the user may `action`
    (and, if given, that belongs to `legal_case`); otherwise OutOfScope (404)."""
    path = RELATED_PATHS[model]
    lookup = {"pk": pk, f"{path}__in": visible_legal_cases(user, action)}
    if legal_case is not None:
        lookup[f"{path}_id"] = legal_case.pk
    try:
        return model.objects.select_related(path).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError, ValidationError):
        try:
            exists = model.objects.filter(pk=pk).exists()
        except (ValueError, TypeError, ValidationError):
            exists = False
        raise policy.OutOfScope(action, model, {"pk": pk}, exists=exists) from None


def officer_choices(user) -> QuerySet:
    """Active legal officers of the user's organisation."""
    return User.objects.filter(organisation_id=user.organisation_id, is_active=True,
                               memberships__role=Role.LEGAL_OFFICER).distinct().order_by("full_name")


def staff_choices(user) -> QuerySet:
    return User.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by("full_name")


def defendants(legal_case: LegalCase) -> list[Defendant]:
    return list(legal_case.defendants.select_related("perpetrator").prefetch_related("verdicts", "appeals",
                                                                                      "charges__article__law"))


def candidate_perpetrators(legal_case: LegalCase):
    """Identified perpetrators of the legal case's incidents who are not defendants yet."""
    from lindungi.incidents.models import Perpetrator

    return (Perpetrator.objects.filter(incident__legal_case_links__legal_case=legal_case, identified=True)
            .exclude(defendants__legal_case=legal_case).select_related("incident").order_by("created_at"))


def active_articles() -> QuerySet:
    return LawArticle.objects.filter(is_active=True, law__is_active=True).select_related("law")


# --- timeline -----------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    date: datetime.date
    kind: str
    title: str
    detail: str = ""
    badges: list[str] = field(default_factory=list)
    upcoming: bool = False


def _rupiah(value) -> str:
    return f"Rp {int(value or 0):,}".replace(",", ".")


def timeline(legal_case: LegalCase) -> list[TimelineEntry]:
    """Everything that happened in the legal case, newest first (upcoming hearings on top)."""
    entries = []
    day = today()
    for entry in legal_case.stage_entries.select_related("stage"):
        entries.append(TimelineEntry(entry.entered_on, "stage", _("Stage: %(stage)s") % {"stage": entry.stage.label},
                                     entry.note, [_("ending")] if entry.stage.is_ending else []))
    for hearing in legal_case.hearings.select_related("accompanied_by"):
        detail = hearing.court
        if hearing.accompanied_by:
            detail += " · " + _("accompanied by %(name)s") % {"name": hearing.accompanied_by.full_name}
        if hearing.outcome:
            detail += " — " + hearing.outcome
        entries.append(TimelineEntry(hearing.date, "hearing", _("Hearing: %(agenda)s") % {
            "agenda": hearing.get_agenda_display()}, detail, [hearing.get_status_display()],
            upcoming=hearing.date >= day and hearing.status == HearingStatus.SCHEDULED))
    for defendant in legal_case.defendants.select_related("perpetrator"):
        name = defendant.perpetrator.display_name
        if defendant.named_suspect_on:
            entries.append(TimelineEntry(defendant.named_suspect_on, "suspect",
                                         _("%(name)s named suspect") % {"name": name}))
        if defendant.detained_on:
            entries.append(TimelineEntry(defendant.detained_on, "detention", _("%(name)s detained") % {"name": name}))
        for verdict in defendant.verdicts.all():
            parts = []
            if verdict.prison_months:
                parts.append(_("%(months)s months in prison") % {"months": verdict.prison_months})
            if verdict.fine:
                parts.append(_("fine %(amount)s") % {"amount": _rupiah(verdict.fine)})
            if verdict.restitution_ordered:
                parts.append(_("restitution %(amount)s") % {"amount": _rupiah(verdict.restitution_ordered)})
            entries.append(TimelineEntry(verdict.decided_on, "verdict", _("%(level)s: %(name)s %(outcome)s") % {
                "level": verdict.get_level_display(), "name": name, "outcome": verdict.get_outcome_display().lower()},
                ", ".join(parts), [verdict.get_outcome_display()]))
        for appeal in defendant.appeals.all():
            entries.append(TimelineEntry(appeal.filed_on, "appeal", _("%(level)s filed by %(party)s (%(name)s)") % {
                "level": appeal.get_level_display(), "party": appeal.get_filed_by_display().lower(), "name": name}))
    for record in legal_case.accompaniments.select_related("done_by"):
        detail = record.done_by.full_name
        if record.duration_minutes:
            detail += " · " + _("%(minutes)s minutes") % {"minutes": record.duration_minutes}
        entries.append(TimelineEntry(record.date, "accompaniment", _("Accompaniment: %(type)s") % {
            "type": record.get_type_display()}, detail))
    for item in legal_case.restitutions.all():
        entries.append(TimelineEntry(item.claimed_on, "restitution", _("Restitution claimed (%(route)s)") % {
            "route": item.get_route_display()}, _rupiah(item.claimed_amount)))
        if item.ordered_on:
            entries.append(TimelineEntry(item.ordered_on, "restitution", _("Restitution ordered"),
                                         _rupiah(item.ordered_amount)))
        if item.paid_on:
            entries.append(TimelineEntry(item.paid_on, "restitution", _("Restitution paid"),
                                         _("%(paid)s of %(ordered)s") % {"paid": _rupiah(item.paid_amount),
                                                                         "ordered": _rupiah(item.ordered_amount)}))
    for request in legal_case.protection_requests.all():
        entries.append(TimelineEntry(request.submitted_on, "protection", _("LPSK protection requested"),
                                     ", ".join(request.protection_labels())))
        if request.decided_on:
            entries.append(TimelineEntry(request.decided_on, "protection", _("LPSK decision: %(status)s") % {
                "status": request.get_status_display()}))
    coming = sorted((e for e in entries if e.upcoming), key=lambda e: e.date)
    past = sorted((e for e in entries if not e.upcoming), key=lambda e: e.date, reverse=True)
    return coming + past


def case_deadlines(legal_case: LegalCase) -> list[deadline_rules.Deadline]:
    """The legal case's unfiled deadlines, including any that already passed (until the verdict is
    final: then a lapsed deadline is simply how it became final)."""
    return deadline_rules.deadlines(LegalCase.objects.filter(pk=legal_case.pk), today=today(),
                                    include_missed=legal_case.final_on is None)


# --- calendar -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    kind: str  # "hearing" | "deadline"
    date: datetime.date
    time: datetime.time | None
    title: str
    location: str
    legal_case_id: object
    number: str
    stamp: datetime.datetime | None = None


def calendar_cases(user) -> QuerySet:
    return policy.scope_filter(user, CALENDAR, LegalCase.objects.all())


def calendar_events(user, *, start: datetime.date, end: datetime.date) -> list[CalendarEvent]:
    """Hearings (not cancelled) and filing deadlines between `start` and `end` of the legal cases
    in the user's calendar scope. Titles hold the legal case number only, never a name."""
    rules = deadline_rules.active_rules()
    # The scope can be a long list of ids (LegalCase.policy_q: a caseworker's children's legal cases,
    # hundreds at a million cases), costly to plan in every query. One query finds the few legal cases
    # of the scope with a hearing or a decision in the period; hearings and deadlines are read for those.
    hearing = Hearing.objects.filter(legal_case_id=OuterRef("pk"), date__gte=start, date__lte=end).exclude(
        status=HearingStatus.CANCELLED)
    eventful = Exists(hearing)
    decisions = deadline_rules.decisions_in_period(rules, today=start, until=end)
    if decisions is not None:
        eventful |= Exists(Verdict.objects.filter(decisions, defendant__legal_case_id=OuterRef("pk")))
    cases = LegalCase.objects.filter(pk__in=list(calendar_cases(user).filter(eventful).values_list("pk", flat=True)))
    events = []
    hearings = (Hearing.objects.filter(legal_case__in=cases, date__gte=start, date__lte=end)
                .exclude(status=HearingStatus.CANCELLED).select_related("legal_case"))
    for hearing in hearings:
        events.append(CalendarEvent(
            uid=f"hearing-{hearing.pk}@lindungi", kind="hearing", date=hearing.date, time=hearing.time,
            title=_("Hearing — %(number)s") % {"number": hearing.legal_case.number}, location=hearing.court,
            legal_case_id=hearing.legal_case_id, number=hearing.legal_case.number, stamp=hearing.created_at))
    for deadline in deadline_rules.deadlines(cases, today=start, until=end, rules=rules):
        events.append(CalendarEvent(
            uid=f"deadline-{deadline.rule_code}-{deadline.defendant_id}@lindungi", kind="deadline",
            date=deadline.due_on, time=None, title=deadline.title, location="", legal_case_id=deadline.legal_case_id,
            number=deadline.number))
    events.sort(key=lambda e: (e.date, e.time or datetime.time.min, e.number))
    return events


def upcoming(user, days: int = 14) -> dict:
    """For home pages: scheduled hearings and open deadlines in the next `days` days."""
    start = today()
    events = calendar_events(user, start=start, end=start + datetime.timedelta(days=days))
    return {"hearings": [e for e in events if e.kind == "hearing"],
            "deadlines": [e for e in events if e.kind == "deadline"], "start": start, "days": days}


# --- outcomes, for the reports' statistics (plain columns only; no decryption) -------------------


def _milestone_q(milestone: str) -> Q:
    order = stages.milestone_order(milestone)
    return Q(max_order_reached__gte=order) if order is not None else Q(pk__in=[])


def outcome_q(outcome: str) -> Q:
    """The condition for a legal outcome, on plain columns (for GROUP BY counts in reports)."""
    if outcome == "reported":
        return _milestone_q(Milestone.REPORTED)
    if outcome == "trial":
        return _milestone_q(Milestone.TRIAL)
    if outcome == "convicted":
        return Q(convicted_count__gt=0)
    if outcome == "restitution_ordered":
        return Q(restitution_ordered_total__gt=0)
    if outcome == "restitution_paid":
        return Q(restitution_paid_total__gt=0)
    raise ValueError(f"Unknown legal outcome {outcome!r}")


def stage_choices() -> QuerySet:
    return Stage.objects.order_by("order")
