"""Helpers shared by the legal services: permission checks, locking, the child cases' team rows
of the assigned legal officer, and the plain outcome columns that statistics read."""

from __future__ import annotations

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.audit import services as audit
from lindungi.cases.models import CaseTeamMember
from lindungi.core import policy
from lindungi.core.errors import Conflict
from lindungi.legal.models import Defendant, LegalCase, Restitution, VerdictOutcome

VIEW = "legal.legalcase.view"
EDIT = "legal.legalcase.edit"
CREATE = "legal.legalcase.create"
ASSIGN = "legal.legalcase.assign"
REFERENCE = "legal.reference.manage"
CALENDAR = "legal.calendar.view"

TEAM_ROLE = "legal_officer"


def require_legal_case(actor, action: str, legal_case: LegalCase) -> None:
    """Action-level (403), then object-level (404): both audited when denied."""
    policy.require(actor, action)
    policy.require_object(actor, action, legal_case)


def lock(legal_case: LegalCase) -> LegalCase:
    """The legal case row, locked until the end of the transaction: two people recording a stage
    or a verdict at the same moment are serialised, and the second sees the first's result."""
    return LegalCase.objects.select_related("stage").select_for_update(of=("self",)).get(pk=legal_case.pk)


def require_open(legal_case: LegalCase) -> None:
    if legal_case.is_closed:
        raise Conflict(_("Legal case %(number)s is closed (%(stage)s).") % {
            "number": legal_case.number, "stage": legal_case.stage.label}, code="legal_case_closed")


def legal_team_rows(legal_case: LegalCase):
    """The active team members a legal case put on its victims' cases (case_team_legal_case_idx)."""
    return CaseTeamMember.objects.filter(source=CaseTeamMember.Source.LEGAL, legal_case_id=str(legal_case.pk),
                                         removed_at__isnull=True)


def sync_team(actor, legal_case: LegalCase) -> dict:
    """Keep the assigned legal officer on the team of every victim's child case (so the cases'
    ASSIGNED scope lets them see those cases), and take them off when they are no longer
    assigned or the child is no longer a victim here. Rows are marked removed, never deleted."""
    wanted = set()
    if legal_case.assigned_officer_id:
        wanted = {(case_id, legal_case.assigned_officer_id)
                  for case_id in legal_case.victim_links.values_list("case_id", flat=True)}
    current = {(row.case_id, row.user_id): row for row in legal_team_rows(legal_case)}
    removed = [row for key, row in current.items() if key not in wanted]
    added = [key for key in wanted if key not in current]
    now = timezone.now()
    for row in removed:
        row.removed_at = now
        row.save(update_fields=["removed_at"])
    CaseTeamMember.objects.bulk_create([
        CaseTeamMember(case_id=case_id, user_id=user_id, role=TEAM_ROLE, source=CaseTeamMember.Source.LEGAL,
                       legal_case_id=str(legal_case.pk), added_at=now)
        for case_id, user_id in sorted(added, key=str)])
    change = {"added": sorted(str(case_id) for case_id, _user in added),
              "removed": sorted(str(row.case_id) for row in removed)}
    if added or removed:
        audit.record("legal.legalcase.case_team_changed", actor=actor, obj=legal_case, payload={
            "officer_id": legal_case.assigned_officer_id, "cases_added": change["added"],
            "cases_removed": change["removed"], "removed_user_ids": sorted({row.user_id for row in removed})})
    return change


def refresh_outcomes(legal_case: LegalCase) -> None:
    """Recompute the plain outcome columns (convictions, restitution totals) from the records."""
    totals = Restitution.objects.filter(legal_case=legal_case).aggregate(
        claimed=Sum("claimed_amount"), ordered=Sum("ordered_amount"), paid=Sum("paid_amount"))
    values = {
        "convicted_count": Defendant.objects.filter(legal_case=legal_case,
                                                    final_outcome=VerdictOutcome.CONVICTED).count(),
        "restitution_claimed_total": totals["claimed"] or 0,
        "restitution_ordered_total": totals["ordered"] or 0,
        "restitution_paid_total": totals["paid"] or 0,
    }
    changed = [name for name, value in values.items() if getattr(legal_case, name) != value]
    for name in changed:
        setattr(legal_case, name, values[name])
    if changed:
        legal_case.save(update_fields=[*changed, "updated_at"])
