"""Reference lists (editable by the secretariat's administrators and M&E officers) and the donors
and partners of the network. All of it is network-wide, non-personal information."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lindungi.core.policy import Scope

# "Every row", as a condition that survives being OR-ed: Django drops an empty Q() from
# `Q(a) | Q()` (an empty Q counts as "no condition"), which would silently turn ORGANISATION +
# NETWORK into ORGANISATION only.
EVERYTHING = Q(pk__isnull=False)


def localised(obj, field: str) -> str:
    """`obj.<field>_id` in Indonesian, `obj.<field>_en` otherwise (each falls back on the other)."""
    indonesian = (get_language() or "id").startswith("id")
    first, second = ("id", "en") if indonesian else ("en", "id")
    return getattr(obj, f"{field}_{first}", "") or getattr(obj, f"{field}_{second}", "")


class NetworkReference(models.Model):
    """Reference data shared by the whole network: readable by every signed-in user."""

    class Meta:
        abstract = True

    @classmethod
    def policy_q(cls, user, scope):
        return EVERYTHING if scope in (Scope.NETWORK, Scope.ORGANISATION) else None


class LabelledReference(NetworkReference):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_id = models.CharField(_("label (Indonesian)"), max_length=120)
    label_en = models.CharField(_("label (English)"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return localised(self, "label")


class ActivityType(LabelledReference):
    is_training = models.BooleanField(
        _("training"), default=False, help_text=_("Trainings can record pre- and post-test scores.")
    )
    is_event = models.BooleanField(
        _("event"), default=False, help_text=_("Events (conferences, dialogues, seminars) have an agenda and registrations.")
    )

    class Meta(LabelledReference.Meta):
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")


class StakeholderGroup(LabelledReference):
    class Meta(LabelledReference.Meta):
        verbose_name = _("stakeholder group")
        verbose_name_plural = _("stakeholder groups")


class AgeGroup(LabelledReference):
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)

    class Meta(LabelledReference.Meta):
        verbose_name = _("age group")
        verbose_name_plural = _("age groups")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(max_age__gte=models.F("min_age")),
                name="agegroup_range_ordered",
            )
        ]


class Currency(NetworkReference):
    code = models.CharField(
        _("ISO 4217 code"), max_length=3, primary_key=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use the three capital letters of ISO 4217, e.g. IDR."))],
    )
    name = models.CharField(_("name"), max_length=80)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")

    def __str__(self):
        return self.code

    @property
    def label(self) -> str:
        return f"{self.code} · {self.name}"


class Country(NetworkReference):
    code = models.CharField(
        _("ISO 3166-1 code"), max_length=2, primary_key=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Use the two capital letters of ISO 3166-1, e.g. ID."))],
    )
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localised(self, "name")

    label = name


class Donor(NetworkReference):
    class Kind(models.TextChoices):
        MULTILATERAL = "multilateral", _("Multilateral")
        GOVERNMENT = "government", _("Government")
        FOREIGN_NGO = "foreign_ngo", _("Foreign NGO")
        COMPANY = "company", _("Company or foundation")
        NETWORK = "network", _("International network")
        INDIVIDUAL = "individual", _("Individual")

    # IATI organisation-type codes for each kind (OrganisationType codelist).
    IATI_TYPES = {
        "multilateral": "40", "government": "10", "foreign_ngo": "21", "company": "70",
        "network": "21", "individual": "90",
    }

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    country = models.ForeignKey(Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    iati_ref = models.CharField(
        _("IATI organisation identifier"), max_length=100, blank=True,
        validators=[RegexValidator(r"^[A-Za-z0-9\-_.:/]*$", _("Letters, digits and - _ . : / only."))],
        help_text=_("For example XM-DAC-41114; leave empty if unknown."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        constraints = [models.UniqueConstraint(fields=["name"], name="donor_unique_name")]

    def __str__(self):
        return self.name

    @property
    def public_name(self) -> str:
        """The name that may leave Lindungi (IATI): an individual donor is never named."""
        return str(_("Individual donor")) if self.kind == self.Kind.INDIVIDUAL else self.name


class Partner(NetworkReference):
    """An organisation a program works with: a member organisation of the network (linked to its
    account, so that its officers can record activities of programs it implements) or an
    external partner."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member organisation")
        EXTERNAL = "external", _("External partner")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.EXTERNAL)
    organisation = models.OneToOneField(
        "accounts.Organisation", verbose_name=_("member organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="program_partner",
    )
    stakeholder_group = models.ForeignKey(
        StakeholderGroup, verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    country = models.ForeignKey(Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["name"], name="partner_unique_name"),
            models.CheckConstraint(
                condition=Q(kind="member", organisation__isnull=False) | Q(kind="external", organisation__isnull=True),
                name="partner_member_has_organisation",
            ),
        ]

    def __str__(self):
        return self.name
