from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lindungi.core import policy
from lindungi.core.policy import Scope
from lindungi.programs.models import (
    Activity,
    ActivityOutput,
    AgeGroup,
    AttendanceRecord,
    EventRegistration,
    ParticipantCount,
    Program,
    Sex,
    StakeholderGroup,
)

VIEW = "programs.program.view"
EDIT = "programs.activity.edit"
ATTENDANCE = "programs.attendance.view"


def activity_list(*, user, filters: dict | None = None) -> QuerySet[Activity]:
    filters = filters or {}
    qs = policy.scope_filter(
        user, VIEW, Activity.objects.select_related("type", "program", "province", "regency", "organisation")
    )
    if filters.get("program"):
        qs = qs.filter(program_id=filters["program"])
    if filters.get("year"):
        qs = qs.filter(start_date__year=int(filters["year"]))
    if filters.get("type"):
        qs = qs.filter(type__code=filters["type"])
    if filters.get("province"):
        qs = qs.filter(province_id=filters["province"])
    if filters.get("organisation"):
        qs = qs.filter(organisation_id=filters["organisation"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("events"):
        qs = qs.filter(type__is_event=True)
    if filters.get("q"):
        qs = qs.filter(Q(title__icontains=filters["q"]) | Q(venue__icontains=filters["q"]))
    return qs


def activity_get(*, user, pk, action: str = VIEW) -> Activity:
    qs = Activity.objects.select_related("type", "program__lead_organisation", "province", "regency", "organisation")
    return policy.get_object(user, action, qs, pk=pk)


def can_edit_activity(user, activity: Activity) -> bool:
    return policy.in_scope(user, EDIT, activity)


def can_see_attendance(user, activity: Activity) -> bool:
    """Attendance lists and registrations are personal data of the recording organisation."""
    return policy.allowed(user, ATTENDANCE, Scope.ORGANISATION) and activity.organisation_id == user.organisation_id


def attendance_list(*, user, activity: Activity) -> QuerySet[AttendanceRecord]:
    return policy.scope_filter(user, ATTENDANCE, activity.attendance.select_related("age_group", "stakeholder_group"))


def registration_list(*, user, activity: Activity) -> QuerySet[EventRegistration]:
    return policy.scope_filter(user, ATTENDANCE, activity.registrations.select_related("country", "stakeholder_group"))


def programs_for_recording(user) -> QuerySet[Program]:
    """Programs the user may record activities for: those their organisation leads, and those it
    implements as a partner."""
    if not policy.allowed(user, EDIT, Scope.ORGANISATION):
        return Program.objects.none()
    org = user.organisation_id
    return (Program.objects.filter(Q(lead_organisation_id=org) | Q(partners__organisation_id=org))
            .exclude(status=Program.Status.CANCELLED).distinct())


def upcoming_activities(*, user, days: int = 30) -> QuerySet[Activity]:
    today = timezone.localdate()
    qs = policy.scope_filter(user, EDIT, Activity.objects.select_related("type", "program", "province"))
    return qs.filter(start_date__gte=today, start_date__lte=today + datetime.timedelta(days=days)) \
        .exclude(status=Activity.Status.CANCELLED).order_by("start_date")


def _labelled(rows, key, labels: dict, value="total"):
    return [{"key": row[key] or "", "label": labels.get(row[key], labels.get(None, "")), "value": row[value] or 0}
            for row in rows]


def reach_summary(activities: QuerySet[Activity]) -> dict:
    """People reached by the held activities: totals by sex, age group, stakeholder group, province."""
    counts = ParticipantCount.objects.filter(activity__in=activities.filter(status=Activity.Status.COMPLETED))
    total = counts.aggregate(total=Sum("count"))["total"] or 0
    not_recorded = str(Sex.UNKNOWN.label)
    sexes = dict(Sex.choices)
    ages = {g.code: g.label for g in AgeGroup.objects.all()} | {None: not_recorded}
    groups = {g.code: g.label for g in StakeholderGroup.objects.all()} | {None: not_recorded}
    by_sex = counts.values("sex").annotate(total=Sum("count")).order_by("sex")
    by_age = counts.values("age_group__code", "age_group__order").annotate(total=Sum("count")).order_by("age_group__order")
    by_group = (counts.values("stakeholder_group__code", "stakeholder_group__order")
                .annotate(total=Sum("count")).order_by("stakeholder_group__order"))
    by_province = (counts.values("activity__province_id", "activity__province__name")
                   .annotate(total=Sum("count")).order_by("-total"))
    return {
        "total": total,
        "by_sex": _labelled(by_sex, "sex", sexes),
        "by_age_group": _labelled(by_age, "age_group__code", ages),
        "by_stakeholder_group": _labelled(by_group, "stakeholder_group__code", groups),
        "by_province": [{"key": r["activity__province_id"] or "", "label": r["activity__province__name"] or not_recorded,
                         "value": r["total"]} for r in by_province],
    }


def activities_by(activities: QuerySet[Activity], dimension: str) -> list[dict]:
    """Held activities counted by "type", "province", "month" or "status"."""
    held = activities.filter(status=Activity.Status.COMPLETED)
    if dimension == "type":
        rows = held.values("type__code", "type__label_id", "type__label_en", "type__order") \
            .annotate(total=Count("pk")).order_by("type__order")
        from types import SimpleNamespace

        from lindungi.programs.models.reference import localised

        return [{"key": r["type__code"], "label": localised(SimpleNamespace(label_id=r["type__label_id"],
                                                                             label_en=r["type__label_en"]), "label"),
                 "value": r["total"]} for r in rows]
    if dimension == "province":
        rows = held.values("province_id", "province__name").annotate(total=Count("pk")).order_by("-total", "province_id")
        return [{"key": r["province_id"] or "", "label": r["province__name"] or str(_online_or_unknown()),
                 "value": r["total"]} for r in rows]
    if dimension == "month":
        rows = held.annotate(month=TruncMonth("start_date")).values("month").annotate(total=Count("pk")).order_by("month")
        return [{"key": r["month"].strftime("%Y-%m"), "label": r["month"].strftime("%m/%Y"), "value": r["total"]}
                for r in rows]
    raise ValueError(dimension)


def outputs_by_kind(activities: QuerySet[Activity]) -> list[dict]:
    rows = ActivityOutput.objects.filter(activity__in=activities).values("kind") \
        .annotate(total=Count("pk"), reach=Sum("reach")).order_by("kind")
    kinds = dict(ActivityOutput.Kind.choices)
    return [{"key": r["kind"], "label": kinds.get(r["kind"], r["kind"]), "value": r["total"], "reach": r["reach"] or 0}
            for r in rows]


def _online_or_unknown():
    from django.utils.translation import gettext_lazy as _

    return _("Online or not recorded")
