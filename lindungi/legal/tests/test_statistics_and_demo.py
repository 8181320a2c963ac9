"""Statistics selectors over plain columns, and the demo data (every stage represented)."""

import pytest

from lindungi.core.demo import DemoContext
from lindungi.incidents.models import Incident
from lindungi.incidents.testing import register_case
from lindungi.legal import selectors, services
from lindungi.legal.models import LegalCase, Stage
from lindungi.legal.tests.conftest import days_ago, stage

pytestmark = pytest.mark.django_db


def test_legal_outcomes_are_counted_from_plain_columns(lw):
    other = services.legal_case_create(actor=lw.supervisor_a, incidents=[lw.incident_a], data={},
                                       stage=stage("investigation"))
    services.legal_case_change_stage(actor=lw.legal_a, legal_case=lw.legal_case_a, stage=stage("trial"),
                                     entered_on=days_ago(30))
    defendant = services.defendant_add(actor=lw.legal_a, legal_case=lw.legal_case_a, perpetrator=lw.perpetrator_a)
    services.verdict_record(actor=lw.legal_a, defendant=defendant, level="first_instance",
                            data={"decided_on": days_ago(3), "outcome": "convicted", "prison_months": 12})
    item = services.restitution_save(actor=lw.legal_a, legal_case=lw.legal_case_a, data={
        "route": "lpsk", "claimed_amount": 9_000_000, "claimed_on": days_ago(20), "ordered_amount": 6_000_000,
        "ordered_on": days_ago(3)})
    def counts():
        legal_cases = LegalCase.objects.with_statistics_consent().filter(organisation=lw.org_a)
        return {name: legal_cases.filter(selectors.outcome_q(name)).count()
                for name in ("reported", "trial", "convicted", "restitution_ordered", "restitution_paid")}

    assert counts() == {"reported": 2, "trial": 1, "convicted": 1, "restitution_ordered": 1, "restitution_paid": 0}
    lw.legal_case_a.refresh_from_db()
    assert (lw.legal_case_a.convicted_count, lw.legal_case_a.restitution_ordered_total) == (1, 6_000_000)
    services.restitution_save(actor=lw.legal_a, legal_case=lw.legal_case_a, restitution=item,
                              data={"paid_amount": 6_000_000, "paid_on": days_ago(1)})
    assert counts()["restitution_paid"] == 1
    assert other.reported_on is None  # taken on at the investigation: reported, date unknown


def test_the_demo_adds_incidents_and_legal_cases_in_every_stage():
    from lindungi.accounts import demo as accounts_demo
    from lindungi.incidents import demo as incidents_demo
    from lindungi.legal import demo as legal_demo

    ctx = DemoContext()
    accounts_demo.load(ctx)
    try:  # the cases demo, when it exists, makes the cases; otherwise a few are registered here
        from lindungi.cases import demo as cases_demo
    except ImportError:
        cases_demo = None
    if cases_demo is not None:
        cases_demo.load(ctx)
    else:
        for code in ("YKB", "LPA", "YBT", "PKM"):
            for n in range(3):
                register_case(ctx.user(code, "caseworker"), full_name=f"Anak Fiktif {code} {n}", province=None,
                              regency=None)
    incidents_demo.load(ctx)
    legal_demo.load(ctx)
    assert Incident.objects.count() >= 8
    assert set(LegalCase.objects.values_list("stage__code", flat=True)) == set(Stage.objects.values_list("code",
                                                                                                         flat=True))
    current = LegalCase.objects.filter(incidents__occurred_on__year__gt=2012).distinct()
    assert current.filter(is_closed=True).count() == 3
    if cases_demo is not None:  # the 2012 cohort's legal cases: reported in 2012, all finished
        history = LegalCase.objects.filter(incidents__occurred_on__year__lte=2012).distinct()
        assert history.count() == 4 * len(legal_demo.HISTORY_TARGETS)
        assert {legal_case.reported_on.year for legal_case in history} == {2012}
        assert set(history.values_list("stage__code", flat=True)) == set(legal_demo.HISTORY_TARGETS)
    officer = ctx.user("YKB", "legal_officer")
    supervisor = ctx.user("YKB", "supervisor")
    assert selectors.legal_case_list(user=officer).exists()
    upcoming = [selectors.upcoming(ctx.user(code, "supervisor")) for code in ("YKB", "LPA", "YBT", "PKM")]
    assert any(u["deadlines"] for u in upcoming) and any(u["hearings"] for u in upcoming)
    assert supervisor.organisation.code == "YKB"
