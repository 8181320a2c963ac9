"""Opening a legal case, its details, its links to incidents and victims, its officer and its stage."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lindungi.accounts.models import User
from lindungi.audit import services as audit
from lindungi.cases.models import Case
from lindungi.core import policy
from lindungi.core.errors import Conflict, DomainError, validate
from lindungi.core.policy import Role
from lindungi.incidents import common
from lindungi.incidents.models import Incident, IncidentCase
from lindungi.legal import stages
from lindungi.legal.models import (
    LegalCase,
    LegalCaseIncident,
    LegalCaseNumberCounter,
    LegalCaseVictim,
    PoliceUnitLevel,
    Stage,
    StageEntry,
    StageKind,
)
from lindungi.legal.services._common import (
    ASSIGN,
    CREATE,
    EDIT,
    lock,
    refresh_outcomes,
    require_legal_case,
    sync_team,
)

DETAIL_FIELDS = {"police_unit_level", "police_unit_name", "report_number", "prosecutor_office", "court", "summary"}


def _clean_details(data: dict) -> dict:
    unknown = set(data) - DETAIL_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))},
                          code="unknown_fields")
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    level = data.get("police_unit_level")
    if level is not None and (not isinstance(level, PoliceUnitLevel) or not level.is_active):
        raise common.field_error("police_unit_level", _("Choose a police unit level from the list."))
    return data


def _check_incidents(actor, incidents) -> list[Incident]:
    incidents = list(dict.fromkeys(incidents or []))
    if not incidents:
        raise common.field_error("incidents", _("Link the legal case to at least one incident."), code="required")
    visible = set(policy.scope_filter(actor, "incidents.incident.view", Incident.objects.filter(
        pk__in=[i.pk for i in incidents], organisation_id=actor.organisation_id)).values_list("pk", flat=True))
    for incident in incidents:
        if incident.pk not in visible:
            raise common.field_error("incidents", _("Incident %(number)s cannot be linked: it is not one of your "
                                                    "organisation's incidents that you work on.") % {
                "number": incident.number})
    return incidents


def _check_victims(incidents: list[Incident], victims) -> list[Case]:
    """Victims are child cases linked to the incidents; by default all of them."""
    linked = list(Case.objects.filter(pk__in=IncidentCase.objects.filter(incident__in=incidents)
                                      .values("case_id")).order_by("number"))
    if victims is None:
        return linked
    victims = list(dict.fromkeys(victims))
    if not victims:
        raise common.field_error("victims", _("Choose at least one child victim."), code="required")
    linked_ids = {case.pk for case in linked}
    for case in victims:
        if case.pk not in linked_ids:
            raise common.field_error("victims", _("Case %(number)s is not linked to any of the legal case's "
                                                  "incidents.") % {"number": case.number})
    return victims


def _check_officer(actor, officer: User | None, current: User | None = None) -> None:
    if officer is None or (current is not None and officer.pk == current.pk):
        return
    if officer.pk != actor.pk and not policy.allowed(actor, ASSIGN):
        raise common.field_error("assigned_officer", _("Only a supervisor can assign another legal officer."),
                                 code="assign_not_allowed")
    if (officer.organisation_id != actor.organisation_id or not officer.is_active
            or Role.LEGAL_OFFICER not in officer.roles):
        raise common.field_error("assigned_officer", _("Choose an active legal officer of your organisation."))


def _apply_milestones(legal_case: LegalCase, stage: Stage, entered_on: datetime.date) -> list[str]:
    changed = []
    name = stages.MILESTONE_FIELDS.get(stage.milestone)
    if name and getattr(legal_case, name) is None:
        setattr(legal_case, name, entered_on)
        changed.append(name)
    if stage.kind == StageKind.PROGRESS and stage.order > legal_case.max_order_reached:
        legal_case.max_order_reached = stage.order
        changed.append("max_order_reached")
    if stage.kind == StageKind.ENDING:
        legal_case.is_closed, legal_case.closed_on = True, entered_on
        changed += ["is_closed", "closed_on"]
    return changed


def legal_case_create(*, actor, incidents, data: dict, victims=None, stage: Stage | None = None,
                      entered_on: datetime.date | None = None, reported_on: datetime.date | None = None,
                      assigned_officer: User | None = None) -> LegalCase:
    """Open a legal case for incidents of the organisation. A legal officer who opens it is
    assigned by default. `stage` (default: the first progress stage) is where the case stands
    now, reached on `entered_on`; `reported_on` is the date of the police report when the case is
    taken on at a later stage."""
    policy.require(actor, CREATE)
    data = _clean_details(data)
    incidents = _check_incidents(actor, incidents)
    victims = _check_victims(incidents, victims)
    if not victims:
        raise common.field_error("victims", _("The incidents have no linked child case."), code="required")
    if assigned_officer is None and Role.LEGAL_OFFICER in actor.roles:
        assigned_officer = actor
    _check_officer(actor, assigned_officer)
    stage = stage or stages.first_stage()
    if stage is None or stage.kind != StageKind.PROGRESS or not stage.is_active:
        raise common.field_error("stage", _("A legal case starts at a progress stage in use."))
    entered_on = entered_on or common.today()
    common.not_in_future(entered_on, "entered_on")
    common.not_in_future(reported_on, "reported_on")
    report_stage = Stage.objects.filter(milestone="reported", kind=StageKind.PROGRESS).order_by("order").first()
    if reported_on and report_stage and stage.order > report_stage.order:
        common.not_before(entered_on, reported_on, "entered_on",
                          _("The date of the current stage cannot be before the police report."))
    with transaction.atomic():
        legal_case = LegalCase(organisation_id=actor.organisation_id, created_by=actor, stage=stage,
                               stage_entered_on=entered_on, assigned_officer=assigned_officer, **data)
        legal_case.number = common.next_number(LegalCaseNumberCounter, actor.organisation_id, common.today().year,
                                               "LC")
        validate(legal_case)
        entries = []
        if reported_on and report_stage and stage.order > report_stage.order:
            entries.append((report_stage, reported_on))
        entries.append((stage, entered_on))
        for entry_stage, day in entries:
            _apply_milestones(legal_case, entry_stage, day)
        legal_case.save()
        for entry_stage, day in entries:
            StageEntry.objects.create(organisation_id=legal_case.organisation_id, legal_case=legal_case,
                                      stage=entry_stage, entered_on=day, recorded_by=actor)
        LegalCaseIncident.objects.bulk_create([LegalCaseIncident(legal_case=legal_case, incident=i) for i in incidents])
        LegalCaseVictim.objects.bulk_create([LegalCaseVictim(legal_case=legal_case, case=c) for c in victims])
        audit.record("legal.legalcase.created", actor=actor, obj=legal_case, payload={
            "incident_ids": [str(i.pk) for i in incidents], "victim_case_ids": [str(c.pk) for c in victims],
            "stage": stage.code, "officer_id": assigned_officer.pk if assigned_officer else None})
        sync_team(actor, legal_case)
    return legal_case


def legal_case_update(*, actor, legal_case: LegalCase, data: dict) -> LegalCase:
    """The police unit, report number, prosecutor's office, court and summary."""
    require_legal_case(actor, EDIT, legal_case)
    data = _clean_details(data)
    with transaction.atomic():
        legal_case = lock(legal_case)
        changed = common.apply_changes(legal_case, data, DETAIL_FIELDS)
        if not changed:
            return legal_case
        validate(legal_case)
        legal_case.save(update_fields=[*changed, "updated_at"])
        audit.record("legal.legalcase.updated", actor=actor, obj=legal_case, payload={"fields": sorted(changed)})
    return legal_case


def legal_case_set_links(*, actor, legal_case: LegalCase, incidents, victims) -> LegalCase:
    """Change the incidents and the child victims of the legal case (the officer follows the
    victims: their case-team rows are added or removed)."""
    require_legal_case(actor, EDIT, legal_case)
    incidents = list(dict.fromkeys(incidents or []))
    current_incidents = set(legal_case.incident_links.values_list("incident_id", flat=True))
    # Incidents already linked stay linkable even if the user could not link them today.
    new = [i for i in incidents if i.pk not in current_incidents]
    if not incidents:
        raise common.field_error("incidents", _("Link the legal case to at least one incident."), code="required")
    if new:
        _check_incidents(actor, new)
    victims = _check_victims(incidents, victims)
    with transaction.atomic():
        legal_case = lock(legal_case)
        incident_ids = {i.pk for i in incidents}
        dropped = current_incidents - incident_ids
        in_use = legal_case.defendants.filter(perpetrator__incident_id__in=dropped)
        if in_use.exists():
            raise Conflict(_("An incident whose perpetrator is a suspect or defendant here cannot be unlinked."),
                           code="incident_in_use")
        victim_ids = {c.pk for c in victims}
        current_victims = set(legal_case.victim_links.values_list("case_id", flat=True))
        if incident_ids == current_incidents and victim_ids == current_victims:
            return legal_case
        LegalCaseIncident.objects.filter(legal_case=legal_case, incident_id__in=dropped).delete()
        LegalCaseIncident.objects.bulk_create([LegalCaseIncident(legal_case=legal_case, incident_id=pk)
                                               for pk in incident_ids - current_incidents])
        LegalCaseVictim.objects.filter(legal_case=legal_case, case_id__in=current_victims - victim_ids).delete()
        LegalCaseVictim.objects.bulk_create([LegalCaseVictim(legal_case=legal_case, case_id=pk)
                                             for pk in victim_ids - current_victims])
        legal_case.save(update_fields=["updated_at"])
        audit.record("legal.legalcase.links_changed", actor=actor, obj=legal_case, payload={
            "incidents_added": sorted(str(pk) for pk in incident_ids - current_incidents),
            "incidents_removed": sorted(str(pk) for pk in dropped),
            "victims_added": sorted(str(pk) for pk in victim_ids - current_victims),
            "victims_removed": sorted(str(pk) for pk in current_victims - victim_ids)})
        sync_team(actor, legal_case)
    return legal_case


def legal_case_assign(*, actor, legal_case: LegalCase, officer: User | None) -> LegalCase:
    """(Re)assign the legal officer, or leave the legal case unassigned (None)."""
    require_legal_case(actor, ASSIGN, legal_case)
    if officer is not None:
        _check_officer(actor, officer)
    with transaction.atomic():
        legal_case = lock(legal_case)
        previous = legal_case.assigned_officer_id
        if previous == (officer.pk if officer else None):
            return legal_case
        legal_case.assigned_officer = officer
        legal_case.save(update_fields=["assigned_officer", "updated_at"])
        audit.record("legal.legalcase.assigned", actor=actor, obj=legal_case, payload={
            "from_officer_id": previous, "to_officer_id": officer.pk if officer else None})
        sync_team(actor, legal_case)
    return legal_case


def legal_case_change_stage(*, actor, legal_case: LegalCase, stage: Stage, entered_on: datetime.date | None = None,
                            note: str = "") -> LegalCase:
    """Move the legal case to `stage` (forward only; an ending closes it). Refused changes raise
    a Conflict that says why."""
    require_legal_case(actor, EDIT, legal_case)
    entered_on = entered_on or common.today()
    common.not_in_future(entered_on, "entered_on")
    with transaction.atomic():
        legal_case = lock(legal_case)
        stage = Stage.objects.get(pk=stage.pk)
        error = stages.transition_error(legal_case, stage)
        if error:
            raise Conflict(error, code="invalid_stage_change", fields={"stage": [error]})
        common.not_before(entered_on, legal_case.stage_entered_on, "entered_on",
                          _("The date cannot be before the date of the current stage (%(date)s).") % {
                              "date": legal_case.stage_entered_on.isoformat()})
        previous = legal_case.stage
        legal_case.stage, legal_case.stage_entered_on = stage, entered_on
        changed = ["stage", "stage_entered_on", *_apply_milestones(legal_case, stage, entered_on)]
        legal_case.save(update_fields=[*dict.fromkeys(changed), "updated_at"])
        StageEntry.objects.create(organisation_id=legal_case.organisation_id, legal_case=legal_case, stage=stage,
                                  entered_on=entered_on, note=(note or "").strip(), recorded_by=actor)
        audit.record("legal.legalcase.stage_changed", actor=actor, obj=legal_case, payload={
            "from": previous.code, "to": stage.code, "entered_on": entered_on.isoformat(),
            "closed": legal_case.is_closed})
        refresh_outcomes(legal_case)
    return legal_case
