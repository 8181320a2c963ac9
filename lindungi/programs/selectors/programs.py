from __future__ import annotations

from django.db.models import Q, QuerySet

from lindungi.core import policy
from lindungi.programs.models import Donor, Indicator, LearningEntry, Partner, Program, Result

VIEW = "programs.program.view"
EDIT = "programs.program.edit"


def program_list(*, user, filters: dict | None = None) -> QuerySet[Program]:
    filters = filters or {}
    qs = policy.scope_filter(user, VIEW, Program.objects.select_related("lead_organisation"))
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("year"):
        year = int(filters["year"])
        qs = qs.filter(start_date__year__lte=year, end_date__year__gte=year)
    if filters.get("donor"):
        qs = qs.filter(funding__donor_id=filters["donor"])
    if filters.get("province"):
        qs = qs.filter(provinces__code=filters["province"])
    if filters.get("organisation"):
        qs = qs.filter(Q(lead_organisation_id=filters["organisation"]) | Q(partners__organisation_id=filters["organisation"]))
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(Q(code__icontains=term) | Q(title_id__icontains=term) | Q(title_en__icontains=term))
    return qs.distinct()


def program_get(*, user, pk, action: str = VIEW) -> Program:
    return policy.get_object(user, action, Program.objects.select_related("lead_organisation"), pk=pk)


def result_get(*, user, pk, action: str = VIEW) -> Result:
    return policy.get_object(user, action, Result.objects.select_related("program"), pk=pk)


def indicator_get(*, user, pk, action: str = VIEW) -> Indicator:
    return policy.get_object(user, action, Indicator.objects.select_related("result__program"), pk=pk)


def can_edit_program(user, program: Program) -> bool:
    return policy.in_scope(user, EDIT, program)


def can_report_indicators(user, program: Program) -> bool:
    return policy.in_scope(user, "programs.indicator.report", program)


def donor_list(*, user) -> QuerySet[Donor]:
    return policy.scope_filter(user, VIEW, Donor.objects.select_related("country"))


def partner_list(*, user) -> QuerySet[Partner]:
    return policy.scope_filter(user, VIEW, Partner.objects.select_related("organisation", "country"))


def learning_list(*, user, year: int | None = None, program: Program | None = None) -> QuerySet[LearningEntry]:
    qs = policy.scope_filter(user, VIEW, LearningEntry.objects.select_related("program", "organisation"))
    if year:
        qs = qs.filter(year=year)
    if program is not None:
        qs = qs.filter(program=program)
    return qs
