"""When a child case is transferred to another member organisation (cases' `case_transferred`
signal, sent inside the transfer's transaction), its incidents and legal cases follow it when
nothing else holds them back:

- an incident moves when the transferred case is its only case and every legal case that uses it
  moves too;
- a legal case moves when the transferred case is its only victim and all its incidents move.

What moves is re-encrypted under the receiving organisation's key (read every encrypted
attribute, change the organisation, save) and loses its assigned legal officer (the receiving
supervisor assigns one). What stays keeps its links, pointed at the sending organisation's closed
stub of the case: the victims, and the accompaniments and LPSK requests naming the child."""

from __future__ import annotations

from lindungi.audit import services as audit
from lindungi.incidents.models import Incident, IncidentCase
from lindungi.incidents.transfers import move_incident, reencrypt, relink
from lindungi.legal.models import (
    Accompaniment,
    Appeal,
    Defendant,
    Hearing,
    LegalCase,
    LegalCaseVictim,
    ProtectionRequest,
    Restitution,
    StageEntry,
    Verdict,
)
from lindungi.legal.services._common import sync_team


def plan(case) -> tuple[set, set]:
    """(incident ids, legal case ids) that move with `case`."""
    incidents = set(Incident.objects.filter(case_links__case=case).values_list("pk", flat=True))
    others = set(IncidentCase.objects.filter(incident_id__in=incidents).exclude(case=case)
                 .values_list("incident_id", flat=True))
    moving_incidents = incidents - others
    legal_cases = set(LegalCase.objects.filter(victim_links__case=case).values_list("pk", flat=True))
    held = set(LegalCaseVictim.objects.filter(legal_case_id__in=legal_cases).exclude(case=case)
               .values_list("legal_case_id", flat=True))
    moving_cases = legal_cases - held
    while True:  # a fixpoint: an incident used by a staying legal case stays, and so on
        links = LegalCase.incidents.through.objects
        staying_cases = set(links.filter(incident_id__in=moving_incidents).exclude(
            legal_case_id__in=moving_cases).values_list("legal_case_id", flat=True))
        blocked_incidents = set(links.filter(legal_case_id__in=staying_cases).values_list("incident_id", flat=True))
        blocked_cases = set(links.filter(legal_case_id__in=moving_cases).exclude(
            incident_id__in=moving_incidents).values_list("legal_case_id", flat=True))
        if not (blocked_incidents & moving_incidents) and not blocked_cases:
            return moving_incidents, moving_cases
        moving_incidents -= blocked_incidents
        moving_cases -= blocked_cases


def _move_legal_case(legal_case: LegalCase, organisation_id: int, actor) -> None:
    legal_case.assigned_officer = None
    sync_team(actor, legal_case)  # the sending organisation's officer leaves the moved case's team
    for model, path in ((StageEntry, "legal_case"), (Defendant, "legal_case"), (Hearing, "legal_case"),
                        (Accompaniment, "legal_case"), (Restitution, "legal_case"),
                        (ProtectionRequest, "legal_case"), (Verdict, "defendant__legal_case"),
                        (Appeal, "defendant__legal_case")):
        for record in model.objects.filter(**{path: legal_case}):
            reencrypt(record, organisation_id)
    if LegalCase.objects.filter(organisation_id=organisation_id, number=legal_case.number).exists():
        legal_case.number = f"{legal_case.number}-T"
    reencrypt(legal_case, organisation_id)


def on_case_transferred(sender, *, case, stub, from_organisation_id, to_organisation, actor, **kwargs):
    moving_incidents, moving_cases = plan(case)
    for legal_case in LegalCase.objects.filter(pk__in=moving_cases):
        _move_legal_case(legal_case, to_organisation.pk, actor)
    for incident in Incident.objects.filter(pk__in=moving_incidents):
        move_incident(incident, to_organisation.pk)
    for incident in Incident.objects.filter(case_links__case=case).exclude(pk__in=moving_incidents):
        relink(incident, case, stub)
    staying = list(LegalCase.objects.filter(victim_links__case=case).exclude(pk__in=moving_cases))
    LegalCaseVictim.objects.filter(legal_case__in=staying, case=case).update(case=stub)
    # The records naming the child stay with those legal cases, so they name the stub too: the moved
    # case belongs to the other organisation now.
    for model in (Accompaniment, ProtectionRequest):
        model.objects.filter(legal_case__in=staying, victim=case).update(victim=stub)
    if moving_incidents or moving_cases or staying:
        audit.record("legal.transfer.followed", actor=actor, obj=case, organisation=from_organisation_id, payload={
            "to_organisation_id": to_organisation.pk, "stub_case_id": str(stub.pk),
            "incidents_moved": sorted(str(pk) for pk in moving_incidents),
            "legal_cases_moved": sorted(str(pk) for pk in moving_cases),
            "legal_cases_relinked": sorted(str(lc.pk) for lc in staying)})
