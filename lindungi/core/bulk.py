"""Bulk loads on PostgreSQL: a table's secondary indexes built once from all its rows instead of
entry by entry while millions of rows go in.

Inserting a row into a table updates every index of the table at a place given by the row's
values: for keys such as blind indexes or foreign keys that place is anywhere in the index, so a
large load touches (and logs) index pages all over again. Building the index afterwards sorts
the keys once and writes each page once. Both the statistics rebuilds (`reports.cube`) and a fresh
synthetic load (`synthetic.generator`) use this; the definitions come from the catalogue, so what
is made again is exactly what was there.
"""

from __future__ import annotations

import contextlib
import queue
import threading

from django.db import DEFAULT_DB_ALIAS, connections, transaction

# Per index-building session: the keys of a table of a few million rows take more than the
# default 64 MB to sort in memory. A session setting; the server's configuration is not touched.
BUILD_MEMORY = "256MB"


def secondary_indexes(cursor, tables, *, unique: bool) -> list[tuple[str, str, str]]:
    """(table, index, definition) of the indexes of `tables` that back neither the primary key
    nor a constraint (constraints are dropped and added as constraints). With `unique=False`
    unique indexes are left out too, so that uniqueness is still checked row by row."""
    cursor.execute(
        "SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
        "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
        "AND (%s OR NOT i.indisunique) "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1, 2",
        [list(tables), unique])
    return cursor.fetchall()


def drop_indexes(cursor, indexes) -> None:
    for _table, name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")


def create_indexes(cursor, indexes) -> None:
    """In the caller's transaction, one after the other."""
    for _table, _name, definition in indexes:
        cursor.execute(definition)


def index_jobs(indexes, *, alias: str = DEFAULT_DB_ALIAS) -> list:
    """One job per index for `in_sessions`, the largest tables first (so that the sessions finish
    together), each in its own transaction with room to sort in memory."""
    if not indexes:
        return []
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)",
                       [sorted({table for table, _name, _definition in indexes})])
        sizes = dict(cursor.fetchall())

    def build(definition):
        def job(conn):
            with conn.cursor() as cursor:
                cursor.execute(f"SET maintenance_work_mem = '{BUILD_MEMORY}'")
                cursor.execute(definition)
        return job

    return [(name, build(definition)) for _table, name, definition in
            sorted(indexes, key=lambda item: -sizes.get(item[0], 0))]


def analyse_jobs(tables) -> list:
    """One job per table for `in_sessions`: gather its planner statistics. Right after a bulk
    load a table has none until autovacuum comes by (if it is on at all), and PostgreSQL then
    guesses a few thousand rows where there are a million and picks plans accordingly (the
    caseworker's home page: a sort on disk of every case plan instead of an index lookup)."""
    def analyse(table):
        def job(conn):
            with conn.cursor() as cursor:
                cursor.execute(f'ANALYZE "{table}"')
        return job

    return [(f"analyse {table}", analyse(table)) for table in tables]


def in_sessions(jobs, *, sessions: int = 2, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Run `jobs` ((name, function of a connection)) in order over `sessions` threads, each with
    its own connection (autocommit between jobs: each job commits what it does). Work that waits
    on the server (building an index, a set-based rebuild) then runs on as many cores. A job that
    fails does not stop the others; the error, raised at the end, names every failed job. The
    caller must not be inside a transaction: the jobs could not see its uncommitted rows."""
    if connections[alias].in_atomic_block:
        raise RuntimeError("in_sessions runs outside a transaction (its jobs are other connections).")
    work = queue.SimpleQueue()
    for item in jobs:
        work.put(item)
    failures = []

    def session():
        conn = connections[alias]  # this thread's own connection, closed when the thread is done
        try:
            while True:
                try:
                    name, job = work.get_nowait()
                except queue.Empty:
                    return
                try:
                    job(conn)
                except Exception as exc:  # reported below; the other jobs still run
                    failures.append((name, exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=session, name=f"bulk-session-{n}") for n in range(max(1, sessions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"Not done: {', '.join(name for name, _exc in failures)}") from failures[0][1]


class Deferred:
    """The indexes `deferred_indexes` set aside. `jobs()` hands their building to the caller (to run
    with other work in `in_sessions`); otherwise they are built when the block ends."""

    def __init__(self, conn, indexes):
        self.conn = conn
        self.indexes = indexes
        self.taken = False

    def jobs(self) -> list:
        self.taken = True
        return index_jobs(self.indexes, alias=self.conn.alias)


@contextlib.contextmanager
def deferred_indexes(conn, tables):
    """Within the block, `tables` have no secondary non-unique indexes; after it (also when the
    block raised) they are built again from their definitions, unless the block took them as jobs
    (`Deferred.jobs`) and ran them itself.

    Outside a transaction (a real load: the writers are other connections, which must see the
    tables unlocked) the drop is committed first and the indexes are built afterwards over two
    sessions in parallel. Inside one (a test's), everything happens in that transaction, in
    order. Elsewhere than on PostgreSQL nothing changes."""
    if conn.vendor != "postgresql":
        yield Deferred(conn, [])
        return
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        indexes = secondary_indexes(cursor, tables, unique=False)
        drop_indexes(cursor, indexes)
    deferred = Deferred(conn, indexes)
    try:
        yield deferred
    finally:
        if not deferred.taken:
            if conn.in_atomic_block:
                with conn.cursor() as cursor:
                    create_indexes(cursor, indexes)
            else:
                in_sessions(index_jobs(indexes, alias=conn.alias), alias=conn.alias)
