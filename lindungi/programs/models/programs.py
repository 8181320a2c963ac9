"""Programs, their funding, their logframe (goal → outcomes → outputs) and indicators."""

from __future__ import annotations

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.core.policy import Scope
from lindungi.programs.models.reference import (
    EVERYTHING,
    ActivityType,
    AgeGroup,
    Currency,
    Donor,
    Partner,
    StakeholderGroup,
    localised,
)


class Program(models.Model):
    class Status(models.TextChoices):
        # Each maps to an IATI ActivityStatus code (see iati/export.py).
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        FINALISING = "finalising", _("Finalising")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        SUSPENDED = "suspended", _("Suspended")

    code = models.CharField(
        _("code"), max_length=30, unique=True,
        validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9\-]{1,29}$", _("Use capital letters, digits and hyphens, e.g. EU-2012-RAN."))],
    )
    title_id = models.CharField(_("title (Indonesian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    lead_organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("lead organisation"), on_delete=models.PROTECT, related_name="led_programs",
    )
    partners = models.ManyToManyField(Partner, verbose_name=_("implementing partners"), blank=True,
                                      related_name="programs")
    provinces = models.ManyToManyField("geo.Region", verbose_name=_("provinces"), blank=True, related_name="+",
                                       limit_choices_to={"level": "province"})
    regencies = models.ManyToManyField("geo.Region", verbose_name=_("regencies/cities"), blank=True, related_name="+",
                                       limit_choices_to={"level": "regency"})
    target_groups = models.ManyToManyField(StakeholderGroup, verbose_name=_("target groups"), blank=True,
                                           related_name="+")
    target_groups_note = models.CharField(_("target groups (details)"), max_length=300, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="program_period_ordered"),
        ]
        indexes = [
            # The program list of an organisation, newest first.
            models.Index(fields=["lead_organisation", "-start_date"], name="program_lead_start"),
        ]

    def __str__(self):
        return f"{self.code} · {self.title}"

    @property
    def title(self) -> str:
        return localised(self, "title")

    @property
    def description(self) -> str:
        return localised(self, "description")

    def elapsed_share(self, today=None) -> float:
        """Share (0–1) of the program period that has passed."""
        today = today or timezone.localdate()
        total = (self.end_date - self.start_date).days + 1
        done = (today - self.start_date).days + 1
        return max(0.0, min(1.0, done / total))

    @classmethod
    def policy_q(cls, user, scope):
        if scope == Scope.ORGANISATION:
            return Q(lead_organisation_id=user.organisation_id)
        if scope == Scope.NETWORK:
            return EVERYTHING
        return None


class ProgramFunding(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="funding")
    donor = models.ForeignKey(Donor, verbose_name=_("donor"), on_delete=models.PROTECT, related_name="funding")
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)])
    currency = models.ForeignKey(Currency, verbose_name=_("currency"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["donor__name"]
        verbose_name = _("funding")
        constraints = [
            models.UniqueConstraint(fields=["program", "donor"], name="funding_unique_donor_per_program"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(currency__isnull=False),
                                   name="funding_amount_has_currency"),
        ]

    def __str__(self):
        return f"{self.donor} {self.amount or ''} {self.currency_id or ''}".strip()

    @classmethod
    def policy_q(cls, user, scope):
        q = Program.policy_q(user, scope)
        return None if q is None else _prefixed(q, "program")


def _prefixed(q: Q, prefix: str) -> Q:
    """Re-root a Q built for Program onto a model that reaches it through `prefix`."""
    if not q.children:
        return Q()
    clone = Q()
    clone.connector, clone.negated = q.connector, q.negated
    clone.children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (f"{prefix}__{child[0]}", child[1])
        for child in q.children
    ]
    return clone


class Result(models.Model):
    """One node of the logframe tree: goal → outcomes → outputs."""

    class Level(models.TextChoices):
        GOAL = "goal", _("Goal")
        OUTCOME = "outcome", _("Outcome")
        OUTPUT = "output", _("Output")

    PARENT_LEVEL = {"goal": None, "outcome": "goal", "output": "outcome"}

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="results")
    parent = models.ForeignKey("self", verbose_name=_("contributes to"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="children")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("number"), max_length=12, blank=True, help_text=_("For example 1, 1.2 or 1.2.3."))
    title_id = models.CharField(_("title (Indonesian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["program", "order", "code", "pk"]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self):
        return f"{self.code} {self.title}".strip()

    @property
    def title(self) -> str:
        return localised(self, "title")

    def descendant_ids(self) -> set[int]:
        """This result and every result below it (the tree is three levels deep at most)."""
        ids, frontier = {self.pk}, {self.pk}
        while frontier:
            frontier = set(Result.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
            ids |= frontier
        return ids

    @classmethod
    def policy_q(cls, user, scope):
        q = Program.policy_q(user, scope)
        return None if q is None else _prefixed(q, "program")


class Indicator(models.Model):
    class Measure(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENTAGE = "percentage", _("Percentage")
        QUALITATIVE = "qualitative", _("Qualitative")

    class Computation(models.TextChoices):
        MANUAL = "manual", _("Entered by hand, with a source")
        RULE = "rule", _("Computed from activity data")

    class Metric(models.TextChoices):
        PARTICIPANTS = "participants", _("Participants")
        ACTIVITIES = "activities", _("Number of activities")
        KNOWLEDGE_GAIN = "knowledge_gain", _("Average knowledge gain (percentage points)")
        REACH = "reach", _("Reach of outputs (audience)")

    class RuleScope(models.TextChoices):
        PROGRAM = "program", _("All activities of the program")
        RESULT = "result", _("Activities contributing to this result")

    class RuleSex(models.TextChoices):
        ANY = "", _("Any")
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")

    class Dimension(models.TextChoices):
        TOTAL = "", _("Total")
        SEX = "sex", _("Sex")
        AGE_GROUP = "age_group", _("Age group")
        PROVINCE = "province", _("Province")

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("number"), max_length=12, blank=True)
    title_id = models.CharField(_("indicator (Indonesian)"), max_length=300)
    title_en = models.CharField(_("indicator (English)"), max_length=300, blank=True)
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices, default=Measure.COUNT)
    unit = models.CharField(_("unit"), max_length=60, blank=True, help_text=_("For example: people, activities, %."))
    baseline_value = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_note = models.CharField(_("baseline (description)"), max_length=300, blank=True)
    by_sex = models.BooleanField(_("disaggregate by sex"), default=False)
    by_age_group = models.BooleanField(_("disaggregate by age group"), default=False)
    by_province = models.BooleanField(_("disaggregate by province"), default=False)
    # How actual values come about. A rule is data, evaluated by a selector at read time, so the
    # computed actual always agrees with the activities as they are now.
    computation = models.CharField(_("actual values"), max_length=8, choices=Computation.choices,
                                   default=Computation.MANUAL)
    rule_metric = models.CharField(_("metric"), max_length=16, choices=Metric.choices, blank=True)
    rule_scope = models.CharField(_("activities counted"), max_length=8, choices=RuleScope.choices,
                                  default=RuleScope.PROGRAM)
    rule_activity_types = models.ManyToManyField(ActivityType, verbose_name=_("activity types"), blank=True,
                                                 related_name="+", help_text=_("None selected: every type."))
    rule_sex = models.CharField(_("participants' sex"), max_length=8, choices=RuleSex.choices, blank=True, default="")
    rule_age_groups = models.ManyToManyField(AgeGroup, verbose_name=_("participants' age groups"), blank=True,
                                             related_name="+", help_text=_("None selected: every age group."))
    rule_stakeholder_groups = models.ManyToManyField(
        StakeholderGroup, verbose_name=_("participants' stakeholder groups"), blank=True, related_name="+",
        help_text=_("None selected: every group."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["result", "order", "code", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(condition=Q(computation="manual") | ~Q(rule_metric=""),
                                   name="indicator_rule_has_metric"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}".strip()

    @property
    def title(self) -> str:
        return localised(self, "title")

    @property
    def program(self) -> Program:
        return self.result.program

    @property
    def is_computed(self) -> bool:
        return self.computation == self.Computation.RULE

    @property
    def dimensions(self) -> list[str]:
        return [d for d, on in (("sex", self.by_sex), ("age_group", self.by_age_group),
                                ("province", self.by_province)) if on]

    @classmethod
    def policy_q(cls, user, scope):
        q = Program.policy_q(user, scope)
        return None if q is None else _prefixed(q, "result__program")


class PeriodMixin(models.Model):
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    dimension = models.CharField(_("disaggregation"), max_length=10, choices=Indicator.Dimension.choices,
                                 blank=True, default="")
    category = models.CharField(
        _("category"), max_length=40, blank=True, default="",
        help_text=_("For a disaggregated value: female/male, an age-group code or a province code."),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.period_label} {self.dimension} {self.category}".strip()

    @property
    def period_label(self) -> str:
        return f"{self.period_start:%d-%m-%Y} – {self.period_end:%d-%m-%Y}"


class IndicatorTarget(PeriodMixin):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.CharField(_("target (description)"), max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "period_start", "dimension", "category"]
        verbose_name = _("target")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="target_period_ordered"),
            models.UniqueConstraint(fields=["indicator", "period_start", "period_end", "dimension", "category"],
                                    name="target_unique_per_period"),
        ]

    @classmethod
    def policy_q(cls, user, scope):
        q = Program.policy_q(user, scope)
        return None if q is None else _prefixed(q, "indicator__result__program")


class IndicatorActual(PeriodMixin):
    """An actual value entered by hand, with its source (for indicators that are not computed)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals")
    value = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True, blank=True)
    narrative = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, help_text=_("Where the value comes from (report, survey, …)."))
    entered_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "period_start", "dimension", "category"]
        verbose_name = _("actual value")
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="actual_period_ordered"),
            models.UniqueConstraint(fields=["indicator", "period_start", "period_end", "dimension", "category"],
                                    name="actual_unique_per_period"),
        ]

    @classmethod
    def policy_q(cls, user, scope):
        q = Program.policy_q(user, scope)
        return None if q is None else _prefixed(q, "indicator__result__program")


class LearningEntry(models.Model):
    """A success, lesson learned or challenge of a year, for a program or the organisation as a
    whole; the annual report draws on these."""

    class Kind(models.TextChoices):
        SUCCESS = "success", _("Success")
        LESSON = "lesson", _("Lesson learned")
        CHALLENGE = "challenge", _("Challenge")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(Program, verbose_name=_("program"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="learning")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990)])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    text_id = models.TextField(_("text (Indonesian)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "kind", "pk"]
        verbose_name = _("success, lesson or challenge")
        verbose_name_plural = _("successes, lessons and challenges")
        indexes = [models.Index(fields=["organisation", "year"], name="learning_org_year")]

    def __str__(self):
        return self.title

    @property
    def text(self) -> str:
        return localised(self, "text")

    @classmethod
    def policy_q(cls, user, scope):
        if scope == Scope.ORGANISATION:
            return Q(organisation_id=user.organisation_id)
        if scope == Scope.NETWORK:
            return EVERYTHING
        return None
