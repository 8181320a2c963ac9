"""The case workflow: registered → assessment → case plan → services ⇄ follow-up → closed, re-open.

Moves that depend on a supervisor's decision happen only through the approval:
- an approved initial assessment moves the case from "assessment" to "case plan";
- an approved case plan moves it from "case plan" to "services";
- an approved closure request (which needs a closure assessment) closes it.
The only moves a worker makes directly are in `MANUAL_TRANSITIONS`. Anything else is refused
with a message saying what to do instead.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.audit import services as audit
from lindungi.cases.models import (
    ActionStatus,
    Approval,
    Assessment,
    Case,
    CasePlan,
    CasePlanAction,
    CasePlanGoal,
    ClosureReason,
    Domain,
    ReviewStatus,
    Status,
)
from lindungi.cases.services.common import (
    event,
    lock,
    not_in_future,
    require_case,
    require_open,
    required_text,
    today,
)
from lindungi.core import policy
from lindungi.core.errors import Conflict, DomainError, validate

MANUAL_TRANSITIONS: dict[str, set[str]] = {
    Status.REGISTERED: {Status.ASSESSMENT},
    Status.SERVICES: {Status.FOLLOW_UP},
    Status.FOLLOW_UP: {Status.SERVICES},
}
EDITABLE = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
SCORE_RANGE = range(0, 4)  # 0 no concern, 1 low, 2 medium, 3 severe


def _why_not(case: Case, to: str):
    if case.status == Status.CLOSED:
        return _("The case is closed. Re-open it first.")
    if to == Status.CASE_PLAN:
        return _("A case moves to the case plan when a supervisor approves its assessment.")
    if to == Status.SERVICES and case.status in (Status.REGISTERED, Status.ASSESSMENT, Status.CASE_PLAN):
        return _("A case moves to services when a supervisor approves its case plan.")
    if to == Status.CLOSED:
        return _("Request the closure; the case closes when a supervisor approves it.")
    if to == Status.ASSESSMENT:
        return _("Only a newly registered case moves to assessment.")
    if to == Status.REGISTERED:
        return _("A case cannot go back to registered.")
    return None


def _move(case: Case, to: str, actor, **data) -> None:
    previous = case.status
    case.status, case.status_changed_on = to, today()
    case.save(update_fields=["status", "status_changed_on", "updated_at"])
    event(case, "status_changed", actor, previous=previous, status=to, **data)
    audit.record("cases.case.status_changed", actor=actor, obj=case, payload={"from": previous, "to": to, **data})


def case_transition(*, actor, case: Case, to: str) -> Case:
    require_case(actor, "cases.case.edit", case)
    if to not in Status.values:
        raise DomainError(_("Unknown status."), fields={"status": [str(_("Unknown status."))]})
    with transaction.atomic():
        case = lock(case)
        if to not in MANUAL_TRANSITIONS.get(case.status, set()):
            reason = _why_not(case, to)
            message = _("A case in status “%(current)s” cannot move to “%(target)s”.") % {
                "current": case.get_status_display(), "target": Status(to).label}
            raise Conflict(f"{message} {reason}" if reason else message, code="invalid_transition")
        _move(case, to, actor)
    return case


# --- assessment ---------------------------------------------------------------------------------


def _clean_scores(scores: dict) -> dict:
    errors = {}
    clean = {}
    for domain in Domain.values:
        value = (scores or {}).get(domain)
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value not in SCORE_RANGE:
            errors[f"score_{domain}"] = [str(_("Give a score from 0 to 3."))]
        else:
            clean[domain] = value
    unknown = set(scores or {}) - set(Domain.values)
    if unknown:
        errors["scores"] = [str(_("Unknown domain."))]
    if errors:
        raise DomainError(_("Give a score from 0 to 3 for every domain."), fields=errors)
    return clean


def _clean_needs(needs: dict) -> dict:
    unknown = set(needs or {}) - set(Domain.values)
    if unknown:
        raise DomainError(_("Unknown domain."), fields={"needs": [str(_("Unknown domain."))]})
    return {domain: text.strip() for domain, text in (needs or {}).items() if text and text.strip()}


def assessment_save(*, actor, case: Case, assessment: Assessment | None = None, kind: str = Assessment.Kind.INITIAL,
                    assessed_on=None, scores: dict, needs: dict | None = None, summary: str = "") -> Assessment:
    """Create or change a draft (or returned) assessment. Starting the first assessment moves a
    registered case to "assessment"."""
    require_case(actor, "cases.case.edit", case)
    if kind not in Assessment.Kind.values:
        raise DomainError(_("Unknown kind of assessment."), fields={"kind": [str(_("Unknown kind of assessment."))]})
    assessed_on = assessed_on or today()
    not_in_future(assessed_on, "assessed_on")
    clean_scores, clean_needs = _clean_scores(scores), _clean_needs(needs)
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        if assessed_on < case.registered_on:
            message = _("The assessment date is before the registration date.")
            raise DomainError(message, fields={"assessed_on": [str(message)]})
        if assessment is None:
            assessment = Assessment(organisation_id=case.organisation_id, case=case, created_by=actor)
            created = True
        else:
            if assessment.case_id != case.pk:
                raise policy.OutOfScope("cases.case.edit", Assessment, {"pk": assessment.pk})
            assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
            if assessment.status not in EDITABLE:
                raise Conflict(_("This assessment is awaiting approval or approved; it can no longer be changed."),
                               code="not_editable")
            created = False
        assessment.kind, assessment.assessed_on = kind, assessed_on
        assessment.scores, assessment.needs, assessment.summary = clean_scores, clean_needs, summary or ""
        validate(assessment)
        assessment.save()
        if case.status == Status.REGISTERED:
            _move(case, Status.ASSESSMENT, actor)
        event(case, "assessment_saved", actor, assessment_id=str(assessment.pk), kind=kind, created=created)
        audit.record("cases.assessment.saved", actor=actor, obj=assessment,
                     payload={"case_id": str(case.pk), "kind": kind, "created": created})
    return assessment


def _request_approval(case: Case, actor, kind: str, **fields) -> Approval:
    approval = Approval(organisation_id=case.organisation_id, case=case, kind=kind, requested_by=actor, **fields)
    try:
        with transaction.atomic():
            approval.save()
    except IntegrityError:
        raise Conflict(_("A request of this kind is already awaiting the supervisor."), code="already_pending") from None
    return approval


def assessment_submit(*, actor, case: Case, assessment: Assessment) -> Approval:
    require_case(actor, "cases.case.edit", case)
    if assessment.case_id != case.pk:
        raise policy.OutOfScope("cases.case.edit", Assessment, {"pk": assessment.pk})
    if assessment.kind == Assessment.Kind.CLOSURE:
        raise Conflict(_("A closure assessment is submitted with the closure request."), code="closure_assessment")
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if assessment.status not in EDITABLE:
            raise Conflict(_("This assessment is already awaiting approval or approved."), code="not_editable")
        assessment.status = ReviewStatus.SUBMITTED
        assessment.save(update_fields=["status", "updated_at"])
        approval = _request_approval(case, actor, Approval.Kind.ASSESSMENT, assessment=assessment)
        event(case, "approval_requested", actor, kind=Approval.Kind.ASSESSMENT, approval_id=str(approval.pk))
        audit.record("cases.assessment.submitted", actor=actor, obj=assessment,
                     payload={"case_id": str(case.pk), "approval_id": str(approval.pk)})
    return approval


# --- case plan ----------------------------------------------------------------------------------


def _clean_goals(goals: list[dict]) -> list[dict]:
    clean = []
    for g_index, goal in enumerate(goals or []):
        description = (goal.get("description") or "").strip()
        actions = []
        for a_index, action in enumerate(goal.get("actions") or []):
            text = (action.get("description") or "").strip()
            if not text:
                continue
            responsible = (action.get("responsible") or "").strip()
            status = action.get("status") or ActionStatus.PLANNED
            field = f"goals.{g_index}.actions.{a_index}"
            if not responsible:
                raise DomainError(_("Say who is responsible for each action."),
                                  fields={f"{field}.responsible": [str(_("Say who is responsible for each action."))]})
            if status not in ActionStatus.values:
                raise DomainError(_("Unknown action status."), fields={f"{field}.status": [str(_("Unknown action status."))]})
            actions.append({"description": text, "responsible": responsible, "due_on": action.get("due_on") or None,
                            "status": status})
        if not description:
            if actions:
                raise DomainError(_("Describe each goal."), fields={f"goals.{g_index}.description": [str(_("Describe each goal."))]})
            continue
        if goal.get("domain") not in Domain.values:
            raise DomainError(_("Choose the domain of each goal."),
                              fields={f"goals.{g_index}.domain": [str(_("Choose the domain of each goal."))]})
        clean.append({"domain": goal["domain"], "description": description, "actions": actions})
    return clean


def plan_save(*, actor, case: Case, plan: CasePlan | None = None, summary: str = "", goals: list[dict]) -> CasePlan:
    """Create or replace the goals and actions of a draft (or returned) case plan. A plan needs an
    approved assessment first."""
    require_case(actor, "cases.case.edit", case)
    clean = _clean_goals(goals)
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        if case.status in (Status.REGISTERED, Status.ASSESSMENT):
            raise Conflict(_("Write the case plan after a supervisor has approved the assessment."),
                           code="assessment_not_approved")
        if plan is None:
            plan = CasePlan(organisation_id=case.organisation_id, case=case, created_by=actor)
            created = True
        else:
            if plan.case_id != case.pk:
                raise policy.OutOfScope("cases.case.edit", CasePlan, {"pk": plan.pk})
            plan = CasePlan.objects.select_for_update().get(pk=plan.pk)
            if plan.status not in EDITABLE:
                raise Conflict(_("This case plan is awaiting approval or approved; write a new version instead."),
                               code="not_editable")
            created = False
        plan.summary = summary or ""
        validate(plan)
        plan.save()
        plan.goals.all().delete()
        for position, goal_data in enumerate(clean):
            goal = CasePlanGoal(organisation_id=case.organisation_id, plan=plan, domain=goal_data["domain"],
                                description=goal_data["description"], position=position)
            validate(goal)
            goal.save()
            for action_data in goal_data["actions"]:
                action = CasePlanAction(organisation_id=case.organisation_id, goal=goal, **action_data)
                validate(action)
                action.save()
        event(case, "plan_saved", actor, plan_id=str(plan.pk), goals=len(clean), created=created)
        audit.record("cases.plan.saved", actor=actor, obj=plan,
                     payload={"case_id": str(case.pk), "goals": len(clean), "created": created})
    return plan


def plan_submit(*, actor, case: Case, plan: CasePlan) -> Approval:
    require_case(actor, "cases.case.edit", case)
    if plan.case_id != case.pk:
        raise policy.OutOfScope("cases.case.edit", CasePlan, {"pk": plan.pk})
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        plan = CasePlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status not in EDITABLE:
            raise Conflict(_("This case plan is already awaiting approval or approved."), code="not_editable")
        if not CasePlanAction.objects.filter(goal__plan=plan).exists():
            raise DomainError(_("A case plan needs at least one goal with one action."), code="empty_plan")
        plan.status = ReviewStatus.SUBMITTED
        plan.save(update_fields=["status", "updated_at"])
        approval = _request_approval(case, actor, Approval.Kind.CASE_PLAN, plan=plan)
        event(case, "approval_requested", actor, kind=Approval.Kind.CASE_PLAN, approval_id=str(approval.pk))
        audit.record("cases.plan.submitted", actor=actor, obj=plan,
                     payload={"case_id": str(case.pk), "approval_id": str(approval.pk)})
    return approval


def plan_action_update(*, actor, case: Case, action: CasePlanAction, status: str) -> CasePlanAction:
    require_case(actor, "cases.case.edit", case)
    if action.goal.plan.case_id != case.pk:
        raise policy.OutOfScope("cases.case.edit", CasePlanAction, {"pk": action.pk})
    if status not in ActionStatus.values:
        raise DomainError(_("Unknown action status."), fields={"status": [str(_("Unknown action status."))]})
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        action = CasePlanAction.objects.select_for_update().get(pk=action.pk)
        if action.status == status:
            return action
        previous = action.status
        action.status = status
        action.save(update_fields=["status"])
        event(case, "plan_action_updated", actor, action_id=str(action.pk), previous=previous, status=status)
        audit.record("cases.plan_action.updated", actor=actor, obj=action,
                     payload={"case_id": str(case.pk), "from": previous, "to": status})
    return action


# --- closure and re-opening ---------------------------------------------------------------------


def closure_request(*, actor, case: Case, reason: str, notes: str = "") -> Approval:
    """Ask the supervisor to close the case. Needs a closure assessment (draft or better): it is
    submitted with the request and approved or returned with it."""
    require_case(actor, "cases.case.edit", case)
    if reason not in ClosureReason.values:
        raise DomainError(_("Choose the reason for closing."), fields={"reason": [str(_("Choose the reason for closing."))]})
    if reason == ClosureReason.TRANSFERRED:
        message = _("A case is closed as transferred only by a completed transfer.")
        raise DomainError(message, fields={"reason": [str(message)]})
    if reason == ClosureReason.OTHER:
        required_text(notes, "notes", _("Explain the reason for closing."))
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        closure_assessment = (Assessment.objects.select_for_update()
                              .filter(case=case, kind=Assessment.Kind.CLOSURE, status__in=EDITABLE)
                              .order_by("-assessed_on", "-created_at").first())
        if closure_assessment is None:
            raise Conflict(_("Write a closure assessment before requesting the closure."),
                           code="closure_assessment_required")
        closure_assessment.status = ReviewStatus.SUBMITTED
        closure_assessment.save(update_fields=["status", "updated_at"])
        approval = _request_approval(case, actor, Approval.Kind.CLOSURE, assessment=closure_assessment,
                                     closure_reason=reason, closure_notes=notes or "")
        event(case, "approval_requested", actor, kind=Approval.Kind.CLOSURE, approval_id=str(approval.pk),
              reason=reason)
        audit.record("cases.case.closure_requested", actor=actor, obj=case,
                     payload={"approval_id": str(approval.pk), "reason": reason})
    return approval


def approval_decide(*, actor, approval: Approval, approve: bool, comments: str = "") -> Approval:
    """The supervisor approves, or returns with comments, an assessment, a case plan or a closure."""
    policy.require(actor, "cases.case.approve")
    policy.require_object(actor, "cases.case.approve", approval.case)
    if not approve:
        comments = required_text(comments, "comments", _("Say what needs to change."))
    with transaction.atomic():
        case = lock(approval.case)
        approval = Approval.objects.select_for_update().get(pk=approval.pk)
        if approval.status != ReviewStatus.SUBMITTED:
            raise Conflict(_("This request was already decided."), code="already_decided")
        if approval.kind == Approval.Kind.CLOSURE:
            require_open(case)
        decision = ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED
        approval.status, approval.decided_by, approval.decided_at = decision, actor, timezone.now()
        approval.comments = comments or ""
        approval.save(update_fields=["status", "decided_by", "decided_at", "comments"])
        for target in (approval.assessment, approval.plan):
            if target is not None:
                target.status = decision
                target.save(update_fields=["status", "updated_at"])
        event(case, "approval_decided", actor, note=comments or "", kind=approval.kind, decision=decision,
              approval_id=str(approval.pk))
        audit.record(f"cases.approval.{decision}", actor=actor, obj=approval,
                     payload={"case_id": str(case.pk), "kind": approval.kind})
        if approve:
            if (approval.kind == Approval.Kind.ASSESSMENT and case.status == Status.ASSESSMENT
                    and approval.assessment.kind == Assessment.Kind.INITIAL):
                _move(case, Status.CASE_PLAN, actor)
            elif approval.kind == Approval.Kind.CASE_PLAN and case.status == Status.CASE_PLAN:
                _move(case, Status.SERVICES, actor)
            elif approval.kind == Approval.Kind.CLOSURE:
                _close(case, actor, approval.closure_reason)
    return approval


def _close(case: Case, actor, reason: str) -> None:
    case.closure_reason, case.closed_on, case.next_follow_up_on = reason, today(), None
    case.save(update_fields=["closure_reason", "closed_on", "next_follow_up_on", "updated_at"])
    _move(case, Status.CLOSED, actor, reason=reason)
    # Requests still waiting for the supervisor make no sense on a closed case.
    Approval.objects.filter(case=case, status=ReviewStatus.SUBMITTED).exclude(kind=Approval.Kind.CLOSURE).update(
        status=ReviewStatus.RETURNED, decided_by=actor, decided_at=timezone.now())


def case_reopen(*, actor, case: Case, reason: str) -> Case:
    require_case(actor, "cases.case.reopen", case)
    reason = required_text(reason, "reason", _("Give the reason for re-opening the case."))
    with transaction.atomic():
        case = lock(case)
        if case.status != Status.CLOSED:
            raise Conflict(_("Only a closed case can be re-opened."), code="invalid_transition")
        if case.closure_reason == ClosureReason.TRANSFERRED:
            raise Conflict(_("This case was transferred; the receiving organisation continues it."),
                           code="transferred")
        previous_reason, previous = case.closure_reason, case.status
        case.closure_reason, case.closed_on = "", None
        case.reopened_count += 1
        case.status, case.status_changed_on = Status.ASSESSMENT, today()
        case.save(update_fields=["closure_reason", "closed_on", "reopened_count", "status", "status_changed_on",
                                 "updated_at"])
        event(case, "reopened", actor, note=reason, previous_reason=previous_reason)
        audit.record("cases.case.reopened", actor=actor, obj=case,
                     payload={"from": previous, "to": Status.ASSESSMENT, "previous_reason": previous_reason})
    return case
