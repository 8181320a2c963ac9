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
    from lindungi.cases import selectors
    from lindungi.cases.models import Child
    from lindungi.crypto import normalise
    from lindungi.reports.dimensions import dimension
    from lindungi.reports.measures import Audience, Filters, measure
    from lindungi.reports.tables import _counts, filtered_queryset

    generator.generate(generator.Options(cases=150, seed=4, as_of=datetime.date(2026, 3, 31)))
    world = run.World(seed=1)
    for _ in range(5):
        user, params = world.list_params()
        count, page = run._page(selectors.case_list(
            user=user, filters=selectors.CaseFilters(status=params["status"], province=params["province"])))
        raw_count, raw_rows = run.raw_case_list(user.organisation_id, params["status"], params["province"])
        assert count == raw_count
        # The same rows with what they show (raw SQL cannot decrypt the child's name).
        assert [(str(c.pk).replace("-", ""), c.number, c.organisation_id, c.registered_on, c.status, c.risk_level, c.region_name,
                 c.caseworker_name) for c in page] == [
            (str(row[0]).replace("-", ""), row[1], row[2], row[3], row[4], row[5], row[9] or "", row[10] or "") for row in raw_rows]
    case = world.random_case()
    user = world.supervisors[case.organisation_id]
    count, page = run._page(selectors.case_list(user=user, filters=selectors.CaseFilters(q=case.child.full_name)))
    digests = Child._meta.get_field("name_index").search_digests(user.organisation_id,
                                                                 normalise.name(case.child.full_name))
    raw_count, raw_rows = run.raw_name_search(user.organisation_id, sorted(digests))
    assert case.number in [c.number for c in page]
    assert raw_count >= count  # raw SQL cannot drop truncated-digest collisions (it cannot decrypt)
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


def test_percentile_is_nearest_rank():
    values = [i / 1000 for i in range(1, 101)]
    assert run.percentile(values, 0.5) == 0.05
    assert run.percentile(values, 0.95) == 0.095
    assert run.percentile([0.3], 0.95) == 0.3
