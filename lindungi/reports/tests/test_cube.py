"""The statistics cube (`cube.py`) must give exactly the counts of the GROUP BY queries over the data,
whatever sequence of writes produced the data: random cases, consents, moves, renamed children and
deletions are applied, then every supported table is computed both ways and compared."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lindungi.cases.models import Case, Child
from lindungi.reports import cube, tables
from lindungi.reports.dimensions import dimension
from lindungi.reports.measures import Audience, Filters, measure
from lindungi.reports.tests.cubes import counted_from_the_data, without_empty_cells
from lindungi.reports.tests.factories import make_case

pytestmark = pytest.mark.django_db

PLACES = [("31", "31.71"), ("31", "31.72"), ("32", "32.01"), (None, None)]
CONCERNS = ["online", "abuse", "prostitution", "trafficking", "neglect"]
NAMES = ["Ayu Fiktif", "Bima Fiktif", "Citra Fiktif", None]

case_spec = st.fixed_dictionaries({
    "org": st.sampled_from("ab"),
    "name": st.sampled_from(NAMES),
    "birth_year": st.sampled_from([2006, 2008]),
    "sex": st.sampled_from(["female", "male", "unknown"]),
    "age": st.sampled_from([None, 3, 8, 12, 16, 19]),
    "place": st.sampled_from(PLACES),
    "concerns": st.lists(st.sampled_from(CONCERNS), max_size=3, unique=True),
    "registered": st.dates(datetime.date(2011, 1, 1), datetime.date(2013, 12, 31)),
    "consent": st.sampled_from([True, True, True, False]),
    "reuse_child": st.booleans(),
})
create = st.tuples(st.just("create"), case_spec)
operation = st.one_of(
    create, create, create, create, create,
    st.tuples(st.just("consent"), st.integers(0, 50)),
    st.tuples(st.just("move"), st.integers(0, 50), st.sampled_from(PLACES), st.sampled_from(["female", "male"])),
    st.tuples(st.just("concerns"), st.integers(0, 50), st.lists(st.sampled_from(CONCERNS), max_size=2, unique=True)),
    st.tuples(st.just("rename"), st.integers(0, 50), st.sampled_from(NAMES)),
    st.tuples(st.just("other_child"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("delete"), st.integers(0, 50)),
)

_SEKAR = {"org": "a", "name": "Ayu Fiktif", "birth_year": 2008, "sex": "female", "age": 12, "place": ("31", "31.71"),
          "concerns": ["online"], "registered": datetime.date(2012, 5, 2), "consent": True, "reuse_child": False}

TABLES = [
    ("province", None, None), ("year", None, None), ("type", None, None), ("sex", None, None),
    ("age_group", None, None), ("organisation", None, None), ("age_group", "sex", None),
    ("province", "type", None), ("year", "organisation", None), ("regency", "sex", {"male"}),
    ("regency", "type", {"online", "trafficking"}), ("regency", "age_group", None),
]


def _filters(personas):
    return [
        Filters(),
        Filters(date_from=datetime.date(2012, 1, 1), date_to=datetime.date(2012, 12, 31)),
        Filters(date_from=datetime.date(2011, 1, 1), date_to=datetime.date(2012, 12, 31)),
        Filters(province="31"),
        Filters(province="31", regency="31.71"),
        Filters(type="online"),
        Filters(organisation=personas.org_b.pk),
    ]


def _apply(personas, ops) -> None:
    orgs = {"a": personas.org_a, "b": personas.org_b}
    for op in ops:
        cases = list(Case.objects.order_by("number"))
        if op[0] == "create":
            spec = op[1]
            org = orgs[spec["org"]]
            reusable = [c.child for c in cases if c.organisation_id == org.pk and c.child_id]
            child = reusable[0] if spec["reuse_child"] and reusable else None
            province, regency = spec["place"]
            make_case(org, name=spec["name"] or "", birth=datetime.date(spec["birth_year"], 3, 1) if spec["name"] else None,
                      sex=spec["sex"], age=spec["age"], province=province, regency=regency, concerns=spec["concerns"],
                      registered=spec["registered"], consent=spec["consent"], child=child)
            continue
        if not cases:
            continue
        case = cases[op[1] % len(cases)]
        if op[0] == "consent":
            Case.objects.filter(pk=case.pk).update(statistics_consent=not case.statistics_consent)
        elif op[0] == "move":
            Case.objects.filter(pk=case.pk).update(province_id=op[2][0], regency_id=op[2][1], sex=op[3])
        elif op[0] == "concerns":
            case.concerns = op[2]
            case.save(update_fields=["concerns"])
        elif op[0] == "rename" and case.child_id:
            child = Child.objects.get(pk=case.child_id)
            child.full_name = op[2] or ""
            child.birth_date = datetime.date(2008, 3, 1) if op[2] else None
            child.save()
        elif op[0] == "other_child":
            same_org = [c.child_id for c in cases if c.organisation_id == case.organisation_id and c.child_id]
            Case.objects.filter(pk=case.pk).update(child_id=same_org[op[2] % len(same_org)])
        elif op[0] == "delete":
            case.delete()


def _cube_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT level, year, organisation_id, province, regency, sex, age_group, types, cases, singles "
                       "FROM reports_casecube WHERE cases <> 0 OR singles <> 0")
        cells = sorted(cursor.fetchall())
        cursor.execute("SELECT case_id, child_key, year, organisation_id, province, regency, sex, age_group, types, "
                       "shared FROM reports_casefact")
        facts = sorted((str(row[0]), *row[1:-1], bool(row[-1])) for row in cursor.fetchall())
    return cells, facts


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(ops=st.lists(operation, min_size=6, max_size=20))
@example(ops=[  # one child with cases in two organisations, then renamed apart and back, then one case gone
    ("create", {**_SEKAR, "org": "a"}), ("create", {**_SEKAR, "org": "b", "place": ("32", "32.01")}),
    ("create", {**_SEKAR, "org": "a", "reuse_child": True, "concerns": ["abuse"]}),
    ("rename", 1, "Bima Fiktif"), ("rename", 1, "Ayu Fiktif"), ("delete", 0), ("consent", 1), ("consent", 1)])
def test_the_cube_gives_the_counts_of_the_data_after_any_writes(personas, ops):
    with transaction.atomic():
        _apply(personas, ops)
        audiences = [Audience(Audience.NETWORK), Audience(Audience.ORGANISATION, organisation_id=personas.org_a.pk)]
        for key in cube.MEASURES:
            m = measure(key)
            for rows, cols, merge in TABLES:
                for filters in _filters(personas):
                    if rows == "regency" and not filters.province:
                        continue
                    for audience in audiences:
                        row_dim, col_dim = dimension(rows), dimension(cols) if cols else None
                        from_cube = cube.counts(m, row_dim, col_dim, audience, filters, merge)
                        assert from_cube is not None
                        expected = counted_from_the_data(m, row_dim, col_dim, audience, filters, merge)
                        assert without_empty_cells(from_cube) == without_empty_cells(expected), (key, rows, cols, filters)
        maintained = _cube_rows()
        cube.rebuild()
        assert _cube_rows() == maintained
        transaction.set_rollback(True)


def test_periods_that_are_not_whole_years_and_other_measures_are_counted_from_the_data(personas):
    network = Audience(Audience.NETWORK)
    march = Filters(date_from=datetime.date(2012, 3, 1), date_to=datetime.date(2012, 12, 31))
    assert not cube.answerable("children", ["sex"], network, march)
    assert not cube.answerable("legal", ["month"], network, Filters())
    assert not cube.answerable("children", ["month"], network, Filters())
    assert not cube.answerable("children", ["sex"], Audience(Audience.PERSONAL, user_id=1), Filters())
    assert cube.answerable("children", ["regency", "type"], network, Filters(province="31"))
    make_case(personas.org_a, registered=datetime.date(2012, 2, 10))
    make_case(personas.org_a, registered=datetime.date(2012, 4, 10))
    table = tables.compute_table(measure_key="children", rows="sex", filters=march, audience=network)
    assert table.result.total.value == 1


def test_without_its_triggers_the_cube_is_not_read(personas):
    make_case(personas.org_a)
    network = Audience(Audience.NETWORK)
    cube.uninstall(connection)
    try:
        assert cube.counts(measure("cases"), dimension("sex"), None, network, Filters(), None) is None
        make_case(personas.org_a)  # not seen by the cube, counted from the data
        assert tables.compute_table(measure_key="cases", rows="sex", audience=network).result.total.value == 2
    finally:
        cube.install(connection)  # a missing trigger means a rebuild: the new case is in the cube again
    assert cube.counts(measure("cases"), dimension("sex"), None, network, Filters(), None)[3] == 2


def test_a_second_case_of_the_same_child_makes_it_shared_and_the_last_one_single_again(personas):
    born = datetime.date(2007, 1, 9)
    first = make_case(personas.org_a, name="Sekar Fiktif Contoh", birth=born, province="31", regency="31.71")
    second = make_case(personas.org_b, name="Sekar Fiktif Contoh", birth=born, province="32", regency="32.01")
    network = Audience(Audience.NETWORK)
    children = measure("children")
    _cells, by_province, _cols, total = cube.counts(children, dimension("province"), None, network, Filters(), None)
    assert (by_province, total) == ({"31": 1, "32": 1}, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reports_casefact WHERE shared")
        assert cursor.fetchone()[0] == 2
    second.delete()
    _cells, by_province, _cols, total = cube.counts(children, dimension("province"), None, network, Filters(), None)
    assert (by_province, total) == ({"31": 1}, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT level, cases, singles FROM reports_casecube WHERE province = '31' ORDER BY level")
        assert cursor.fetchall() == [(0, 1, 1), (1, 1, 1)]
    assert first.pk


def _indexes_and_constraints(tables_):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                           "UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = ANY(%s::regclass[]) ORDER BY 1, 2", [list(tables_), list(tables_)])
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
                           f"({', '.join('%s' for _ in tables_)}) ORDER BY 1, 2", list(tables_))
        return cursor.fetchall()


def test_a_rebuild_leaves_the_tables_indexes_and_constraints_as_the_migrations_made_them(personas):
    """On PostgreSQL a rebuild drops the indexes and unique constraints while it fills the tables."""
    from lindungi.reports import record_cube

    make_case(personas.org_a, registered=datetime.date(2012, 2, 10))
    names = (cube.CUBE, cube.FACT, record_cube.CELL, record_cube.FACT)
    before = _indexes_and_constraints(names)
    assert len(before) >= 8
    maintained = _cube_rows()
    cube.rebuild()
    record_cube.rebuild(connection)
    assert _indexes_and_constraints(names) == before
    assert _cube_rows() == maintained
