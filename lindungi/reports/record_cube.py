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

from dataclasses import dataclass

from django.db import transaction

from lindungi.reports import cube

FACT = "reports_recordfact"
CELL = "reports_recordcell"
PREFIX = "reports_rcube_"
DIMENSION_COLUMNS = ("year", "organisation_id", "province", "regency", "types", "a", "b", "c")
FACT_COLUMNS = "measure, root_id, " + ", ".join(DIMENSION_COLUMNS)


@dataclass(frozen=True)
class RecordMeasure:
    key: str
    columns: dict[str, str]  # statistics dimension -> fact/cell column


MEASURES = {
    m.key: m for m in [
        RecordMeasure("incidents", {"year": "year", "organisation": "organisation_id", "province": "province",
                                    "regency": "regency", "setting": "a"}),
        RecordMeasure("perpetrators", {"year": "year", "organisation": "organisation_id", "province": "province",
                                       "regency": "regency", "sex": "a", "perpetrator_age": "b", "relationship": "c"}),
        RecordMeasure("referrals", {"year": "year", "organisation": "organisation_id", "province": "province",
                                    "regency": "regency", "service": "a", "sex": "b", "age_group": "c"}),
    ]
}


def _year(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"
    return f"CAST(strftime('%Y', {column}) AS integer)"


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
        select = (f"SELECT 'incidents', i.id, {_year(vendor, 'i.occurred_on')}, i.organisation_id, "
                  f"COALESCE(i.province_id, ''), COALESCE(i.regency_id, ''), {_incident_types(vendor, 'i.id')}, "
                  f"COALESCE(i.setting, ''), '', '' FROM incidents_incident i "
                  f"WHERE i.id IN ({roots}) AND {_consenting_incident('i.id')}")
    elif measure == "perpetrators":
        select = (f"SELECT 'perpetrators', i.id, {_year(vendor, 'i.occurred_on')}, p.organisation_id, "
                  f"COALESCE(i.province_id, ''), COALESCE(i.regency_id, ''), {_incident_types(vendor, 'i.id')}, "
                  f"COALESCE(p.sex, ''), COALESCE(p.age_group, ''), COALESCE(p.relationship, '') "
                  f"FROM incidents_perpetrator p JOIN incidents_incident i ON i.id = p.incident_id "
                  f"WHERE i.id IN ({roots}) AND {_consenting_incident('i.id')}")
    else:
        facts = cube.fact_expressions(vendor, "c", "c")
        types, age = facts["types"], facts["age_group"]
        select = (f"SELECT 'referrals', c.id, {_year(vendor, 'r.sent_on')}, r.organisation_id, "
                  f"COALESCE(c.province_id, ''), COALESCE(c.regency_id, ''), {types}, COALESCE(r.service_type, ''), "
                  f"COALESCE(c.sex, ''), {age} FROM cases_referral r JOIN cases_case c ON c.id = r.case_id "
                  f"WHERE c.id IN ({roots}) AND c.statistics_consent AND c.child_id IS NOT NULL")
    return [delete, f"INSERT INTO {FACT} ({FACT_COLUMNS}) {select}"]


# Per source table: (event, measures to refresh, roots) for each write. INCIDENT_ROOTS and
# CASE_ROOTS name NEW/OLD as each event has them.
INCIDENT_MEASURES = ("incidents", "perpetrators")
CASE_COLUMNS = ("organisation_id", "child_id", "concerns", "statistics_consent", "province_id", "regency_id", "sex",
                "age_years")


def _sources() -> list[tuple[str, str, tuple[str, ...], tuple[str, ...] | None, list[str]]]:
    """(table, event, measures, update columns or None, root subqueries) for every trigger."""
    out = []
    for table, column, measures in (
        ("incidents_incident", "id", INCIDENT_MEASURES),
        ("incidents_incidenttype", "incident_id", INCIDENT_MEASURES),
        ("incidents_incidentcase", "incident_id", INCIDENT_MEASURES),
        ("incidents_perpetrator", "incident_id", ("perpetrators",)),
        ("cases_referral", "case_id", ("referrals",)),
    ):
        out.append((table, "INSERT", measures, None, [f"SELECT NEW.{column}"]))
        out.append((table, "UPDATE", measures, None, [f"SELECT NEW.{column}", f"SELECT OLD.{column}"]))
        out.append((table, "DELETE", measures, None, [f"SELECT OLD.{column}"]))
    # A case's consent decides whether its incidents count; its columns are its referrals' dimensions.
    out.append(("cases_case", "UPDATE", INCIDENT_MEASURES, ("statistics_consent",),
                ["SELECT ic.incident_id FROM incidents_incidentcase ic WHERE ic.case_id = NEW.id"]))
    out.append(("cases_case", "UPDATE", ("referrals",), CASE_COLUMNS, ["SELECT NEW.id"]))
    return out


def _trigger_name(table: str, event: str, measures: tuple[str, ...]) -> str:
    return f"{PREFIX}{table}_{event.lower()}_{measures[0][:4]}"


def _body(vendor: str, measures, roots) -> list[str]:
    statements = []
    for measure in measures:
        for subquery in roots:
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
    found = [_trigger_name(table, event, measures) for table, event, measures, _c, _r in _sources()]
    return found + [f"{PREFIX}fact_ins", f"{PREFIX}fact_del"]


def _create(cursor, vendor: str) -> None:
    for table, event, measures, columns, roots in _sources():
        name = _trigger_name(table, event, measures)
        when = event + (" OF " + ", ".join(f'"{c}"' for c in columns) if columns else "")
        body = ";\n".join(_body(vendor, measures, roots)) + ";"
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


def _installed(cursor, vendor: str) -> set[str]:
    if vendor == "postgresql":
        cursor.execute(f"SELECT tgname FROM pg_trigger WHERE tgname LIKE '{PREFIX}%%' AND NOT tgisinternal")
    else:
        cursor.execute(f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '{PREFIX}%%'")
    return {row[0] for row in cursor.fetchall()}


def install(conn) -> None:
    with conn.cursor() as cursor:
        if not {FACT, CELL} <= set(conn.introspection.table_names(cursor)):
            return
        complete = _installed(cursor, conn.vendor) >= set(names(conn.vendor))
        _create(cursor, conn.vendor)
    if not complete:
        rebuild(conn)


def uninstall(conn) -> None:
    with conn.cursor() as cursor:
        for table, event, measures, _columns, _roots in _sources():
            name = _trigger_name(table, event, measures)
            if conn.vendor == "postgresql":
                cursor.execute(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for name in (f"{PREFIX}fact_ins", f"{PREFIX}fact_del"):
            if conn.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {FACT}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def rebuild(conn) -> None:
    """Derive every root's facts and the cells again, in one transaction, triggers off meanwhile."""
    all_incidents = "SELECT id FROM incidents_incident"
    all_cases = "SELECT case_id FROM cases_referral"
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        uninstall(conn)
        cursor.execute(f"DELETE FROM {CELL}")
        cursor.execute(f"DELETE FROM {FACT}")
        for measure, roots in (("incidents", all_incidents), ("perpetrators", all_incidents),
                               ("referrals", all_cases)):
            _delete, insert = refresh_sql(conn.vendor, measure, roots)
            cursor.execute(insert)
        columns = ", ".join(c for c in DIMENSION_COLUMNS if c != "regency")
        cursor.execute(f"INSERT INTO {CELL} (measure, level, regency, {columns}, n) "
                       f"SELECT measure, 0, '', {columns}, count(*) FROM {FACT} GROUP BY measure, {columns}")
        cursor.execute(f"INSERT INTO {CELL} (measure, level, regency, {columns}, n) "
                       f"SELECT measure, 1, regency, {columns}, count(*) FROM {FACT} GROUP BY measure, regency, {columns}")
        _create(cursor, conn.vendor)


def available(cursor, vendor: str) -> bool:
    return _installed(cursor, vendor) >= set(names(vendor))
