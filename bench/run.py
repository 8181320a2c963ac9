#!/usr/bin/env python
"""Benchmark of Lindungi at national scale, in one run on one database.

    .venv/bin/python bench/run.py --cases 100000                      # SQLite: var/bench-100000.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x \\
        .venv/bin/python bench/run.py --cases 1000000                 # PostgreSQL: database lindungi_bench
    .venv/bin/python bench/run.py --cases 2000 --quick                # smoke run

It fills a dedicated database (never the development one: the name must contain "bench") with
`generate_synthetic`'s data, or reuses it when it already holds that many cases from the same seed,
then measures server-side wall time per request (Django's test client: the whole middleware stack,
view, template or PDF, with a real signed-in user; no network) for varied parameters, and prints
p50/p95 per scenario next to the target at 1,000,000 cases. For the case list, the name search and
the network statistics it also times the query layer (our selector or statistics table) against the
same result fetched with hand-written SQL, and prints the ratio ours/raw.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_DATABASE = "lindungi_bench"
PAGE = 25  # rows per page of the case list (cases/views/cases.py PAGE_SIZE)

# Targets: p95 at 1,000,000 cases on PostgreSQL, 2-core machine (issue 7).
TARGETS_MS = {"case_list": 50, "name_search": 50, "case_page": 100, "caseworker_home": 150,
              "network_statistics": 500, "dashboard_charts": None, "dashboard_complete": None,
              "factsheet_pdf": 3000, "annual_report": None}
RATIO_TARGET = 3.0


# --- the database --------------------------------------------------------------------------------


def bench_database_url(cases: int, given: str | None) -> str:
    """The benchmark's own database: PostgreSQL `lindungi_bench` on the server of DATABASE_URL, or
    var/bench-<cases>.sqlite3."""
    if given and given.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(given)
        return urlunsplit(parts._replace(path=f"/{PG_DATABASE}"))
    if given and given.startswith("sqlite:"):
        return given
    return f"sqlite:///{ROOT / 'var' / f'bench-{cases}.sqlite3'}"


def _check_dedicated(url: str) -> None:
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    if "bench" not in name:
        raise SystemExit(f"Refusing to use {name!r}: the benchmark database's name must contain 'bench'.")


def _pg_admin(url: str):
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(admin, autocommit=True)


def _recreate(url: str) -> None:
    if url.startswith("sqlite:"):
        path = Path(urlsplit(url).path)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    with _pg_admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}"')
        conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')


def _pg_exists(url: str) -> bool:
    with _pg_admin(url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]).fetchone() is not None


def existing_dataset() -> dict | None:
    """What the last `synthetic.dataset.generated` event says about the data in this database."""
    from django.db.utils import DatabaseError

    from lindungi.audit.models import AuditEvent
    try:
        event = AuditEvent.objects.filter(action="synthetic.dataset.generated").order_by("-seq").first()
    except DatabaseError:
        return None
    return event.payload if event else None


def prepare(*, cases: int, seed: int, workers: int, fresh: bool, url: str, log=print) -> dict:
    """Make sure the benchmark database holds `cases` synthetic cases of `seed`; returns what the
    generator reported (or the reused dataset's description)."""
    from django.core.management import call_command
    from django.db import connection

    from lindungi.synthetic import generator

    if url.startswith("sqlite:"):
        exists = Path(urlsplit(url).path).exists()
    else:
        exists = _pg_exists(url)
    if exists and not fresh:
        connection.ensure_connection()
        found = existing_dataset()
        if found and found.get("cases") == cases and found.get("seed") == seed:
            log(f"Reusing the benchmark database ({cases:,} cases, seed {seed}, as of {found.get('as_of')}).")
            call_command("migrate", verbosity=0)  # the code measured may have newer migrations
            if never_vacuumed():  # loaded by generate_synthetic itself, on a server without autovacuum
                log("Vacuuming and analysing it first (never done on this database).")
                analyse()
            return {"reused": True, **found}
        connection.close()
    log("Creating the benchmark database…")
    _recreate(url)
    call_command("migrate", verbosity=0)
    options = generator.Options(cases=cases, seed=seed, workers=workers, log=log)
    report = generator.generate(options)
    analyse()
    return {"reused": False, "cases": cases, "seed": seed, "as_of": options.as_of.isoformat(),
            "seconds": round(report.total_seconds, 1), "cases_per_second": round(report.cases_per_second),
            "phases": {k: round(v, 1) for k, v in report.seconds.items()}, "workers": report.workers,
            "validated": report.validated, "audit_events": report.audit_events, "load": load_average(),
            "cpu_seconds": round(report.cpu_seconds, 1), "cpu_ms_per_case": round(report.cpu_ms_per_case, 2),
            "counts": report.counts}


def never_vacuumed(table: str = "cases_case") -> bool:
    """Whether the table was never vacuumed (PostgreSQL; elsewhere there is nothing to know)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_vacuum IS NULL AND last_autovacuum IS NULL FROM pg_stat_user_tables "
                       "WHERE relname = %s", [table])
        row = cursor.fetchone()
    return bool(row and row[0])


def analyse() -> None:
    """What autovacuum does after a bulk load, at once: planner statistics, and on PostgreSQL the
    visibility map too (without it no count can be an index-only scan; the benchmark's server may
    run with autovacuum off)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# --- measuring -----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), -(-int(share * 100) * len(ordered) // 100)))
    return ordered[rank - 1]


@dataclass
class Result:
    key: str
    label: str
    samples: list = field(default_factory=list)  # seconds per request
    errors: list = field(default_factory=list)
    queries: int | None = None
    ours: list = field(default_factory=list)  # seconds, query layer
    raw: list = field(default_factory=list)  # seconds, hand-written SQL

    def ms(self, values, share):
        return percentile(values, share) * 1000 if values else None

    @property
    def p50(self):
        return self.ms(self.samples, 0.50)

    @property
    def p95(self):
        return self.ms(self.samples, 0.95)

    @property
    def ratio(self):
        if not self.ours or not self.raw:
            return None
        return percentile(self.ours, 0.5) / max(percentile(self.raw, 0.5), 1e-9)

    def summary(self) -> dict:
        return {"key": self.key, "label": self.label, "n": len(self.samples), "errors": self.errors[:5],
                "error_count": len(self.errors), "p50_ms": self.p50, "p95_ms": self.p95,
                "target_ms": TARGETS_MS.get(self.key), "queries": self.queries,
                "ours_p50_ms": self.ms(self.ours, 0.5), "ours_p95_ms": self.ms(self.ours, 0.95),
                "raw_p50_ms": self.ms(self.raw, 0.5), "raw_p95_ms": self.ms(self.raw, 0.95), "ratio": self.ratio}


class World:
    """Who and what the scenarios ask for, sampled from the synthetic data with a fixed seed."""

    def __init__(self, seed: int = 7):
        from lindungi.accounts.models import Organisation, User
        from lindungi.cases.models import CaseNumberCounter, ServiceProvider
        from lindungi.core.policy import Role

        self.rng = random.Random(seed)
        members = list(Organisation.objects.filter(kind=Organisation.Kind.MEMBER, code__startswith="SN").order_by("code"))
        if not members:
            raise SystemExit("No synthetic organisations in this database: run generate_synthetic first.")
        self.orgs = members
        self.provinces = {}
        for org_id, province in ServiceProvider.objects.filter(organisation__in=members).values_list(
                "organisation_id", "province_id").distinct():
            self.provinces.setdefault(org_id, set()).add(province)
        self.provinces = {k: sorted(v) for k, v in self.provinces.items()}
        self.supervisors = {u.organisation_id: u for u in User.objects.filter(
            organisation__in=members, memberships__role=Role.SUPERVISOR).order_by("email")}
        self.caseworkers = list(User.objects.filter(organisation__in=members, memberships__role=Role.CASEWORKER)
                                .order_by("email"))
        self.analyst = (User.objects.filter(organisation__kind=Organisation.Kind.SECRETARIAT,
                                            memberships__role=Role.ME_OFFICER).order_by("email").first())
        self.counters = {}
        for org_id, year, last in CaseNumberCounter.objects.filter(organisation__in=members).values_list(
                "organisation_id", "year", "last_value"):
            self.counters.setdefault(org_id, []).append((year, last))
        self.codes = {o.pk: o.code for o in members}
        self.years = sorted({year for rows in self.counters.values() for year, _last in rows})

    def random_case(self):
        """A random case (by its number: no full scan to sample), with its child loaded."""
        from lindungi.cases.models import Case

        for _attempt in range(20):
            org = self.rng.choice(self.orgs)
            rows = self.counters.get(org.pk)
            if not rows:
                continue
            year, last = self.rng.choice(rows)
            number = f"{org.code}-{year}-{self.rng.randint(1, last):05d}"
            case = Case.objects.select_related("child").filter(organisation=org, number=number).first()
            if case is not None and case.child is not None:
                return case
        raise SystemExit("Could not sample a case.")

    def list_params(self):
        org = self.rng.choice(self.orgs)
        status = self.rng.choice(["registered", "assessment", "case_plan", "services", "follow_up", "closed"])
        province = self.rng.choice(self.provinces.get(org.pk) or [""])
        return self.supervisors[org.pk], {"status": status, "province": province}


def _time(fn):
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def _get(result: Result, client, url: str, *, count_queries: bool = False):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    try:
        if count_queries:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            result.queries = len(captured)
            return None
        seconds, response = _time(lambda: client.get(url))
    except Exception as exc:  # noqa: BLE001 - an error is a result to report, not a crash of the run
        result.errors.append(f"{url}: {type(exc).__name__}: {exc}")
        return None
    if response.status_code != 200:
        result.errors.append(f"{url}: HTTP {response.status_code}")
        return None
    return seconds


def _client(user, cache: dict):
    from django.test import Client

    client = cache.get(user.pk)
    if client is None:
        client = cache[user.pk] = Client()
        client.force_login(user)
        # The sign-in's last request (not measured): allauth answers a signed-in user's login page
        # with a redirect, and the request records the session in "My sessions" as signing in does.
        response = client.get("/accounts/login/")
        assert response.status_code == 302, response.status_code
    return client


def _run(result: Result, requests: list, clients: dict):
    """`requests`: (user, url). The first request warms up, then is made again to count the
    queries of a page in steady state. A user's first request is the first page after signing in."""
    for index, (user, url) in enumerate(requests):
        client = _client(user, clients)
        if index == 0:
            _get(result, client, url)
            _get(result, client, url, count_queries=True)
            continue
        seconds = _get(result, client, url)
        if seconds is not None:
            result.samples.append(seconds)


def _run_dashboards(dashboard: Result, charts: Result, complete: Result, requests: list, clients: dict):
    """Dashboards, then the charts each one loads on its own requests (those not drawn before): a
    browser shows the tables after the first, the whole page after all (in parallel, at best)."""
    import html
    import re

    for index, (user, url) in enumerate(requests):
        client = _client(user, clients)
        if index == 0:
            _get(dashboard, client, url, count_queries=True)
        seconds, response = _time(lambda c=client, u=url: c.get(u))
        if response.status_code != 200:
            dashboard.errors.append(f"{url}: HTTP {response.status_code}")
            continue
        chart_seconds = []
        for chart_url in re.findall(r'hx-get="(/reports/chart/[^"]+)"', response.content.decode()):
            first = charts.queries is None
            took = _get(charts, client, html.unescape(chart_url), count_queries=first)
            if took is not None:
                chart_seconds.append(took)
        charts.samples += chart_seconds
        if index == 0:
            continue  # warm-up
        dashboard.samples.append(seconds)
        complete.samples.append(seconds + sum(chart_seconds))
    complete.queries = dashboard.queries


# raw SQL equivalents ------------------------------------------------------------------------------


def _tables():
    from lindungi.accounts.models import User
    from lindungi.cases.models import Case, Child
    from lindungi.geo.models import Region

    return {"case": Case._meta.db_table, "child": Child._meta.db_table, "user": User._meta.db_table,
            "region": Region._meta.db_table}


def raw_shared_case_ids(org_id):
    """(case id, sending organisation) of the active shares to the organisation: a supervisor's
    list also holds the cases other organisations share with it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT case_id, organisation_id FROM cases_caseshare WHERE to_organisation_id = %s "
            "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > %s) "
            "AND ((kind = 'share' AND status = 'accepted') OR (kind = 'transfer' AND status = 'approved'))",
            [org_id, datetime.datetime.now(datetime.UTC)])
        return cursor.fetchall()


def raw_case_list(org_id, status, province, child_ids=None, shared=None):
    """The page and the count of the supervisor's filtered list, as a person would write it: the
    organisation's cases and those shared with it (`shared`: read here unless given)."""
    from django.db import connection

    t = _tables()
    shared_ids = [case_id for case_id, _sender in (raw_shared_case_ids(org_id) if shared is None else shared)]
    if shared_ids:
        where = [f"(c.organisation_id = %s OR c.id IN ({', '.join(['%s'] * len(shared_ids))}))"]
        params = [org_id, *shared_ids]
    else:
        where = ["c.organisation_id = %s"]
        params = [org_id]
    if status:
        where.append("c.status = %s")
        params.append(status)
    if province:
        where.append("c.province_id = %s")
        params.append(province)
    if child_ids is not None:
        where.append(f"c.child_id IN ({', '.join(['%s'] * len(child_ids)) or 'NULL'})")
        params += list(child_ids)
    clause = " AND ".join(where)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {t['case']} c WHERE {clause}", params)
        count = cursor.fetchone()[0]
        cursor.execute(
            # What a row shows: number, child's name (with what decrypts it), status, risk, date,
            # regency or else province, caseworker.
            f"SELECT c.id, c.number, c.organisation_id, c.registered_on, c.status, c.risk_level, c.child_id, "
            f"ch.organisation_id, ch.full_name, COALESCE(r.name, p.name), u.full_name "
            f"FROM {t['case']} c LEFT JOIN {t['child']} ch ON ch.id = c.child_id "
            f"LEFT JOIN {t['user']} u ON u.id = c.assigned_caseworker_id "
            f"LEFT JOIN {t['region']} p ON p.code = c.province_id "
            f"LEFT JOIN {t['region']} r ON r.code = c.regency_id "
            f"WHERE {clause} ORDER BY c.registered_on DESC, c.number DESC LIMIT {PAGE}", params)
        rows = cursor.fetchall()
    return count, rows


def raw_name_search(org_id, digests_by_org):
    """Children whose name index matches, in the organisation and in those sharing cases with it
    (each organisation's own digests, computed beforehand: a key lookup), and their cases."""
    from django.db import connection

    t = _tables()
    shared = raw_shared_case_ids(org_id)
    orgs = sorted({org_id, *(sender for _case_id, sender in shared)})
    conditions, params = [], []
    for org in orgs:
        digests = sorted(digests_by_org[org])
        conditions.append(f"(organisation_id = %s AND name_index IN ({', '.join(['%s'] * len(digests))}))")
        params += [org, *digests]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, full_name FROM {t['child']} WHERE {' OR '.join(conditions)}", params)
        child_ids = [row[0] for row in cursor.fetchall()]
    return raw_case_list(org_id, "", "", child_ids=child_ids, shared=shared)


def raw_children_by_province():
    """Distinct children (network key) by province over consenting cases: total and per province."""
    from django.db import connection

    t = _tables()
    key = "COALESCE(ch.network_name_year_index, ch.network_nik_index, CAST(c.child_id AS VARCHAR(36)))"
    base = (f"FROM {t['case']} c JOIN {t['child']} ch ON ch.id = c.child_id "
            f"WHERE c.statistics_consent AND c.child_id IS NOT NULL")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(DISTINCT {key}) {base}")
        total = cursor.fetchone()[0]
        cursor.execute(f"SELECT c.province_id, COUNT(DISTINCT {key}) {base} GROUP BY c.province_id")
        rows = cursor.fetchall()
    return total, rows


# scenarios --------------------------------------------------------------------------------------


def measure(*, reps: int = 30, pdf_reps: int = 5, seed: int = 7, log=print, skip=()) -> list[Result]:
    from lindungi.cases import selectors
    from lindungi.cases.models import Child
    from lindungi.crypto import normalise
    from lindungi.reports.measures import Audience
    from lindungi.reports.tables import compute_table

    world = World(seed)
    clients: dict = {}
    results = []
    today = datetime.date.today()

    log("  case list…")
    r = Result("case_list", "Case list (organisation, status, province)")
    requests = []
    for _ in range(reps + 1):
        user, params = world.list_params()
        requests.append((user, "/cases/?" + urlencode(params)))
    _run(r, requests, clients)
    for _ in range(reps):
        user, params = world.list_params()
        filters = selectors.CaseFilters(status=params["status"], province=params["province"])
        r.ours.append(_time(lambda u=user, f=filters: _page(selectors.case_list(user=u, filters=f)))[0])
        r.raw.append(_time(lambda u=user, p=params: raw_case_list(u.organisation_id, p["status"], p["province"]))[0])
    results.append(r)

    log("  name search…")
    r = Result("name_search", "Name search (blind index)")
    searches = []
    for _ in range(reps + 1):
        case = world.random_case()
        searches.append((world.supervisors[case.organisation_id], case.child.full_name))
    _run(r, [(u, "/cases/?" + urlencode({"q": name})) for u, name in searches], clients)
    field = Child._meta.get_field("name_index")
    for user, name in searches[1:]:
        filters = selectors.CaseFilters(q=name)
        r.ours.append(_time(lambda u=user, f=filters: _page(selectors.case_list(user=u, filters=f)))[0])
        # Not timed: key lookups (every organisation's, for those that may share cases).
        digests = {org.pk: field.search_digests(org.pk, normalise.name(name)) for org in world.orgs}
        r.raw.append(_time(lambda u=user, d=digests: raw_name_search(u.organisation_id, d))[0])
    results.append(r)

    log("  case page…")
    r = Result("case_page", "Case page (assigned caseworker)")
    requests = []
    for _ in range(reps + 1):
        case = world.random_case()
        from lindungi.accounts.models import User

        requests.append((User.objects.get(pk=case.assigned_caseworker_id), f"/cases/{case.pk}/"))
    _run(r, requests, clients)
    results.append(r)

    log("  caseworker home…")
    r = Result("caseworker_home", "Caseworker home with tasks")
    if r.key not in skip:
        _run(r, [(world.rng.choice(world.caseworkers), "/") for _ in range(reps + 1)], clients)
    results.append(r)

    log("  network statistics…")
    r = Result("network_statistics", "Network statistics dashboard (suppressed)")
    # Every run starts with an empty statistics cache (a reused database keeps the last run's).
    from lindungi.reports.models import StatisticsCache

    StatisticsCache.objects.all().delete()
    requests = [(world.analyst, "/reports/?level=network")]
    for _ in range(reps):
        params = {"level": "network"}
        choice = world.rng.random()
        if choice < 0.4:
            params["year"] = world.rng.choice(world.years)
        elif choice < 0.7:
            params["province"] = world.rng.choice(world.provinces[world.rng.choice(world.orgs).pk])
        requests.append((world.analyst, "/reports/?" + urlencode(params)))
    charts = Result("dashboard_charts", "Dashboard chart, drawn on its own request")
    complete = Result("dashboard_complete", "Dashboard and all its charts, one after another")
    _run_dashboards(r, charts, complete, requests, clients)
    audience = Audience(Audience.NETWORK)
    for _ in range(max(3, reps // 3)):
        r.ours.append(_time(lambda: compute_table(measure_key="children", rows="province", audience=audience))[0])
        r.raw.append(_time(raw_children_by_province)[0])
    results += [r, charts, complete]

    log("  factsheet PDF…")
    r = Result("factsheet_pdf", "Factsheet PDF (network, one year)")
    years = [y for y in world.years if y < today.year] or world.years
    _run(r, [(world.analyst, "/reports/factsheet/pdf/?" + urlencode(
        {"level": "network", "year": world.rng.choice(years), "language": "id"})) for _ in range(pdf_reps + 1)], clients)
    results.append(r)

    log("  annual report…")
    r = Result("annual_report", "Annual report PDF (network, one year)")
    _run(r, [(world.analyst, f"/reports/annual/{world.rng.choice(years)}/network/pdf/?lang=id")
             for _ in range(pdf_reps + 1)], clients)
    results.append(r)
    return results


def _page(queryset):
    """What the list view asks of the selector: the first page of rows and the count."""
    from lindungi.cases.selectors import case_list_rows
    from lindungi.core.pagination import page_of_rows

    page = page_of_rows(queryset, 1, case_list_rows, PAGE)
    return page.paginator.count, page.object_list


# --- reporting -----------------------------------------------------------------------------------


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def machine() -> dict:
    from django.db import connection

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory, "python": platform.python_version(),
            "database": version, "load_average": load_average(), "date": datetime.datetime.now().isoformat(timespec="seconds")}


def _fmt(value, digits=0):
    if value is None:
        return "—"
    return f"{value:,.{digits}f}"


def table(results: list[Result], info: dict, dataset: dict) -> str:
    lines = [
        f"Lindungi benchmark — {info['database']}, {dataset.get('cases', '?'):,} cases (seed {dataset.get('seed')}), "
        f"{info['cores']} cores ({info['cpu']}), {info['memory']}, Python {info['python']}",
        f"load average at the end: {info['load_average']} ({info['date']})",
    ]
    if not dataset.get("reused"):
        lines.append(f"generated in {dataset.get('seconds')} s: {dataset.get('cases_per_second'):,} cases/s "
                     f"({dataset.get('workers')} writer process(es), load average at the end {dataset.get('load')}); "
                     f"{dataset.get('cpu_ms_per_case')} ms CPU per case")
    head = f"{'scenario':<44} {'n':>3} {'p50 ms':>8} {'p95 ms':>8} {'target':>7} {'queries':>7} " \
           f"{'ours p50':>9} {'raw p50':>8} {'ours/raw':>8}  errors"
    lines += ["", head, "-" * len(head)]
    for r in results:
        s = r.summary()
        target = s["target_ms"]
        ok = "" if target is None or s["p95_ms"] is None else (" ok" if s["p95_ms"] <= target else " !!")
        lines.append(
            f"{r.label:<44} {s['n']:>3} {_fmt(s['p50_ms'], 1):>8} {_fmt(s['p95_ms'], 1):>8} "
            f"{_fmt(target):>7}{ok:<3}{_fmt(s['queries']):>5} {_fmt(s['ours_p50_ms'], 2):>9} "
            f"{_fmt(s['raw_p50_ms'], 2):>8} {_fmt(s['ratio'], 2):>8}  {s['error_count']}")
    lines += ["", "p50/p95: server-side wall time per request (test client, whole stack). ours/raw: the query layer "
                  "(selector or statistics table, count + first page) against hand-written SQL returning the same rows, "
                  f"p50 over p50 (target ≤ {RATIO_TARGET:g} for list and search). !! = over the target (targets are "
                  "for 1,000,000 cases on PostgreSQL)."]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=30, help="Requests per scenario (PDFs: --pdf-reps).")
    parser.add_argument("--pdf-reps", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="Writer processes while generating (PostgreSQL).")
    parser.add_argument("--fresh", action="store_true", help="Generate again even if the data is there.")
    parser.add_argument("--quick", action="store_true", help="Smoke run: 3 requests per scenario, 1 per PDF.")
    parser.add_argument("--json", type=Path, default=None, help="Also write the results here.")
    parser.add_argument("--skip", default="", help="Scenario keys not to run, comma-separated (e.g. caseworker_home).")
    args = parser.parse_args(argv)
    if args.quick:
        args.reps, args.pdf_reps = 3, 1

    url = bench_database_url(args.cases, os.environ.get("DATABASE_URL"))
    _check_dedicated(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    dataset = prepare(cases=args.cases, seed=args.seed, workers=args.workers, fresh=args.fresh, url=url)
    print("Measuring…")
    results = measure(reps=args.reps, pdf_reps=args.pdf_reps, skip=set(filter(None, args.skip.split(","))))
    info = machine()
    print()
    print(table(results, info, dataset))
    out = args.json or ROOT / "var" / f"bench-results-{'pg' if url.startswith('postgres') else 'sqlite'}-{args.cases}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": info, "dataset": dataset, "results": [r.summary() for r in results]},
                              indent=2, default=str))
    print(f"\nResults written to {out}")
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
