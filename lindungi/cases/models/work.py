"""Assessment, case plan, approvals, service providers, referrals, services and follow-ups."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.cases.models.case import Case
from lindungi.cases.models.choices import (
    ActionStatus,
    ClosureReason,
    Domain,
    FollowUpType,
    ReferralStatus,
    ReviewStatus,
    ServiceType,
    Urgency,
)
from lindungi.cases.models.common import ORG, REGION, USER
from lindungi.core.policy import Scope
from lindungi.crypto.fields import EncryptedJSONField, EncryptedTextField
from lindungi.crypto.models import EncryptedRecord


class Assessment(EncryptedRecord):
    """Needs and a score (0 = no concern … 3 = severe) per domain. Scores are plain (statistics
    of needs); the needs text is encrypted."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial assessment")
        REVIEW = "review", _("Review")
        CLOSURE = "closure", _("Closure assessment")

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Its own index serves the case page's assessments; the closing assessment.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.INITIAL)
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    scores = models.JSONField(_("scores"), default=dict)  # {domain: 0..3}
    needs = EncryptedJSONField(_("needs"), null=True, blank=True)  # {domain: text}
    summary = EncryptedTextField(_("summary"), max_chars=5000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return self.get_kind_display()


class CasePlan(EncryptedRecord):
    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # No index of its own: served by plan_case_status_idx.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans", db_index=False)
    summary = EncryptedTextField(_("summary"), max_chars=5000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case plan")
        verbose_name_plural = _("case plans")
        indexes = [
            # The case page's plans; and the caseworker's home (cases.tasks, overdue actions), which
            # reads a caseworker's approved plans from the index alone: case -> plan -> goal ->
            # action for hundreds of cases, where each heap visit is a random read when cold
            # (the three indexes together halve the pages that query reads at a million cases).
            models.Index(fields=["case", "status", "id"], name="plan_case_status_idx"),
        ]

    def __str__(self):
        return str(_("Case plan"))


class CasePlanGoal(EncryptedRecord):
    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # No index of its own: served by plan_goal_plan_idx.
    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="goals", db_index=False)
    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices)
    description = EncryptedTextField(_("goal"), max_chars=1000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            # A plan's goals (case page; deleted on every plan save); the overdue actions from the
            # index alone (see plan_case_status_idx).
            models.Index(fields=["plan", "id"], name="plan_goal_plan_idx"),
        ]

    def __str__(self):
        return self.get_domain_display()


class CasePlanAction(EncryptedRecord):
    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # No index of its own: served by plan_action_goal_idx.
    goal = models.ForeignKey(CasePlanGoal, on_delete=models.CASCADE, related_name="actions", db_index=False)
    description = EncryptedTextField(_("action"), max_chars=1000)
    responsible = EncryptedTextField(_("responsible"), max_chars=200)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # A plan's actions (case page; deleted with their goals on every plan save); the overdue
            # actions from the index alone (see plan_case_status_idx).
            models.Index(fields=["goal", "status", "due_on"], name="plan_action_goal_idx"),
        ]

    def __str__(self):
        return self.get_status_display()


class Approval(EncryptedRecord):
    """A request for supervisor approval of an assessment, a case plan or a closure, and the
    decision (approve, or return with comments)."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("Assessment")
        CASE_PLAN = "case_plan", _("Case plan")
        CLOSURE = "closure", _("Closure")

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Its own index serves the case page's approvals.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+", db_index=False)
    plan = models.ForeignKey(CasePlan, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                             db_index=False)
    closure_reason = models.CharField(_("closure reason"), max_length=16, choices=ClosureReason.choices, blank=True)
    closure_notes = EncryptedTextField(_("closure notes"), max_chars=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", db_index=False)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   db_index=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    comments = EncryptedTextField(_("comments"), max_chars=2000, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # At most one pending request of each kind per case.
            models.UniqueConstraint(fields=["case", "kind"], condition=Q(status="submitted"),
                                    name="approval_one_pending_per_kind"),
        ]

    def __str__(self):
        return self.get_kind_display()


# --- services, referrals, follow-ups ------------------------------------------------------------


class ServiceProvider(models.Model):
    """A service a case can be referred to. Public, institutional contact data only (not personal
    data); kept by the member organisations for their region, visible network-wide."""

    organisation = models.ForeignKey(ORG, verbose_name=_("maintained by"), on_delete=models.PROTECT,
                                     related_name="+", db_index=False)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=ServiceType.choices)
    # No index of its own: served by provider_region_type_idx.
    province = models.ForeignKey(REGION, verbose_name=_("province"), on_delete=models.PROTECT,
                                 related_name="+", db_index=False)
    regency = models.ForeignKey(REGION, verbose_name=_("regency/city"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+", db_index=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    contact_person = models.CharField(_("contact person or desk"), max_length=120, blank=True)
    accepts_referrals = models.BooleanField(_("accepts referrals"), default=True)
    notes = models.TextField(_("notes"), blank=True, max_length=2000)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        indexes = [
            # Directory filters: type within a province/regency.
            models.Index(fields=["province", "regency", "type"], name="provider_region_type_idx"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def policy_q(cls, user, scope):
        if scope == Scope.NETWORK:
            return Q()
        if scope == Scope.ORGANISATION:
            return Q(organisation_id=user.organisation_id)
        return None


class Referral(EncryptedRecord):
    # No index of its own: served by referral_org_status_sent_idx.
    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Its own index serves a case's referrals: the case page, the overdue check, the statistics trigger.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    service_type = models.CharField(_("service"), max_length=20, choices=ServiceType.choices)
    provider = models.ForeignKey(ServiceProvider, verbose_name=_("provider"), on_delete=models.PROTECT,
                                 related_name="referrals", db_index=False)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    # What allowed the referral when it was sent: "consent" or a LegalBasis code.
    basis = models.CharField(max_length=20, editable=False)
    reason = EncryptedTextField(_("reason and information given"), max_chars=2000, blank=True)
    sent_on = models.DateField(_("sent on"), default=timezone.localdate)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    outcome = EncryptedTextField(_("outcome"), max_chars=2000, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            # Statistics of referrals filtered by organisation, counted from the data when the
            # statistics cube cannot answer (reports.measures). (The tasks' referrals without response
            # read referral_waiting_sent_idx.)
            models.Index(fields=["organisation", "status", "sent_on"], name="referral_org_status_sent_idx"),
            # Tasks engine (caseworker home, "My tasks"): the user's referrals still "sent" and older
            # than N days, oldest first. Few referrals wait for a response at any time, so the
            # partial index is small; without it PostgreSQL scans every referral.
            models.Index(fields=["sent_on"], condition=Q(status=ReferralStatus.SENT),
                         name="referral_waiting_sent_idx"),
        ]

    def __str__(self):
        return self.get_service_type_display()


class ServiceRecord(EncryptedRecord):
    """A service the organisation gave itself (counselling, accompaniment, ...)."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Its own index serves the case page's services.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    service_type = models.CharField(_("service"), max_length=20, choices=ServiceType.choices)
    provided_on = models.DateField(_("date"), default=timezone.localdate)
    provided_by = models.ForeignKey(USER, verbose_name=_("provided by"), on_delete=models.PROTECT,
                                    related_name="+", db_index=False)
    notes = EncryptedTextField(_("notes"), max_chars=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-provided_on", "-created_at"]

    def __str__(self):
        return self.get_service_type_display()


class FollowUp(EncryptedRecord):
    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Its own index serves the case page's follow-ups; the latest follow-up on every save.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField(_("date"), default=timezone.localdate)
    type = models.CharField(_("type"), max_length=16, choices=FollowUpType.choices)
    done_by = models.ForeignKey(USER, verbose_name=_("done by"), on_delete=models.PROTECT,
                                related_name="+", db_index=False)
    notes = EncryptedTextField(_("notes"), max_chars=5000, blank=True)
    next_date = models.DateField(_("next follow-up"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return self.get_type_display()
