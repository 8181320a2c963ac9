"""One year of the network's program work, as the annual report tells it: programs and their
donors, activities by type and province, people reached, events, outputs and publications,
successes, lessons and challenges. Everything is read through the policy (program information is
network-shared; nothing personal is included)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from lindungi.core import policy
from lindungi.programs.models import Activity, ActivityOutput, LearningEntry, ParticipantCount, Program
from lindungi.programs.selectors.activities import (
    activities_by,
    activity_list,
    outputs_by_kind,
    reach_summary,
)

VIEW = "programs.program.view"


def year_overview(*, user, year: int) -> dict:
    activities = activity_list(user=user, filters={"year": year})
    held = activities.filter(status=Activity.Status.COMPLETED)
    programs = (policy.scope_filter(user, VIEW, Program.objects.all())
                .filter(Q(start_date__year__lte=year, end_date__year__gte=year) | Q(activities__start_date__year=year))
                .distinct().select_related("lead_organisation").prefetch_related("funding__donor", "provinces")
                .order_by("start_date", "code"))
    program_rows = []
    for program in programs:
        own = held.filter(program=program)
        program_rows.append({
            "program": program,
            "donors": [f.donor.public_name for f in program.funding.all()],
            "provinces": [p.name for p in program.provinces.all()],
            "activities_held": own.count(),
            "participants": ParticipantCount.objects.filter(activity__in=own).aggregate(n=Sum("count"))["n"] or 0,
            "activities_by_type": activities_by(own, "type"),
        })
    events = []
    for event in held.filter(type__is_event=True).annotate(
            speaker_count=Count("speakers", distinct=True), country_count=Count("countries", distinct=True)):
        events.append({
            "activity": event, "speakers": event.speaker_count, "countries": event.country_count,
            "participants": ParticipantCount.objects.filter(activity=event).aggregate(n=Sum("count"))["n"] or 0,
        })
    learning = policy.scope_filter(user, VIEW, LearningEntry.objects.filter(year=year).select_related("program"))
    publications = ActivityOutput.objects.filter(activity__in=held).select_related("activity").order_by("kind", "title")
    return {
        "year": year,
        "programs": program_rows,
        "activities_by_type": activities_by(activities, "type"),
        "activities_by_province": activities_by(activities, "province"),
        "people_reached": reach_summary(activities),
        "events": events,
        "outputs": outputs_by_kind(activities),
        "publications": list(publications),
        "learning": {kind: [e for e in learning if e.kind == kind] for kind in LearningEntry.Kind.values},
        "donors": sorted({name for row in program_rows for name in row["donors"]}),
    }
