"""The annual report's narrative: the sections people write, per year, organisation (or the whole
network) and language. Figures are never stored here: they are computed (and suppressed) when the
report is produced, so a report always agrees with the data and with the consents as they are."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lindungi.core.policy import Scope

SECTIONS = ("intro", "highlights", "successes", "lessons", "challenges", "closing")
SECTION_LABELS = {
    "intro": _("Profile and introduction"),
    "highlights": _("Highlights of the year"),
    "successes": _("Successes"),
    "lessons": _("Lessons learned"),
    "challenges": _("Challenges ahead"),
    "closing": _("Closing"),
}


class Language(models.TextChoices):
    INDONESIAN = "id", _("Bahasa Indonesia")
    ENGLISH = "en", _("English")


class AnnualNarrative(models.Model):
    """Editable sections of one annual report. `organisation` empty: the network's report, kept
    by the secretariat."""

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    intro = models.TextField(_("profile and introduction"), blank=True, max_length=20000)
    highlights = models.TextField(_("highlights of the year"), blank=True, max_length=20000)
    successes = models.TextField(_("successes"), blank=True, max_length=20000)
    lessons = models.TextField(_("lessons learned"), blank=True, max_length=20000)
    challenges = models.TextField(_("challenges ahead"), blank=True, max_length=20000)
    closing = models.TextField(_("closing"), blank=True, max_length=20000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "organisation__name", "language"]
        verbose_name = _("annual report narrative")
        verbose_name_plural = _("annual report narratives")
        constraints = [
            models.UniqueConstraint(fields=["year", "organisation", "language"], condition=Q(organisation__isnull=False),
                                    name="narrative_unique_org_year_lang"),
            models.UniqueConstraint(fields=["year", "language"], condition=Q(organisation__isnull=True),
                                    name="narrative_unique_network_year_lang"),
        ]

    def __str__(self):
        return f"{self.year} {self.organisation_id or 'network'} {self.language}"

    def sections(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in SECTIONS}

    @classmethod
    def policy_q(cls, user, scope):
        if scope == Scope.ORGANISATION:
            own = Q(organisation_id=user.organisation_id)
            # The network's report is the secretariat's to write.
            return own | Q(organisation__isnull=True) if user.organisation.is_secretariat else own
        if scope == Scope.NETWORK:
            return Q()
        return None


class StatisticsVersion(models.Model):
    """The data version of statistics: counters bumped by database triggers in the same transaction
    as every write to a table statistics read (see `freshness.py`). The version is their sum."""

    shard = models.PositiveSmallIntegerField(primary_key=True)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("statistics data version")
        verbose_name_plural = _("statistics data versions")

    def __str__(self):
        return f"{self.shard}: {self.value}"


class StatisticsCache(models.Model):
    """Raw counts of one aggregate query at one data version (never published as such: tables are
    suppressed when shown). The primary key (the spec's hash) serves the cache lookup."""

    key = models.CharField(max_length=64, primary_key=True)
    version = models.BigIntegerField()
    counts = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cached statistics")
        verbose_name_plural = _("cached statistics")

    def __str__(self):
        return f"{self.key[:12]}@{self.version}"


class CaseFact(models.Model):
    """One consenting case with a child, as statistics see it (`cube.py`): the columns the case and
    child-victim measures count, and the child's network key. Written only by database triggers on
    cases and children, in the same transaction as the write; never by application code.

    `shared` marks a child key held by two or more counted cases: those children are counted
    distinct from these rows, every other child once from the cube."""

    case_id = models.UUIDField(primary_key=True)
    child_id = models.UUIDField()
    child_key = models.CharField(max_length=40)
    organisation_id = models.BigIntegerField()
    year = models.SmallIntegerField()
    province = models.CharField(max_length=13)
    regency = models.CharField(max_length=13)
    sex = models.CharField(max_length=8)
    age_group = models.CharField(max_length=8)
    types = models.IntegerField()  # bit i: EXPLOITATION_TYPES[i] is among the case's concerns
    shared = models.BooleanField(db_default=False)

    class Meta:
        verbose_name = _("statistics fact")
        verbose_name_plural = _("statistics facts")
        indexes = [
            # The triggers: are there other counted cases of this child? (every insert and delete)
            models.Index(fields=["child_key"], name="reports_fact_child_key_idx"),
            # The triggers: a child's network key changed, re-derive its cases' facts.
            models.Index(fields=["child_id"], name="reports_fact_child_idx"),
            # Child victims: the few children with several cases, counted distinct per table.
            models.Index(fields=["year"], name="reports_fact_shared_idx", condition=Q(shared=True)),
        ]

    def __str__(self):
        return f"{self.case_id} {self.year} {self.province or '-'}"


class CaseCube(models.Model):
    """Counts of consenting cases (and of children with a single counted case) per combination of
    the statistics dimensions, kept by triggers as facts come and go (`cube.py`). Level 0 counts by
    province (regency ''), level 1 by regency: a regency breakdown always has a province filter,
    and the province level stays small enough to sum over the whole network in milliseconds."""

    level = models.SmallIntegerField()
    year = models.SmallIntegerField()
    organisation_id = models.BigIntegerField()
    province = models.CharField(max_length=13)
    regency = models.CharField(max_length=13)
    sex = models.CharField(max_length=8)
    age_group = models.CharField(max_length=8)
    types = models.IntegerField()
    cases = models.IntegerField(db_default=0)
    singles = models.IntegerField(db_default=0)

    class Meta:
        verbose_name = _("statistics cube cell")
        verbose_name_plural = _("statistics cube cells")
        constraints = [
            # The triggers' upsert target; also serves network tables by year (level, year prefix).
            models.UniqueConstraint(fields=["level", "year", "organisation_id", "province", "regency", "sex",
                                            "age_group", "types"], name="reports_cube_cell_uniq"),
        ]
        indexes = [
            # Tables filtered by province (dashboards and factsheets of one province, regency breakdowns).
            models.Index(fields=["level", "province", "year"], name="reports_cube_province_idx"),
            # Organisation-level figures (an organisation's own dashboard).
            models.Index(fields=["level", "organisation_id", "year"], name="reports_cube_org_idx"),
        ]

    def __str__(self):
        return f"{self.level}/{self.year}/{self.province or '-'}/{self.regency or '-'}: {self.cases}"


class RecordFact(models.Model):
    """One counted incident, perpetrator, referral or legal case, as statistics see it (`record_cube.py`). Rows
    are grouped by a *root* (the incident, or the case a referral belongs to): the triggers delete and
    re-derive a root's rows whenever anything they are derived from changes. Written only by
    database triggers, in the same transaction as the write.

    `a`, `b`, `c` hold the measure's own dimensions (`record_cube.MEASURES`)."""

    measure = models.CharField(max_length=16)
    root_id = models.UUIDField()
    year = models.SmallIntegerField()
    organisation_id = models.BigIntegerField()
    province = models.CharField(max_length=13)
    regency = models.CharField(max_length=13)
    types = models.IntegerField()
    a = models.CharField(max_length=24)
    b = models.CharField(max_length=24)
    c = models.CharField(max_length=24)
    rank = models.IntegerField(db_default=0)  # legal cases: the furthest stage reached (its order)
    flags = models.IntegerField(db_default=0)  # legal cases: convicted, restitution ordered, paid (bits)

    class Meta:
        verbose_name = _("statistics record fact")
        verbose_name_plural = _("statistics record facts")
        indexes = [
            # The triggers: delete a root's facts before deriving them again (every write).
            models.Index(fields=["measure", "root_id"], name="reports_rfact_root_idx"),
        ]

    def __str__(self):
        return f"{self.measure} {self.root_id} {self.year}"


class RecordCell(models.Model):
    """Counts of incidents, perpetrators, referrals and legal cases per combination of their statistics
    dimensions (level 0 by province, level 1 by regency), kept by triggers as facts come and go."""

    measure = models.CharField(max_length=16)
    level = models.SmallIntegerField()
    year = models.SmallIntegerField()
    organisation_id = models.BigIntegerField()
    province = models.CharField(max_length=13)
    regency = models.CharField(max_length=13)
    types = models.IntegerField()
    a = models.CharField(max_length=24)
    b = models.CharField(max_length=24)
    c = models.CharField(max_length=24)
    rank = models.IntegerField(db_default=0)
    flags = models.IntegerField(db_default=0)
    n = models.IntegerField(db_default=0)

    class Meta:
        verbose_name = _("statistics record cell")
        verbose_name_plural = _("statistics record cells")
        constraints = [
            # The triggers' upsert target; also serves a measure's network tables (measure, level, year).
            models.UniqueConstraint(fields=["measure", "level", "year", "organisation_id", "province", "regency",
                                            "types", "a", "b", "c", "rank", "flags"], name="reports_rcell_cell_uniq"),
        ]
        indexes = [
            # A measure's tables filtered by province (dashboards and factsheets of one province).
            models.Index(fields=["measure", "level", "province", "year"], name="reports_rcell_province_idx"),
            # An organisation's own figures.
            models.Index(fields=["measure", "level", "organisation_id", "year"], name="reports_rcell_org_idx"),
        ]

    def __str__(self):
        return f"{self.measure} {self.level}/{self.year}/{self.province or '-'}: {self.n}"
