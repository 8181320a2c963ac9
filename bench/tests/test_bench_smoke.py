"""The benchmark must not rot: run every scenario once on a tiny synthetic network (in the test
database) and check that each one answered and produced numbers. No timing is asserted."""

import datetime
import math

import pytest

from bench import run
from lindungi.synthetic import generator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_keys(monkeypatch):
    from lindungi.crypto import keys

    monkeypatch.setattr(keys, "_may_cache", lambda org_id: True)  # see lindungi/synthetic/tests/conftest.py


def test_every_scenario_runs_on_a_tiny_network():
    generator.generate(generator.Options(cases=200, seed=2, as_of=datetime.date(2026, 3, 31)))
    results = run.measure(reps=2, pdf_reps=1, log=lambda _message: None)
    assert [r.key for r in results] == list(run.TARGETS_MS)
    for result in results:
        assert not result.errors, result.errors
        assert result.samples and all(s > 0 for s in result.samples), result.key
        assert result.queries, result.key
    by_key = {r.key: r for r in results}
    for key in ("case_list", "name_search", "network_statistics"):
        assert by_key[key].ratio is not None and math.isfinite(by_key[key].ratio)
    text = run.table(results, run.machine(), {"cases": 200, "seed": 2, "reused": True})
    assert "Case list" in text and "ours/raw" in text


def test_the_raw_sql_returns_what_the_selectors_return():
    """The comparison is fair only if both sides fetch the same rows."""
    from django.utils import timezone

    from lindungi.cases import selectors
    from lindungi.cases.models import CaseShare, Child
    from lindungi.crypto import normalise
    from lindungi.reports.dimensions import dimension
    from lindungi.reports.measures import Audience, Filters, measure
    from lindungi.reports.tables import _counts, filtered_queryset

    generator.generate(generator.Options(cases=150, seed=4, as_of=datetime.date(2026, 3, 31)))
    world = run.World(seed=1)

    def shown(page):  # what a row shows, as the raw SQL reads it (it cannot decrypt the name)
        return [(str(c.pk).replace("-", ""), c.number, c.organisation_id, c.registered_on, c.status,
                 c.risk_level, c.region_name, c.caseworker_name) for c in page]

    def raw_shown(rows):
        return [(str(r[0]).replace("-", ""), r[1], r[2], r[3], r[4], r[5], r[9] or "", r[10] or "") for r in rows]

    def both_lists(user, status="", province=""):
        count, page = run._page(selectors.case_list(
            user=user, filters=selectors.CaseFilters(status=status, province=province)))
        raw_count, raw_rows = run.raw_case_list(user.organisation_id, status, province)
        assert count == raw_count
        assert shown(page) == raw_shown(raw_rows)
        return count, page

    def both_searches(user, name):
        count, page = run._page(selectors.case_list(user=user, filters=selectors.CaseFilters(q=name)))
        field = Child._meta.get_field("name_index")
        digests = {org.pk: field.search_digests(org.pk, normalise.name(name)) for org in world.orgs}
        raw_count, raw_rows = run.raw_name_search(user.organisation_id, digests)
        # Raw SQL cannot drop truncated-digest collisions (it cannot decrypt): it may find more.
        assert raw_count >= count and set(shown(page)) <= set(raw_shown(raw_rows))
        return page

    for _ in range(5):
        user, params = world.list_params()
        both_lists(user, params["status"], params["province"])
    case = world.random_case()
    assert case.number in [c.number for c in both_searches(world.supervisors[case.organisation_id],
                                                           case.child.full_name)]
    # A case shared with another organisation is in that organisation's list and search, on both sides.
    receiver = world.supervisors[next(org.pk for org in world.orgs if org.pk != case.organisation_id)]
    before, _page = both_lists(receiver, case.status, case.province_id)
    CaseShare.objects.create(  # test data only: the services' request/approve/accept flow is tested in cases
        organisation_id=case.organisation_id, case=case, to_organisation_id=receiver.organisation_id,
        kind="share", status="accepted", reason="Uji (test)", requested_by_id=case.assigned_caseworker_id,
        expires_at=timezone.now() + datetime.timedelta(days=30))
    after, _page = both_lists(receiver, case.status, case.province_id)
    assert after == before + 1
    assert case.pk in [c.pk for c in both_searches(receiver, case.child.full_name)]
    # The statistics table's raw (unsuppressed) counts, as its GROUP BY returns them.
    audience = Audience(Audience.NETWORK)
    children = measure("children")
    _cells, by_province, _cols, total = _counts(children, filtered_queryset(children, audience, Filters()),
                                                dimension("province"), None, audience)
    raw_total, rows = run.raw_children_by_province()
    assert total == raw_total > 0
    assert by_province == dict(rows)


def test_it_refuses_a_database_whose_name_does_not_say_bench():
    with pytest.raises(SystemExit):
        run._check_dedicated("sqlite:////work/var/lindungi.sqlite3")
    run._check_dedicated(run.bench_database_url(1000, None))
    assert run.bench_database_url(5, "postgres://postgres@127.0.0.1:5432/lindungi").endswith("/lindungi_bench")


@pytest.mark.django_db(transaction=True)
def test_a_reused_database_is_vacuumed_once_when_it_never_was():
    from django.db import connection

    if connection.vendor != "postgresql":
        assert not run.never_vacuumed()  # SQLite keeps no such record; the benchmark runs ANALYZE itself
        return
    # A table of its own: autovacuum may have visited the test database's case table already.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_vacuum_probe (id integer)")
        cursor.execute("INSERT INTO bench_vacuum_probe VALUES (1)")
    try:
        assert run.never_vacuumed("bench_vacuum_probe")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM bench_vacuum_probe")
        assert not run.never_vacuumed("bench_vacuum_probe")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_vacuum_probe")


def test_percentile_is_nearest_rank():
    values = [i / 1000 for i in range(1, 101)]
    assert run.percentile(values, 0.5) == 0.05
    assert run.percentile(values, 0.95) == 0.095
    assert run.percentile([0.3], 0.95) == 0.3


def test_a_benchmark_client_is_signed_in_as_allauth_leaves_a_browser(personas):
    """Its first page is measured as the first page after signing in: the session is already in
    "My sessions", as allauth's sign-in leaves it, so the page neither records nor saves it."""
    from allauth.usersessions.models import UserSession
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = run._client(personas.caseworker_a, {})
    assert UserSession.objects.filter(session_key=client.session.session_key, user=personas.caseworker_a).exists()
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    written = [q["sql"] for q in captured.captured_queries
               if "usersessions_usersession" in q["sql"] or "django_session" in q["sql"]
               and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert not written
