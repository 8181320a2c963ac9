"""Secondary indexes set aside during a bulk load and built again from the catalogue's definitions."""

import pytest
from django.db import connection

from lindungi.core import bulk

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="index deferral is for PostgreSQL")

TABLES = ["cases_caseevent", "cases_child"]


def _indexes(tables):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                       "ORDER BY 1, 2", [tables])
        return cursor.fetchall()


def _constraint_indexes(tables):
    with connection.cursor() as cursor:
        cursor.execute("SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_constraint c "
                       "ON c.conindid = i.indexrelid WHERE i.indrelid = ANY(%s::regclass[])", [tables])
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db
def test_only_secondary_non_unique_indexes_are_set_aside_and_all_come_back_in_a_transaction():
    before = _indexes(TABLES)
    with connection.cursor() as cursor:
        found = bulk.secondary_indexes(cursor, TABLES, unique=False)
        with_unique = bulk.secondary_indexes(cursor, TABLES, unique=True)
    names = {name for _table, name, _definition in found}
    assert {"child_org_name_idx", "child_net_nik_idx"} <= names
    assert not names & _constraint_indexes(TABLES)  # primary keys and constraints stay
    assert all("UNIQUE" not in definition for _table, _name, definition in found)
    assert {name for _t, name, _d in with_unique} >= names

    with bulk.deferred_indexes(connection, TABLES) as deferred:
        assert sorted(deferred.indexes) == sorted(found)
        left = {name for _table, name, _definition in _indexes(TABLES)}
        assert not left & names
        assert left  # the primary keys, and the unique ones
    assert _indexes(TABLES) == before


@pytest.mark.django_db
def test_the_indexes_come_back_when_the_load_fails():
    before = _indexes(TABLES)
    with pytest.raises(ZeroDivisionError), bulk.deferred_indexes(connection, TABLES):
        1 / 0  # noqa: B018
    assert _indexes(TABLES) == before


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_they_are_built_by_sessions_of_their_own_and_committed():
    before = _indexes(TABLES)
    seen_by_another_session = []

    with bulk.deferred_indexes(connection, TABLES):
        # The drop is committed: another connection (a writer) sees the tables without them.
        other = connection.copy()
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'child_org_name_idx'")
                seen_by_another_session.append(cursor.fetchone()[0])
        finally:
            other.close()
    assert seen_by_another_session == [0]
    assert _indexes(TABLES) == before


@pytest.mark.django_db(transaction=True)
def test_an_index_that_cannot_be_built_is_named_and_the_others_are_still_built():
    with connection.cursor() as cursor:
        indexes = bulk.secondary_indexes(cursor, ["cases_child"], unique=False)
        bulk.drop_indexes(cursor, indexes)
    broken = ("cases_child", "child_broken_idx", "CREATE INDEX child_broken_idx ON cases_child (no_such_column)")
    with pytest.raises(RuntimeError, match="Not done: child_broken_idx$"):
        bulk.in_sessions(bulk.index_jobs([broken, *indexes]), sessions=1)
    assert {name for _t, name, _d in _indexes(["cases_child"])} == {
        "cases_child_pkey", *(name for _t, name, _d in indexes)}


@pytest.mark.django_db
def test_sessions_refuse_to_run_inside_a_transaction():
    with pytest.raises(RuntimeError, match="outside a transaction"):
        bulk.in_sessions([("nothing", lambda conn: None)])


@pytest.mark.django_db
def test_indexes_taken_as_jobs_are_left_to_the_caller():
    with bulk.deferred_indexes(connection, TABLES) as deferred:
        jobs = deferred.jobs()
    assert sorted(name for name, _job in jobs) == sorted(name for _t, name, _d in deferred.indexes)
    assert not {name for _t, name, _d in _indexes(TABLES)} & {name for name, _job in jobs}  # not built for it
    for _name, job in jobs:
        job(connection)
    assert {name for _t, name, _d in _indexes(TABLES)} >= {name for name, _job in jobs}
