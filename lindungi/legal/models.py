"""Legal cases: the legal-services unit accompanies child victims from the police report through
prosecution and trial to the verdict, appeals and restitution.

A legal case belongs to one organisation, is linked to incidents and to the child cases of the
victims, and has an assigned legal officer. Its stage comes from an editable stage list (order and
kind: progress or ending); the allowed changes are computed from the order (see `stages.py`).

Plain, indexed columns carry what statistics count (reported to the police, reached trial,
verdicts per defendant, restitution ordered and paid); identifying data (the police report number,
decision numbers, notes, who else was present) is encrypted under the organisation's key.

Scopes (`policy_q`): ASSIGNED = the assigned legal officer, or the caseworker (or a co-worker) of a
victim's child case; ORGANISATION = the legal case's organisation; SHARED = a victim's child case
has an active share with the user's organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, models
from django.db.models import Exists, F, Func, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.cases.models import Case, CaseShare, CaseTeamMember
from lindungi.core.policy import Scope
from lindungi.crypto.fields import EncryptedTextField
from lindungi.crypto.models import EncryptedRecord
from lindungi.incidents.models import Incident, Perpetrator, ReferenceItem, localised

ORG = "accounts.Organisation"
USER = settings.AUTH_USER_MODEL


# --- choices ------------------------------------------------------------------------------------


class StageKind(models.TextChoices):
    PROGRESS = "progress", _("Progress")
    ENDING = "ending", _("Ending (closes the legal case)")


class Milestone(models.TextChoices):
    """What a stage means for statistics (reported to the police, reached trial, ...)."""

    NONE = "", _("None")
    REPORTED = "reported", _("Reported to the police")
    TRIAL = "trial", _("Trial")
    VERDICT = "verdict", _("Verdict")
    FINAL = "final", _("Final (inkracht)")


class VerdictLevel(models.TextChoices):
    FIRST_INSTANCE = "first_instance", _("District court (first instance)")
    APPEAL = "appeal", _("High court (appeal, banding)")
    CASSATION = "cassation", _("Supreme Court (cassation, kasasi)")
    REVIEW = "review", _("Supreme Court (case review, PK)")


LEVEL_ORDER = {level: index for index, level in enumerate(VerdictLevel.values)}


class AppealLevel(models.TextChoices):
    APPEAL = "appeal", _("Appeal (banding)")
    CASSATION = "cassation", _("Cassation (kasasi)")
    REVIEW = "review", _("Case review (PK)")


class AppealParty(models.TextChoices):
    PROSECUTOR = "prosecutor", _("Public prosecutor")
    DEFENDANT = "defendant", _("Defendant")
    BOTH = "both", _("Both")


class VerdictOutcome(models.TextChoices):
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted (bebas)")
    RELEASED = "released", _("Released from all charges (lepas)")


class HearingAgenda(models.TextChoices):
    INDICTMENT = "indictment", _("Reading of the indictment (dakwaan)")
    OBJECTION = "objection", _("Objection (eksepsi)")
    INTERIM_DECISION = "interim_decision", _("Interim decision (putusan sela)")
    EVIDENCE = "evidence", _("Evidence and witnesses (pembuktian)")
    VICTIM_TESTIMONY = "victim_testimony", _("Testimony of the child victim")
    DEMAND = "demand", _("Prosecutor's demand (tuntutan)")
    PLEA = "plea", _("Defence plea (pledoi)")
    REPLIES = "replies", _("Replies (replik/duplik)")
    VERDICT = "verdict", _("Verdict (putusan)")
    OTHER = "other", _("Other")


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


class AccompanimentType(models.TextChoices):
    POLICE_EXAMINATION = "police_examination", _("Police examination (BAP)")
    FORENSIC = "forensic", _("Forensic examination (visum)")
    HEARING = "hearing", _("Court hearing")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LPSK = "lpsk", _("LPSK application")
    HOME_VISIT = "home_visit", _("Home visit")
    OTHER = "other", _("Other")


class RestitutionRoute(models.TextChoices):
    INVESTIGATOR_PROSECUTOR = "investigator_prosecutor", _("Through the investigator or prosecutor (before the verdict)")
    LPSK = "lpsk", _("Through LPSK (after the verdict)")


class ProtectionType(models.TextChoices):
    PHYSICAL = "physical", _("Physical protection")
    SAFE_HOUSE = "safe_house", _("Safe house")
    PROCEDURAL = "procedural", _("Procedural rights (accompaniment in the proceedings)")
    MEDICAL = "medical", _("Medical assistance")
    PSYCHOSOCIAL = "psychosocial", _("Psychological and psychosocial rehabilitation")
    RESTITUTION = "restitution", _("Facilitation of restitution")
    IDENTITY = "identity", _("Protection of identity")


class ProtectionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    PARTIALLY_ACCEPTED = "partially_accepted", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# --- reference lists (editable) -----------------------------------------------------------------


class Stage(ReferenceItem):
    """A stage of a legal case. Progress stages are passed in their `order` (forward only); an
    ending closes the legal case and can be recorded from the progress stages up to
    `reachable_until` (e.g. SP3 only while the police still hold the case)."""

    kind = models.CharField(_("kind"), max_length=8, choices=StageKind.choices, default=StageKind.PROGRESS)
    milestone = models.CharField(_("milestone (statistics)"), max_length=8, choices=Milestone.choices, blank=True)
    reachable_until = models.PositiveSmallIntegerField(
        _("can be recorded up to the stage with order"), null=True, blank=True,
        help_text=_("Endings only: the highest order of the stage a legal case may be in when this ending is "
                    "recorded. Empty: from any stage."))

    class Meta(ReferenceItem.Meta):
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["order"], name="legal_stage_unique_order"),
            models.CheckConstraint(condition=Q(kind="ending") | Q(reachable_until__isnull=True),
                                   name="legal_stage_reachable_only_endings"),
        ]

    @property
    def is_ending(self) -> bool:
        return self.kind == StageKind.ENDING


class PoliceUnitLevel(ReferenceItem):
    """Mabes Polri, Polda, Polres/Polresta/Polrestabes, Polsek."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("police unit level")
        verbose_name_plural = _("police unit levels")


class Law(ReferenceItem):
    short_name = models.CharField(_("short name"), max_length=40, help_text=_("For example UU 35/2014."))

    class Meta(ReferenceItem.Meta):
        verbose_name = _("law")
        verbose_name_plural = _("laws")


class LawArticle(models.Model):
    law = models.ForeignKey(Law, verbose_name=_("law"), on_delete=models.PROTECT, related_name="articles",
                            db_index=False)
    code = models.SlugField(_("code"), max_length=60, unique=True)
    article = models.CharField(_("article"), max_length=80, help_text=_("For example Pasal 76I jo. 88."))
    label_id = models.CharField(_("subject (Indonesian)"), max_length=200)
    label_en = models.CharField(_("subject (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["law__order", "order", "code"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        return f"{self.law.short_name} {self.article}"

    @property
    def label(self) -> str:
        return localised(self, "label")

    @classmethod
    def policy_q(cls, user, scope):
        return Q() if scope in (Scope.NETWORK, Scope.ORGANISATION) else None


class DeadlineRule(ReferenceItem):
    """A filing deadline counted from a decision: appeal 7 days after the first-instance verdict,
    cassation 14 days after the appeal decision (editable, as the law may change)."""

    days = models.PositiveSmallIntegerField(_("days"))
    after_level = models.CharField(_("counted from the decision of"), max_length=16, choices=VerdictLevel.choices)
    files_level = models.CharField(_("deadline to file"), max_length=12, choices=AppealLevel.choices)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")


# --- legal cases --------------------------------------------------------------------------------


class LegalCaseNumberCounter(models.Model):
    # No index of its own: served by legal_counter_unique_org_year.
    organisation = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="legal_counter_unique_org_year"),
        ]

    def __str__(self):
        return f"{self.organisation_id}/{self.year}: {self.last_value}"


def _case_among(case_ids: models.QuerySet) -> Q:
    """`case_id IN (case_ids)` for LegalCaseVictim. On PostgreSQL as `case_id = ANY(ARRAY(case_ids))`:
    a caseworker's thousands of cases joined to the victims made the planner hash every victim
    (150,000 at 1,000,000 cases: 20-40 ms); an array of ids is looked up in the (case, legal case)
    index instead (9 ms)."""
    if connection.vendor != "postgresql":
        return Q(case_id__in=case_ids)
    return Q(_EqualsAny(F("case_id"), ArraySubquery(case_ids.order_by())))  # no need to sort the ids


class _EqualsAny(Func):
    """`expression = ANY(array)` as a condition (Django puts parentheses around the right-hand side of
    a lookup, which ANY does not allow)."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = models.BooleanField()


class LegalCaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(is_closed=False)

    def for_list(self):
        return self.select_related("stage", "assigned_officer", "police_unit_level")

    def with_statistics_consent(self):
        """Legal cases with at least one victim whose case has an active statistics consent."""
        return self.filter(Exists(LegalCaseVictim.objects.filter(legal_case_id=OuterRef("pk"),
                                                                 case__statistics_consent=True)))


class LegalCase(EncryptedRecord):
    # No index of its own: served by legal_case_unique_number_per_org and the legal_org_* indexes.
    organisation = models.ForeignKey(ORG, verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="+", db_index=False)
    number = models.CharField(_("legal case number"), max_length=24, editable=False)
    incidents = models.ManyToManyField(Incident, through="LegalCaseIncident", related_name="legal_cases",
                                       verbose_name=_("incidents"))
    victims = models.ManyToManyField(Case, through="LegalCaseVictim", related_name="legal_cases",
                                     verbose_name=_("victims (child cases)"))
    # No index of its own: served by legal_officer_closed_idx.
    assigned_officer = models.ForeignKey(USER, verbose_name=_("legal officer"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+", db_index=False)

    police_unit_level = models.ForeignKey(PoliceUnitLevel, verbose_name=_("police unit level"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    police_unit_name = models.CharField(_("police unit"), max_length=200, blank=True,
                                        help_text=_("For example Unit PPA Polres Metro Jakarta Timur."))
    report_number = EncryptedTextField(_("police report number (LP)"), max_chars=100, blank=True)
    prosecutor_office = models.CharField(_("prosecutor's office"), max_length=200, blank=True)
    court = models.CharField(_("court"), max_length=200, blank=True)
    summary = EncryptedTextField(_("summary"), max_chars=5000, blank=True)

    # No index of its own: only the rare check whether a stage is in use reads by it alone.
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="+",
                              db_index=False)
    stage_entered_on = models.DateField(_("stage since"))
    is_closed = models.BooleanField(_("closed"), default=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # Maintained by the services from the stage history, for lists and statistics.
    max_order_reached = models.PositiveSmallIntegerField(default=0, editable=False)
    reported_on = models.DateField(_("reported to the police on"), null=True, blank=True, editable=False)
    trial_on = models.DateField(_("trial started on"), null=True, blank=True, editable=False)
    verdict_on = models.DateField(_("verdict on"), null=True, blank=True, editable=False)
    final_on = models.DateField(_("final (inkracht) on"), null=True, blank=True, editable=False)
    convicted_count = models.PositiveSmallIntegerField(default=0, editable=False)
    restitution_claimed_total = models.PositiveBigIntegerField(default=0, editable=False)
    restitution_ordered_total = models.PositiveBigIntegerField(default=0, editable=False)
    restitution_paid_total = models.PositiveBigIntegerField(default=0, editable=False)

    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LegalCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal case")
        verbose_name_plural = _("legal cases")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="legal_case_unique_number_per_org"),
        ]
        indexes = [
            # The legal case list of an organisation, open ones first then the newest, and its
            # open/closed filter (`legal_case_list`'s order).
            models.Index(fields=["organisation", "is_closed", "-created_at"], name="legal_org_list_idx"),
            # The legal case list's stage filter.
            models.Index(fields=["organisation", "stage"], name="legal_org_stage_idx"),
            # Legal officer's list ("my legal cases"), open ones first.
            models.Index(fields=["assigned_officer", "is_closed"], name="legal_officer_closed_idx"),
            # Date-range filter and statistics by report date.
            models.Index(fields=["organisation", "reported_on"], name="legal_org_reported_idx"),
        ]

    def __str__(self):
        return self.number or str(_("new legal case"))

    @classmethod
    def policy_q(cls, user, scope):
        # As for cases: the few legal case ids of the user's victims' cases and of the shared cases
        # are read first; OR-ing a correlated EXISTS into the filter makes PostgreSQL scan every
        # legal case (legal case list, calendar and hearings on the home page, statistics).
        if scope == Scope.ASSIGNED:
            team = list(CaseTeamMember.objects.filter(user_id=user.pk, removed_at__isnull=True,
                                                      source=CaseTeamMember.Source.MANUAL)
                        .values_list("case_id", flat=True))
            mine_cases = Q(assigned_caseworker_id=user.pk) | Q(pk__in=team) if team else Q(assigned_caseworker_id=user.pk)
            ids = set(LegalCaseVictim.objects.filter(_case_among(Case.objects.filter(mine_cases).values("pk")))
                      .values_list("legal_case_id", flat=True))
            mine = Q(assigned_officer_id=user.pk)
            return mine | Q(pk__any_of=ids) if ids else mine
        if scope == Scope.ORGANISATION:
            return Q(organisation_id=user.organisation_id)
        if scope == Scope.SHARED:
            shared = CaseShare.objects.case_ids_shared_with(user.organisation_id)
            ids = set(LegalCaseVictim.objects.filter(case_id__in=shared).values_list("legal_case_id", flat=True)) \
                if shared else ()
            return Q(pk__any_of=ids)
        return None


class LegalCaseIncident(models.Model):
    # No index of its own: served by legal_incident_unique.
    legal_case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="incident_links",
                                   db_index=False)
    # No index of its own: served by legal_incident_by_incident_idx.
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="legal_case_links",
                                 db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["legal_case", "incident"], name="legal_incident_unique")]
        indexes = [
            # The incident page and the statistics trigger: legal cases of an incident.
            models.Index(fields=["incident", "legal_case"], name="legal_incident_by_incident_idx"),
        ]

    def __str__(self):
        return f"{self.legal_case_id}:{self.incident_id}"


class LegalCaseVictim(models.Model):
    """A child victim of the legal case, through their child case (which must be linked to one of
    the legal case's incidents)."""

    # No index of its own: served by legal_victim_unique.
    legal_case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="victim_links",
                                   db_index=False)
    # No index of its own: served by legal_victim_by_case_idx.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="legal_case_links", db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["legal_case", "case"], name="legal_victim_unique")]
        indexes = [
            # Scopes (caseworker of a victim, shares), the case triggers of the statistics and
            # transfers: legal cases of a case.
            models.Index(fields=["case", "legal_case"], name="legal_victim_by_case_idx"),
        ]

    def __str__(self):
        return f"{self.legal_case_id}:{self.case_id}"


class StageEntry(EncryptedRecord):
    """The legal case reached `stage` on `entered_on` (the dates of each stage)."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # No index of its own: served by legal_stage_entry_unique.
    legal_case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="stage_entries",
                                   db_index=False)
    # No index of its own: only the rare check whether a stage is in use reads by it alone.
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="+",
                              db_index=False)
    entered_on = models.DateField(_("date"))
    note = EncryptedTextField(_("note"), max_chars=2000, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+",
                                    db_index=False)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entered_on", "recorded_at"]
        constraints = [models.UniqueConstraint(fields=["legal_case", "stage"], name="legal_stage_entry_unique")]

    def __str__(self):
        return str(self.stage)


class Defendant(EncryptedRecord):
    """A suspect (tersangka) or defendant (terdakwa): one of the perpetrators of the legal case's
    incidents. The name stays on the perpetrator (encrypted there)."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # No index of its own: served by legal_defendant_unique.
    legal_case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="defendants",
                                   db_index=False)
    # Its own index serves the legal cases of a perpetrator; the check before a perpetrator is deleted.
    perpetrator = models.ForeignKey(Perpetrator, verbose_name=_("perpetrator"), on_delete=models.PROTECT,
                                    related_name="defendants")
    named_suspect_on = models.DateField(_("named suspect on"), null=True, blank=True)
    detained = models.BooleanField(_("detained"), default=False)
    detained_on = models.DateField(_("detained on"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), max_chars=2000, blank=True)
    # The outcome of the highest-level verdict so far (plain, for statistics); kept by the services.
    final_outcome = models.CharField(max_length=10, choices=VerdictOutcome.choices, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["legal_case", "perpetrator"], name="legal_defendant_unique")]

    def __str__(self):
        return self.perpetrator.display_name


class Charge(models.Model):
    """A law and article the case is about (against one defendant, or the case as a whole)."""

    # No index of its own: served by legal_charge_unique.
    legal_case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="charges", db_index=False)
    # Its own index serves each defendant's charges on the legal case page.
    defendant = models.ForeignKey(Defendant, verbose_name=_("defendant"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="charges")
    # No index of its own: served by legal_charge_article_idx.
    article = models.ForeignKey(LawArticle, verbose_name=_("article"), on_delete=models.PROTECT,
                                related_name="+", db_index=False)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(fields=["legal_case", "defendant", "article"], name="legal_charge_unique"),
            models.UniqueConstraint(fields=["legal_case", "article"], condition=Q(defendant__isnull=True),
                                    name="legal_charge_unique_case_wide"),
        ]
        indexes = [
            # The legal case list's law and article filter: legal cases citing an article.
            models.Index(fields=["article", "legal_case"], name="legal_charge_article_idx"),
        ]

    def __str__(self):
        return str(self.article)


class Verdict(EncryptedRecord):
    """The decision of one court level for one defendant."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # No index of its own: served by legal_verdict_one_per_level.
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="verdicts", db_index=False)
    level = models.CharField(_("court level"), max_length=16, choices=VerdictLevel.choices)
    court = models.CharField(_("court"), max_length=200, blank=True)
    decided_on = models.DateField(_("date of the decision"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=VerdictOutcome.choices)
    prison_months = models.PositiveSmallIntegerField(_("prison (months)"), null=True, blank=True)
    fine = models.PositiveBigIntegerField(_("fine (Rp)"), null=True, blank=True)
    restitution_ordered = models.PositiveBigIntegerField(_("restitution ordered (Rp)"), null=True, blank=True)
    decision_number = EncryptedTextField(_("decision number"), max_chars=100, blank=True)
    notes = EncryptedTextField(_("notes"), max_chars=2000, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_on"]
        constraints = [models.UniqueConstraint(fields=["defendant", "level"], name="legal_verdict_one_per_level")]
        indexes = [
            # Deadlines: recent decisions (appeal and cassation windows).
            models.Index(fields=["level", "decided_on"], name="legal_verdict_level_date_idx"),
        ]

    def __str__(self):
        return self.get_level_display()


class Appeal(EncryptedRecord):
    """A filing against the decision of the level below: appeal (banding), cassation (kasasi) or
    review (PK). The higher court's decision is a Verdict of that level."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # No index of its own: served by legal_appeal_one_per_level.
    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="appeals", db_index=False)
    level = models.CharField(_("level"), max_length=12, choices=AppealLevel.choices)
    filed_by = models.CharField(_("filed by"), max_length=12, choices=AppealParty.choices)
    filed_on = models.DateField(_("filed on"))
    notes = EncryptedTextField(_("notes"), max_chars=2000, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["filed_on"]
        constraints = [models.UniqueConstraint(fields=["defendant", "level"], name="legal_appeal_one_per_level")]

    def __str__(self):
        return self.get_level_display()


class Hearing(EncryptedRecord):
    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # No index of its own: served by legal_hearing_case_date_idx.
    legal_case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="hearings", db_index=False)
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    court = models.CharField(_("court"), max_length=200)
    agenda = models.CharField(_("agenda"), max_length=20, choices=HearingAgenda.choices)
    status = models.CharField(_("status"), max_length=10, choices=HearingStatus.choices,
                              default=HearingStatus.SCHEDULED)
    accompanied_by = models.ForeignKey(USER, verbose_name=_("accompanied by"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+", db_index=False)
    outcome = EncryptedTextField(_("outcome"), max_chars=2000, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "time"]
        indexes = [
            # The legal case page.
            models.Index(fields=["legal_case", "date"], name="legal_hearing_case_date_idx"),
            # The home pages' and the calendar's coming hearings (selectors.calendar_events): the few
            # of the period network-wide, matched against a scope of hundreds of legal cases. Without
            # it PostgreSQL read every hearing (a caseworker's home at a million cases: 18-29 ms warm,
            # 4,500 pages cold).
            models.Index(fields=["date", "legal_case"], condition=~Q(status="cancelled"),
                         name="legal_hearing_upcoming_idx"),
        ]

    def __str__(self):
        return self.get_agenda_display()


class Accompaniment(EncryptedRecord):
    """Pendampingan: accompanying the child (and family) through the proceedings."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Its own index serves the legal case page's accompaniments.
    legal_case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="accompaniments")
    victim = models.ForeignKey(Case, verbose_name=_("child (case)"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+", db_index=False)
    date = models.DateField(_("date"))
    type = models.CharField(_("type"), max_length=20, choices=AccompanimentType.choices)
    done_by = models.ForeignKey(USER, verbose_name=_("accompanied by"), on_delete=models.PROTECT,
                                related_name="+", db_index=False)
    others_present = EncryptedTextField(_("others present"), max_chars=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), max_chars=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return self.get_type_display()


class Restitution(EncryptedRecord):
    """A restitution claim and what became of it: claimed, ordered, paid (whole rupiah)."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Its own index serves a legal case's restitution totals on every outcome write; the legal case page.
    legal_case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="restitutions")
    defendant = models.ForeignKey(Defendant, verbose_name=_("against defendant"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+", db_index=False)
    route = models.CharField(_("route"), max_length=24, choices=RestitutionRoute.choices)
    claimed_amount = models.PositiveBigIntegerField(_("amount claimed (Rp)"))
    claimed_on = models.DateField(_("claimed on"))
    ordered_amount = models.PositiveBigIntegerField(_("amount ordered (Rp)"), null=True, blank=True)
    ordered_on = models.DateField(_("ordered on"), null=True, blank=True)
    paid_amount = models.PositiveBigIntegerField(_("amount paid (Rp)"), default=0)
    paid_on = models.DateField(_("(last) paid on"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), max_chars=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claimed_on", "created_at"]

    def __str__(self):
        return self.get_route_display()

    @property
    def status_label(self) -> str:
        if self.paid_amount and self.ordered_amount and self.paid_amount >= self.ordered_amount:
            return str(_("Paid in full"))
        if self.paid_amount:
            return str(_("Partly paid"))
        if self.ordered_amount:
            return str(_("Ordered, not paid"))
        return str(_("Claimed"))


class ProtectionRequest(EncryptedRecord):
    """A request to LPSK (the witness and victim protection agency) for protection measures."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Its own index serves the legal case page's protection requests.
    legal_case = models.ForeignKey(LegalCase, on_delete=models.CASCADE, related_name="protection_requests")
    victim = models.ForeignKey(Case, verbose_name=_("child (case)"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+", db_index=False)
    submitted_on = models.DateField(_("submitted on"))
    protections = models.JSONField(_("protection requested"), default=list)  # ProtectionType codes
    status = models.CharField(_("status"), max_length=20, choices=ProtectionStatus.choices,
                              default=ProtectionStatus.SUBMITTED)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    lpsk_reference = EncryptedTextField(_("LPSK reference number"), max_chars=100, blank=True)
    notes = EncryptedTextField(_("notes"), max_chars=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_on", "created_at"]

    def __str__(self):
        return self.get_status_display()

    def protection_labels(self) -> list[str]:
        labels = dict(ProtectionType.choices)
        return [str(labels.get(code, code)) for code in self.protections or []]


class CalendarFeed(models.Model):
    """A personal iCalendar feed: a secret URL that calendar apps poll. Only a hash of the secret
    is stored; revoking it (or making a new one) stops the old URL at once."""

    # No index of its own: a user's active feed: served by legal_calendar_one_active_per_user.
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+", db_index=False)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(revoked_at__isnull=True),
                                    name="legal_calendar_one_active_per_user"),
        ]

    def __str__(self):
        return f"{self.user_id}:{self.prefix}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def policy_q(cls, user, scope):
        return Q(user_id=user.pk) if scope == Scope.ASSIGNED else None
