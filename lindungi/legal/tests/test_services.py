"""The legal services: opening, links and the officer's case-team rows, assignment, proceedings,
support, with their validation and audit events."""

import pytest

from lindungi.audit.models import AuditEvent
from lindungi.cases.models import Case, CaseTeamMember
from lindungi.core import policy
from lindungi.core.errors import Conflict, DomainError
from lindungi.core.policy import OutOfScope, PolicyDenied
from lindungi.incidents.testing import add_perpetrator, record_incident
from lindungi.legal import services
from lindungi.legal.models import DeadlineRule, Law, LawArticle, LegalCase, Stage
from lindungi.legal.tests.conftest import days_ago, stage

pytestmark = pytest.mark.django_db


def _team(case):
    return set(CaseTeamMember.objects.filter(case=case, removed_at__isnull=True, source="legal")
               .values_list("user_id", flat=True))


def _sees_case(user, case):
    return policy.scope_filter(user, "cases.case.view", Case.objects.filter(pk=case.pk)).exists()


def test_opening_a_legal_case_numbers_it_and_puts_the_officer_on_the_victims_team(lw):
    legal_case = lw.legal_case_a
    assert legal_case.number.startswith("LC-") and legal_case.stage.code == "report"
    assert list(legal_case.victims.all()) == [lw.case_a]
    assert _team(lw.case_a) == {lw.legal_a.pk}
    assert _sees_case(lw.legal_a, lw.case_a) and not _sees_case(lw.legal_b, lw.case_a)
    actions = set(AuditEvent.objects.filter(object_id=str(legal_case.pk)).values_list("action", flat=True))
    assert {"legal.legalcase.created", "legal.legalcase.case_team_changed"} <= actions
    created = AuditEvent.objects.get(action="legal.legalcase.created", object_id=str(legal_case.pk))
    assert "LP/B/77" not in str(created.payload)


def test_a_legal_officer_who_opens_a_case_is_assigned_but_cannot_assign_someone_else(lw):
    other = record_incident(lw.caseworker_a, [lw.case_a], types=["online"], setting="online")
    legal_case = services.legal_case_create(actor=lw.legal_a, incidents=[other], data={})
    assert legal_case.assigned_officer == lw.legal_a
    from lindungi.accounts.testing import make_user

    colleague = make_user(lw.org_a, "legal2_a@test.invalid", ["legal_officer"])
    with pytest.raises(DomainError) as error:
        services.legal_case_create(actor=lw.legal_a, incidents=[other], data={}, assigned_officer=colleague)
    assert error.value.code == "assign_not_allowed"
    with pytest.raises(DomainError):
        services.legal_case_create(actor=lw.supervisor_a, incidents=[other], data={}, assigned_officer=lw.caseworker_a)


def test_incidents_of_another_organisation_or_out_of_scope_cannot_be_used(lw):
    for actor in (lw.legal_b, lw.supervisor_b):
        with pytest.raises(DomainError) as error:
            services.legal_case_create(actor=actor, incidents=[lw.incident_a], data={})
        assert "incidents" in error.value.fields
    with pytest.raises(PolicyDenied):
        services.legal_case_create(actor=lw.caseworker_a, incidents=[lw.incident_a], data={})


def test_reassigning_moves_the_case_team_rows(lw):
    from lindungi.accounts.testing import make_user

    colleague = make_user(lw.org_a, "legal2_a@test.invalid", ["legal_officer"])
    services.legal_case_assign(actor=lw.supervisor_a, legal_case=lw.legal_case_a, officer=colleague)
    assert _team(lw.case_a) == {colleague.pk}
    assert not _sees_case(lw.legal_a, lw.case_a) and _sees_case(colleague, lw.case_a)
    assert not policy.in_scope(lw.legal_a, "legal.legalcase.view", lw.legal_case_a)
    services.legal_case_assign(actor=lw.supervisor_a, legal_case=lw.legal_case_a, officer=None)
    assert _team(lw.case_a) == set()
    assert CaseTeamMember.objects.filter(case=lw.case_a, source="legal").count() == 2  # history kept
    with pytest.raises(PolicyDenied):
        services.legal_case_assign(actor=lw.legal_a, legal_case=lw.legal_case_a, officer=lw.legal_a)


def test_changing_victims_follows_the_team(lw):
    from lindungi.incidents import services as incident_services

    incident_services.incident_link_case(actor=lw.supervisor_a, incident=lw.incident_a, case=lw.case2_a)
    services.legal_case_set_links(actor=lw.supervisor_a, legal_case=lw.legal_case_a, incidents=[lw.incident_a],
                                  victims=[lw.case_a, lw.case2_a])
    assert _team(lw.case2_a) == {lw.legal_a.pk}
    services.legal_case_set_links(actor=lw.supervisor_a, legal_case=lw.legal_case_a, incidents=[lw.incident_a],
                                  victims=[lw.case2_a])
    assert _team(lw.case_a) == set() and _team(lw.case2_a) == {lw.legal_a.pk}
    with pytest.raises(DomainError) as error:
        services.legal_case_set_links(actor=lw.supervisor_a, legal_case=lw.legal_case_a, incidents=[lw.incident_a],
                                      victims=[])
    assert "victims" in error.value.fields


def test_a_victim_must_be_a_case_of_the_incidents(lw):
    with pytest.raises(DomainError) as error:
        services.legal_case_set_links(actor=lw.supervisor_a, legal_case=lw.legal_case_a, incidents=[lw.incident_a],
                                      victims=[lw.case2_a])
    assert "victims" in error.value.fields


def test_an_incident_with_a_defendant_cannot_be_unlinked(lw):
    other = record_incident(lw.caseworker_a, [lw.case_a], types=["abuse"], setting="home", exchanged=[])
    services.legal_case_set_links(actor=lw.legal_a, legal_case=lw.legal_case_a, incidents=[lw.incident_a, other],
                                  victims=[lw.case_a])
    services.defendant_add(actor=lw.legal_a, legal_case=lw.legal_case_a, perpetrator=lw.perpetrator_a)
    with pytest.raises(Conflict):
        services.legal_case_set_links(actor=lw.legal_a, legal_case=lw.legal_case_a, incidents=[other],
                                      victims=[lw.case_a])


def test_suspects_come_from_the_incidents_identified_perpetrators(lw):
    unknown = add_perpetrator(lw.caseworker_a, lw.incident_a, name="", identified=False, role="client")
    with pytest.raises(DomainError):
        services.defendant_add(actor=lw.legal_a, legal_case=lw.legal_case_a, perpetrator=unknown)
    stranger_incident = record_incident(lw.caseworker_a, [lw.case_a])
    stranger = add_perpetrator(lw.caseworker_a, stranger_incident, name="Orang Lain (test)")
    with pytest.raises(DomainError):
        services.defendant_add(actor=lw.legal_a, legal_case=lw.legal_case_a, perpetrator=stranger)
    defendant = services.defendant_add(actor=lw.legal_a, legal_case=lw.legal_case_a, perpetrator=lw.perpetrator_a,
                                       data={"named_suspect_on": days_ago(50), "detained_on": days_ago(49)})
    assert defendant.detained
    with pytest.raises(Conflict):
        services.defendant_add(actor=lw.legal_a, legal_case=lw.legal_case_a, perpetrator=lw.perpetrator_a)
    with pytest.raises(DomainError) as error:
        services.defendant_update(actor=lw.legal_a, defendant=defendant, data={"detained_on": days_ago(60)})
    assert "detained_on" in error.value.fields


def test_charges_come_from_the_reference_list(lw):
    article = LawArticle.objects.get(code="uu-21-2007-2")
    charge = services.charge_add(actor=lw.legal_a, legal_case=lw.legal_case_a, article=article)
    with pytest.raises(Conflict):
        services.charge_add(actor=lw.legal_a, legal_case=lw.legal_case_a, article=article)
    services.reference_save(actor=lw.secretariat_admin, model=LawArticle, data={"is_active": False},
                            instance=LawArticle.objects.get(code="uu-44-2008-37"))
    with pytest.raises(DomainError):
        services.charge_add(actor=lw.legal_a, legal_case=lw.legal_case_a,
                            article=LawArticle.objects.get(code="uu-44-2008-37"))
    services.charge_remove(actor=lw.legal_a, charge=charge)
    assert not lw.legal_case_a.charges.exists()


@pytest.fixture
def defendant(lw):
    return services.defendant_add(actor=lw.legal_a, legal_case=lw.legal_case_a, perpetrator=lw.perpetrator_a)


def test_verdict_rules(lw, defendant):
    with pytest.raises(DomainError) as error:
        services.verdict_record(actor=lw.legal_a, defendant=defendant, level="first_instance",
                                data={"decided_on": days_ago(5), "outcome": "acquitted", "prison_months": 12})
    assert "prison_months" in error.value.fields
    with pytest.raises(Conflict) as error:
        services.verdict_record(actor=lw.legal_a, defendant=defendant, level="appeal",
                                data={"decided_on": days_ago(5), "outcome": "convicted"})
    assert error.value.code == "filing_missing"
    verdict = services.verdict_record(actor=lw.legal_a, defendant=defendant, level="first_instance", data={
        "decided_on": days_ago(10), "outcome": "convicted", "prison_months": 84, "fine": "60000000",
        "restitution_ordered": 15000000, "decision_number": "12/Pid.Sus/2026/PN Uji"})
    lw.legal_case_a.refresh_from_db()
    defendant.refresh_from_db()
    assert (defendant.final_outcome, lw.legal_case_a.convicted_count, verdict.fine) == ("convicted", 1, 60000000)
    with pytest.raises(DomainError) as error:
        services.appeal_record(actor=lw.legal_a, defendant=defendant, level="appeal", filed_by="defendant",
                               filed_on=days_ago(11))
    assert "filed_on" in error.value.fields
    services.appeal_record(actor=lw.legal_a, defendant=defendant, level="appeal", filed_by="defendant",
                           filed_on=days_ago(8))
    services.verdict_record(actor=lw.legal_a, defendant=defendant, level="appeal",
                            data={"decided_on": days_ago(2), "outcome": "acquitted"})
    lw.legal_case_a.refresh_from_db()
    defendant.refresh_from_db()
    assert (defendant.final_outcome, lw.legal_case_a.convicted_count) == ("acquitted", 0)
    events = AuditEvent.objects.filter(action="legal.verdict.recorded")
    assert events.count() == 2 and "12/Pid" not in str(list(events.values_list("payload", flat=True)))


def test_an_appeal_needs_a_decision_to_contest(lw, defendant):
    with pytest.raises(Conflict) as error:
        services.appeal_record(actor=lw.legal_a, defendant=defendant, level="appeal", filed_by="defendant",
                               filed_on=days_ago(1))
    assert error.value.code == "no_decision"


def test_hearings_are_scheduled_then_recorded(lw):
    hearing = services.hearing_save(actor=lw.legal_a, legal_case=lw.legal_case_a, data={
        "date": days_ago(-3), "court": "PN Uji", "agenda": "evidence", "accompanied_by": lw.caseworker_a})
    with pytest.raises(DomainError) as error:
        services.hearing_save(actor=lw.legal_a, legal_case=lw.legal_case_a, hearing=hearing,
                              data={"status": "held"})
    assert "date" in error.value.fields
    with pytest.raises(DomainError):
        services.hearing_save(actor=lw.legal_a, legal_case=lw.legal_case_a, data={
            "date": days_ago(1), "court": "PN Uji", "agenda": "evidence", "accompanied_by": lw.caseworker_b})
    services.hearing_save(actor=lw.legal_a, legal_case=lw.legal_case_a, hearing=hearing,
                          data={"date": days_ago(0), "status": "held", "outcome": "Saksi diperiksa."})
    hearing.refresh_from_db()
    assert hearing.status == "held" and hearing.outcome == "Saksi diperiksa."


def test_a_closed_legal_case_takes_no_new_proceedings_but_still_support(lw, defendant):
    services.legal_case_change_stage(actor=lw.legal_a, legal_case=lw.legal_case_a, stage=stage("closed"),
                                     entered_on=days_ago(1))
    with pytest.raises(Conflict):
        services.hearing_save(actor=lw.legal_a, legal_case=lw.legal_case_a, data={
            "date": days_ago(-3), "court": "PN Uji", "agenda": "evidence"})
    with pytest.raises(Conflict):
        services.charge_add(actor=lw.legal_a, legal_case=lw.legal_case_a,
                            article=LawArticle.objects.get(code="uu-21-2007-2"))
    services.accompaniment_record(actor=lw.legal_a, legal_case=lw.legal_case_a,
                                  data={"date": days_ago(0), "type": "home_visit"})


def test_accompaniment_log(lw):
    record = services.accompaniment_record(actor=lw.legal_a, legal_case=lw.legal_case_a, data={
        "date": days_ago(3), "type": "forensic", "victim": lw.case_a, "duration_minutes": "90",
        "others_present": "Ibu (test)", "notes": "Visum di RS Bhayangkara (test)."})
    assert (record.done_by, record.duration_minutes) == (lw.legal_a, 90)
    for bad, field in (({"duration_minutes": 0}, "duration_minutes"), ({"victim": lw.case2_a}, "victim"),
                       ({"date": days_ago(-1)}, "date"), ({"type": "party"}, "type"),
                       ({"done_by": lw.caseworker_b}, "done_by")):
        with pytest.raises(DomainError) as error:
            services.accompaniment_record(actor=lw.legal_a, legal_case=lw.legal_case_a,
                                          data={"date": days_ago(3), "type": "forensic", **bad})
        assert field in error.value.fields
    event = AuditEvent.objects.get(action="legal.accompaniment.recorded")
    assert "Visum" not in str(event.payload) and "Ibu" not in str(event.payload)


def test_restitution_track_and_totals(lw, defendant):
    item = services.restitution_save(actor=lw.legal_a, legal_case=lw.legal_case_a, data={
        "route": "investigator_prosecutor", "defendant": defendant, "claimed_amount": 30_000_000,
        "claimed_on": days_ago(40)})
    for bad, field in (({"paid_amount": 1000, "paid_on": days_ago(1)}, "paid_amount"),
                       ({"ordered_amount": 20_000_000}, "ordered_on"),
                       ({"ordered_amount": 20_000_000, "ordered_on": days_ago(50)}, "ordered_on"),
                       ({"ordered_amount": 20_000_000, "ordered_on": days_ago(10), "paid_amount": 25_000_000,
                         "paid_on": days_ago(1)}, "paid_amount"),
                       ({"claimed_amount": -5}, "claimed_amount")):
        with pytest.raises(DomainError) as error:
            services.restitution_save(actor=lw.legal_a, legal_case=lw.legal_case_a, restitution=item, data=bad)
        assert field in error.value.fields, bad
    services.restitution_save(actor=lw.legal_a, legal_case=lw.legal_case_a, restitution=item, data={
        "ordered_amount": 20_000_000, "ordered_on": days_ago(10), "paid_amount": 5_000_000, "paid_on": days_ago(1)})
    lw.legal_case_a.refresh_from_db()
    assert (lw.legal_case_a.restitution_claimed_total, lw.legal_case_a.restitution_ordered_total,
            lw.legal_case_a.restitution_paid_total) == (30_000_000, 20_000_000, 5_000_000)
    item.refresh_from_db()
    assert item.status_label == "Partly paid"


def test_lpsk_protection_requests(lw):
    request = services.protection_save(actor=lw.legal_a, legal_case=lw.legal_case_a, data={
        "victim": lw.case_a, "submitted_on": days_ago(20), "protections": ["safe_house", "procedural"]})
    with pytest.raises(DomainError) as error:
        services.protection_save(actor=lw.legal_a, legal_case=lw.legal_case_a, request=request,
                                 data={"status": "accepted"})
    assert "decided_on" in error.value.fields
    with pytest.raises(DomainError):
        services.protection_save(actor=lw.legal_a, legal_case=lw.legal_case_a, request=request,
                                 data={"status": "accepted", "decided_on": days_ago(30)})
    services.protection_save(actor=lw.legal_a, legal_case=lw.legal_case_a, request=request,
                             data={"status": "partially_accepted", "decided_on": days_ago(5)})
    request.refresh_from_db()
    assert request.get_status_display() == "Partly accepted"
    with pytest.raises(DomainError) as error:
        services.protection_save(actor=lw.legal_a, legal_case=lw.legal_case_a,
                                 data={"submitted_on": days_ago(2), "protections": []})
    assert "protections" in error.value.fields


def test_others_cannot_write_to_legal_case_a(lw):
    with pytest.raises(OutOfScope):
        services.legal_case_update(actor=lw.legal_b, legal_case=lw.legal_case_a, data={"court": "x"})
    with pytest.raises(OutOfScope):
        services.hearing_save(actor=lw.supervisor_b, legal_case=lw.legal_case_a, data={})
    with pytest.raises(PolicyDenied):
        services.accompaniment_record(actor=lw.caseworker_a, legal_case=lw.legal_case_a, data={})
    assert LegalCase.objects.get(pk=lw.legal_case_a.pk).court == "PN Uji"


def _reference_rows():
    return [list(model.objects.order_by("code").values()) for model in (Stage, Law, LawArticle, DeadlineRule)]


def test_the_secretariat_manages_the_network_legal_reference_lists(lw):
    law = services.reference_save(actor=lw.secretariat_admin, model=Law, data={
        "code": "uu-uji", "short_name": "UU Uji", "label_id": "UU Uji", "label_en": "Test law"})
    event = AuditEvent.objects.get(action="legal.reference.saved", object_id=str(law.pk))
    assert event.actor_id == lw.secretariat_admin.pk and event.organisation_id == lw.org_s.pk


@pytest.mark.parametrize("persona", ["admin_a", "supervisor_a", "admin_b", "supervisor_b"])
def test_member_organisations_cannot_change_the_network_legal_reference_lists(lw, persona):
    """Laws and articles, stages and deadlines are shared by the whole network: a member
    organisation's administrator or supervisor may neither change an item for everyone nor add one."""
    actor = getattr(lw, persona)
    before = _reference_rows()
    events = AuditEvent.objects.count()
    with pytest.raises(PolicyDenied):
        services.reference_save(actor=actor, model=LawArticle, data={"is_active": False},
                                instance=LawArticle.objects.get(code="uu-44-2008-37"))
    with pytest.raises(PolicyDenied):
        services.reference_save(actor=actor, model=DeadlineRule, data={"days": 30},
                                instance=DeadlineRule.objects.get(code="appeal"))
    with pytest.raises(PolicyDenied):
        services.reference_save(actor=actor, model=Stage, data={"label_en": "Renamed"}, instance=stage("report"))
    with pytest.raises(PolicyDenied):
        services.reference_save(actor=actor, model=Law, data={
            "code": "uu-uji", "short_name": "UU Uji", "label_id": "UU Uji", "label_en": "Test law"})
    assert _reference_rows() == before
    assert AuditEvent.objects.count() == events  # nothing saved (a refusal is audited by the page or API)
