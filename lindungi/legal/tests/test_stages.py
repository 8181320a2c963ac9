"""Stage changes: computed from the editable stage list (order, kind), forward only; endings close
the legal case; a refused change says why and changes nothing."""

import pytest

from lindungi.audit.models import AuditEvent
from lindungi.core.errors import Conflict, DomainError
from lindungi.legal import services, stages
from lindungi.legal.models import LegalCase, StageEntry
from lindungi.legal.tests.conftest import days_ago, stage

pytestmark = pytest.mark.django_db


def move(w, code, days=50, actor=None):
    return services.legal_case_change_stage(actor=actor or w.legal_a, legal_case=w.legal_case_a, stage=stage(code),
                                            entered_on=days_ago(days))


def test_stages_move_forward_and_may_skip(lw):
    legal_case = move(lw, "investigation", 90)
    legal_case = move(lw, "dossier-complete", 60)  # no P-19 in this case
    assert legal_case.stage.code == "dossier-complete"
    assert list(legal_case.stage_entries.values_list("stage__code", flat=True)) == [
        "report", "investigation", "dossier-complete"]
    assert legal_case.reported_on == days_ago(100) and legal_case.max_order_reached == 50
    event = AuditEvent.objects.filter(action="legal.legalcase.stage_changed").latest("seq")
    assert event.payload == {"from": "investigation", "to": "dossier-complete",
                             "entered_on": days_ago(60).isoformat(), "closed": False}


def _refused(lw, code, days=40):
    before = (LegalCase.objects.get(pk=lw.legal_case_a.pk).stage_id, StageEntry.objects.count())
    with pytest.raises(Conflict) as error:
        move(lw, code, days)
    assert error.value.code == "invalid_stage_change"
    assert (LegalCase.objects.get(pk=lw.legal_case_a.pk).stage_id, StageEntry.objects.count()) == before
    return str(error.value.message)


def test_going_back_is_refused_with_the_reason(lw):
    move(lw, "trial", 60)
    message = _refused(lw, "investigation")
    assert message == ("A legal case only moves forward: “Investigation (penyidikan; SPDP, suspect named, detention)” "
                       "comes before the current stage “Trial”.")


def test_the_same_stage_again_is_refused(lw):
    assert _refused(lw, "report") == "The legal case is already at the stage “Police report (LP/STPL)”."


def test_sp3_only_while_the_police_hold_the_dossier(lw):
    move(lw, "dossier-complete", 60)
    assert _refused(lw, "sp3") == ("“Investigation stopped (SP3)” can only be recorded up to the stage “Dossier "
                                   "returned (P-18/P-19)”; this legal case is already at “Dossier complete (P-21)”.")


def test_an_ending_closes_the_legal_case_and_nothing_moves_after_it(lw):
    move(lw, "inquiry", 80)
    legal_case = move(lw, "withdrawn", 70)
    assert legal_case.is_closed and legal_case.closed_on == days_ago(70)
    assert stages.allowed_stages(legal_case) == []
    for code in ("trial", "closed", "sp3"):
        assert "is closed (Report withdrawn)" in _refused(lw, code)


def test_withdrawal_is_not_offered_once_the_trial_started(lw):
    move(lw, "trial", 60)
    codes = [s.code for s in stages.allowed_stages(LegalCase.objects.get(pk=lw.legal_case_a.pk))]
    assert "withdrawn" not in codes and "sp3" not in codes and "closed" in codes
    assert codes[0] == "verdict" and "report" not in codes


def test_allowed_stages_follow_an_edited_stage_list(lw):
    verdict = stage("verdict")
    services.reference_save(actor=lw.secretariat_admin, model=type(verdict), data={"is_active": False}, instance=verdict)
    move(lw, "trial", 60)
    codes = [s.code for s in stages.allowed_stages(LegalCase.objects.get(pk=lw.legal_case_a.pk))]
    assert "verdict" not in codes
    assert _refused(lw, "verdict") == "The stage “Verdict” is no longer in use."


@pytest.mark.parametrize("days,field", [(-1, "entered_on"), (101, "entered_on")])
def test_stage_dates_cannot_be_in_the_future_or_before_the_current_stage(lw, days, field):
    with pytest.raises(DomainError) as error:
        move(lw, "inquiry", days)
    assert field in error.value.fields
    assert LegalCase.objects.get(pk=lw.legal_case_a.pk).stage.code == "report"


def test_milestones_feed_the_plain_statistics_columns(lw):
    move(lw, "trial", 60)
    legal_case = move(lw, "verdict", 30)
    assert (legal_case.trial_on, legal_case.verdict_on, legal_case.final_on) == (days_ago(60), days_ago(30), None)


def test_the_kind_of_a_stage_in_use_cannot_change(lw):
    report = stage("report")
    with pytest.raises(Conflict):
        services.reference_save(actor=lw.secretariat_admin, model=type(report), data={"kind": "ending"}, instance=report)
    with pytest.raises(DomainError) as error:
        services.reference_save(actor=lw.secretariat_admin, model=type(report), data={"reachable_until": 10}, instance=report)
    assert "reachable_until" in error.value.fields


def test_a_caseworker_cannot_change_the_stage(lw):
    from lindungi.core.policy import PolicyDenied

    with pytest.raises(PolicyDenied):
        move(lw, "inquiry", 90, actor=lw.caseworker_a)
