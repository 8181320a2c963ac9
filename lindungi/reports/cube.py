# ruff: noqa: S608 - SQL here is composed of this module's constants only; every value is a bound parameter.
"""Incremental aggregates for the case and child-victim measures, kept by the database itself.

Counting distinct children over every consenting case is a full scan joined to the children
(seconds at a million cases). Two derived tables answer the same questions from a few thousand
rows instead, and cannot disagree with the data:

* `reports_casefact`: one row per consenting case with a child, holding only what statistics read
  (year, organisation, province, regency, sex, age group, exploitation types as bits) and the
  child's network key. Row triggers on `cases_case` and `cases_child` delete and re-insert a case's
  fact in the same statement as the write, whatever wrote it.
* `reports_casecube`: per combination of those columns, the number of cases and the number of
  *single* children (a child key held by exactly one counted case). Row triggers on the facts keep
  it: +1 when a fact comes, −1 when it goes, and a child's cases move between "single" and
  `shared` when a second case of the same child appears or the last but one disappears.

Distinct children in any cell = singles summed from the cube + distinct keys among the few shared
facts in that cell; cases = cases summed from the cube. Both are exact: a child is either single
(counted once, where its only case lies) or shared (counted distinct from its facts), never both.

The cube counts by year, so it answers periods made of whole years (none, a year, several years);
other periods, the month breakdown, other measures and personal figures are counted from the data
as before (`tables.py`). Level 0 of the cube is by province; level 1 adds the regency, used only
for regency breakdowns and filters (always within one province).

`rebuild()` recomputes both tables from the data in one pass (after a bulk load that bypassed the
triggers, or when a trigger was missing); `install()` (every `migrate`) re-creates the triggers and
rebuilds when one was missing. Until every trigger is there the cube is not read.
"""

from __future__ import annotations

import contextlib
import logging

from django.db import connection, transaction

from lindungi.core import bulk
from lindungi.reports.dimensions import EXPLOITATION_TYPES, OTHER, dimension

logger = logging.getLogger(__name__)

FACT = "reports_casefact"
CUBE = "reports_casecube"
PREFIX = "reports_cube_"
# The tables `rebuild` reads (and analyses first).
SOURCE_TABLES = ("cases_case", "cases_child")
TYPE_BITS = {code: 1 << i for i, (code, _label) in enumerate(EXPLOITATION_TYPES)}
MEASURES = ("cases", "children")
# The statistics dimensions and the fact/cube column each one reads.
COLUMNS = {"year": "year", "organisation": "organisation_id", "province": "province", "regency": "regency",
           "sex": "sex", "age_group": "age_group"}
# Columns of cases_case whose update changes a fact.
CASE_COLUMNS = ("organisation_id", "child_id", "registered_on", "concerns", "statistics_consent", "province_id",
                "regency_id", "sex", "age_years")
CHILD_COLUMNS = ("network_name_year_index", "network_nik_index")
DIMENSION_COLUMNS = ("year", "organisation_id", "province", "regency", "sex", "age_group", "types")


def fact_expressions(vendor: str, case: str, child: str) -> dict[str, str]:
    """The fact columns of case `case` with child `child` (row aliases or NEW) as SQL expressions."""
    if vendor == "postgresql":
        child_text = f"{case}.child_id::text"
        has = [f"CASE WHEN {case}.concerns @> '[\"{code}\"]'::jsonb THEN {bit} ELSE 0 END"
               for code, bit in TYPE_BITS.items()]
    else:
        child_text = f"{case}.child_id"
        has = [f"CASE WHEN EXISTS (SELECT 1 FROM json_each({case}.concerns) WHERE json_each.value = '{code}') "
               f"THEN {bit} ELSE 0 END" for code, bit in TYPE_BITS.items()]
    # The same key and age groups as measures._child_key and measures._age_group_expression.
    return {
        "case_id": f"{case}.id",
        "child_id": f"{case}.child_id",
        "child_key": f"COALESCE({child}.network_name_year_index, {child}.network_nik_index, {child_text})",
        "organisation_id": f"{case}.organisation_id",
        "year": year_sql(vendor, f"{case}.registered_on"),
        "province": f"COALESCE({case}.province_id, '')",
        "regency": f"COALESCE({case}.regency_id, '')",
        "sex": f"COALESCE({case}.sex, '')",
        "age_group": (f"CASE WHEN {case}.age_years IS NULL THEN 'unknown' WHEN {case}.age_years <= 4 THEN '0-4' "
                      f"WHEN {case}.age_years <= 9 THEN '5-9' WHEN {case}.age_years <= 14 THEN '10-14' "
                      f"WHEN {case}.age_years <= 17 THEN '15-17' ELSE '18+' END"),
        "types": f"({' + '.join(has)})",
    }


def _fact_select(vendor: str, case: str, child: str, *, named: bool = False) -> str:
    expressions = fact_expressions(vendor, case, child)
    ordered = [expressions[name] for name in FACT_COLUMNS.split(", ")]
    if named:
        return ", ".join(f"{e} AS {name}" for e, name in zip(ordered, FACT_COLUMNS.split(", "), strict=True))
    return ", ".join(ordered)


FACT_COLUMNS = "case_id, child_id, child_key, organisation_id, year, province, regency, sex, age_group, types"


def _cell_match(row: str) -> str:
    """The two cube cells (province and regency level) of fact `row`."""
    same = " AND ".join(f"{CUBE}.{c} = {row}.{c}" for c in DIMENSION_COLUMNS if c != "regency")
    return f"{same} AND ({CUBE}.level = 0 AND {CUBE}.regency = '' OR {CUBE}.level = 1 AND {CUBE}.regency = {row}.regency)"


def _upsert(row: str, cases: str, singles: str, vendor: str) -> str:
    columns = ", ".join(c for c in DIMENSION_COLUMNS if c != "regency")
    values = ", ".join(f"{row}.{c}" for c in DIMENSION_COLUMNS if c != "regency")
    conflict = "level, year, organisation_id, province, regency, sex, age_group, types"
    return (f"INSERT INTO {CUBE} (level, regency, {columns}, cases, singles) "
            f"SELECT 0, '', {values}, {cases}, {singles} UNION ALL SELECT 1, {row}.regency, {values}, {cases}, {singles} "
            f"{'WHERE true ' if vendor != 'postgresql' else ''}"
            f"ON CONFLICT ({conflict}) DO UPDATE SET cases = {CUBE}.cases + excluded.cases, "
            f"singles = {CUBE}.singles + excluded.singles")


def _names(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"{PREFIX}case", f"{PREFIX}child", f"{PREFIX}fact_ins", f"{PREFIX}fact_del", f"{PREFIX}fact_flip"]
    return [f"{PREFIX}case_ins", f"{PREFIX}case_upd", f"{PREFIX}case_del", f"{PREFIX}child", f"{PREFIX}fact_ins",
            f"{PREFIX}fact_del", f"{PREFIX}fact_flip"]


def installed_triggers(cursor, vendor: str, prefix: str = PREFIX) -> set[str]:
    """Names of the triggers in the database that start with `prefix`."""
    if vendor == "postgresql":
        cursor.execute(f"SELECT tgname FROM pg_trigger WHERE tgname LIKE '{prefix}%%' AND NOT tgisinternal")
    else:
        cursor.execute(f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '{prefix}%%'")
    return {row[0] for row in cursor.fetchall()}


def year_sql(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"
    return f"CAST(strftime('%Y', {column}) AS integer)"


def _create_postgresql(cursor) -> None:
    on_update = ", ".join(f'"{c}"' for c in CASE_COLUMNS)
    cursor.execute(f"""
        CREATE OR REPLACE FUNCTION {PREFIX}case_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                DELETE FROM {FACT} WHERE case_id = OLD.id;
            END IF;
            IF TG_OP <> 'DELETE' AND NEW.statistics_consent AND NEW.child_id IS NOT NULL THEN
                INSERT INTO {FACT} ({FACT_COLUMNS})
                SELECT {_fact_select('postgresql', 'NEW', 'ch')} FROM cases_child ch WHERE ch.id = NEW.child_id;
            END IF;
            RETURN NULL;
        END $$""")
    cursor.execute(f"""
        CREATE OR REPLACE FUNCTION {PREFIX}child_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.network_name_year_index IS DISTINCT FROM OLD.network_name_year_index
               OR NEW.network_nik_index IS DISTINCT FROM OLD.network_nik_index THEN
                DELETE FROM {FACT} WHERE child_id = NEW.id;
                INSERT INTO {FACT} ({FACT_COLUMNS})
                SELECT {_fact_select('postgresql', 'c', 'NEW')} FROM cases_case c
                WHERE c.child_id = NEW.id AND c.statistics_consent;
            END IF;
            RETURN NULL;
        END $$""")
    # AFTER ROW triggers of one statement run when the statement is done, so a flip can reach a
    # cell before the inserting trigger of its own row has created it: flips upsert.
    cursor.execute(f"""
        CREATE OR REPLACE FUNCTION {PREFIX}fact_ins() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {_upsert('NEW', '1', '1', 'postgresql')};
            IF EXISTS (SELECT 1 FROM {FACT} WHERE child_key = NEW.child_key AND case_id <> NEW.case_id) THEN
                UPDATE {FACT} SET shared = true WHERE child_key = NEW.child_key AND NOT shared;
            END IF;
            RETURN NULL;
        END $$""")
    cursor.execute(f"""
        CREATE OR REPLACE FUNCTION {PREFIX}fact_del() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {CUBE} SET cases = cases - 1, singles = singles - (CASE WHEN OLD.shared THEN 0 ELSE 1 END)
            WHERE {_cell_match('OLD')};
            IF OLD.shared AND (SELECT count(*) FROM (SELECT 1 FROM {FACT} WHERE child_key = OLD.child_key LIMIT 2) two) = 1 THEN
                UPDATE {FACT} SET shared = false WHERE child_key = OLD.child_key;
            END IF;
            RETURN NULL;
        END $$""")
    cursor.execute(f"""
        CREATE OR REPLACE FUNCTION {PREFIX}fact_flip() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {_upsert('NEW', '0', "CASE WHEN NEW.shared THEN -1 ELSE 1 END", 'postgresql')};
            RETURN NULL;
        END $$""")
    cursor.execute(f"CREATE OR REPLACE TRIGGER {PREFIX}case AFTER INSERT OR DELETE OR UPDATE OF {on_update} "
                   f"ON cases_case FOR EACH ROW EXECUTE FUNCTION {PREFIX}case_sync()")
    cursor.execute(f"CREATE OR REPLACE TRIGGER {PREFIX}child AFTER UPDATE OF {', '.join(CHILD_COLUMNS)} "
                   f"ON cases_child FOR EACH ROW EXECUTE FUNCTION {PREFIX}child_sync()")
    cursor.execute(f"CREATE OR REPLACE TRIGGER {PREFIX}fact_ins AFTER INSERT ON {FACT} "
                   f"FOR EACH ROW EXECUTE FUNCTION {PREFIX}fact_ins()")
    cursor.execute(f"CREATE OR REPLACE TRIGGER {PREFIX}fact_del AFTER DELETE ON {FACT} "
                   f"FOR EACH ROW EXECUTE FUNCTION {PREFIX}fact_del()")
    cursor.execute(f"CREATE OR REPLACE TRIGGER {PREFIX}fact_flip AFTER UPDATE OF shared ON {FACT} FOR EACH ROW "
                   f"WHEN (OLD.shared IS DISTINCT FROM NEW.shared) EXECUTE FUNCTION {PREFIX}fact_flip()")


def _create_sqlite(cursor) -> None:
    on_update = ", ".join(f'"{c}"' for c in CASE_COLUMNS)
    insert_fact = (f"INSERT INTO {FACT} ({FACT_COLUMNS}) SELECT {_fact_select('sqlite', 'NEW', 'ch')} "
                   f"FROM cases_child ch WHERE ch.id = NEW.child_id AND NEW.statistics_consent AND NEW.child_id IS NOT NULL;")
    # SQLite runs row triggers as each row changes, so a flip always finds its cell: decrements and
    # flips only update existing cells, and a flush that empties the cube before the facts leaves
    # no stray cells behind.
    statements = {
        f"{PREFIX}case_ins": f"AFTER INSERT ON cases_case BEGIN {insert_fact} END",
        f"{PREFIX}case_upd": f"AFTER UPDATE OF {on_update} ON cases_case BEGIN "
                             f"DELETE FROM {FACT} WHERE case_id = OLD.id; {insert_fact} END",
        f"{PREFIX}case_del": f"AFTER DELETE ON cases_case BEGIN DELETE FROM {FACT} WHERE case_id = OLD.id; END",
        f"{PREFIX}child": f"AFTER UPDATE OF {', '.join(CHILD_COLUMNS)} ON cases_child "
                          f"WHEN NEW.network_name_year_index IS NOT OLD.network_name_year_index "
                          f"OR NEW.network_nik_index IS NOT OLD.network_nik_index BEGIN "
                          f"DELETE FROM {FACT} WHERE child_id = NEW.id; "
                          f"INSERT INTO {FACT} ({FACT_COLUMNS}) SELECT {_fact_select('sqlite', 'c', 'NEW')} "
                          f"FROM cases_case c WHERE c.child_id = NEW.id AND c.statistics_consent; END",
        f"{PREFIX}fact_ins": f"AFTER INSERT ON {FACT} BEGIN {_upsert('NEW', '1', '1', 'sqlite')}; "
                             f"UPDATE {FACT} SET shared = 1 WHERE child_key = NEW.child_key AND NOT shared "
                             f"AND EXISTS (SELECT 1 FROM {FACT} f WHERE f.child_key = NEW.child_key AND f.case_id <> NEW.case_id); END",
        f"{PREFIX}fact_del": f"AFTER DELETE ON {FACT} BEGIN "
                             f"UPDATE {CUBE} SET cases = cases - 1, singles = singles - (CASE WHEN OLD.shared THEN 0 ELSE 1 END) "
                             f"WHERE {_cell_match('OLD')}; "
                             f"UPDATE {FACT} SET shared = 0 WHERE OLD.shared AND child_key = OLD.child_key AND "
                             f"(SELECT count(*) FROM (SELECT 1 FROM {FACT} WHERE child_key = OLD.child_key LIMIT 2)) = 1; END",
        f"{PREFIX}fact_flip": f"AFTER UPDATE OF shared ON {FACT} WHEN OLD.shared IS NOT NEW.shared BEGIN "
                              f"UPDATE {CUBE} SET singles = singles + (CASE WHEN NEW.shared THEN -1 ELSE 1 END) "
                              f"WHERE {_cell_match('NEW')}; END",
    }
    for name, body in statements.items():
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"CREATE TRIGGER {name} {body}")


def install(conn) -> None:
    """Create (or replace) the triggers; rebuild the tables if a trigger was missing (a first
    install, or a SQLite table rebuild that dropped them). Idempotent, run by every `migrate`."""
    with conn.cursor() as cursor:
        tables = set(conn.introspection.table_names(cursor))
        if FACT not in tables or CUBE not in tables:
            return
        complete = installed_triggers(cursor, conn.vendor) >= set(_names(conn.vendor))
        if conn.vendor == "postgresql":
            _create_postgresql(cursor)
        else:
            _create_sqlite(cursor)
    if not complete:
        rebuild(conn)


def uninstall(conn) -> None:
    """Drop the triggers that are there (dropping one locks its table against every reader until
    the commit: a rebuild after a load, which dropped them already, then locks nothing)."""
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            present = installed_triggers(cursor, conn.vendor)
            for name, table in ((f"{PREFIX}case", "cases_case"), (f"{PREFIX}child", "cases_child"),
                                (f"{PREFIX}fact_ins", FACT), (f"{PREFIX}fact_del", FACT), (f"{PREFIX}fact_flip", FACT)):
                if name in present:
                    cursor.execute(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
            for function in ("case_sync", "child_sync", "fact_ins", "fact_del", "fact_flip"):
                cursor.execute(f"DROP FUNCTION IF EXISTS {PREFIX}{function}()")
        else:
            for name in _names("sqlite"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def analyse_sources(cursor, vendor: str, tables) -> None:
    """Planner statistics for the tables a rebuild reads. Right after a bulk load they have none,
    and PostgreSQL then guesses a couple of hundred rows and joins millions by nested loops."""
    if vendor == "postgresql":
        cursor.execute(f"ANALYZE {', '.join(tables)}")


@contextlib.contextmanager
def emptied_for_refill(cursor, vendor: str, tables):
    """Empty `tables`, to be filled again within the block, in the caller's transaction. On
    PostgreSQL they are truncated and their secondary indexes and unique constraints dropped until
    the end of the block, then made again from their own definitions: building an index from all
    its rows at once takes a fraction of the time of inserting millions of rows into it one at a
    time (and a DELETE would leave every old row's entry in the indexes too). The tables stay
    locked until the commit: readers wait for the new contents instead of reading the old ones."""
    if vendor != "postgresql":
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (our own table names)
        yield
        return
    cursor.execute(f"TRUNCATE {', '.join(tables)}")
    cursor.execute("SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) "
                   "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype = 'u' ORDER BY conname",
                   [list(tables)])
    constraints = cursor.fetchall()
    indexes = bulk.secondary_indexes(cursor, tables, unique=True)
    for table, name, _definition in constraints:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    bulk.drop_indexes(cursor, indexes)
    yield
    for table, name, definition in constraints:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    bulk.create_indexes(cursor, indexes)


def rebuild(conn=None) -> None:
    """Recompute the facts and the cube from the data in one pass. The fact triggers are dropped
    meanwhile (one set-based insert instead of a trigger per row) and re-created; all of it in one
    transaction, so readers see the old tables or the new ones (on PostgreSQL they wait for the new
    ones: `emptied_for_refill`). Made for after a bulk load (`generate_synthetic`)."""
    conn = conn or connection
    with conn.cursor() as cursor:  # (before the transaction: its locks end with the ANALYZE)
        analyse_sources(cursor, conn.vendor, SOURCE_TABLES)
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        uninstall(conn)
        with emptied_for_refill(cursor, conn.vendor, (CUBE, FACT)):
            cursor.execute(f"INSERT INTO {FACT} ({FACT_COLUMNS}, shared) "
                           f"SELECT {FACT_COLUMNS}, count(*) OVER (PARTITION BY child_key) > 1 FROM "
                           f"(SELECT {_fact_select(conn.vendor, 'c', 'ch', named=True)} FROM cases_case c "
                           f"JOIN cases_child ch ON ch.id = c.child_id WHERE c.statistics_consent) facts")
            columns = ", ".join(c for c in DIMENSION_COLUMNS if c != "regency")
            single = "SUM(CASE WHEN shared THEN 0 ELSE 1 END)"
            cursor.execute(f"INSERT INTO {CUBE} (level, regency, {columns}, cases, singles) "
                           f"SELECT 0, '', {columns}, count(*), {single} FROM {FACT} GROUP BY {columns}")
            cursor.execute(f"INSERT INTO {CUBE} (level, regency, {columns}, cases, singles) "
                           f"SELECT 1, regency, {columns}, count(*), {single} FROM {FACT} GROUP BY regency, {columns}")
        if conn.vendor == "postgresql":
            _create_postgresql(cursor)
        else:
            _create_sqlite(cursor)


def available(measure_key: str = "cases") -> bool:
    """Whether every trigger that keeps the cube of `measure_key` is in place."""
    from lindungi.reports import record_cube

    with connection.cursor() as cursor:
        if measure_key in record_cube.MEASURES:
            if record_cube.available(cursor, connection.vendor):
                return True
        elif installed_triggers(cursor, connection.vendor) >= set(_names(connection.vendor)):
            return True
    logger.warning("Statistics cube triggers missing: figures are counted from the data.")
    return False


def _columns(measure_key: str) -> dict[str, str] | None:
    from lindungi.reports import record_cube

    if measure_key in MEASURES:
        return COLUMNS
    record = record_cube.MEASURES.get(measure_key)
    return record.columns if record else None


# --- answering a table -----------------------------------------------------------------------------


def _whole_years(filters) -> tuple[int | None, int | None] | None:
    start = end = None
    if filters.date_from:
        if (filters.date_from.month, filters.date_from.day) != (1, 1):
            return None
        start = filters.date_from.year
    if filters.date_to:
        if (filters.date_to.month, filters.date_to.day) != (12, 31):
            return None
        end = filters.date_to.year
    return start, end


def answerable(measure_key: str, dims: list[str], audience, filters) -> bool:
    from lindungi.reports import record_cube
    from lindungi.reports.measures import Audience

    columns = _columns(measure_key)
    # An organisation's incidents, perpetrators and referrals are chosen by the incident's or the
    # case's organisation, which the record cube does not keep: counted from the data (a twentieth of it).
    levels = (Audience.NETWORK,) if measure_key in record_cube.MEASURES else (Audience.NETWORK, Audience.ORGANISATION)
    multi = {"type"} | ({"outcome"} if measure_key == "legal" else set())
    places = columns is not None and "province" in columns
    # Legal cases are in their victims' provinces (several): a province filter reads the facts kept
    # per (legal case, province); a breakdown by place or a regency filter is counted from the data.
    legal_province = measure_key == "legal" and filters.province and not filters.regency
    return (columns is not None and audience.level in levels
            and all(d in columns or d in multi for d in dims)
            and (places or legal_province or not (filters.province or filters.regency))
            and (not filters.type or filters.type in TYPE_BITS)
            and _whole_years(filters) is not None)


def _outcome_reader():
    """The legal outcomes of a cell's (furthest stage order, flags), as `legal.selectors.outcome_q`
    decides them; the milestones' orders are read once per table."""
    from lindungi.legal.models import Milestone
    from lindungi.legal.stages import milestone_order

    reported, trial = milestone_order(Milestone.REPORTED), milestone_order(Milestone.TRIAL)

    def outcomes(rank, flags) -> list[str]:
        found = []
        if reported is not None and rank >= reported:
            found.append("reported")
        if trial is not None and rank >= trial:
            found.append("trial")
        found += [code for bit, code in ((1, "convicted"), (2, "restitution_ordered"), (4, "restitution_paid"))
                  if flags & bit]
        return found

    return outcomes


def _where(audience, filters, level: int | None) -> tuple[list[str], list]:
    clauses, params = [], []
    if level is not None:
        clauses.append("level = %s")
        params.append(level)
    start, end = _whole_years(filters)
    if start is not None:
        clauses.append("year >= %s")
        params.append(start)
    if end is not None:
        clauses.append("year <= %s")
        params.append(end)
    organisations = {int(filters.organisation)} if filters.organisation else set()
    if audience.level == "organisation":
        organisations.add(int(audience.organisation_id))
    for organisation in sorted(organisations):
        clauses.append("organisation_id = %s")
        params.append(organisation)
    for key in ("province", "regency"):
        if getattr(filters, key):
            clauses.append(f"{key} = %s")
            params.append(str(getattr(filters, key)))
    if filters.type:
        clauses.append("(types & %s) <> 0")
        params.append(TYPE_BITS[filters.type])
    return clauses, params


def counts(m, rows, cols, audience, filters, merge: set[str] | None):
    """Raw counts as `tables._counts` returns them — ({(r, c): n}, {r: n}, {c: n}, total) — from the
    cube and the shared facts, or None when the cube cannot answer (then the caller counts)."""
    from lindungi.reports import record_cube

    dims = [rows.key] + ([cols.key] if cols else [])
    if not answerable(m.key, dims, audience, filters) or not available(m.key):
        return None
    merge = set(merge or ())
    record = m.key in record_cube.MEASURES
    columns = _columns(m.key)
    level = 1 if "regency" in dims or filters.regency else 0
    # The columns each dimension is read from: one, or (outcome) two; `spans` finds them in a row.
    group, spans = [], []
    for dim in dims:
        read = {"type": ["types"], "outcome": ["rank", "flags"]}.get(dim, [columns.get(dim)])
        spans.append((dim, len(group), len(group) + len(read)))
        group += read
    outcomes = _outcome_reader() if "outcome" in dims else None
    where, params = _where(audience, filters, level)
    if record:  # one table for the record measures: counted records, n
        table, sums = record_cube.CELL, ["SUM(n)", "SUM(n)"]
        stored = record_cube.LEGAL_BY_PROVINCE if m.key == "legal" and filters.province else m.key
        where, params = ["measure = %s", *where], [stored, *params]
    else:
        table, sums = CUBE, ["SUM(cases)", "SUM(singles)"]
    sql_where = " AND ".join(where)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(group + sums)} FROM {table} "
                       f"WHERE {sql_where} GROUP BY {', '.join(group)}" if group else
                       f"SELECT {', '.join(sums)} FROM {table} WHERE {sql_where}", params)
        cube_rows = cursor.fetchall()
        shared_rows = []
        if m.key == "children":
            fact_where, fact_params = _where(audience, filters, None)
            cursor.execute(f"SELECT {', '.join(['child_key'] + group)} FROM {FACT} "
                           f"WHERE {' AND '.join(['shared'] + fact_where)}", fact_params)
            shared_rows = cursor.fetchall()

    merged_dim = cols.key if cols and merge else None

    def categories(dim: str, values: tuple) -> list[str]:
        """The categories of `dim` a fact or cell with these column values falls in (type, outcome:
        several); rare categories of the column dimension merged into OTHER, as `tables._group` does."""
        merge_here = merge if dim == merged_dim else set()
        if dim == "type":
            types = values[0]
            found = [code for code, bit in TYPE_BITS.items() if types & bit and code not in merge_here]
            if any(types & TYPE_BITS[code] for code in merge_here if code in TYPE_BITS):
                found.append(OTHER)
            return found
        if dim == "outcome":
            return outcomes(*values)
        value = values[0]
        code = "" if value is None or (dim == "year" and value == 0) else str(value)  # year 0: not reported yet
        return [OTHER if code in merge_here else code]

    def keyed(values) -> list[list[str]]:
        """Per dimension, the categories a result row (its group columns) falls in."""
        return [categories(dim, values[start:stop]) for dim, start, stop in spans]

    count_cases = m.key != "children"
    total = 0
    by_row: dict[str, int] = {}
    by_col: dict[str, int] = {}
    cells: dict[tuple[str, str], int] = {}
    present_rows: set[str] = set()
    present_cols: set[str] = set()

    for row in cube_rows:
        n_cases, n_singles = int(row[-2] or 0), int(row[-1] or 0)
        if not n_cases:
            continue  # cells emptied by deletions
        n = n_cases if count_cases else n_singles
        total += n
        if not group:
            continue
        keys = keyed(row[:-2])
        for r in keys[0]:
            by_row[r] = by_row.get(r, 0) + n
            present_rows.add(r)
        if cols:
            for c in keys[1]:
                by_col[c] = by_col.get(c, 0) + n
                present_cols.add(c)
                for r in keys[0]:
                    cells[(r, c)] = cells.get((r, c), 0) + n

    if shared_rows:  # distinct shared children per category and in all
        total += len({row[0] for row in shared_rows})
        seen_row, seen_col, seen_cell = {}, {}, {}
        for row in shared_rows:
            key, keys = row[0], keyed(row[1:])
            for r in keys[0]:
                seen_row.setdefault(r, set()).add(key)
                present_rows.add(r)
            if cols:
                for c in keys[1]:
                    seen_col.setdefault(c, set()).add(key)
                    present_cols.add(c)
                    for r in keys[0]:
                        seen_cell.setdefault((r, c), set()).add(key)
        for r, keys_ in seen_row.items():
            by_row[r] = by_row.get(r, 0) + len(keys_)
        for c, keys_ in seen_col.items():
            by_col[c] = by_col.get(c, 0) + len(keys_)
        for cell, keys_ in seen_cell.items():
            cells[cell] = cells.get(cell, 0) + len(keys_)

    def complete(dim: str, found: dict, present: set) -> dict:
        # As the GROUP BY queries give them: every category of a multi-valued dimension (zeros too),
        # otherwise only the categories some counted case falls in.
        if dim in ("type", "outcome"):
            merge_here = merge if dim == merged_dim else set()
            codes = [c for c, _label in dimension(dim).fixed if c not in merge_here] + ([OTHER] if merge_here else [])
            return {code: found.get(code, 0) for code in codes}
        return {code: found.get(code, 0) for code in present}

    row_totals = complete(rows.key, by_row, present_rows)
    if cols is None:
        return {}, row_totals, {}, total
    col_totals = complete(cols.key, by_col, present_cols)
    if cols.key in ("type", "outcome"):  # the GROUP BY gives every (row, category) pair of the rows present
        cells = {(r, c): cells.get((r, c), 0) for r in row_totals for c in col_totals}
    return cells, row_totals, col_totals, total

