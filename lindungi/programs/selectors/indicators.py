"""Indicator progress: targets against actual values, per period.

An indicator's actual values are either entered by hand (with a source) or computed by a rule that
is stored as data on the indicator (metric, activity types, participant filters, scope). Rules are
evaluated here, at read time, from the activities as they are now: editing or deleting an activity
changes the computed actual at once, and nothing can go stale.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from lindungi.core import policy
from lindungi.geo.models import Region
from lindungi.programs.models import (
    Activity,
    ActivityOutput,
    AgeGroup,
    Indicator,
    ParticipantCount,
    Program,
    Sex,
)

M = Indicator.Metric
TWO = Decimal("0.01")


@dataclass
class PeriodValue:
    start: datetime.date
    end: datetime.date
    target: Decimal | None = None
    target_note: str = ""
    actual: Decimal | None = None
    narrative: str = ""
    source: str = ""
    breakdown: list[dict] = field(default_factory=list)  # [{"dimension", "label", "rows": [{key, label, target, actual}]}]
    is_total: bool = False

    @property
    def progress(self) -> float | None:
        if self.target in (None, 0) or self.actual is None:
            return None
        return float(self.actual / self.target)

    @property
    def progress_percent(self) -> int | None:
        return None if self.progress is None else round(self.progress * 100)

    def elapsed(self, today=None) -> float:
        today = today or timezone.localdate()
        total = (self.end - self.start).days + 1
        return max(0.0, min(1.0, ((today - self.start).days + 1) / total))

    @property
    def elapsed_percent(self) -> int:
        return round(self.elapsed() * 100)


@dataclass
class IndicatorProgress:
    indicator: Indicator
    periods: list[PeriodValue]
    total: PeriodValue

    @property
    def current(self) -> PeriodValue:
        today = timezone.localdate()
        containing = [p for p in self.periods if p.start <= today <= p.end and p.target is not None]
        return min(containing, key=lambda p: p.end - p.start) if containing else self.total

    @property
    def behind(self) -> bool:
        """Behind target: for counts, the share achieved lags the share of the period elapsed by
        more than 10 points; for percentages, under target past the middle of the period."""
        period = self.current
        if period.target in (None, 0) or self.indicator.measure == Indicator.Measure.QUALITATIVE:
            return False
        elapsed = period.elapsed()
        if elapsed <= 0:
            return False
        actual = period.actual or Decimal(0)
        if self.indicator.measure == Indicator.Measure.PERCENTAGE:
            return elapsed >= 0.5 and actual < period.target
        return float(actual / period.target) < elapsed - 0.1


# --- rules ---------------------------------------------------------------------------------------

def _rule_activities(indicator: Indicator, start=None, end=None):
    program_id = indicator.result.program_id
    qs = Activity.objects.filter(program_id=program_id, status=Activity.Status.COMPLETED)
    if indicator.rule_scope == Indicator.RuleScope.RESULT:
        qs = qs.filter(results__in=indicator.result.descendant_ids())
    # .all(): a caller evaluating many indicators (the annual report) prefetches the rule's lists.
    type_ids = [t.pk for t in indicator.rule_activity_types.all()]
    if type_ids:
        qs = qs.filter(type_id__in=type_ids)
    if start is not None:
        qs = qs.filter(start_date__gte=start)
    if end is not None:
        qs = qs.filter(start_date__lte=end)
    # The results join can repeat an activity: count each once.
    return Activity.objects.filter(pk__in=qs.values("pk"))


def _participant_q(indicator: Indicator) -> Q:
    q = Q()
    if indicator.rule_sex:
        q &= Q(sex=indicator.rule_sex)
    ages = [a.pk for a in indicator.rule_age_groups.all()]
    if ages:
        q &= Q(age_group_id__in=ages)
    groups = [g.pk for g in indicator.rule_stakeholder_groups.all()]
    if groups:
        q &= Q(stakeholder_group_id__in=groups)
    return q


def _has_participant_filter(indicator: Indicator) -> bool:
    return bool(indicator.rule_sex) or indicator.rule_age_groups.exists() or indicator.rule_stakeholder_groups.exists()


_GROUP_FIELDS = {
    # dimension -> (ParticipantCount field, Activity field)
    "sex": ("sex", None),
    "age_group": ("age_group__code", None),
    "province": ("activity__province_id", "province_id"),
}


def _weighted_gain(activities) -> Decimal | None:
    num, den = Decimal(0), Decimal(0)
    for act in activities.exclude(pretest_average=None).exclude(posttest_average=None):
        weight = Decimal(act.tested_count or 1)
        num += act.knowledge_gain * weight
        den += weight
    return (num / den).quantize(Decimal("0.1")) if den else None


def rule_value(indicator: Indicator, start=None, end=None, dimension: str = ""):
    """The computed actual of a rule indicator between `start` and `end` (activity start dates,
    inclusive): a Decimal for the total, or {category: Decimal} for a disaggregation."""
    activities = _rule_activities(indicator, start, end)
    metric = indicator.rule_metric
    if metric in (M.ACTIVITIES, M.REACH, M.KNOWLEDGE_GAIN) and _has_participant_filter(indicator):
        activities = activities.filter(pk__in=ParticipantCount.objects.filter(_participant_q(indicator))
                                       .values("activity_id"))
    if metric == M.PARTICIPANTS:
        counts = ParticipantCount.objects.filter(activity__in=activities).filter(_participant_q(indicator))
        if not dimension:
            return Decimal(counts.aggregate(total=Sum("count"))["total"] or 0)
        key = _GROUP_FIELDS[dimension][0]
        return {row[key] or "": Decimal(row["total"]) for row in counts.values(key).annotate(total=Sum("count"))}
    if metric == M.ACTIVITIES:
        if not dimension:
            return Decimal(activities.count())
        if dimension != "province":
            return {}
        return {row["province_id"] or "": Decimal(row["total"])
                for row in activities.values("province_id").annotate(total=Count("pk"))}
    if metric == M.REACH:
        outputs = ActivityOutput.objects.filter(activity__in=activities)
        if not dimension:
            return Decimal(outputs.aggregate(total=Sum("reach"))["total"] or 0)
        if dimension != "province":
            return {}
        return {row["activity__province_id"] or "": Decimal(row["total"] or 0)
                for row in outputs.values("activity__province_id").annotate(total=Sum("reach"))}
    if metric == M.KNOWLEDGE_GAIN:
        if not dimension:
            return _weighted_gain(activities)
        if dimension != "province":
            return {}
        provinces = set(activities.values_list("province_id", flat=True))
        return {code or "": _weighted_gain(activities.filter(province_id=code)) for code in provinces}
    raise ValueError(f"Unknown indicator metric {metric!r}")


# --- progress ------------------------------------------------------------------------------------

def _category_labels(dimension: str, keys) -> dict:
    if dimension == "sex":
        return dict(Sex.choices)
    if dimension == "age_group":
        return {g.code: g.label for g in AgeGroup.objects.filter(code__in=keys)}
    if dimension == "province":
        return dict(Region.objects.filter(code__in=keys).values_list("code", "name"))
    return {}


def _breakdown(indicator: Indicator, start, end, targets, actual_rows, computed: bool) -> list[dict]:
    result = []
    labels = dict(Indicator.Dimension.choices)
    for dim in indicator.dimensions:
        if computed:
            actuals = rule_value(indicator, start, end, dim) if start is not None or end is not None \
                else rule_value(indicator, None, None, dim)
        else:
            actuals = {a.category: a.value for a in actual_rows if a.dimension == dim}
        dim_targets = {t.category: t.value for t in targets if t.dimension == dim}
        keys = sorted(set(actuals) | set(dim_targets))
        if not keys:
            continue
        names = _category_labels(dim, keys)
        result.append({"dimension": dim, "label": labels[dim], "rows": [
            {"key": k, "label": names.get(k, k or "—"), "target": dim_targets.get(k), "actual": actuals.get(k)}
            for k in keys
        ]})
    return result


def indicator_progress(indicator: Indicator) -> IndicatorProgress:
    program: Program = indicator.result.program
    computed = indicator.is_computed
    targets = list(indicator.targets.all())
    actual_rows = [] if computed else list(indicator.actuals.all())
    spans = {(t.period_start, t.period_end) for t in targets} | {(a.period_start, a.period_end) for a in actual_rows}
    whole = (program.start_date, program.end_date)
    periods = []
    for start, end in sorted(spans):
        period_targets = [t for t in targets if (t.period_start, t.period_end) == (start, end)]
        period_actuals = [a for a in actual_rows if (a.period_start, a.period_end) == (start, end)]
        pv = PeriodValue(start, end, is_total=(start, end) == whole)
        total_target = next((t for t in period_targets if not t.dimension), None)
        if total_target:
            pv.target, pv.target_note = total_target.value, total_target.note
        if computed:
            pv.actual = rule_value(indicator, start, end)
        else:
            total_actual = next((a for a in period_actuals if not a.dimension), None)
            if total_actual:
                pv.actual, pv.narrative, pv.source = total_actual.value, total_actual.narrative, total_actual.source
        pv.breakdown = _breakdown(indicator, start, end, period_targets, period_actuals, computed)
        periods.append(pv)
    total = next((p for p in periods if p.is_total), None)
    if total is None:
        total = PeriodValue(*whole, is_total=True)
        totals = [p for p in periods if p.target is not None]
        if indicator.measure == Indicator.Measure.COUNT:
            total.target = sum((p.target for p in totals), Decimal(0)) if totals else None
        elif totals:
            total.target = totals[-1].target
        if computed:
            # Everything the rule counts, whatever the date (activities before or after the period
            # still happened); the per-period rows show the split.
            total.actual = rule_value(indicator)
            total.breakdown = _breakdown(indicator, None, None, [], [], True)
        else:
            with_value = [p for p in periods if p.actual is not None]
            if indicator.measure == Indicator.Measure.COUNT and with_value:
                total.actual = sum((p.actual for p in with_value), Decimal(0))
            elif with_value:
                total.actual, total.narrative = with_value[-1].actual, with_value[-1].narrative
    return IndicatorProgress(indicator, periods, total)


def indicators_behind_target(*, user, limit: int = 10) -> list[IndicatorProgress]:
    """Indicators of the active programs the user's organisation leads that lag their target."""
    programs = policy.scope_filter(user, "programs.indicator.report", Program.objects.filter(status=Program.Status.ACTIVE))
    indicators = (Indicator.objects.filter(result__program__in=programs).select_related("result__program")
                  .prefetch_related("targets"))
    behind = []
    for indicator in indicators:
        if not indicator.targets.all():
            continue
        progress = indicator_progress(indicator)
        if progress.behind:
            behind.append(progress)
            if len(behind) >= limit:
                break
    return behind


def quantize(value):
    return value.quantize(TWO) if isinstance(value, Decimal) else value
