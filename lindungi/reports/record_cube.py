# ruff: noqa: S608 - SQL here is composed of this module's constants only; every value is a bound parameter.
"""Incremental aggregates for incidents, perpetrators and referrals, kept by the database itself.

Like the cases cube (`cube.py`), but these measures count records (never distinct children), and
whether a record counts depends on other rows: an incident counts while one of its linked cases has
an active statistics consent, a perpetrator with its incident, a referral while its case consents.
So their facts are derived per *root* — the incident (for incidents and their perpetrators), the
case (for its referrals) — and every trigger that touches something a root's facts are derived
from deletes and re-derives that root's facts with the same rules as `measures.py` / `sources.py`:

* incidents: incidents with a consenting linked case (`Incident.objects.with_statistics_consent`),
  by year of `occurred_on`, organisation, province, regency, types (bits), setting;
* perpetrators: perpetrators of those incidents, by the incident's year, province, regency and
  types, and the perpetrator's organisation, sex, age group and relationship;
* referrals: referrals of consenting cases with a child, by year of `sent_on`, the referral's
  organisation and service, and the case's province, regency, types, sex and age group.

Triggers on the facts keep `reports_recordcell`: +1 when a fact comes, −1 when it goes, at the
province level and at the regency level. `cube.counts` reads both cubes.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from django.db import transaction

from lindungi.reports import cube

FACT = "reports_recordfact"
CELL = "reports_recordcell"
PREFIX = "reports_rcube_"
DIMENSION_COLUMNS = ("year", "organisation_id", "province", "regency", "types", "a", "b", "c", "rank", "flags")
FACT_COLUMNS = "measure, root_id, " + ", ".join(DIMENSION_COLUMNS)


@dataclass(frozen=True)
class RecordMeasure:
    key: str
    columns: dict[str, str]  # statistics dimension -> fact/cell column
    places: bool = True  # province and regency are columns (else neither a breakdown nor a filter)


MEASURES = {
    m.key: m for m in [
        RecordMeasure("incidents", {"year": "year", "organisation": "organisation_id", "province": "province",
                                    "regency": "regency", "setting": "a"}),
        RecordMeasure("perpetrators", {"year": "year", "organisation": "organisation_id", "province": "province",
                                       "regency": "regency", "sex": "a", "perpetrator_age": "b", "relationship": "c"}),
        RecordMeasure("referrals", {"year": "year", "organisation": "organisation_id", "province": "province",
                                    "regency": "regency", "service": "a", "sex": "b", "age_group": "c"}),
        # Legal cases by the date of the police report (year 0: not reported yet), the incidents'
        # types and the outcomes; their province is their victims' (several), counted from the data.
        RecordMeasure("legal", {"year": "year", "organisation": "organisation_id"}, places=False),
    ]
}


def _incident_types(vendor: str, incident: str) -> str:
    return "(" + " + ".join(
        f"CASE WHEN EXISTS (SELECT 1 FROM incidents_incidenttype t WHERE t.incident_id = {incident} "
        f"AND t.type = '{code}') THEN {bit} ELSE 0 END" for code, bit in cube.TYPE_BITS.items()) + ")"


def _consenting_incident(incident: str) -> str:
    return (f"EXISTS (SELECT 1 FROM incidents_incidentcase ic JOIN cases_case cc ON cc.id = ic.case_id "
            f"WHERE ic.incident_id = {incident} AND cc.statistics_consent)")


def refresh_sql(vendor: str, measure: str, roots: str) -> list[str]:
    """Statements that re-derive the facts of `measure` for the roots `roots` selects (a subquery,
    which may name NEW/OLD inside a trigger)."""
    delete = f"DELETE FROM {FACT} WHERE measure = '{measure}' AND root_id IN ({roots})"
    if measure == "incidents":
        select = (f"SELECT 'incidents', i.id, {cube.year_sql(vendor, 'i.occurred_on')}, i.organisation_id, "
                  f"COALESCE(i.province_id, ''), COALESCE(i.regency_id, ''), {_incident_types(vendor, 'i.id')}, "
                  f"COALESCE(i.setting, ''), '', '', 0, 0 FROM incidents_incident i "
                  f"WHERE i.id IN ({roots}) AND {_consenting_incident('i.id')}")
    elif measure == "perpetrators":
        select = (f"SELECT 'perpetrators', i.id, {cube.year_sql(vendor, 'i.occurred_on')}, p.organisation_id, "
                  f"COALESCE(i.province_id, ''), COALESCE(i.regency_id, ''), {_incident_types(vendor, 'i.id')}, "
                  f"COALESCE(p.sex, ''), COALESCE(p.age_group, ''), COALESCE(p.relationship, ''), 0, 0 "
                  f"FROM incidents_perpetrator p JOIN incidents_incident i ON i.id = p.incident_id "
                  f"WHERE i.id IN ({roots}) AND {_consenting_incident('i.id')}")
    elif measure == "referrals":
        facts = cube.fact_expressions(vendor, "c", "c")
        types, age = facts["types"], facts["age_group"]
        select = (f"SELECT 'referrals', c.id, {cube.year_sql(vendor, 'r.sent_on')}, r.organisation_id, "
                  f"COALESCE(c.province_id, ''), COALESCE(c.regency_id, ''), {types}, COALESCE(r.service_type, ''), "
                  f"COALESCE(c.sex, ''), {age}, 0, 0 FROM cases_referral r JOIN cases_case c ON c.id = r.case_id "
                  f"WHERE c.id IN ({roots}) AND c.statistics_consent AND c.child_id IS NOT NULL")
    else:
        by_province = measure == LEGAL_BY_PROVINCE
        types = "(" + " + ".join(
            f"CASE WHEN EXISTS (SELECT 1 FROM legal_legalcaseincident li JOIN incidents_incidenttype t "
            f"ON t.incident_id = li.incident_id WHERE li.legal_case_id = l.id AND t.type = '{code}') THEN {bit} ELSE 0 END"
            for code, bit in cube.TYPE_BITS.items()) + ")"
        flags = ("(CASE WHEN l.convicted_count > 0 THEN 1 ELSE 0 END + CASE WHEN l.restitution_ordered_total > 0 "
                 "THEN 2 ELSE 0 END + CASE WHEN l.restitution_paid_total > 0 THEN 4 ELSE 0 END)")
        # By province: one fact per province a victim's case is in (any victim, as `sources.py`'s
        # through_victims), so that a province filter counts each legal case once.
        place = "COALESCE(vc.province_id, '')" if by_province else "''"
        victims = ("JOIN (SELECT DISTINCT lv2.legal_case_id, vc2.province_id FROM legal_legalcasevictim lv2 "
                   "JOIN cases_case vc2 ON vc2.id = lv2.case_id) vc ON vc.legal_case_id = l.id ") if by_province else ""
        select = (f"SELECT '{measure}', l.id, COALESCE({cube.year_sql(vendor, 'l.reported_on')}, 0), l.organisation_id, {place}, "
                  f"'', {types}, '', '', '', l.max_order_reached, {flags} FROM legal_legalcase l {victims}"
                  f"WHERE l.id IN ({roots}) "
                  f"AND EXISTS (SELECT 1 FROM legal_legalcasevictim lv JOIN cases_case cc ON cc.id = lv.case_id "
                  f"WHERE lv.legal_case_id = l.id AND cc.statistics_consent)")
    return [delete, f"INSERT INTO {FACT} ({FACT_COLUMNS}) {select}"]


INCIDENT_MEASURES = ("incidents", "perpetrators")
LEGAL_BY_PROVINCE = "legal_province"
LEGAL_MEASURES = ("legal", LEGAL_BY_PROVINCE)
SOURCE_TABLES = ("cases_case", "cases_referral", "incidents_incident", "incidents_incidenttype", "incidents_incidentcase",
                 "incidents_perpetrator", "legal_legalcase", "legal_legalcasevictim", "legal_legalcaseincident")
CASE_COLUMNS = ("organisation_id", "child_id", "concerns", "statistics_consent", "province_id", "regency_id", "sex",
                "age_years")


def _sources() -> list[tuple[str, str, tuple[str, ...] | None, list[tuple[str, str]]]]:
    """(table, event, update columns or None, [(measure, roots subquery)]) for every trigger; the
    subqueries name NEW or OLD as the event has them."""
    out = []

    def each_event(table, refreshes):
        """refreshes: [(measure, subquery with {row} for NEW/OLD)]"""
        out.append((table, "INSERT", None, [(m, q.format(row="NEW")) for m, q in refreshes]))
        out.append((table, "UPDATE", None, [(m, q.format(row=row)) for m, q in refreshes for row in ("NEW", "OLD")]))
        out.append((table, "DELETE", None, [(m, q.format(row="OLD")) for m, q in refreshes]))

    each_event("incidents_incident", [(m, "SELECT {row}.id") for m in INCIDENT_MEASURES])
    each_event("incidents_incidenttype", [
        *[(m, "SELECT {row}.incident_id") for m in INCIDENT_MEASURES],
        *[(m, "SELECT li.legal_case_id FROM legal_legalcaseincident li WHERE li.incident_id = {row}.incident_id")
          for m in LEGAL_MEASURES]])
    each_event("incidents_incidentcase", [(m, "SELECT {row}.incident_id") for m in INCIDENT_MEASURES])
    each_event("incidents_perpetrator", [("perpetrators", "SELECT {row}.incident_id")])
    each_event("cases_referral", [("referrals", "SELECT {row}.case_id")])
    each_event("legal_legalcase", [(m, "SELECT {row}.id") for m in LEGAL_MEASURES])
    each_event("legal_legalcasevictim", [(m, "SELECT {row}.legal_case_id") for m in LEGAL_MEASURES])
    each_event("legal_legalcaseincident", [(m, "SELECT {row}.legal_case_id") for m in LEGAL_MEASURES])
    # A case's consent decides whether its incidents and legal cases count; its columns are its
    # referrals' dimensions.
    out.append(("cases_case", "UPDATE", ("statistics_consent",), [
        *[(m, "SELECT ic.incident_id FROM incidents_incidentcase ic WHERE ic.case_id = NEW.id") for m in INCIDENT_MEASURES],
        *[(m, "SELECT lv.legal_case_id FROM legal_legalcasevictim lv WHERE lv.case_id = NEW.id") for m in LEGAL_MEASURES]]))
    out.append(("cases_case", "UPDATE", CASE_COLUMNS, [
        ("referrals", "SELECT NEW.id"),
        (LEGAL_BY_PROVINCE, "SELECT lv.legal_case_id FROM legal_legalcasevictim lv WHERE lv.case_id = NEW.id")]))
    return out


def _trigger_name(index: int, table: str, event: str) -> str:
    # The definitions' fingerprint is in every name: a database whose triggers were made by other
    # rules lacks today's names, so `install` re-creates them and rebuilds the facts.
    return f"{PREFIX}{index:02d}_{table}_{event.lower()}_{_fingerprint()}"


@functools.cache
def _fingerprint() -> str:
    rules = repr([_sources(), rebuild_sql("postgresql"), rebuild_sql("sqlite"), DIMENSION_COLUMNS])
    return hashlib.sha256(rules.encode()).hexdigest()[:6]


def _body(vendor: str, refreshes) -> list[str]:
    statements = []
    for measure, subquery in refreshes:
        statements += refresh_sql(vendor, measure, subquery)
    return statements


def _upsert(vendor: str) -> str:
    values = ", ".join(f"NEW.{c}" for c in DIMENSION_COLUMNS if c != "regency")
    columns = ", ".join(c for c in DIMENSION_COLUMNS if c != "regency")
    conflict = "measure, level, " + ", ".join(DIMENSION_COLUMNS)
    return (f"INSERT INTO {CELL} (measure, level, regency, {columns}, n) "
            f"SELECT NEW.measure, 0, '', {values}, 1 UNION ALL SELECT NEW.measure, 1, NEW.regency, {values}, 1 "
            f"{'' if vendor == 'postgresql' else 'WHERE true '}"
            f"ON CONFLICT ({conflict}) DO UPDATE SET n = {CELL}.n + excluded.n")


def _decrement() -> str:
    same = " AND ".join(f"{CELL}.{c} = OLD.{c}" for c in DIMENSION_COLUMNS if c != "regency")
    return (f"UPDATE {CELL} SET n = n - 1 WHERE {CELL}.measure = OLD.measure AND {same} AND "
            f"({CELL}.level = 0 AND {CELL}.regency = '' OR {CELL}.level = 1 AND {CELL}.regency = OLD.regency)")


def names(vendor: str) -> list[str]:
    found = [_trigger_name(i, table, event) for i, (table, event, _c, _r) in enumerate(_sources())]
    return found + [f"{PREFIX}fact_ins", f"{PREFIX}fact_del"]


def _create(cursor, vendor: str) -> None:
    for index, (table, event, columns, refreshes) in enumerate(_sources()):
        name = _trigger_name(index, table, event)
        when = event + (" OF " + ", ".join(f'"{c}"' for c in columns) if columns else "")
        body = ";\n".join(_body(vendor, refreshes)) + ";"
        if vendor == "postgresql":
            cursor.execute(f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                           f"BEGIN {body} RETURN NULL; END $$")
            cursor.execute(f'CREATE OR REPLACE TRIGGER {name} AFTER {when} ON "{table}" FOR EACH ROW '
                           f"EXECUTE FUNCTION {name}()")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f'CREATE TRIGGER {name} AFTER {when} ON "{table}" BEGIN {body} END')
    if vendor == "postgresql":
        cursor.execute(f"CREATE OR REPLACE FUNCTION {PREFIX}fact_ins() RETURNS trigger LANGUAGE plpgsql AS $$ "
                       f"BEGIN {_upsert(vendor)}; RETURN NULL; END $$")
        cursor.execute(f"CREATE OR REPLACE FUNCTION {PREFIX}fact_del() RETURNS trigger LANGUAGE plpgsql AS $$ "
                       f"BEGIN {_decrement()}; RETURN NULL; END $$")
        cursor.execute(f"CREATE OR REPLACE TRIGGER {PREFIX}fact_ins AFTER INSERT ON {FACT} FOR EACH ROW "
                       f"EXECUTE FUNCTION {PREFIX}fact_ins()")
        cursor.execute(f"CREATE OR REPLACE TRIGGER {PREFIX}fact_del AFTER DELETE ON {FACT} FOR EACH ROW "
                       f"EXECUTE FUNCTION {PREFIX}fact_del()")
    else:
        # Decrements only update existing cells: a flush that empties the cells before the facts
        # leaves no stray cells behind.
        for name, event, statement in ((f"{PREFIX}fact_ins", "INSERT", _upsert(vendor)),
                                       (f"{PREFIX}fact_del", "DELETE", _decrement())):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"CREATE TRIGGER {name} AFTER {event} ON {FACT} BEGIN {statement}; END")


def install(conn) -> None:
    """Create (or replace) the triggers; rebuild if one was missing. Idempotent, run by every
    `migrate`; does nothing while a migration has not yet given the tables today's columns."""
    with conn.cursor() as cursor:
        if not {FACT, CELL} <= set(conn.introspection.table_names(cursor)):
            return
        present = {c.name for c in conn.introspection.get_table_description(cursor, FACT)}
        if not set(FACT_COLUMNS.split(", ")) <= present:
            return
        complete = cube.installed_triggers(cursor, conn.vendor, PREFIX) >= set(names(conn.vendor))
        _create(cursor, conn.vendor)
    if not complete:
        rebuild(conn)


def uninstall(conn) -> None:
    """Drop this module's triggers, those of earlier versions too (found by their prefix)."""
    with conn.cursor() as cursor:
        present = cube.installed_triggers(cursor, conn.vendor, PREFIX)
        tables = {_trigger_name(i, table, event): table for i, (table, event, _c, _r) in enumerate(_sources())}
        if conn.vendor == "postgresql":
            cursor.execute(f"SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                           f"WHERE t.tgname LIKE '{PREFIX}%%' AND NOT t.tgisinternal")
            tables.update(dict(cursor.fetchall()))
        for name in (present | set(tables)) - {f"{PREFIX}fact_ins", f"{PREFIX}fact_del"}:
            table = tables.get(name)
            if conn.vendor == "postgresql":
                if name in present:  # (dropping a trigger locks its table until the commit)
                    cursor.execute(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for name in (f"{PREFIX}fact_ins", f"{PREFIX}fact_del"):
            if conn.vendor == "postgresql":
                if name in present:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {FACT}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def _type_masks(link_table: str, key: str) -> str:
    """(key, types): the exploitation-type bits of every incident or legal case, in one GROUP BY."""
    bits = " ".join(f"WHEN '{code}' THEN {bit}" for code, bit in cube.TYPE_BITS.items())
    source = ("incidents_incidenttype t" if link_table == "incidents_incidenttype" else
              f"{link_table} li JOIN incidents_incidenttype t ON t.incident_id = li.incident_id")
    return f"(SELECT {key} AS id, SUM(DISTINCT CASE t.type {bits} ELSE 0 END) AS types FROM {source} GROUP BY {key})"


def rebuild_sql(vendor: str) -> list[str]:
    """Every fact at once, by the rules of `refresh_sql` in set form: the types and the consent of all
    incidents and legal cases are each one GROUP BY, not a lookup per record (a rebuild after a
    bulk load reads millions). A test holds rebuilt and maintained facts equal."""
    incident_types = _type_masks("incidents_incidenttype", "t.incident_id")
    legal_types = _type_masks("legal_legalcaseincident", "li.legal_case_id")
    consenting_incidents = ("(SELECT DISTINCT ic.incident_id AS id FROM incidents_incidentcase ic "
                            "JOIN cases_case cc ON cc.id = ic.case_id WHERE cc.statistics_consent)")
    consenting_legal = ("(SELECT DISTINCT lv.legal_case_id AS id FROM legal_legalcasevictim lv "
                        "JOIN cases_case cc ON cc.id = lv.case_id WHERE cc.statistics_consent)")
    flags = ("(CASE WHEN l.convicted_count > 0 THEN 1 ELSE 0 END + CASE WHEN l.restitution_ordered_total > 0 "
             "THEN 2 ELSE 0 END + CASE WHEN l.restitution_paid_total > 0 THEN 4 ELSE 0 END)")
    facts = cube.fact_expressions(vendor, "c", "c")
    insert = f"INSERT INTO {FACT} ({FACT_COLUMNS}) "
    return [
        insert + f"SELECT 'incidents', i.id, {cube.year_sql(vendor, 'i.occurred_on')}, i.organisation_id, "
                 f"COALESCE(i.province_id, ''), COALESCE(i.regency_id, ''), COALESCE(m.types, 0), "
                 f"COALESCE(i.setting, ''), '', '', 0, 0 FROM incidents_incident i "
                 f"JOIN {consenting_incidents} ok ON ok.id = i.id LEFT JOIN {incident_types} m ON m.id = i.id",
        insert + f"SELECT 'perpetrators', i.id, {cube.year_sql(vendor, 'i.occurred_on')}, p.organisation_id, "
                 f"COALESCE(i.province_id, ''), COALESCE(i.regency_id, ''), COALESCE(m.types, 0), "
                 f"COALESCE(p.sex, ''), COALESCE(p.age_group, ''), COALESCE(p.relationship, ''), 0, 0 "
                 f"FROM incidents_perpetrator p JOIN incidents_incident i ON i.id = p.incident_id "
                 f"JOIN {consenting_incidents} ok ON ok.id = i.id LEFT JOIN {incident_types} m ON m.id = i.id",
        insert + f"SELECT 'referrals', c.id, {cube.year_sql(vendor, 'r.sent_on')}, r.organisation_id, "
                 f"COALESCE(c.province_id, ''), COALESCE(c.regency_id, ''), {facts['types']}, "
                 f"COALESCE(r.service_type, ''), COALESCE(c.sex, ''), {facts['age_group']}, 0, 0 "
                 f"FROM cases_referral r JOIN cases_case c ON c.id = r.case_id "
                 f"WHERE c.statistics_consent AND c.child_id IS NOT NULL",
        insert + f"SELECT 'legal', l.id, COALESCE({cube.year_sql(vendor, 'l.reported_on')}, 0), l.organisation_id, '', '', "
                 f"COALESCE(m.types, 0), '', '', '', l.max_order_reached, {flags} FROM legal_legalcase l "
                 f"JOIN {consenting_legal} ok ON ok.id = l.id LEFT JOIN {legal_types} m ON m.id = l.id",
        insert + f"SELECT '{LEGAL_BY_PROVINCE}', l.id, COALESCE({cube.year_sql(vendor, 'l.reported_on')}, 0), l.organisation_id, "
                 f"COALESCE(vc.province_id, ''), '', COALESCE(m.types, 0), '', '', '', l.max_order_reached, {flags} "
                 f"FROM legal_legalcase l JOIN {consenting_legal} ok ON ok.id = l.id "
                 f"JOIN (SELECT DISTINCT lv.legal_case_id, c.province_id FROM legal_legalcasevictim lv "
                 f"JOIN cases_case c ON c.id = lv.case_id) vc ON vc.legal_case_id = l.id "
                 f"LEFT JOIN {legal_types} m ON m.id = l.id",
    ]


def rebuild(conn) -> None:
    """Derive every root's facts and the cells again, in one transaction, triggers off meanwhile
    (on PostgreSQL readers wait for the new tables: `cube.emptied_for_refill`)."""
    with conn.cursor() as cursor:  # (before the transaction: its locks end with the ANALYZE)
        cube.analyse_sources(cursor, conn.vendor, SOURCE_TABLES)
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        uninstall(conn)
        with cube.emptied_for_refill(cursor, conn.vendor, (CELL, FACT)):
            for statement in rebuild_sql(conn.vendor):
                cursor.execute(statement)
            columns = ", ".join(c for c in DIMENSION_COLUMNS if c != "regency")
            cursor.execute(f"INSERT INTO {CELL} (measure, level, regency, {columns}, n) "
                           f"SELECT measure, 0, '', {columns}, count(*) FROM {FACT} GROUP BY measure, {columns}")
            cursor.execute(f"INSERT INTO {CELL} (measure, level, regency, {columns}, n) "
                           f"SELECT measure, 1, regency, {columns}, count(*) FROM {FACT} "
                           f"GROUP BY measure, regency, {columns}")
        _create(cursor, conn.vendor)


def available(cursor, vendor: str) -> bool:
    return cube.installed_triggers(cursor, vendor, PREFIX) >= set(names(vendor))
