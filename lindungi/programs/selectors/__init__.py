"""Reads, always through the policy. The annual-report engineer can build on:

- `program_list(user=, filters=)`, `activity_list(user=, filters=)` (filters: year, program, type,
  province, organisation, q), `learning_list(user=, year=)`;
- `reach_summary(activities)` → participants by sex, age group, stakeholder group, province;
- `activities_by(activities, "type" | "province" | "month")`;
- `indicator_progress(indicator)` → targets and (computed or entered) actuals per period;
- `year_overview(user=, year=)` → everything the annual report covers for one year.
"""

from lindungi.programs.selectors.activities import (  # noqa: F401
    activities_by,
    activity_get,
    activity_list,
    attendance_list,
    can_edit_activity,
    can_see_attendance,
    outputs_by_kind,
    programs_for_recording,
    reach_summary,
    registration_list,
    upcoming_activities,
)
from lindungi.programs.selectors.indicators import (  # noqa: F401
    IndicatorProgress,
    PeriodValue,
    indicator_progress,
    indicators_behind_target,
    rule_value,
)
from lindungi.programs.selectors.programs import (  # noqa: F401
    can_edit_program,
    can_report_indicators,
    donor_list,
    indicator_get,
    learning_list,
    partner_list,
    program_get,
    program_list,
    result_get,
)
from lindungi.programs.selectors.report import year_overview  # noqa: F401,E402
