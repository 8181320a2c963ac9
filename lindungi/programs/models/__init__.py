"""Programs, logframes, activities and events. Nothing here is personal data except attendance
lists and event registrations (encrypted, organisation-scoped) and activity photos (encrypted files)."""

from lindungi.programs.models.activities import (  # noqa: F401
    Activity,
    ActivityCountry,
    ActivityFile,
    ActivityOutput,
    AttendanceRecord,
    EventRegistration,
    EventSession,
    ParticipantCount,
    Sex,
    Speaker,
)
from lindungi.programs.models.programs import (  # noqa: F401
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    LearningEntry,
    Program,
    ProgramFunding,
    Result,
)
from lindungi.programs.models.reference import (  # noqa: F401
    ActivityType,
    AgeGroup,
    Country,
    Currency,
    Donor,
    Partner,
    StakeholderGroup,
)
