"""The tasks engine: what is due or overdue, computed from the data (nothing to keep in sync).

- assessment overdue: registered / in assessment longer than LINDUNGI_CASES_ASSESSMENT_DUE_DAYS
  (default 7) after registration;
- case plan overdue: in "case plan" longer than LINDUNGI_CASES_CASE_PLAN_DUE_DAYS (default 14);
- follow-up overdue: the next follow-up date promised has passed;
- referral without response: sent longer than LINDUNGI_CASES_REFERRAL_RESPONSE_DAYS (default 7)
  ago and still "sent";
- case plan action overdue: an approved plan's action past its due date, not done;
- for supervisors also: requests awaiting their approval, and shares/transfers to approve or answer.

`task_list(user)` runs a fixed handful of queries whatever the number of cases (no N+1).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lindungi.cases.models import (
    OPEN_STATUSES,
    ActionStatus,
    Approval,
    CasePlanAction,
    CaseShare,
    Referral,
    ReferralStatus,
    ReviewStatus,
    ShareStatus,
    Status,
)
from lindungi.cases.selectors import case_detail_url, visible_cases
from lindungi.cases.services.common import (
    assessment_due_days,
    case_plan_due_days,
    referral_response_days,
    today,
)
from lindungi.core import policy

LIMIT = 200  # per kind; a home page with more than this needs the filtered case list instead


@dataclass
class Task:
    kind: str
    label: str
    case_id: object
    case_number: str
    risk_level: str
    due_on: datetime.date | None
    url: str

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.due_on < today()

    @property
    def days_overdue(self) -> int:
        return (today() - self.due_on).days if self.due_on else 0

    def as_dict(self) -> dict:
        return {"kind": self.kind, "label": str(self.label), "case_id": str(self.case_id) if self.case_id else None,
                "case_number": self.case_number, "risk_level": self.risk_level,
                "due_on": self.due_on.isoformat() if self.due_on else None, "overdue": self.overdue, "url": self.url}


KIND_LABELS = {
    "assessment_overdue": _("Assessment overdue"),
    "case_plan_overdue": _("Case plan overdue"),
    "follow_up_overdue": _("Follow-up overdue"),
    "referral_no_response": _("Referral without response"),
    "action_overdue": _("Case plan action overdue"),
    "approval_pending": _("Awaiting your approval"),
    "share_to_approve": _("Share or transfer to approve"),
    "share_to_answer": _("Share or transfer to accept or decline"),
}


def task_list(user, *, day: datetime.date | None = None) -> list[Task]:
    day = day or today()
    if not policy.allowed(user, "cases.case.edit"):
        return []
    cases = visible_cases(user, "cases.case.edit")
    tasks: list[Task] = []

    assessment_due = datetime.timedelta(days=assessment_due_days())
    plan_due = datetime.timedelta(days=case_plan_due_days())
    overdue_cases = cases.filter(
        Q(status__in=[Status.REGISTERED, Status.ASSESSMENT], registered_on__lt=day - assessment_due)
        | Q(status=Status.CASE_PLAN, status_changed_on__lt=day - plan_due)
        | Q(status__in=OPEN_STATUSES, next_follow_up_on__lt=day)
    ).values_list("id", "number", "status", "risk_level", "registered_on", "status_changed_on", "next_follow_up_on")
    # Plain values, not model instances: only these columns are shown, and a home page reads hundreds.
    for pk, number, status, risk, registered_on, status_changed_on, next_follow_up_on in \
            overdue_cases.order_by("registered_on")[:LIMIT]:
        if status in (Status.REGISTERED, Status.ASSESSMENT) and registered_on < day - assessment_due:
            tasks.append(_task("assessment_overdue", pk, number, risk, registered_on + assessment_due))
        if status == Status.CASE_PLAN and status_changed_on < day - plan_due:
            tasks.append(_task("case_plan_overdue", pk, number, risk, status_changed_on + plan_due))
        if next_follow_up_on and next_follow_up_on < day:
            tasks.append(_task("follow_up_overdue", pk, number, risk, next_follow_up_on))

    response_due = datetime.timedelta(days=referral_response_days())
    referrals = (Referral.objects.filter(case__in=cases, status=ReferralStatus.SENT, sent_on__lt=day - response_due)
                 .values_list("sent_on", "case__id", "case__number", "case__risk_level").order_by("sent_on")[:LIMIT])
    for sent_on, pk, number, risk in referrals:
        tasks.append(_task("referral_no_response", pk, number, risk, sent_on + response_due))

    actions = (CasePlanAction.objects.filter(goal__plan__case__in=cases.filter(status__in=OPEN_STATUSES),
                                             goal__plan__status=ReviewStatus.APPROVED,
                                             status__in=[ActionStatus.PLANNED, ActionStatus.IN_PROGRESS], due_on__lt=day)
               .values_list("due_on", "goal__plan__case__id", "goal__plan__case__number", "goal__plan__case__risk_level")
               .order_by("due_on")[:LIMIT])
    for due_on, pk, number, risk in actions:
        tasks.append(_task("action_overdue", pk, number, risk, due_on))

    if policy.allowed(user, "cases.case.approve"):
        approvals = (Approval.objects.filter(status=ReviewStatus.SUBMITTED,
                                             case__in=visible_cases(user, "cases.case.approve"))
                     .select_related("case").only("id", "kind", "requested_at", "case__id", "case__number",
                                                  "case__risk_level").order_by("requested_at")[:LIMIT])
        for approval in approvals:
            task = _task("approval_pending", approval.case.pk, approval.case.number, approval.case.risk_level,
                         approval.requested_at.date())
            task.label = f"{KIND_LABELS['approval_pending']}: {approval.get_kind_display()}"
            tasks.append(task)
    if policy.allowed(user, "cases.case.transfer_approve"):
        for share in (CaseShare.objects.filter(organisation_id=user.organisation_id, status=ShareStatus.REQUESTED)
                      .select_related("case")[:LIMIT]):
            tasks.append(Task("share_to_approve", KIND_LABELS["share_to_approve"], share.case.pk, share.case.number,
                              share.case.risk_level, share.requested_at.date(), reverse("cases:shares")))
    if policy.allowed(user, "cases.transfer.receive"):
        for share in (CaseShare.objects.filter(to_organisation_id=user.organisation_id, status=ShareStatus.APPROVED)
                      .select_related("case")[:LIMIT]):
            # The receiving side sees the request, not yet the case number of another organisation.
            tasks.append(Task("share_to_answer", KIND_LABELS["share_to_answer"], None, share.case.number,
                              share.case.risk_level, share.approved_at.date() if share.approved_at else None,
                              reverse("cases:shares")))

    risk_rank = {"high": 0, "medium": 1, "low": 2}
    # Ties (same due date and risk) by case number and kind: the same order on every request.
    tasks.sort(key=lambda t: (t.due_on or day, risk_rank.get(t.risk_level, 3), t.case_number, t.kind))
    return tasks


def _task(kind, case_id, number, risk, due_on) -> Task:
    return Task(kind, KIND_LABELS[kind], case_id, number, risk, due_on, case_detail_url(case_id))


def task_counts(tasks: list[Task]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for task in tasks:
        counts[task.kind] = counts.get(task.kind, 0) + 1
    return counts


def overdue_case_count(user) -> int:
    from lindungi.cases.selectors import overdue_q

    return visible_cases(user).filter(overdue_q()).count()


__all__ = ["Task", "task_list", "task_counts", "overdue_case_count"]
