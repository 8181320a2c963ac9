"""Incidents, perpetrators and legal outcomes are counted from the other apps' plain columns, for
consenting cases only."""

import datetime

import pytest

from lindungi.reports.measures import Audience, Filters
from lindungi.reports.tables import compute_table

pytestmark = pytest.mark.django_db
NETWORK = Audience(Audience.NETWORK)
D = datetime.date


def _values(table):
    return {c.code: cell.value for c, cell in zip(table.row_categories, table.result.cells, strict=True)}


@pytest.fixture
def data(personas):
    from lindungi.incidents.testing import add_perpetrator, record_incident, register_case
    from lindungi.legal import services as legal
    from lindungi.legal.models import Stage

    w = personas
    consenting = [register_case(w.supervisor_a, full_name=f"Anak Fiktif Statistik {i}", caseworker=w.caseworker_a,
                                registered_on=D(2012, 3, 1)) for i in range(6)]
    refused = register_case(w.supervisor_a, full_name="Anak Fiktif Tanpa Izin", statistics=False,
                            registered_on=D(2012, 3, 1))
    incidents = [record_incident(w.supervisor_a, [case], types=("online", "trafficking") if i < 2 else ("online",),
                                 online_subtypes=("grooming",), occurred_on=D(2012, 4, 2))
                 for i, case in enumerate(consenting)]
    hidden = record_incident(w.supervisor_a, [refused], types=("abuse",), occurred_on=D(2012, 4, 2))
    for incident in incidents:
        add_perpetrator(w.supervisor_a, incident)
    add_perpetrator(w.supervisor_a, hidden)
    legal_cases = []
    for incident in incidents[:5]:
        lc = legal.legal_case_create(actor=w.supervisor_a, incidents=[incident], assigned_officer=w.legal_a,
                                     stage=Stage.objects.get(code="report"), entered_on=D(2012, 5, 1), data={})
        legal_cases.append(lc)
    legal.legal_case_change_stage(actor=w.legal_a, legal_case=legal_cases[0], stage=Stage.objects.get(code="trial"),
                                  entered_on=D(2012, 9, 1))
    return w


def test_incidents_are_counted_by_type_for_consenting_cases_only(data):
    table = compute_table(measure_key="incidents", rows="type", audience=NETWORK)
    values = _values(table)
    assert values["online"] == 6 and values["trafficking"] == 2 and values["abuse"] == 0
    assert table.result.total.value == 6


def test_perpetrators_are_counted_by_sex(data):
    table = compute_table(measure_key="perpetrators", rows="sex", audience=NETWORK)
    assert table.result.total.value == 6
    assert _values(table)["male"] == 6


def test_legal_outcomes_count_reports_and_trials(data):
    table = compute_table(measure_key="legal", rows="outcome", audience=NETWORK,
                          filters=Filters(date_from=D(2012, 1, 1), date_to=D(2012, 12, 31)))
    values = _values(table)
    assert values["reported"] == 5
    assert values["trial"] == 1
    assert values["convicted"] == 0
    assert [row[1] for row in table.display_rows()][:2] == ["5", "<5"]


def test_legal_outcomes_follow_the_province_filter_through_the_victims(data):
    table = compute_table(measure_key="legal", rows="outcome", audience=NETWORK, filters=Filters(province="18"))
    assert table.result.total.value == 0


def test_personal_figures_follow_the_workers_assignments(data):
    mine = Audience(Audience.PERSONAL, user_id=data.caseworker_a.pk)
    officer = Audience(Audience.PERSONAL, user_id=data.legal_a.pk)
    other = Audience(Audience.PERSONAL, user_id=data.caseworker_b.pk)
    assert compute_table(measure_key="incidents", rows="type", audience=mine).result.total.value == 6
    assert compute_table(measure_key="legal", rows="outcome", audience=officer).result.total.value == 5
    assert compute_table(measure_key="incidents", rows="type", audience=other).result.total.value == 0


def test_a_measure_without_a_dimension_refuses_the_breakdown(data):
    from lindungi.core.errors import DomainError

    with pytest.raises(DomainError):
        compute_table(measure_key="incidents", rows="sex", audience=NETWORK)


def test_type_margins_counted_through_the_join_equal_the_per_type_conditions(data, monkeypatch):
    import dataclasses

    from lindungi.incidents.testing import add_perpetrator, record_incident, register_case
    from lindungi.reports.measures import measure

    # An online incident with two subtypes has two "online" rows: it still counts once.
    case = register_case(data.supervisor_a, full_name="Anak Fiktif Dua Subtipe", registered_on=D(2012, 3, 1))
    incident = record_incident(data.supervisor_a, [case], types=("online", "abuse"),
                               online_subtypes=("grooming", "extortion"), occurred_on=D(2012, 6, 2))
    add_perpetrator(data.supervisor_a, incident)
    add_perpetrator(data.supervisor_a, incident)
    for key in ("incidents", "perpetrators"):
        through = compute_table(measure_key=key, rows="type", audience=NETWORK).to_json()
        m = measure(key)
        monkeypatch.setitem(m.bindings, "type", dataclasses.replace(m.bindings["type"], through=None))
        conditions = compute_table(measure_key=key, rows="type", audience=NETWORK,
                                   filters=Filters(date_from=D(2000, 1, 1))).to_json()
        assert [c["value"] for c in through["row_totals"]] == [c["value"] for c in conditions["row_totals"]], key
        assert through["total"] == conditions["total"]
    values = _values(compute_table(measure_key="incidents", rows="type", audience=NETWORK))
    assert values["online"] == 7 and values["abuse"] == 1
