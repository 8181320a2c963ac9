"""Cached statistics that can never disagree with the data.

Counting distinct children over every consenting case costs a full scan per query; a dashboard,
a factsheet and an annual report ask for the same aggregates again and again. They are cached
here, in the database itself, keyed by a *data version*:

* `StatisticsVersion` holds counters (a few shards, so that concurrent writers rarely wait on the
  same row). Database triggers on every table statistics read (cases, children, referrals,
  incidents and their types, links and perpetrators, legal cases and their links) add one to a
  counter in the same statement, hence in the same transaction, as the write. Every write path is
  covered, services, bulk loads, the admin and raw SQL alike. The version is the sum of the
  counters: each committed write makes it larger.
* `StatisticsCache` holds the raw counts of one aggregate query (its spec hashed) with the
  version they were computed at. A lookup reads the version and the entry in one query, and uses
  the entry only when its version is the current one; otherwise the counts are computed (after
  the version was read, so they are at least as new) and stored. Stored counts live in the same
  database and transactions as the data: a rollback, a restore or a flush takes them along.
* Suppression is applied on every request to the counts, as before: only raw counts are cached,
  never published values, so the rules in STATISTICS.md apply unchanged.

Only the network and organisation levels are cached: a worker's personal figures depend on team
membership, and are small.

For `cases_case`, `cases_child` and `cases_referral` the triggers fire on updates of the columns
statistics read only (a status change or a follow-up date leaves the cache warm). A test lists every
column of these tables as either counted or ignored, so a new column must be classified.
"""

from __future__ import annotations

import hashlib
import json
import logging

from django.db import connection

logger = logging.getLogger(__name__)

SHARDS = 16
VERSION_TABLE = "reports_statisticsversion"
CACHE_TABLE = "reports_statisticscache"
TRIGGER_PREFIX = "reports_stats_"

# table -> the columns whose update changes a figure (None: any update).
SOURCES: dict[str, tuple[str, ...] | None] = {
    "cases_case": ("id", "organisation_id", "child_id", "registered_on", "concerns", "statistics_consent",
                   "province_id", "regency_id", "sex", "age_years"),
    "cases_child": ("id", "network_name_year_index", "network_nik_index"),
    "cases_referral": ("id", "organisation_id", "case_id", "service_type", "sent_on"),
    "incidents_incident": None,
    "incidents_incidenttype": None,
    "incidents_incidentcase": None,
    "incidents_perpetrator": None,
    "legal_legalcase": None,
    "legal_legalcasevictim": None,
    "legal_legalcaseincident": None,
}


# Indexes on the cases app's table that serve statistics only (partial: consenting cases with a
# child, the rows every case and child measure counts). Created here, with the triggers, so that
# the cases app's migrations stay its own; every `migrate` re-creates one a SQLite table rebuild lost.
INDEXES = {
    # Cases and child victims in a period: the dashboard's year filter, the factsheet and the annual
    # report (`registered_on BETWEEN …` over consenting cases).
    "reports_case_stats_reg_idx": "cases_case (registered_on)",
    # Cases and child victims in one province (dashboard and factsheet province filter, regency
    # breakdowns), optionally in a period.
    "reports_case_stats_prov_idx": "cases_case (province_id, registered_on)",
}
INDEX_CONDITION = "statistics_consent AND child_id IS NOT NULL"


def _trigger_names(vendor: str) -> list[str]:
    names = []
    for table in SOURCES:
        if vendor == "postgresql":
            names.append(f"{TRIGGER_PREFIX}{table}")
        else:
            names += [f"{TRIGGER_PREFIX}{table}_{event}" for event in ("ins", "upd", "del")]
    return names


def install(conn) -> None:
    """Create (or replace) the triggers that bump the data version. Idempotent: the migration and
    every `migrate` run it (a later migration that rebuilds a table on SQLite would drop them)."""
    with conn.cursor() as cursor:
        existing = set(conn.introspection.table_names(cursor))
        if VERSION_TABLE not in existing:
            return
        missing = [t for t in SOURCES if t not in existing]
        if missing:
            raise RuntimeError(f"statistics source tables missing: {missing}")
        present = set(conn.introspection.get_constraints(cursor, "cases_case"))
        for name, columns in INDEXES.items():
            if name not in present:
                cursor.execute(f"CREATE INDEX {name} ON {columns} WHERE {INDEX_CONDITION}")
        if conn.vendor == "postgresql":
            cursor.execute(f"""
                CREATE OR REPLACE FUNCTION reports_statistics_bump() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO {VERSION_TABLE} (shard, value) VALUES (txid_current() % {SHARDS}, 1)
                    ON CONFLICT (shard) DO UPDATE SET value = {VERSION_TABLE}.value + 1;
                    RETURN NULL;
                END $$""")  # noqa: S608 - constants only
            for table, columns in SOURCES.items():
                update = "UPDATE" + (" OF " + ", ".join(f'"{c}"' for c in columns) if columns else "")
                cursor.execute(
                    f'CREATE OR REPLACE TRIGGER {TRIGGER_PREFIX}{table} AFTER INSERT OR DELETE OR TRUNCATE OR {update} '
                    f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION reports_statistics_bump()')
        else:  # SQLite: row triggers (one writer at a time, so one counter)
            bump = (f"INSERT OR IGNORE INTO {VERSION_TABLE} (shard, value) VALUES (0, 0); "  # noqa: S608
                    f"UPDATE {VERSION_TABLE} SET value = value + 1 WHERE shard = 0;")
            for table, columns in SOURCES.items():
                update = "UPDATE" + (" OF " + ", ".join(f'"{c}"' for c in columns) if columns else "")
                for event, when in (("ins", "INSERT"), ("upd", update), ("del", "DELETE")):
                    name = f"{TRIGGER_PREFIX}{table}_{event}"
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                    cursor.execute(f'CREATE TRIGGER {name} AFTER {when} ON "{table}" BEGIN {bump} END')


def uninstall(conn, *, indexes: bool = True) -> None:
    with conn.cursor() as cursor:
        if indexes:
            for name in INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        if conn.vendor == "postgresql":
            for table in SOURCES:
                cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER_PREFIX}{table} ON "{table}"')
            cursor.execute("DROP FUNCTION IF EXISTS reports_statistics_bump()")
        else:
            for name in _trigger_names("sqlite"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def _installed_sql() -> str:
    if connection.vendor == "postgresql":
        return f"(SELECT count(*) FROM pg_trigger WHERE tgname LIKE '{TRIGGER_PREFIX}%%' AND NOT tgisinternal)"  # noqa: S608
    return f"(SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '{TRIGGER_PREFIX}%%')"  # noqa: S608


def spec_key(spec: dict) -> str:
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()


def lookup(key: str):
    """(version, cached counts or None). version None: the triggers are not all there, so nothing
    may be cached or read from the cache."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT v.version, v.triggers, c.counts FROM "  # noqa: S608 - constants only
            f"(SELECT COALESCE((SELECT SUM(value) FROM {VERSION_TABLE}), 0) AS version, "
            f"{_installed_sql()} AS triggers) v "
            f"LEFT JOIN {CACHE_TABLE} c ON c.key = %s AND c.version = v.version",
            [key])
        version, triggers, counts = cursor.fetchone()
    if triggers != len(_trigger_names(connection.vendor)):
        logger.warning("Statistics triggers missing (%s found): figures are computed without the cache.", triggers)
        return None, None
    if counts is not None and isinstance(counts, str):
        counts = json.loads(counts)
    return int(version), counts


def store(key: str, version: int, counts) -> None:
    from lindungi.reports.models import StatisticsCache

    global _pruned
    StatisticsCache.objects.bulk_create(
        [StatisticsCache(key=key, version=version, counts=counts)],
        update_conflicts=True, unique_fields=["key"], update_fields=["version", "counts"])
    if _pruned != version:  # once per version and process: entries of an older version are never read again
        StatisticsCache.objects.filter(version__lt=version).delete()
        _pruned = version


_pruned: int | None = None


def cached(spec: dict, compute):
    """`compute()` (JSON-serialisable raw counts), or the counts stored for the current version."""
    key = spec_key(spec)
    version, counts = lookup(key)
    if counts is not None:
        return counts
    counts = compute()
    if version is not None:
        store(key, version, counts)
    return counts


def current_version() -> int | None:
    return lookup("")[0]
