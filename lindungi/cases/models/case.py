"""The case, its number, its team and its consents."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.cases.models.child import Child
from lindungi.cases.models.choices import (
    OPEN_STATUSES,
    ClosureReason,
    Concern,
    ConsentGiver,
    ConsentPurpose,
    LegalBasis,
    Risk,
    Sex,
    Source,
    Status,
)
from lindungi.cases.models.common import ORG, REGION, USER
from lindungi.core.policy import Scope
from lindungi.crypto.fields import EncryptedTextField
from lindungi.crypto.models import EncryptedRecord


class CaseNumberCounter(models.Model):
    """The last case number given per organisation and year. Numbers are taken under
    `select_for_update` on this row, so two registrations at the same moment never get the same
    number (and the unique constraint on Case would catch it if they did)."""

    # No index of its own: served by case_counter_unique_org_year.
    organisation = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="case_counter_unique_org_year"),
        ]

    def __str__(self):
        return f"{self.organisation_id}/{self.year}: {self.last_value}"


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def with_statistics_consent(self):
        """Cases whose anonymised-statistics consent is active: the only ones reports may count.

        `statistics_consent` is kept current by the consent services (given, withdrawn)."""
        return self.filter(statistics_consent=True)

    def for_list(self):
        # What a row of the list shows (web and API): the child's name, the caseworker, the
        # region. Each join costs planning time on every list request; exports add their own.
        return self.select_related("child", "assigned_caseworker", "province", "regency")


class Case(EncryptedRecord):
    # No index of its own: served by case_unique_number_per_org and the case_org_* indexes.
    organisation = models.ForeignKey(ORG, verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="+", db_index=False)
    number = models.CharField(_("case number"), max_length=32, editable=False)
    # Its own index serves a child's cases: search by name, duplicate check, the statistics trigger on a
    # child's change.
    child = models.ForeignKey(Child, verbose_name=_("child"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="cases")  # null only for a transferred-case stub
    registered_on = models.DateField(_("registration date"), default=timezone.localdate)
    source = models.CharField(_("how the case reached us"), max_length=16, choices=Source.choices)
    source_details = EncryptedTextField(_("source details"), max_chars=300, blank=True)
    concerns = models.JSONField(_("protection concerns"), default=list, blank=True)  # list of Concern codes
    narrative = EncryptedTextField(_("narrative"), max_chars=20000, blank=True)

    legal_basis = models.CharField(_("legal basis for processing"), max_length=20, choices=LegalBasis.choices)
    legal_basis_notes = EncryptedTextField(_("legal basis notes"), max_chars=1000, blank=True)
    # Kept current by the consent services: "is there an active, unwithdrawn consent for ...".
    services_consent = models.BooleanField(default=False, editable=False)
    referral_consent = models.BooleanField(default=False, editable=False)
    sharing_consent = models.BooleanField(default=False, editable=False)
    statistics_consent = models.BooleanField(default=False, editable=False)

    risk_level = models.CharField(_("risk level"), max_length=8, choices=Risk.choices, default=Risk.MEDIUM)
    risk_reason = EncryptedTextField(_("reason for the risk level"), max_chars=1000, blank=True)
    risk_assessed_on = models.DateField(_("risk assessed on"), default=timezone.localdate)

    # No index of its own: case_worker_status_idx and case_worker_id_idx (Meta.indexes) both begin
    # with this column and serve every lookup by it.
    assigned_caseworker = models.ForeignKey(USER, verbose_name=_("assigned caseworker"), null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+", db_index=False)
    supervisor = models.ForeignKey(USER, verbose_name=_("supervisor"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+", db_index=False)

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    status_changed_on = models.DateField(_("status changed on"), default=timezone.localdate)
    closure_reason = models.CharField(_("closure reason"), max_length=16, choices=ClosureReason.choices, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)
    # The next follow-up date promised in the last follow-up (tasks: follow-up overdue).
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)

    # Plain, coarse, for lists and statistics (never decrypt a birth date to count): copied from
    # the child at registration and when the child's address changes.
    # Its own index serves legal statistics by the victims' province (reports.sources through_victims).
    province = models.ForeignKey(REGION, verbose_name=_("province"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    # Its own index serves legal statistics by the victims' regency (reports.sources through_victims).
    regency = models.ForeignKey(REGION, verbose_name=_("regency/city"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    age_years = models.PositiveSmallIntegerField(_("age at registration (years)"), null=True, blank=True)
    age_is_estimated = models.BooleanField(default=False)

    # Transfers: the receiving organisation's case (for the sending organisation's stub) and back.
    transferred_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", editable=False, db_index=False)
    transferred_from_number = models.CharField(max_length=32, blank=True, editable=False)

    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-registered_on", "-number"]
        constraints = [
            # Also the index for exact case-number lookups within an organisation. Prefix search
            # (LIKE 'SN02-2024%') on PostgreSQL uses case_org_number_prefix_idx (varchar_pattern_ops),
            # created by migration 0003 (PostgreSQL only: SQLite has no operator classes).
            models.UniqueConstraint(fields=["organisation", "number"], name="case_unique_number_per_org"),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(closure_reason=""), name="case_closed_has_reason",
            ),
        ]
        indexes = [
            # Supervisor's list: organisation, filtered by status, newest first.
            models.Index(fields=["organisation", "status", "-registered_on"], name="case_org_status_reg_idx"),
            # Supervisor's list filtered by status and province (issue 7): its count reads only the
            # index and its first page is the first 25 entries of the same range (migration 0004,
            # which also adds PostgreSQL planner statistics; declared here since 0006 so that SQLite's
            # table rebuilds keep it).
            models.Index(fields=["organisation", "status", "province", "-registered_on", "-number"],
                         name="case_org_status_prov_reg_idx"),
            # Supervisor's list: default order (newest registration first) and date-range filter.
            models.Index(fields=["organisation", "-registered_on"], name="case_org_reg_idx"),
            # Caseworker's list ("my cases") and the tasks engine, by status.
            models.Index(fields=["assigned_caseworker", "status"], name="case_worker_status_idx"),
            # A caseworker's case ids read from the index alone (issue 7, the caseworker's home page): the
            # ASSIGNED scope's `id IN (SELECT id ... WHERE assigned_caseworker_id = ?)` in the tasks'
            # referral query, and the victims lookup of LegalCase.policy_q. At 1,000,000 cases a
            # caseworker has some 4,000 cases, otherwise read row by row from the table for their ids.
            models.Index(fields=["assigned_caseworker", "id"], name="case_worker_id_idx"),
            # The case list's risk filter and its sort by risk.
            models.Index(fields=["organisation", "risk_level"], name="case_org_risk_idx"),
            # Filter by region.
            models.Index(fields=["organisation", "province", "regency"], name="case_org_region_idx"),
            # Tasks: follow-up overdue (next_follow_up_on < today) per organisation.
            models.Index(fields=["organisation", "next_follow_up_on"], name="case_org_nextfu_idx"),
            # Tasks/overdue filter: stage overdue (status + date the status was entered).
            models.Index(fields=["organisation", "status", "status_changed_on"], name="case_org_status_since_idx"),
            # Statistics: consenting cases per organisation.
            models.Index(fields=["organisation", "statistics_consent"], name="case_org_stats_idx"),
        ]

    def __str__(self):
        return self.number or str(_("new case"))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_transfer_stub(self) -> bool:
        return self.child_id is None

    @property
    def age_group(self) -> str:
        """Coarse age group for statistics, from the plain age at registration."""
        return age_group(self.age_years)

    def concern_labels(self) -> list[str]:
        labels = dict(Concern.choices)
        return [str(labels.get(code, code)) for code in self.concerns or []]

    @classmethod
    def policy_q(cls, user, scope):
        # The few team and shared case ids are read first: OR-ing a correlated EXISTS into the
        # filter makes PostgreSQL scan every case (case list, tasks engine, home page).
        if scope == Scope.ASSIGNED:
            team = list(CaseTeamMember.objects.filter(user_id=user.pk, removed_at__isnull=True)
                        .values_list("case_id", flat=True))
            mine = Q(assigned_caseworker_id=user.pk)
            return mine | Q(pk__in=team) if team else mine
        if scope == Scope.ORGANISATION:
            return Q(organisation_id=user.organisation_id)
        if scope == Scope.SHARED:
            from lindungi.cases.models.sharing import CaseShare

            return Q(pk__in=CaseShare.objects.case_ids_shared_with(user.organisation_id))
        return None


AGE_GROUPS = [(0, 4, "0-4"), (5, 9, "5-9"), (10, 14, "10-14"), (15, 17, "15-17")]


def age_group(years: int | None) -> str:
    if years is None:
        return "unknown"
    for low, high, code in AGE_GROUPS:
        if low <= years <= high:
            return code
    return "18+"


class CaseTeamMember(models.Model):
    """Someone besides the assigned caseworker who works on the case and so sees it in the
    ASSIGNED scope: a co-worker, or a legal officer assigned through a legal case (the legal app
    adds and removes these rows with `source="legal"` and `legal_case_id`)."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Added by the supervisor")
        LEGAL = "legal", _("Assigned through a legal case")

    # No index of its own: active members are read through case_team_unique_active.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team", db_index=False)
    # No index of its own: active memberships are read through case_team_user_case_idx.
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", db_index=False)
    role = models.CharField(_("role"), max_length=32)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    legal_case_id = models.CharField(max_length=64, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # ASSIGNED scope: the ids of the cases where I am an active team member.
            models.Index(fields=["user", "case"], name="case_team_user_case_idx", condition=Q(removed_at__isnull=True)),
            # The members a legal case put on its victims' teams, read on every change of its officer
            # or victims (legal.services._common.legal_team_rows).
            models.Index(fields=["legal_case_id"], name="case_team_legal_case_idx",
                         condition=Q(source="legal", removed_at__isnull=True)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "user", "source", "legal_case_id"],
                                    condition=Q(removed_at__isnull=True), name="case_team_unique_active"),
        ]

    def __str__(self):
        return f"{self.case_id}:{self.user_id}"


class Consent(EncryptedRecord):
    """One consent for one purpose. A withdrawal keeps the row (history) and takes effect
    everywhere through the case's `<purpose>_consent` flags, which every check reads."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # No index of its own: served by consent_case_purpose_idx.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents", db_index=False)
    purpose = models.CharField(_("purpose"), max_length=12, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("given on"))
    given_by_kind = models.CharField(_("given by"), max_length=10, choices=ConsentGiver.choices)
    given_by_name = EncryptedTextField(_("name of the person who gave it"), max_chars=200)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", db_index=False)
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                              related_name="+", db_index=False)
    withdrawal_notes = EncryptedTextField(_("withdrawal notes"), max_chars=1000, blank=True)

    class Meta:
        ordering = ["purpose", "-given_on"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [
            # Recomputing a case's consent flags: the active consents of one case.
            models.Index(fields=["case", "purpose"], name="consent_case_purpose_idx"),
        ]

    def __str__(self):
        return self.get_purpose_display()

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None
