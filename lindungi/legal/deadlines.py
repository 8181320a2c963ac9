"""Filing deadlines after a decision, from the editable deadline rules: an appeal (banding) within 7
days of the first-instance verdict, a cassation (kasasi) within 14 days of the appeal decision.

The law counts calendar days from the day after the decision: a verdict on 28 January gives an
appeal deadline of 4 February, the last day to file. A deadline no longer shows once the filing
(or a decision at that level or above) is recorded, nor when the legal case is closed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lindungi.legal.models import LEVEL_ORDER, Appeal, AppealLevel, DeadlineRule, Verdict, VerdictLevel


def due_date(decided_on: datetime.date, days: int) -> datetime.date:
    """The last day to file: `days` calendar days after the decision."""
    return decided_on + datetime.timedelta(days=days)


@dataclass(frozen=True)
class Deadline:
    legal_case_id: object
    number: str
    defendant_id: object
    rule_code: str
    label: str
    decided_on: datetime.date
    due_on: datetime.date
    days_left: int  # counted from the `today` the deadlines were computed for

    @property
    def title(self) -> str:
        """For calendars: no names, the legal case number only."""
        return _("%(deadline)s — %(number)s") % {"deadline": self.label, "number": self.number}


def _at_or_above(level: str) -> list[str]:
    return [code for code in VerdictLevel.values if LEVEL_ORDER[code] >= LEVEL_ORDER[level]]


def active_rules() -> list[DeadlineRule]:
    return list(DeadlineRule.objects.filter(is_active=True))


def decisions_in_period(rules: list[DeadlineRule], *, today: datetime.date, until: datetime.date) -> Q | None:
    """The decisions (Verdict rows) from which one of `rules` counts a deadline falling between
    `today` and `until`, filed or not: what `deadlines` reads, before its other conditions. None:
    no rule, no decision."""
    condition = None
    for rule in rules:
        period = Q(level=rule.after_level, decided_on__gte=today - datetime.timedelta(days=rule.days),
                   decided_on__lte=until - datetime.timedelta(days=rule.days))
        condition = period if condition is None else condition | period
    return condition


def deadlines(legal_cases: QuerySet, *, today: datetime.date, until: datetime.date | None = None,
              include_missed: bool = False, rules: list[DeadlineRule] | None = None) -> list[Deadline]:
    """Open filing deadlines of `legal_cases` (already scoped to the user) that fall on or after
    `today` (and up to `until`), soonest first. `include_missed` adds unfiled deadlines that
    already passed (for the legal case page). `rules`: the active rules, when already read."""
    result = []
    for rule in active_rules() if rules is None else rules:
        verdicts = Verdict.objects.filter(
            level=rule.after_level, defendant__legal_case__in=legal_cases, defendant__legal_case__is_closed=False,
        ).select_related("defendant__legal_case")
        if not include_missed:
            verdicts = verdicts.filter(decided_on__gte=today - datetime.timedelta(days=rule.days))
        if until is not None:
            verdicts = verdicts.filter(decided_on__lte=until - datetime.timedelta(days=rule.days))
        above = _at_or_above(rule.files_level)
        filed = Appeal.objects.filter(level__in=[code for code in above if code in AppealLevel.values])
        decided = Verdict.objects.filter(level__in=above)
        verdicts = verdicts.exclude(defendant_id__in=filed.values("defendant_id")).exclude(
            defendant_id__in=decided.values("defendant_id"))
        for verdict in verdicts:
            legal_case = verdict.defendant.legal_case
            result.append(Deadline(
                legal_case_id=legal_case.pk, number=legal_case.number, defendant_id=verdict.defendant_id,
                rule_code=rule.code, label=rule.label, decided_on=verdict.decided_on,
                due_on=due_date(verdict.decided_on, rule.days),
                days_left=(due_date(verdict.decided_on, rule.days) - today).days,
            ))
    result.sort(key=lambda d: (d.due_on, d.number))
    return result
