"""Cached statistics always agree with the data: every write to a counted column bumps the data
version in the same transaction, and a cached count is used only at the version it was computed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lindungi.cases.models import Case, Child, Referral
from lindungi.reports import freshness
from lindungi.reports.measures import Audience, Filters
from lindungi.reports.models import StatisticsCache
from lindungi.reports.tables import compute_table
from lindungi.reports.tests.factories import make_case

NETWORK = Audience(Audience.NETWORK)
pytestmark = pytest.mark.django_db

# Columns statistics do not read: updating them leaves the cache warm. Every column of the three
# tables must be either here or in freshness.SOURCES, so a new column has to be classified.
IGNORED = {
    "cases_case": {"number", "source", "source_details", "narrative", "legal_basis", "legal_basis_notes",
                   "services_consent", "referral_consent", "sharing_consent", "risk_level", "risk_reason",
                   "risk_assessed_on", "assigned_caseworker_id", "supervisor_id", "status", "status_changed_on",
                   "closure_reason", "closed_on", "reopened_count", "next_follow_up_on", "age_is_estimated",
                   "transferred_to_id", "transferred_from_number", "created_by_id", "created_at", "updated_at"},
    "cases_child": {"organisation_id", "full_name", "aliases", "sex", "birth_date", "birth_date_is_estimated", "nik",
                    "other_ids", "nationality", "ethnicity", "language", "has_disability", "disability_details",
                    "province_id", "regency_id", "district_id", "street_address", "phone", "school_status",
                    "photo_id", "created_at", "updated_at", "name_index", "nik_index", "birth_date_index",
                    "name_year_index"},
}


def _columns(model) -> set[str]:
    return {f.column for f in model._meta.concrete_fields}


@pytest.mark.parametrize("model", [Case, Child, Referral])
def test_every_column_of_a_watched_table_is_classified(model):
    table = model._meta.db_table
    counted = set(freshness.SOURCES[table])
    ignored = IGNORED.get(table, _columns(model) - counted)
    assert counted <= _columns(model), "a watched column no longer exists"
    assert _columns(model) - counted == ignored, "classify the new column: counted (SOURCES) or ignored"
    # Referral columns statistics read: what the referrals measure binds.
    if model is Referral:
        assert {"organisation_id", "case_id", "service_type", "sent_on"} <= counted


def _table():
    return compute_table(measure_key="children", rows="sex", audience=NETWORK, filters=Filters())


def test_a_second_request_reads_the_cached_counts_without_counting_again(personas):
    for _ in range(6):
        make_case(personas.org_a)
    first = _table()
    with CaptureQueriesContext(connection) as queries:
        second = _table()
    assert second.result.total.value == first.result.total.value == 6
    assert not [q for q in queries if "cases_case" in q["sql"]], "counted again despite the cache"
    assert len(queries) == 1  # one lookup for the whole table
    assert StatisticsCache.objects.exists()


def test_the_personal_level_is_never_cached(personas):
    make_case(personas.org_a, worker=personas.caseworker_a)
    compute_table(measure_key="cases", rows="sex", audience=Audience(Audience.PERSONAL, user_id=personas.caseworker_a.pk))
    assert not StatisticsCache.objects.exists()


def test_every_counted_change_shows_at_once(personas):
    cases = [make_case(personas.org_a, sex="female") for _ in range(6)]
    assert _table().result.total.value == 6
    make_case(personas.org_a)
    assert _table().result.total.value == 7  # a new consenting case
    Case.objects.filter(pk=cases[0].pk).update(statistics_consent=False)
    assert _table().result.total.value == 6  # consent withdrawn
    Case.objects.filter(pk=cases[1].pk).update(sex="male")
    assert _table().result.cells[1].value == 1  # female, male, ...
    # Two cases become the same child across the network when their network index matches.
    key = Child.objects.get(pk=cases[2].child_id).network_name_year_index
    Child.objects.filter(pk=cases[3].child_id).update(network_name_year_index=key)
    assert _table().result.total.value == 5


def test_uncounted_changes_keep_the_cache_warm(personas):
    case = make_case(personas.org_a)
    _table()
    before = freshness.current_version()
    Case.objects.filter(pk=case.pk).update(status="assessment", next_follow_up_on=datetime.date(2013, 1, 1))
    Child.objects.filter(pk=case.child_id).update(school_status="in_school")
    assert freshness.current_version() == before
    Case.objects.filter(pk=case.pk).update(province_id="32")
    assert freshness.current_version() > before


def test_without_its_triggers_the_cache_is_not_used(personas):
    for _ in range(6):
        make_case(personas.org_a)
    _table()
    freshness.uninstall(connection, indexes=False)
    try:
        make_case(personas.org_a)  # no trigger: the version does not move
        assert _table().result.total.value == 7
    finally:
        freshness.install(connection)


def test_a_chart_drawn_once_is_reused_by_every_process(personas, monkeypatch):
    from lindungi.reports import charts

    args = {"chart_id": "t", "title": "Kasus", "labels": ["a", "b"], "values": [7, None], "displays": ["7", "<5"]}
    charts._shared.cache_clear()
    first = charts.bar_chart(**args)
    charts._shared.cache_clear()  # as in another worker process
    monkeypatch.setattr(charts, "_cached", lambda *a: pytest.fail("drawn again"))
    assert charts.bar_chart(**args) == first
    assert first.description == "a: 7; b: <5" and "&lt;5" in first.svg
