"""The record cube (`record_cube.py`) must give exactly the counts of the GROUP BY queries over the
data for incidents, perpetrators, referrals and legal cases, whatever sequence of writes produced the data."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lindungi.cases.models import Case, Referral
from lindungi.core.errors import DomainError
from lindungi.reports import cube, record_cube
from lindungi.reports.dimensions import dimension
from lindungi.reports.measures import Audience, Filters, measure
from lindungi.reports.tests.cubes import counted_from_the_data, without_empty_cells
from lindungi.reports.tests.factories import make_case

pytestmark = pytest.mark.django_db

PLACES = [("31", "31.71"), ("31", "31.72"), ("32", "32.01"), (None, None)]
TYPES = ["online", "abuse", "prostitution", "trafficking"]
DATES = st.dates(datetime.date(2011, 1, 1), datetime.date(2013, 12, 31))

operation = st.one_of(
    st.tuples(st.just("case"), st.sampled_from("ab"), st.sampled_from(PLACES), st.sampled_from(["female", "male"]),
              st.lists(st.sampled_from(TYPES), max_size=2, unique=True), st.sampled_from([True, True, False])),
    st.tuples(st.just("incident"), st.integers(0, 40), st.booleans(), st.lists(st.sampled_from(TYPES), min_size=1,
              max_size=2, unique=True), DATES, st.sampled_from(PLACES), st.sampled_from(["home", "hotel"])),
    st.tuples(st.just("perpetrator"), st.integers(0, 40), st.sampled_from(["male", "female"]),
              st.sampled_from(["stranger", "parent"])),
    st.tuples(st.just("referral"), st.integers(0, 40), st.sampled_from(["uptd_ppa", "safe_house"]), DATES),
    st.tuples(st.just("consent"), st.integers(0, 40)),
    st.tuples(st.just("move_case"), st.integers(0, 40), st.sampled_from(PLACES), st.sampled_from(["female", "male"])),
    st.tuples(st.just("move_incident"), st.integers(0, 40), st.sampled_from(PLACES), DATES),
    st.tuples(st.just("drop_type"), st.integers(0, 40)),
    st.tuples(st.just("unlink"), st.integers(0, 40)),
    st.tuples(st.just("legal"), st.integers(0, 40), DATES),
    st.tuples(st.just("stage"), st.integers(0, 40), st.sampled_from(["trial", "report"])),
    st.tuples(st.just("verdict"), st.integers(0, 40), st.integers(0, 2), st.sampled_from([0, 5_000_000])),
    st.tuples(st.just("delete"), st.sampled_from(["incident", "perpetrator", "referral", "case", "legal"]),
              st.integers(0, 40)),
)

TABLES = {
    "incidents": [("year", None), ("type", None), ("province", None), ("setting", None), ("province", "type"),
                  ("regency", "setting"), ("organisation", "year")],
    "perpetrators": [("sex", None), ("type", None), ("relationship", "sex"), ("regency", "type"), ("organisation", None)],
    "referrals": [("service", None), ("type", None), ("age_group", "sex"), ("regency", "service"), ("year", "organisation")],
    "legal": [("year", None), ("outcome", None), ("type", None), ("organisation", "outcome"), ("year", "type")],
}
FILTERS = [
    Filters(),
    Filters(date_from=datetime.date(2012, 1, 1), date_to=datetime.date(2012, 12, 31)),
    Filters(province="31"),
    Filters(province="31", regency="31.71"),
    Filters(type="online"),
]


def _apply(personas, ops) -> None:
    orgs = {"a": (personas.org_a, personas.supervisor_a), "b": (personas.org_b, personas.supervisor_b)}
    supervisors = {org.pk: user for org, user in orgs.values()}

    def pick(model, index, **kwargs):
        found = list(model.objects.filter(**kwargs).order_by("pk"))
        return found[index % len(found)] if found else None

    for op in ops:
        try:
            _apply_one(op, personas, orgs, supervisors, pick)
        except DomainError:
            pass  # the service refused the write (a date before the stage's, no linked case): nothing changed


def _apply_one(op, personas, orgs, supervisors, pick) -> None:
    from lindungi.cases.testing import make_provider
    from lindungi.incidents.models import Incident, IncidentCase, IncidentType, Perpetrator
    from lindungi.incidents.testing import add_perpetrator, record_incident
    from lindungi.legal import services as legal
    from lindungi.legal.models import LegalCase, Stage

    kind = op[0]
    if kind == "case":
        _kind, org, (province, regency), sex, concerns, consent = op
        make_case(orgs[org][0], province=province, regency=regency, sex=sex, concerns=concerns, consent=consent,
                  registered=datetime.date(2012, 2, 1))
    elif kind == "incident" and (case := pick(Case, op[1])):
        _kind, index, two, types, occurred, (province, regency), setting = op
        linked = [case]
        if two and (other := pick(Case, index + 1, organisation_id=case.organisation_id)) and other != case:
            linked.append(other)
        record_incident(supervisors[case.organisation_id], linked, types=types,
                        online_subtypes=("grooming", "extortion") if "online" in types else (),
                        occurred_on=occurred, setting=setting, province=province, regency=regency)
    elif kind == "perpetrator" and (incident := pick(Incident, op[1])):
        add_perpetrator(supervisors[incident.organisation_id], incident, sex=op[2], relationship=op[3])
    elif kind == "referral" and (case := pick(Case, op[1])):
        org = case.organisation
        Referral.objects.create(organisation=org, case=case, service_type=op[2], basis="consent", sent_on=op[3],
                                provider=make_provider(org), created_by=supervisors[org.pk])
    elif kind == "consent" and (case := pick(Case, op[1])):
        Case.objects.filter(pk=case.pk).update(statistics_consent=not case.statistics_consent)
    elif kind == "move_case" and (case := pick(Case, op[1])):
        Case.objects.filter(pk=case.pk).update(province_id=op[2][0], regency_id=op[2][1], sex=op[3])
    elif kind == "move_incident" and (incident := pick(Incident, op[1])):
        Incident.objects.filter(pk=incident.pk).update(province_id=op[2][0], regency_id=op[2][1], occurred_on=op[3])
    elif kind == "drop_type" and (row := pick(IncidentType, op[1])):
        row.delete()
    elif kind == "unlink" and (row := pick(IncidentCase, op[1])):
        row.delete()
    elif kind == "legal" and (incident := pick(Incident, op[1], organisation_id=personas.org_a.pk)):
        legal.legal_case_create(actor=personas.supervisor_a, incidents=[incident], assigned_officer=personas.legal_a,
                                stage=Stage.objects.get(code="report"), entered_on=op[2], data={})
    elif kind == "stage" and (legal_case := pick(LegalCase, op[1])):
        if legal_case.stage.code != op[2]:
            legal.legal_case_change_stage(actor=personas.legal_a, legal_case=legal_case,
                                          stage=Stage.objects.get(code=op[2]), entered_on=datetime.date(2013, 2, 1))
    elif kind == "verdict" and (legal_case := pick(LegalCase, op[1])):
        LegalCase.objects.filter(pk=legal_case.pk).update(convicted_count=op[2], restitution_ordered_total=op[3],
                                                          restitution_paid_total=op[3] // 2)
    elif kind == "delete":
        model = {"incident": Incident, "perpetrator": Perpetrator, "referral": Referral, "case": Case,
                 "legal": LegalCase}[op[1]]
        if (row := pick(model, op[2])) is not None:
            if model in (Case, Incident):  # what protects a record from deletion goes first
                LegalCase.objects.filter(incident_links__incident__in=Incident.objects.filter(
                    case_links__case=row) if model is Case else [row]).delete()
            if model is Case:
                Incident.objects.filter(case_links__case=row).delete()
            row.delete()


def _cells():
    with connection.cursor() as cursor:
        cursor.execute("SELECT measure, level, year, organisation_id, province, regency, types, a, b, c, rank, flags, n "
                       "FROM reports_recordcell WHERE n <> 0")
        cells = sorted(cursor.fetchall())
        cursor.execute("SELECT measure, root_id, year, organisation_id, province, regency, types, a, b, c, rank, flags "
                       "FROM reports_recordfact")
        facts = sorted(tuple(str(v) for v in row) for row in cursor.fetchall())
    return cells, facts


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(ops=st.lists(operation, min_size=6, max_size=20))
@example(ops=[
    ("case", "a", ("31", "31.71"), "female", ["online"], True), ("case", "a", ("32", "32.01"), "male", [], True),
    ("incident", 0, True, ["online", "abuse"], datetime.date(2012, 4, 1), ("31", "31.71"), "hotel"),
    ("perpetrator", 0, "male", "stranger"), ("perpetrator", 0, "female", "parent"),
    ("referral", 0, "safe_house", datetime.date(2012, 5, 1)), ("referral", 1, "uptd_ppa", datetime.date(2013, 1, 5)),
    ("consent", 0), ("move_case", 1, ("31", "31.72"), "female"), ("drop_type", 0), ("unlink", 0),
    ("move_incident", 0, ("32", "32.01"), datetime.date(2011, 6, 1)), ("delete", "perpetrator", 0),
    ("incident", 1, False, ["abuse"], datetime.date(2013, 2, 1), ("31", "31.71"), "home"),
    ("legal", 0, datetime.date(2012, 6, 1)), ("legal", 1, datetime.date(2013, 3, 1)), ("stage", 0, "trial"),
    ("verdict", 1, 1, 5_000_000), ("verdict", 0, 0, 5_000_000), ("consent", 0), ("delete", "perpetrator", 0),
])
@example(ops=[  # an online incident with two subtypes (two "online" rows) that stays counted
    ("case", "a", ("31", "31.71"), "female", ["online"], True),
    ("incident", 0, False, ["online", "abuse"], datetime.date(2012, 4, 1), ("31", "31.71"), "hotel"),
    ("perpetrator", 0, "male", "stranger"), ("legal", 0, datetime.date(2012, 6, 1)),
    ("referral", 0, "safe_house", datetime.date(2012, 5, 1)), ("stage", 0, "trial"),
    ("case", "a", ("32", "32.01"), "male", [], True), ("move_case", 0, ("32", "32.01"), "female"),
])
@example(ops=[  # consent withdrawn and given again; a legal case and its incident deleted
    ("case", "a", ("31", "31.71"), "female", ["online"], True), ("case", "a", ("31", "31.72"), "male", ["abuse"], True),
    ("incident", 0, True, ["online"], datetime.date(2012, 4, 1), ("31", "31.71"), "hotel"),
    ("legal", 0, datetime.date(2012, 6, 1)), ("verdict", 0, 2, 5_000_000), ("consent", 0), ("consent", 1),
    ("consent", 0), ("incident", 1, False, ["abuse"], datetime.date(2013, 2, 1), ("31", "31.72"), "home"),
    ("legal", 1, datetime.date(2013, 3, 1)), ("delete", "legal", 0), ("delete", "incident", 0),
])
def test_the_record_cube_gives_the_counts_of_the_data_after_any_writes(personas, ops):
    network = Audience(Audience.NETWORK)
    with transaction.atomic():
        _apply(personas, ops)
        for key, specs in TABLES.items():
            m = measure(key)
            for rows, cols in specs:
                for filters in FILTERS:
                    if rows == "regency" and not filters.province or key == "legal" and filters.regency:
                        continue
                    row_dim, col_dim = dimension(rows), dimension(cols) if cols else None
                    from_cube = cube.counts(m, row_dim, col_dim, network, filters, None)
                    assert from_cube is not None
                    expected = counted_from_the_data(m, row_dim, col_dim, network, filters)
                    assert without_empty_cells(from_cube) == without_empty_cells(expected), (key, rows, cols, filters)
        maintained = _cells()
        record_cube.rebuild(connection)
        assert _cells() == maintained
        transaction.set_rollback(True)


def test_record_measures_of_one_organisation_and_months_are_counted_from_the_data(personas):
    organisation = Audience(Audience.ORGANISATION, organisation_id=personas.org_a.pk)
    assert not cube.answerable("incidents", ["type"], organisation, Filters())
    assert not cube.answerable("referrals", ["month"], Audience(Audience.NETWORK), Filters())
    assert cube.answerable("legal", ["outcome"], Audience(Audience.NETWORK), Filters(province="31"))
    assert not cube.answerable("legal", ["outcome"], Audience(Audience.NETWORK), Filters(province="31", regency="31.71"))
    assert not cube.answerable("legal", ["province"], Audience(Audience.NETWORK), Filters())
    assert cube.answerable("legal", ["outcome", "type"], Audience(Audience.NETWORK), Filters(type="online"))
    assert cube.answerable("perpetrators", ["relationship", "type"], Audience(Audience.NETWORK), Filters(type="online"))
