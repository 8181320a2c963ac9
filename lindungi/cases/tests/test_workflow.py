import pytest

from lindungi.audit.models import AuditEvent
from lindungi.cases import services
from lindungi.cases.models import Approval, Assessment, Case, Status
from lindungi.cases.services.workflow import MANUAL_TRANSITIONS
from lindungi.cases.testing import SCORES, register, to_services
from lindungi.core.errors import Conflict, DomainError
from lindungi.core.policy import OutOfScope, PolicyDenied

pytestmark = pytest.mark.django_db

INVALID = [(current, target) for current in Status.values for target in Status.values
           if target not in MANUAL_TRANSITIONS.get(current, set())]


@pytest.mark.parametrize(("current", "target"), INVALID)
def test_each_invalid_transition_is_refused_with_a_clear_message(w, case_a, current, target, english):
    Case.objects.filter(pk=case_a.pk).update(status=current, closure_reason="goals_met" if current == "closed" else "")
    case_a.refresh_from_db()
    with pytest.raises(Conflict) as error:
        services.case_transition(actor=w.caseworker_a, case=case_a, to=target)
    assert error.value.code == "invalid_transition"
    assert "cannot move" in str(error.value.message)
    case_a.refresh_from_db()
    assert case_a.status == current


@pytest.mark.parametrize(("current", "target"), [(c, t) for c, targets in MANUAL_TRANSITIONS.items() for t in targets])
def test_each_manual_transition_is_allowed_and_recorded(w, case_a, current, target):
    Case.objects.filter(pk=case_a.pk).update(status=current)
    case_a.refresh_from_db()
    services.case_transition(actor=w.caseworker_a, case=case_a, to=target)
    case_a.refresh_from_db()
    assert case_a.status == target
    assert AuditEvent.objects.filter(action="cases.case.status_changed", object_id=str(case_a.pk)).exists()


def test_the_invalid_message_says_what_to_do(w, case_a, english):
    services.case_transition(actor=w.caseworker_a, case=case_a, to="assessment")
    with pytest.raises(Conflict) as error:
        services.case_transition(actor=w.caseworker_a, case=case_a, to="case_plan")
    assert "approves its assessment" in str(error.value.message)


def test_the_workflow_runs_through_supervisor_approvals(w, case_a):
    assessment = services.assessment_save(actor=w.caseworker_a, case=case_a, scores=SCORES,
                                          needs={"safety": "Perlu rumah aman"})
    case_a.refresh_from_db()
    assert case_a.status == Status.ASSESSMENT
    approval = services.assessment_submit(actor=w.caseworker_a, case=case_a, assessment=assessment)
    with pytest.raises(PolicyDenied):
        services.approval_decide(actor=w.caseworker_a, approval=approval, approve=True)
    with pytest.raises(OutOfScope):
        services.approval_decide(actor=w.supervisor_b, approval=approval, approve=True)
    with pytest.raises(DomainError):
        services.approval_decide(actor=w.supervisor_a, approval=approval, approve=False, comments="")
    services.approval_decide(actor=w.supervisor_a, approval=approval, approve=False, comments="Lengkapi ranah hukum")
    assessment.refresh_from_db()
    assert assessment.status == "returned"
    services.assessment_save(actor=w.caseworker_a, case=case_a, assessment=assessment, scores=SCORES,
                             needs={"legal": "Pendampingan BAP"})
    approval = services.assessment_submit(actor=w.caseworker_a, case=case_a, assessment=assessment)
    services.approval_decide(actor=w.supervisor_a, approval=approval, approve=True)
    case_a.refresh_from_db()
    assert case_a.status == Status.CASE_PLAN
    with pytest.raises(DomainError):
        services.plan_submit(actor=w.caseworker_a, case=case_a,
                             plan=services.plan_save(actor=w.caseworker_a, case=case_a, goals=[]))
    plan = services.plan_save(actor=w.caseworker_a, case=case_a, summary="Rencana", goals=[
        {"domain": "legal", "description": "Proses hukum berjalan", "actions": [
            {"description": "Dampingi BAP", "responsible": "Paralegal", "due_on": None}]}])
    approval = services.plan_submit(actor=w.caseworker_a, case=case_a, plan=plan)
    services.approval_decide(actor=w.supervisor_a, approval=approval, approve=True)
    case_a.refresh_from_db()
    assert case_a.status == Status.SERVICES


def test_an_approved_assessment_cannot_be_changed(w, case_a):
    case = to_services(case_a, w.caseworker_a, w.supervisor_a)
    assessment = case.assessments.get()
    with pytest.raises(Conflict):
        services.assessment_save(actor=w.caseworker_a, case=case, assessment=assessment, scores=SCORES)


def test_every_domain_needs_a_score_from_0_to_3(w, case_a):
    with pytest.raises(DomainError) as error:
        services.assessment_save(actor=w.caseworker_a, case=case_a, scores={**SCORES, "safety": 4})
    assert "score_safety" in error.value.fields
    with pytest.raises(DomainError) as error:
        services.assessment_save(actor=w.caseworker_a, case=case_a, scores={"safety": 1})
    assert "score_health" in error.value.fields
    assert not Assessment.objects.exists()


def test_a_case_plan_needs_an_approved_assessment(w, case_a):
    with pytest.raises(Conflict) as error:
        services.plan_save(actor=w.caseworker_a, case=case_a, goals=[])
    assert error.value.code == "assessment_not_approved"


def test_one_pending_request_of_a_kind_at_a_time(w, case_a):
    first = services.assessment_save(actor=w.caseworker_a, case=case_a, scores=SCORES)
    second = services.assessment_save(actor=w.caseworker_a, case=case_a, kind="review", scores=SCORES)
    services.assessment_submit(actor=w.caseworker_a, case=case_a, assessment=first)
    with pytest.raises(Conflict) as error:
        services.assessment_submit(actor=w.caseworker_a, case=case_a, assessment=second)
    assert error.value.code == "already_pending"
    second.refresh_from_db()
    assert second.status == "draft"


def test_closure_needs_a_closure_assessment_and_the_supervisors_approval(w, case_a):
    case = to_services(case_a, w.caseworker_a, w.supervisor_a)
    with pytest.raises(Conflict) as error:
        services.closure_request(actor=w.caseworker_a, case=case, reason="goals_met")
    assert error.value.code == "closure_assessment_required"
    services.assessment_save(actor=w.caseworker_a, case=case, kind="closure", scores=SCORES)
    with pytest.raises(DomainError):
        services.closure_request(actor=w.caseworker_a, case=case, reason="transferred")
    approval = services.closure_request(actor=w.caseworker_a, case=case, reason="goals_met")
    case.refresh_from_db()
    assert case.status == Status.SERVICES
    services.approval_decide(actor=w.supervisor_a, approval=approval, approve=True)
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closure_reason == "goals_met" and case.closed_on
    assert Assessment.objects.get(case=case, kind="closure").status == "approved"
    with pytest.raises(Conflict):
        services.follow_up_record(actor=w.caseworker_a, case=case, type="call")


def test_a_returned_closure_leaves_the_case_open(w, case_a):
    services.assessment_save(actor=w.caseworker_a, case=case_a, kind="closure", scores=SCORES)
    approval = services.closure_request(actor=w.caseworker_a, case=case_a, reason="other", notes="Pindah agama? tidak")
    services.approval_decide(actor=w.supervisor_a, approval=approval, approve=False, comments="Belum waktunya")
    case_a.refresh_from_db()
    assert case_a.is_open
    assert Approval.objects.get(pk=approval.pk).status == "returned"


def test_reopening_needs_a_closed_case_and_a_reason(w, case_a):
    with pytest.raises(Conflict):
        services.case_reopen(actor=w.caseworker_a, case=case_a, reason="Laporan baru")
    Case.objects.filter(pk=case_a.pk).update(status="closed", closure_reason="lost_contact")
    case_a.refresh_from_db()
    with pytest.raises(DomainError):
        services.case_reopen(actor=w.caseworker_a, case=case_a, reason="")
    services.case_reopen(actor=w.caseworker_a, case=case_a, reason="Anak kembali menghubungi")
    case_a.refresh_from_db()
    assert case_a.status == Status.ASSESSMENT and case_a.closure_reason == "" and case_a.reopened_count == 1
    assert case_a.events.get(kind="reopened").note == "Anak kembali menghubungi"


def test_plan_actions_are_tracked_on_an_approved_plan(w, case_a):
    case = to_services(case_a, w.caseworker_a, w.supervisor_a)
    action = case.plans.get().goals.get().actions.get()
    services.plan_action_update(actor=w.caseworker_a, case=case, action=action, status="done")
    action.refresh_from_db()
    assert action.status == "done"
    other = register(w.caseworker_a, full_name="Lain Kasus")
    with pytest.raises(OutOfScope):
        services.plan_action_update(actor=w.caseworker_a, case=other, action=action, status="planned")
