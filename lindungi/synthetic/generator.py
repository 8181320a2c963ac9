"""`generate(Options(cases=N, seed=S))`: a synthetic national network in the current database.

Design (see README "Benchmarks"):
- The network: 20 member organisations sharing the 38 provinces (population-weighted, evenly
  loaded), a secretariat, staff per organisation in proportion to its case load (with TOTP enrolled,
  so they can sign in), service providers per province, program officers.
- Cases are split over organisations and provinces by population, registered over ten years with
  yearly growth; the workflow state follows the case's age. Each organisation's rows come from its
  own random stream (`cases.OrgBuilder`), so the dataset does not depend on how it is written.
- Writing: batches of `batch` cases, each batch in one transaction: rows (`rows.new`, not model
  instances) encoded column by column by `rows.encode` (identifying fields encrypted with
  `crypto.cipher.sealer`, blind indexes by the fields' own transform and `digest`, the data keys
  cached by `crypto.keys`), one COPY/executemany per model, then one audit event per batch through `audit.services.record_many`, naming
  every case, incident and legal case created (ids only). One event per batch instead of one per
  record keeps the chain short (the chain is the appender's bottleneck: hashing is serial) while
  still saying which records came from the generator and when; `verify_audit` walks it as usual.
- Speed (bench/README.md "Speed"): a fresh load on PostgreSQL writes with
  `session_replication_role = replica` (no per-row foreign-key checks or statistics triggers;
  `_after_bulk_load` restores what the triggers keep) into tables without their secondary
  non-unique indexes (`core.bulk.deferred_indexes`: built once from all the rows at the end, side
  by side with the statistics rebuilds), binary COPY, and Python's cyclic garbage collector paused
  within a batch.
- Validation: the models' own validators (`full_clean`, without the database round trips of
  foreign-key and uniqueness checks, which the database enforces itself) on every row of every
  `sample_every`-th case (default), on every row (`--validate all`), or not at all.
- Workers: on PostgreSQL organisations are spread over `workers` processes, each with its own
  connection (fork); SQLite allows one writer, so there it runs in one process.
- Counters (case, incident and legal-case numbers) are set to the numbers given, so the
  application's services go on numbering after them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import multiprocessing
import os
import resource
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from lindungi.accounts.models import Membership, Organisation, User
from lindungi.audit.services import record_many
from lindungi.cases import models as cm
from lindungi.core import bulk
from lindungi.core.policy import Role
from lindungi.crypto import keys
from lindungi.geo.models import Region
from lindungi.incidents import models as im
from lindungi.legal import models as lm
from lindungi.synthetic import programs as program_data
from lindungi.synthetic import reference as ref
from lindungi.synthetic import rows
from lindungi.synthetic.cases import ORDER, Counters, OrgBuilder, OrgSpec, Reference

CODE_PREFIX = "SN"  # organisation codes SN01..SN20; the secretariat is SNSEK
EMAIL_DOMAIN = "synthetic.lindungi.invalid"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # fictional accounts of a benchmark database only


class AlreadyGenerated(Exception):
    """The database already holds a synthetic network (the audit trail cannot be rolled back)."""


@dataclass
class Options:
    cases: int
    seed: int = 1
    as_of: datetime.date | None = None
    workers: int = 1
    batch: int = 2000
    validate: str = "sample"  # "all" | "sample" | "none"
    sample_every: int = 50
    log: object = None
    # PostgreSQL, fresh load: write the rows with the per-row checks off (see `_may_skip_row_checks`).
    # `generate` settles it before the workers start; False keeps every check on.
    skip_row_checks: bool = True

    def __post_init__(self):
        if self.cases < 1:
            raise ValueError("Generate at least one case.")
        if self.validate not in ("all", "sample", "none"):
            raise ValueError("validate is one of all, sample, none.")
        self.as_of = self.as_of or timezone.localdate()


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    validated: int = 0
    workers: int = 1  # writer processes
    audit_events: int = 0
    # CPU time of this process and its writer processes: unlike wall time, it does not depend on
    # what else the machine is doing, so cases per CPU-second says what a free core would do.
    cpu_seconds: float = 0.0

    @property
    def cpu_ms_per_case(self) -> float:
        cases = self.counts.get("cases.case", 0)
        return self.cpu_seconds * 1000 / cases if cases else 0.0

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())

    @property
    def cases_per_second(self) -> float:
        return self.counts.get("cases.case", 0) / self.total_seconds if self.total_seconds else 0.0

    def add(self, counts: dict):
        for key, value in counts.items():
            self.counts[key] = self.counts.get(key, 0) + value


def _log(options, message):
    if options.log:
        options.log(message)


# --- the network ---------------------------------------------------------------------------------


def _user(org, role, number, name):
    email = f"{role.replace('_', '-')}{number:02d}.{org.code.lower()}@{EMAIL_DOMAIN}"
    user = User(email=email, full_name=f"{name} {org.code} {number:02d} (Sintetis)", organisation=org)
    user.set_unusable_password()
    return user


def setup_network(options: Options) -> tuple[list[OrgSpec], dict]:
    """Organisations, staff, providers and data keys. Returns the specs the workers need and what
    the programs need."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    if Organisation.objects.filter(code__startswith=CODE_PREFIX, email__endswith=EMAIL_DOMAIN).exists():
        raise AlreadyGenerated("This database already holds a synthetic network; generate into a fresh database.")
    layout = ref.assign_provinces(ref.ORGANISATIONS)
    weights = {index: sum(ref.PROVINCE_POPULATION[c] for c in codes) for index, codes in enumerate(layout)}
    per_org = ref.split(options.cases, weights)
    regencies = {}
    for code, parent in Region.objects.filter(level=Region.Level.REGENCY).order_by("code").values_list("code", "parent_id"):
        regencies.setdefault(parent, []).append(code)
    names = dict(Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", "name"))

    with transaction.atomic():
        secretariat = Organisation.objects.filter(kind=Organisation.Kind.SECRETARIAT).first()
        if secretariat is None:
            secretariat = Organisation.objects.create(
                code=f"{CODE_PREFIX}SEK", name="Sekretariat Jaringan Sintetis", kind=Organisation.Kind.SECRETARIAT,
                province_id="31", email=f"info@{EMAIL_DOMAIN}")
        orgs = Organisation.objects.bulk_create([
            Organisation(code=f"{CODE_PREFIX}{index + 1:02d}", kind=Organisation.Kind.MEMBER, province_id=codes[0],
                         name=f"Yayasan Sintetis {names.get(codes[0], codes[0]).title()} ({CODE_PREFIX}{index + 1:02d})",
                         email=f"info.{CODE_PREFIX.lower()}{index + 1:02d}@{EMAIL_DOMAIN}")
            for index, codes in enumerate(layout)])
        staff = {}  # (org index, role) -> [users]
        users = []
        for index, org in enumerate(orgs):
            workers = min(ref.CASEWORKERS_MAX, max(ref.CASEWORKERS_MIN, round(per_org[index] / ref.CASES_PER_CASEWORKER)))
            plan = [(Role.ADMINISTRATOR, 1, "Admin"), (Role.SUPERVISOR, max(1, workers // 8), "Supervisor"),
                    (Role.CASEWORKER, workers, "Pendamping"), (Role.LEGAL_OFFICER, max(1, workers // 10), "Paralegal"),
                    (Role.PROGRAM_OFFICER, 1, "Program"), (Role.ME_OFFICER, 1, "Monev")]
            for role, count, label in plan:
                made = [_user(org, role, n + 1, label) for n in range(count)]
                staff[(index, role)] = made
                users.extend((u, role) for u in made)
        sek_staff = [(_user(secretariat, role, 1, label), role) for role, label in
                     ((Role.ADMINISTRATOR, "Admin"), (Role.ME_OFFICER, "Monev"), (Role.PROGRAM_OFFICER, "Program"))]
        users.extend(sek_staff)
        User.objects.bulk_create([u for u, _role in users])
        Membership.objects.bulk_create([Membership(user=u, role=role) for u, role in users])
        Authenticator.objects.bulk_create([
            Authenticator(user=u, type=Authenticator.Type.TOTP, data={"secret": encrypt(TOTP_SECRET)})
            for u, _role in users])

        # Service providers: the member organisation covering a province keeps its directory.
        providers = []
        for index, codes in enumerate(layout):
            for province in codes:
                for kind in ref.PROVIDER_TYPES:
                    providers.append(cm.ServiceProvider(
                        organisation=orgs[index], name=f"{kind.upper()} {names.get(province, province).title()} (Sintetis)",
                        type=kind, province_id=province, phone="0800-0000-0000", address="Jalan Sintetis",
                        accepts_referrals=True))
        cm.ServiceProvider.objects.bulk_create(providers)
        by_province = {}
        for provider in providers:
            by_province.setdefault(provider.province_id, []).append((provider.pk, provider.type))
        for org in [*orgs, secretariat]:
            keys.active(org.pk)  # each organisation's data key, created once here, not by two workers
        keys.active(keys.NETWORK)
        record_many(
            [{"action": "accounts.organisation.created", "obj": org, "organisation": org,
              "payload": {"source": "synthetic", "seed": options.seed}} for org in orgs]
            + [{"action": "synthetic.staff.created", "organisation": org,
                "payload": {"user_ids": [u.pk for u, _r in users if u.organisation_id == org.pk]}}
               for org in [*orgs, secretariat]])

    specs = []
    for index, codes in enumerate(layout):
        org = orgs[index]
        specs.append(OrgSpec(
            org_id=org.pk, code=org.code, cases=per_org[index],
            provinces=ref.split(per_org[index], {c: ref.PROVINCE_POPULATION[c] for c in codes}),
            regencies={c: regencies.get(c, []) for c in codes},
            caseworkers=[u.pk for u in staff[(index, Role.CASEWORKER)]],
            supervisors=[u.pk for u in staff[(index, Role.SUPERVISOR)]],
            legal_officers=[u.pk for u in staff[(index, Role.LEGAL_OFFICER)]],
            providers={c: by_province.get(c, []) for c in codes},
        ))
    extra = {
        "organisations": [{"org": orgs[i], "code": orgs[i].code, "provinces": layout[i],
                           "regencies": {c: regencies.get(c, []) for c in layout[i]}, "share": max(per_org[i], 1),
                           "user": staff[(i, Role.PROGRAM_OFFICER)][0]} for i in range(len(orgs))],
        "secretariat": {"org": secretariat, "code": f"{CODE_PREFIX}SEK",
                        "user": next(u for u, role in sek_staff if role == Role.PROGRAM_OFFICER)},
        "users": len(users),
        "providers": len(providers),
    }
    return specs, extra


# --- validation ----------------------------------------------------------------------------------

_EXCLUDE: dict = {}


def validate(obj) -> None:
    """The model's validators (`full_clean`): field types, choices, lengths, regexes, the model's
    `clean()`. Foreign-key existence, uniqueness and constraints are left to the database (checking
    them here would cost a query each and refuse rows of the same, not yet written, batch).
    `obj` is a model instance or a synthetic row (validated as its model instance)."""
    if isinstance(obj, rows.Row):
        obj = rows.to_model(obj)
    model = type(obj)
    exclude = _EXCLUDE.get(model)
    if exclude is None:
        exclude = _EXCLUDE[model] = [f.name for f in model._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


# --- writing -------------------------------------------------------------------------------------

_INSERTS: dict = {}


def _insert_sql(model, with_pk: bool, conn) -> str:
    key = (model, with_pk, conn.vendor)
    sql = _INSERTS.get(key)
    if sql is None:
        fields = rows.columns(model, with_pk)
        table = conn.ops.quote_name(model._meta.db_table)
        columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
        if conn.vendor == "postgresql":
            # Binary: half the generator's time handing rows over (no text formatting and escaping
            # of each value) and less of the server's parsing them.
            sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT BINARY)"
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 (names from the model, quoted)
        _INSERTS[key] = sql
    return sql


def insert(model, objs: list) -> None:
    """`bulk_create` without model instances: `rows.encode` gives each row's columns as
    `bulk_create` would store them (encrypted, blind-indexed by the crypto layer), then one COPY
    (PostgreSQL) or executemany (SQLite) per model and batch. Rows whose primary key the database
    assigns (auto ids) leave it out; nothing in a batch refers to those."""
    conn = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the per-thread proxy
    _write(model, objs[0].pk is not None, rows.encode(model, objs, conn))


def _write(model, with_pk: bool, values: list) -> None:
    conn = connections[DEFAULT_DB_ALIAS]
    sql = _insert_sql(model, with_pk, conn)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            types = _column_types(model, with_pk, conn)  # (before the COPY: nothing else runs during it)
            with cursor.cursor.copy(sql) as copy:
                copy.set_types(types)
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, values)


_TYPES: dict = {}


def _column_types(model, with_pk: bool, conn) -> list[str]:
    """The database types of the COPY's columns, as a binary COPY needs them (every value is sent
    in its column's own format), read once per model from the catalogue."""
    key = (model, with_pk)
    found = _TYPES.get(key)
    if found is None:
        with conn.cursor() as cursor:
            cursor.execute("SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                           "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped",
                           [model._meta.db_table])
            types = dict(cursor.fetchall())
        found = _TYPES[key] = [types[f.column] for f in rows.columns(model, with_pk)]
    return found


def encode_batch(batch, number: int) -> dict:
    """A batch ready to write, as plain values: the models' validators on the sampled rows, then
    every model's rows encoded. (Encoding in separate builder processes for SQLite's one writer was
    tried: pickling the rows cost more CPU than it saved on this shared two-core machine.)"""
    for obj in batch.to_validate:
        validate(obj)
    conn = connections[DEFAULT_DB_ALIAS]
    return {
        "number": number,
        "tables": [(model._meta.label_lower, made[0].pk is not None, rows.encode(model, made, conn))
                   for model in ORDER if (made := batch.rows[model])],
        "case_ids": [str(c.pk) for c in batch.rows[cm.Case]],
        "incident_ids": [str(i.pk) for i in batch.rows[im.Incident]],
        "legal_case_ids": [str(c.pk) for c in batch.rows[lm.LegalCase]],
        "validated": len(batch.to_validate),
    }


def write_encoded(encoded: dict, org_id: int, *, skip_row_checks: bool = False) -> dict:
    """One batch in one transaction: the rows, then one audit event naming them.

    With `skip_row_checks` (PostgreSQL, a fresh load: see `_may_skip_row_checks`) the rows go in
    with `session_replication_role = replica`, which leaves out the foreign-key checks (about 60 %
    of the server's time storing a batch) and the statistics triggers. Both are decided when a row
    is written, not at commit, so the role goes back to `origin` before the audit event is written
    and before anything else of the transaction (a test's) runs. What the triggers maintain is
    restored once at the end (`_after_bulk_load`); that every foreign key resolves is a test."""
    counts = {}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A loader's commit need not wait for the WAL flush (the data stays consistent; a crash
            # could lose the last batches, which a fresh run makes again). Batch transaction only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
                if skip_row_checks:
                    cursor.execute("SET LOCAL session_replication_role TO replica")
        for label, with_pk, values in encoded["tables"]:
            _write(apps.get_model(label), with_pk, values)
            counts[label] = len(values)
        if skip_row_checks:  # (a failed write rolls the transaction or savepoint back, and the SET with it)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role TO origin")
        record_many([{
            "action": "synthetic.records.created", "organisation": org_id,
            "payload": {"batch": encoded["number"], "case_ids": encoded["case_ids"],
                        "incident_ids": encoded["incident_ids"], "legal_case_ids": encoded["legal_case_ids"]},
        }])
    counts["validated"] = encoded["validated"]
    counts["audit_events"] = 1
    return counts


def write_batch(batch, org_id: int, number: int, *, skip_row_checks: bool = False) -> dict:
    return write_encoded(encode_batch(batch, number), org_id, skip_row_checks=skip_row_checks)


def _add(totals: dict, counts: dict) -> None:
    for key, value in counts.items():
        totals[key] = totals.get(key, 0) + value


def run_organisation(spec: OrgSpec, options: Options) -> tuple[dict, Counters]:
    builder = OrgBuilder(spec, seed=options.seed, as_of=options.as_of, reference=Reference.load(),
                         validate=options.validate, sample_every=options.sample_every)
    totals = {}
    number = 0
    with collector_between_batches():
        while not builder.done:
            number += 1
            _add(totals, write_batch(builder.next_batch(options.batch), spec.org_id, number,
                                     skip_row_checks=options.skip_row_checks))
            gc.collect()
    return totals, builder.counters


@contextlib.contextmanager
def collector_between_batches():
    """Python's cyclic garbage collector off while a batch is built, encoded and written, run once
    after each batch instead. A batch is ~40,000 rows, dicts and lists alive at once: the
    collector, triggered by allocations, would walk them again and again (about 30 % of the
    generator's CPU). Rows do not form reference cycles (a row points at rows made before it),
    so reference counting frees a written batch; the collection after it catches anything else,
    and walks only what was made since the load started (what existed before is frozen: the
    collector leaves it alone until the load ends)."""
    was_enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def _worker(args):
    spec, options = args
    connections.close_all()  # never share the parent's connection
    try:
        counts, counters = run_organisation(spec, options)
    finally:
        connections.close_all()
    return spec, counts, counters


def _set_counters(spec: OrgSpec, counters: Counters) -> None:
    for model, table in ((cm.CaseNumberCounter, counters.cases), (im.IncidentNumberCounter, counters.incidents),
                         (lm.LegalCaseNumberCounter, counters.legal)):
        model.objects.bulk_create([model(organisation_id=spec.org_id, year=year, last_value=last)
                                   for year, last in sorted(table.items())])


@contextlib.contextmanager
def quiet_queries():
    """Query logging off while loading: with DEBUG on, Django formats and keeps every INSERT."""
    previous = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = previous


def _cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _may_skip_row_checks(conn, options: Options) -> bool:
    """Whether the rows may go in without the per-row foreign-key checks and triggers
    (`session_replication_role = replica`): only a fresh load into a database without cases (the
    generator's own rows refer only to each other and to the network it has just created, which a
    test proves by counting orphans per foreign key), on PostgreSQL, by a role allowed to set it."""
    if not options.skip_row_checks or conn.vendor != "postgresql" or cm.Case.objects.exists():
        return False
    with conn.cursor() as cursor:
        if conn.pg_version >= 150000:
            cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        else:
            cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return bool(cursor.fetchone()[0])


def _before_bulk_load(conn) -> None:
    """The statistics cubes' row triggers are dropped for the load: `_after_bulk_load` derives the
    cubes again in one pass (and re-creates the triggers), far cheaper than a trigger per written
    row. Until then the cubes are not read (`reports.cube.available`)."""
    from lindungi.reports import cube, record_cube

    cube.uninstall(conn)
    record_cube.uninstall(conn)


def _after_bulk_load(conn, deferred: bulk.Deferred | None = None) -> None:
    """The single place where derived data that row triggers keep is restored after a bulk load,
    once, at the end of every `generate` (whether or not the triggers were off: then it costs a
    query). The statistics' data version is bumped as `reports.freshness`'s triggers bump it, so
    no statistics cached before the load are served after it; the statistics cubes, which row
    triggers keep, are derived again from the data in one pass each.

    On PostgreSQL outside a transaction the two cube rebuilds and the building of the indexes the
    load set aside (`deferred`) run side by side over two sessions: they read the same committed
    tables and lock only their own (the triggers are already off and the sources analysed before
    each rebuild's transaction, so nothing holds a source table against the others for long)."""
    from lindungi.reports import cube, freshness, record_cube

    table = freshness.VERSION_TABLE
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (shard, value) VALUES (%s, 1) "  # noqa: S608 (the table's name)
                       f"ON CONFLICT (shard) DO UPDATE SET value = {table}.value + 1", [0])
    # The cube rebuilds analyse the tables they read; the others the load wrote are analysed last,
    # when their indexes (which would make an ANALYZE of the same table wait) are mostly built.
    analysed_by_rebuilds = {*record_cube.SOURCE_TABLES, *cube.SOURCE_TABLES}
    to_analyse = [table for table in loaded_tables() if table not in analysed_by_rebuilds]
    if conn.vendor == "postgresql" and not conn.in_atomic_block:
        # The longest first: the record cube's rebuild reads every incident and legal table.
        bulk.in_sessions([("record statistics", record_cube.rebuild), ("case statistics", cube.rebuild),
                          *(deferred.jobs() if deferred else []), *bulk.analyse_jobs(to_analyse)],
                         alias=conn.alias)
    else:
        cube.rebuild(conn)
        record_cube.rebuild(conn)
        if conn.vendor == "postgresql":
            for _name, job in bulk.analyse_jobs(to_analyse):
                job(conn)


def loaded_tables() -> list[str]:
    """The tables a load writes in bulk: the case load's and the programs'."""
    tables = [model._meta.db_table for model in ORDER]
    for model in apps.get_app_config("programs").get_models(include_auto_created=True):
        if model._meta.db_table not in tables:
            tables.append(model._meta.db_table)
    return tables


def generate(options: Options) -> Report:
    cpu = _cpu_seconds()
    with quiet_queries():
        report = _generate(options)
    report.cpu_seconds = _cpu_seconds() - cpu
    return report


def _generate(options: Options) -> Report:
    from lindungi.audit.models import AuditEvent

    report = Report()
    events_before = AuditEvent.objects.count()
    options = dataclasses.replace(options, skip_row_checks=_may_skip_row_checks(connection, options))
    started = time.perf_counter()
    specs, extra = setup_network(options)
    report.seconds["network"] = time.perf_counter() - started
    report.add({"accounts.organisation": len(specs) + 1, "accounts.user": extra["users"],
                "cases.serviceprovider": extra["providers"]})
    _log(options, f"  network: {len(specs)} organisations, {extra['users']} users, {extra['providers']} providers")

    _before_bulk_load(connection)
    started = time.perf_counter()
    # Forked workers need their own connections to committed data: PostgreSQL only, and not inside
    # an enclosing transaction (a test's), whose rows they could not see.
    parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
    workers = max(1, options.workers) if parallel else 1
    jobs = sorted(specs, key=lambda s: -s.cases)  # the biggest first: workers finish together
    # A fresh load (the same condition as skipping the row checks) writes the case load into
    # tables without their secondary indexes, which are built afterwards from all the rows.
    deferred_tables = [model._meta.db_table for model in ORDER] if options.skip_row_checks else []
    with bulk.deferred_indexes(connection, deferred_tables) as deferred:
        if workers == 1:
            report.workers = 1
            results = ((spec, *run_organisation(spec, options)) for spec in jobs)
            results = list(_progress(results, options, report, len(jobs)))
            program_counts = _programs(options, extra)
        else:
            report.workers = workers
            log, options.log = options.log, None  # a logging function does not cross into a worker
            connections.close_all()  # forked workers open their own connections
            try:
                with multiprocessing.get_context("fork").Pool(workers) as pool:
                    done = pool.imap_unordered(_worker, [(s, options) for s in jobs])
                    # Programs refer to the network only: this process builds them (on a connection
                    # of its own, opened after the fork) while the workers write the case load.
                    program_counts = _programs(options, extra)
                    results = list(_progress(done, Options(cases=options.cases, log=log), report, len(jobs)))
            finally:
                options.log = log
        with transaction.atomic():
            for spec, _counts, counters in results:
                _set_counters(spec, counters)
        report.seconds["cases"] = time.perf_counter() - started

        started = time.perf_counter()
        with transaction.atomic():
            record_many([{"action": "synthetic.dataset.generated", "payload": {
                "seed": options.seed, "as_of": options.as_of.isoformat(), "cases": options.cases,
                "validate": options.validate, "workers": workers, "row_checks_skipped": options.skip_row_checks,
                "programs": program_counts["programs"],
                "activities": program_counts["activities"]}}])
        report.add({f"programs.{k}": v for k, v in program_counts.items()})
        report.audit_events = AuditEvent.objects.count() - events_before
        _after_bulk_load(connection, deferred)
    report.seconds["finish"] = time.perf_counter() - started
    return report


def _programs(options: Options, extra: dict) -> dict:
    activities = max(1, options.cases // ref.ACTIVITIES_PER_CASES)
    with transaction.atomic():
        return program_data.build(organisations=extra["organisations"], secretariat=extra["secretariat"],
                                  activities=activities, seed=options.seed, as_of=options.as_of, validate=validate)


def _progress(results, options, report, total):
    started = time.perf_counter()
    for number, (spec, counts, counters) in enumerate(results, start=1):
        report.validated += counts.pop("validated", 0)
        counts.pop("audit_events", None)
        report.add(counts)
        made = report.counts.get("cases.case", 0)
        elapsed = time.perf_counter() - started
        _log(options, f"  {number}/{total} {spec.code}: {spec.cases} cases "
                      f"({made} so far, {made / elapsed if elapsed else 0:,.0f} cases/s)")
        yield spec, counts, counters


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))
