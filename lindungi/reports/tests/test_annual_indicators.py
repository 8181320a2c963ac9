"""The annual report evaluates each program indicator for the period it shows only (not every
period and disaggregation), with the same values as the programs app's full progress."""

import pytest

from lindungi.reports.tests.test_demo_report import demo, demo_network  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_indicator_values_in_the_report_are_the_programs_apps_values(demo):  # noqa: F811
    """The report evaluates only the period it shows; the values are those of the full progress."""
    from lindungi.programs.models import Indicator
    from lindungi.programs.selectors import indicator_progress
    from lindungi.reports import annual

    indicators = list(Indicator.objects.select_related("result__program").prefetch_related("targets", "actuals"))
    assert any(i.is_computed for i in indicators) and any(not i.is_computed for i in indicators)
    compared = 0
    for indicator in indicators:
        progress = indicator_progress(indicator)
        for year in range(2010, 2016):
            expected = annual._period_value(progress, year)
            found = annual._indicator_value(indicator, year)
            fields = ("start", "end", "target", "target_note", "actual", "narrative")
            assert [getattr(found, f) for f in fields] == [getattr(expected, f) for f in fields], (indicator.pk, year)
            compared += 1
    assert compared
