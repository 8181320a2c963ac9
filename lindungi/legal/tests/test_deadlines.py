"""Filing deadlines: appeal 7 days after the first-instance verdict, cassation 14 days after the
appeal decision (editable rules), computed in a selector; edge cases of the calendar."""

import datetime

import pytest

from lindungi.legal import deadlines, selectors, services
from lindungi.legal.models import DeadlineRule, LegalCase
from lindungi.legal.tests.conftest import days_ago, stage

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.parametrize("decided,days,due", [
    (D(2026, 1, 28), 7, D(2026, 2, 4)),     # across a month end
    (D(2025, 12, 29), 7, D(2026, 1, 5)),    # across a year end
    (D(2024, 2, 25), 7, D(2024, 3, 3)),     # a leap February
    (D(2023, 2, 25), 7, D(2023, 3, 4)),     # an ordinary February
    (D(2026, 3, 20), 14, D(2026, 4, 3)),    # cassation
])
def test_the_last_day_to_file_counts_calendar_days_from_the_decision(decided, days, due):
    assert deadlines.due_date(decided, days) == due


def _verdict(w, decided, level="first_instance", defendant=None):
    defendant = defendant or w.defendant
    return services.verdict_record(actor=w.legal_a, defendant=defendant, level=level,
                                   data={"decided_on": decided, "outcome": "convicted", "prison_months": 36})


@pytest.fixture
def dw(lw):
    services.legal_case_change_stage(actor=lw.legal_a, legal_case=lw.legal_case_a, stage=stage("trial"),
                                     entered_on=days_ago(60))
    lw.defendant = services.defendant_add(actor=lw.legal_a, legal_case=lw.legal_case_a, perpetrator=lw.perpetrator_a)
    return lw


def _open(w, today, **kwargs):
    return deadlines.deadlines(LegalCase.objects.filter(pk=w.legal_case_a.pk), today=today, **kwargs)


def test_an_appeal_deadline_opens_with_the_verdict_and_is_due_seven_days_later(dw):
    _verdict(dw, days_ago(2))
    (deadline,) = _open(dw, days_ago(0))
    assert (deadline.rule_code, deadline.decided_on, deadline.due_on, deadline.days_left) == (
        "appeal", days_ago(2), days_ago(-5), 5)
    assert deadline.title == f"Appeal deadline — {dw.legal_case_a.number}"


def test_due_today_still_shows_and_the_day_after_it_is_gone(dw):
    _verdict(dw, days_ago(7))
    assert [d.days_left for d in _open(dw, days_ago(0))] == [0]
    _other = days_ago(-1)
    assert _open(dw, _other) == []
    assert [d.days_left for d in _open(dw, _other, include_missed=True)] == [-1]


def test_filing_the_appeal_closes_the_deadline_and_the_appeal_decision_opens_cassation(dw):
    _verdict(dw, days_ago(20))
    services.appeal_record(actor=dw.legal_a, defendant=dw.defendant, level="appeal", filed_by="defendant",
                           filed_on=days_ago(15))
    assert _open(dw, days_ago(0), include_missed=True) == []
    _verdict(dw, days_ago(3), level="appeal")
    (deadline,) = _open(dw, days_ago(0))
    assert (deadline.rule_code, deadline.due_on) == ("cassation", days_ago(-11))
    services.appeal_record(actor=dw.legal_a, defendant=dw.defendant, level="cassation", filed_by="prosecutor",
                           filed_on=days_ago(1))
    assert _open(dw, days_ago(0)) == []


def test_a_cassation_straight_after_an_acquittal_closes_the_appeal_deadline(dw):
    services.verdict_record(actor=dw.legal_a, defendant=dw.defendant, level="first_instance",
                            data={"decided_on": days_ago(4), "outcome": "acquitted"})
    services.appeal_record(actor=dw.legal_a, defendant=dw.defendant, level="cassation", filed_by="prosecutor",
                           filed_on=days_ago(1))
    assert _open(dw, days_ago(0)) == []


def test_a_closed_legal_case_has_no_deadline(dw):
    _verdict(dw, days_ago(2))
    services.legal_case_change_stage(actor=dw.legal_a, legal_case=dw.legal_case_a, stage=stage("closed"),
                                     entered_on=days_ago(1))
    assert _open(dw, days_ago(0)) == []


def test_the_day_counts_are_reference_data(dw):
    _verdict(dw, days_ago(9))
    assert _open(dw, days_ago(0)) == []
    rule = DeadlineRule.objects.get(code="appeal")
    services.reference_save(actor=dw.secretariat_admin, model=DeadlineRule, data={"days": 14}, instance=rule)
    (deadline,) = _open(dw, days_ago(0))
    assert deadline.due_on == days_ago(-5)
    services.reference_save(actor=dw.secretariat_admin, model=DeadlineRule, data={"is_active": False}, instance=rule)
    assert _open(dw, days_ago(0)) == []


def test_the_until_window_and_each_defendant_have_their_own_deadline(dw):
    from lindungi.incidents.testing import add_perpetrator

    second = add_perpetrator(dw.caseworker_a, dw.incident_a, name="Eko Kedua (test)", role="client")
    other = services.defendant_add(actor=dw.legal_a, legal_case=dw.legal_case_a, perpetrator=second)
    _verdict(dw, days_ago(1))
    _verdict(dw, days_ago(6), defendant=other)
    found = _open(dw, days_ago(0))
    assert [(d.defendant_id, d.days_left) for d in found] == [(other.pk, 1), (dw.defendant.pk, 6)]
    assert len(_open(dw, days_ago(0), until=days_ago(-3))) == 1


def test_calendar_and_home_show_deadlines_and_hearings_in_scope_only(dw):
    _verdict(dw, days_ago(2))
    services.hearing_save(actor=dw.legal_a, legal_case=dw.legal_case_a, data={
        "date": days_ago(-4), "time": datetime.time(9, 30), "court": "PN Uji", "agenda": "demand"})
    upcoming = selectors.upcoming(dw.legal_a)
    assert [e.title for e in upcoming["hearings"]] == [f"Hearing — {dw.legal_case_a.number}"]
    assert [e.title for e in upcoming["deadlines"]] == [f"Appeal deadline — {dw.legal_case_a.number}"]
    for user in (dw.supervisor_a, dw.caseworker_a):
        assert len(selectors.calendar_events(user, start=days_ago(0), end=days_ago(-30))) == 2
    for user in (dw.legal_b, dw.supervisor_b, dw.caseworker2_a):
        assert selectors.calendar_events(user, start=days_ago(0), end=days_ago(-30)) == []
    assert "Darto" not in " ".join(e.title + e.location for e in upcoming["hearings"] + upcoming["deadlines"])


def test_the_calendar_finds_the_legal_cases_of_its_period_by_their_hearings_and_by_each_rules_decisions(dw):
    # calendar_events first picks the legal cases of the scope with something in the period: a
    # deadline must be found without a hearing, at both edges of the period, for every rule.
    from lindungi.incidents.testing import add_perpetrator

    def defendant(name):
        return services.defendant_add(actor=dw.legal_a, legal_case=dw.legal_case_a, perpetrator=add_perpetrator(
            dw.caseworker_a, dw.incident_a, name=name, role="client"))

    start, end = days_ago(30), days_ago(10)
    _verdict(dw, days_ago(37))  # appeal deadline on the first day of the period
    cassation = defendant("Eko Kasasi (test)")
    _verdict(dw, days_ago(50), defendant=cassation)
    services.appeal_record(actor=dw.legal_a, defendant=cassation, level="appeal", filed_by="defendant",
                           filed_on=days_ago(45))
    _verdict(dw, days_ago(24), level="appeal", defendant=cassation)  # cassation deadline on its last day
    _verdict(dw, days_ago(38), defendant=defendant("Fajar Lewat (test)"))  # due the day before the period
    expected = [("appeal", dw.defendant.pk, start), ("cassation", cassation.pk, end)]
    assert [(d.rule_code, d.defendant_id, d.due_on) for d in deadlines.deadlines(
        LegalCase.objects.filter(pk=dw.legal_case_a.pk), today=start, until=end)] == expected
    for user in (dw.legal_a, dw.caseworker_a, dw.supervisor_a):
        events = selectors.calendar_events(user, start=start, end=end)
        assert [(e.kind, e.date) for e in events] == [("deadline", start), ("deadline", end)]
        assert [e.uid for e in events] == [f"deadline-{code}-{pk}@lindungi" for code, pk, _due in expected]
    for user in (dw.caseworker2_a, dw.legal_b, dw.supervisor_b):
        assert selectors.calendar_events(user, start=start, end=end) == []
    # A hearing on each edge of the period is in it; one a day later is not.
    for date in (start, end, days_ago(9)):
        services.hearing_save(actor=dw.legal_a, legal_case=dw.legal_case_a, data={
            "date": date, "time": datetime.time(9, 30), "court": "PN Uji", "agenda": "demand"})
    hearings = [e.date for e in selectors.calendar_events(dw.caseworker_a, start=start, end=end) if e.kind == "hearing"]
    assert hearings == [start, end]
    assert selectors.calendar_events(dw.caseworker2_a, start=start, end=end) == []


def test_the_home_pages_hearings_and_deadlines_take_the_same_queries_for_one_legal_case_or_several(dw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lindungi.incidents.testing import record_incident

    def queries():
        with CaptureQueriesContext(connection) as captured:
            upcoming = selectors.upcoming(dw.caseworker_a)
        return len(captured.captured_queries), len(upcoming["hearings"]), len(upcoming["deadlines"])

    def hearing(legal_case):
        services.hearing_save(actor=dw.legal_a, legal_case=legal_case, data={
            "date": days_ago(-3), "time": datetime.time(9, 30), "court": "PN Uji", "agenda": "demand"})

    _verdict(dw, days_ago(2))
    hearing(dw.legal_case_a)
    count, hearings, found = queries()
    assert (hearings, found) == (1, 1)
    for _index in range(3):
        legal_case = services.legal_case_create(
            actor=dw.supervisor_a, incidents=[record_incident(dw.caseworker_a, [dw.case_a])],
            assigned_officer=dw.legal_a, stage=stage("report"), entered_on=days_ago(50), data={})
        hearing(legal_case)
    assert queries() == (count, 4, 1)
