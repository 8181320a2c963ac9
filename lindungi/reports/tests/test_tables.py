import datetime

import pytest

from lindungi.core.errors import DomainError
from lindungi.reports.measures import Audience, Filters
from lindungi.reports.suppression import Mark
from lindungi.reports.tables import compute_table
from lindungi.reports.tests.factories import make_case

NETWORK = Audience(Audience.NETWORK)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


def _cases(org, n, **kwargs):
    return [make_case(org, **kwargs) for _ in range(n)]


def test_only_cases_with_statistics_consent_are_counted(personas):
    _cases(personas.org_a, 6)
    _cases(personas.org_a, 4, consent=False)
    table = compute_table(measure_key="cases", rows="sex", audience=NETWORK)
    assert table.result.total.value == 6
    assert table.display_rows()[-1] == ["Total", "6"]


def test_a_child_served_by_two_organisations_counts_once(personas):
    born = datetime.date(2007, 1, 9)
    for org in (personas.org_a, personas.org_b):
        _cases(org, 1, name="Sekar Fiktif Contoh", birth=born)
    _cases(personas.org_a, 5)
    children = compute_table(measure_key="children", rows="organisation", audience=NETWORK)
    cases = compute_table(measure_key="cases", rows="organisation", audience=NETWORK)
    assert cases.result.total.value == 7
    assert children.result.total.value == 6
    # Per organisation the child counts in both, so the margin is less than the sum of cells.
    assert sum(c.value for c in children.result.cells) == 7


def test_small_cells_are_published_as_below_threshold(personas):
    _cases(personas.org_a, 7, sex="female")
    _cases(personas.org_a, 2, sex="male")
    table = compute_table(measure_key="cases", rows="sex", audience=NETWORK)
    rows = {row[0]: row[1] for row in table.display_rows()}
    assert rows["Male"] == "<5"
    assert table.result.total.value == 9
    # The female count would give the male one away (total − female): it is hidden too.
    assert rows["Female"] == "x"
    assert rows["Other"] == "0"
    assert table.to_json()["row_totals"][1] == {"value": None, "display": "<5", "suppressed": True}


def test_exploitation_types_are_counted_per_type_from_the_case_concerns(personas):
    _cases(personas.org_a, 6, concerns=["online", "trafficking"])
    _cases(personas.org_a, 5, concerns=["online"])
    table = compute_table(measure_key="cases", rows="type", audience=NETWORK)
    values = {c.code: cell.value for c, cell in zip(table.row_categories, table.result.cells, strict=True)}
    assert values["online"] == 11 and values["trafficking"] == 6 and values["abuse"] == 0
    assert table.result.total.value == 11  # distinct cases, not the sum of types


def test_two_way_tables_are_suppressed_with_margins_from_the_database(personas):
    _cases(personas.org_a, 8, sex="female", age=15)
    _cases(personas.org_a, 3, sex="male", age=15)
    _cases(personas.org_a, 9, sex="female", age=12)
    _cases(personas.org_a, 6, sex="male", age=12)
    table = compute_table(measure_key="cases", rows="age_group", cols="sex", audience=NETWORK)
    grid = table.result.grid()
    hidden = sum(1 for row in grid for cell in row if cell.suppressed)
    assert hidden >= 4
    assert any(cell.mark is Mark.PRIMARY and cell.value == 3 for row in grid for cell in row)
    assert table.result.total.value == 26 and not table.result.total.suppressed


def test_a_type_breakdown_can_be_crossed_with_a_plain_dimension_either_way(personas):
    _cases(personas.org_a, 6, concerns=["online"], sex="female")
    _cases(personas.org_a, 6, concerns=["abuse"], sex="male")
    a = compute_table(measure_key="cases", rows="type", cols="sex", audience=NETWORK)
    b = compute_table(measure_key="cases", rows="sex", cols="type", audience=NETWORK)
    assert a.rows.key == "type" and a.cols.key == "sex"
    assert b.rows.key == "sex" and b.cols.key == "type"
    assert a.result.total.value == b.result.total.value == 12


def test_regency_breakdown_needs_a_province_and_merges_rare_categories(personas):
    with pytest.raises(DomainError):
        compute_table(measure_key="cases", rows="regency", audience=NETWORK)
    _cases(personas.org_a, 7, concerns=["online"], regency="31.71")
    _cases(personas.org_a, 6, concerns=["online"], regency="31.72")
    _cases(personas.org_a, 2, concerns=["marriage"], regency="31.72")
    table = compute_table(measure_key="cases", rows="regency", cols="type", audience=NETWORK,
                          filters=Filters(province="31"))
    codes = [c.code for c in table.col_categories]
    assert "marriage" not in codes and codes[-1] == "other"
    assert table.notes


def test_filters_restrict_period_province_and_type(personas):
    _cases(personas.org_a, 5, registered=datetime.date(2011, 6, 1))
    _cases(personas.org_a, 6, registered=datetime.date(2012, 6, 1), province="18", regency="18.71")
    _cases(personas.org_a, 7, registered=datetime.date(2012, 6, 1), concerns=["abuse"])
    year = Filters(date_from=datetime.date(2012, 1, 1), date_to=datetime.date(2012, 12, 31))
    assert compute_table(measure_key="cases", rows="year", audience=NETWORK, filters=year).result.total.value == 13
    lampung = Filters(province="18")
    assert compute_table(measure_key="cases", rows="sex", audience=NETWORK, filters=lampung).result.total.value == 6
    abuse = Filters(type="abuse")
    assert compute_table(measure_key="cases", rows="sex", audience=NETWORK, filters=abuse).result.total.value == 7


def test_audiences_see_their_own_cases(personas):
    _cases(personas.org_a, 6, worker=personas.caseworker_a)
    _cases(personas.org_b, 5)
    org_a = Audience(Audience.ORGANISATION, organisation_id=personas.org_a.pk)
    mine = Audience(Audience.PERSONAL, user_id=personas.caseworker_a.pk)
    theirs = Audience(Audience.PERSONAL, user_id=personas.caseworker2_a.pk)
    assert compute_table(measure_key="cases", rows="sex", audience=org_a).result.total.value == 6
    assert compute_table(measure_key="cases", rows="sex", audience=mine).result.total.value == 6
    assert compute_table(measure_key="cases", rows="sex", audience=theirs).result.total.value == 0
    assert compute_table(measure_key="cases", rows="year", audience=NETWORK).result.total.value == 11


def test_personal_figures_count_the_cases_on_the_workers_team(personas):
    from django.utils import timezone

    from lindungi.cases.models import CaseTeamMember

    cases = _cases(personas.org_a, 5, worker=personas.caseworker_a)
    for case in cases[:4]:
        CaseTeamMember.objects.create(case=case, user=personas.caseworker2_a, role="co_worker")
    CaseTeamMember.objects.create(case=cases[4], user=personas.caseworker2_a, role="co_worker", removed_at=timezone.now())
    theirs = Audience(Audience.PERSONAL, user_id=personas.caseworker2_a.pk)
    assert compute_table(measure_key="cases", rows="sex", audience=theirs).result.total.value == 4
    assert compute_table(measure_key="referrals", rows="service", audience=theirs).result.total.value == 0


def test_referrals_and_months(personas):
    _cases(personas.org_a, 6, registered=datetime.date(2012, 2, 3))
    table = compute_table(measure_key="cases", rows="month", audience=NETWORK)
    assert [c.code for c in table.row_categories] == ["2012-02"]
    assert compute_table(measure_key="referrals", rows="service", audience=NETWORK).result.total.value == 0


def test_unknown_measures_and_dimensions_are_clear_errors(personas):
    with pytest.raises(DomainError):
        compute_table(measure_key="nope", rows="sex", audience=NETWORK)
    with pytest.raises(DomainError):
        compute_table(measure_key="cases", rows="nope", audience=NETWORK)
    with pytest.raises(DomainError):
        compute_table(measure_key="cases", rows="sex", cols="sex", audience=NETWORK)
