"""Incidents of sexual exploitation of children: what happened, where, when, how, and by whom.

An incident belongs to one organisation and is linked to one or more of its child cases (a case
can have several incidents). Classification follows the Luxembourg Terminology Guidelines (2016):
the labels are the recommended terms; the terms to avoid are search synonyms only
(`SEARCH_SYNONYMS`), never labels.

What statistics count is kept in plain, indexed columns and rows (exploitation types, setting,
region, date, perpetrators' sex/age group/role, derived contexts) so that it can be aggregated in
SQL without decrypting anything. Identifying data (narratives, the place's name, perpetrators'
names) is encrypted under the organisation's key.

Scopes (`policy_q`): ASSIGNED = a linked case is in the user's ASSIGNED case scope (its
caseworker, a co-worker, or a legal officer added to the case's team through a legal case), or
the user is the assigned officer of a legal case linked to the incident; ORGANISATION = the
incident's organisation; SHARED = a linked case has an active share with the user's organisation.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lindungi.cases.models import Case, CaseShare, Sex
from lindungi.core.policy import Scope
from lindungi.crypto.fields import BlindIndexField, EncryptedTextField
from lindungi.crypto.models import EncryptedRecord

ORG = "accounts.Organisation"
REGION = "geo.Region"
USER = settings.AUTH_USER_MODEL

country_code_validator = RegexValidator(r"^[A-Z]{2}$", _("Use the two capital letters of ISO 3166-1, e.g. ID."),
                                        code="invalid_country")


# --- fixed classifications ----------------------------------------------------------------------


class ExploitationType(models.TextChoices):
    """Luxembourg Terminology Guidelines (DOMAIN.md). Labels are the recommended terms."""

    PROSTITUTION = "prostitution", _("Exploitation of children in prostitution")
    TRAFFICKING = "trafficking", _("Trafficking of children for sexual purposes")
    SALE = "sale", _("Sale of children for sexual purposes")
    TRAVEL_TOURISM = "travel_tourism", _("Sexual exploitation of children in travel and tourism")
    MARRIAGE = "marriage", _("Child, early and forced marriage (exploitative)")
    ONLINE = "online", _("Online child sexual exploitation")
    ABUSE = "abuse", _("Child sexual abuse (non-commercial)")


class OnlineSubtype(models.TextChoices):
    CSAM = "csam", _("Child sexual abuse material")
    LIVE_STREAMING = "live_streaming", _("Live-streamed child sexual abuse")
    GROOMING = "grooming", _("Online grooming for sexual purposes")
    EXTORTION = "extortion", _("Sexual extortion of children")
    SELF_GENERATED = "self_generated", _("Self-generated sexual material")


# Terms to avoid (Luxembourg Guidelines), accepted only as search words: searching "child
# prostitute" finds incidents classified as exploitation of children in prostitution. Lower-case.
SEARCH_SYNONYMS: dict[str, str] = {
    "child prostitute": ExploitationType.PROSTITUTION,
    "child prostitution": ExploitationType.PROSTITUTION,
    "child sex worker": ExploitationType.PROSTITUTION,
    "pelacur anak": ExploitationType.PROSTITUTION,
    "pelacuran anak": ExploitationType.PROSTITUTION,
    "psk anak": ExploitationType.PROSTITUTION,
    "pekerja seks anak": ExploitationType.PROSTITUTION,
    "child sex tourism": ExploitationType.TRAVEL_TOURISM,
    "wisata seks anak": ExploitationType.TRAVEL_TOURISM,
    "pariwisata seks anak": ExploitationType.TRAVEL_TOURISM,
    "child pornography": ExploitationType.ONLINE,
    "pornografi anak": ExploitationType.ONLINE,
    "trafficking": ExploitationType.TRAFFICKING,
    "perdagangan anak": ExploitationType.TRAFFICKING,
    "tppo": ExploitationType.TRAFFICKING,
    "kawin anak": ExploitationType.MARRIAGE,
    "pernikahan dini": ExploitationType.MARRIAGE,
}


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


class Setting(models.TextChoices):
    HOME = "home", _("Home")
    HOTEL = "hotel", _("Hotel or guesthouse")
    BROTHEL = "brothel", _("Brothel or lokalisasi")
    ENTERTAINMENT = "entertainment", _("Karaoke or entertainment venue")
    MASSAGE = "massage", _("Massage parlour")
    BOARDING_HOUSE = "boarding_house", _("Boarding house (kos)")
    STREET = "street", _("Street or public place")
    SCHOOL = "school", _("School")
    WORKPLACE = "workplace", _("Workplace")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")


class Modus(models.TextChoices):
    """How the child was recruited or approached."""

    ONLINE_GROOMING = "online_grooming", _("Online grooming")
    JOB_OFFER = "job_offer", _("Job offer")
    BOYFRIEND = "boyfriend", _("“Boyfriend” method")
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    FAMILY = "family", _("Through family")
    PEERS = "peers", _("Through peers")
    ABDUCTION = "abduction", _("Abduction")
    OTHER = "other", _("Other")


class Exchange(models.TextChoices):
    """What was given or promised in exchange (to the child or to someone else)."""

    MONEY = "money", _("Money")
    GOODS = "goods", _("Goods or gifts")
    SERVICES = "services", _("Services, lodging, food or drugs")


class InformationSource(models.TextChoices):
    CHILD = "child", _("The child")
    FAMILY = "family", _("Family")
    POLICE = "police", _("Police")
    HOTLINE = "hotline", _("Hotline")
    OUTREACH = "outreach", _("Outreach")
    COMMUNITY = "community", _("Community")
    SCHOOL = "school", _("School")
    MEDIA = "media", _("Media")
    ONLINE_REPORT = "online_report", _("Online report")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    OTHER = "other", _("Other")


class Verification(models.TextChoices):
    REPORTED = "reported", _("Reported")
    VERIFIED = "verified", _("Verified")
    UNVERIFIED = "unverified", _("Unverified")
    DISCREDITED = "discredited", _("Discredited")


class AgeGroup(models.TextChoices):
    """Perpetrators' age group; under 18 matters (juvenile justice, SPPA)."""

    UNDER_18 = "under_18", _("Under 18")
    AGE_18_24 = "18_24", _("18–24")
    AGE_25_39 = "25_39", _("25–39")
    AGE_40_59 = "40_59", _("40–59")
    AGE_60_PLUS = "60_plus", _("60 or older")
    UNKNOWN = "unknown", _("Unknown")


class PerpetratorRelationship(models.TextChoices):
    PARENT = "parent", _("Parent")
    STEP_PARENT = "step_parent", _("Step-parent")
    RELATIVE = "relative", _("Other relative")
    PARTNER = "partner", _("Boyfriend, girlfriend or partner")
    FRIEND = "friend", _("Friend or peer")
    NEIGHBOUR = "neighbour", _("Neighbour")
    TEACHER = "teacher", _("Teacher or school staff")
    EMPLOYER = "employer", _("Employer")
    COMMUNITY_FIGURE = "community_figure", _("Religious or community figure")
    ONLINE_CONTACT = "online_contact", _("Met online")
    ACQUAINTANCE = "acquaintance", _("Acquaintance")
    STRANGER = "stranger", _("Stranger")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


FAMILY_RELATIONSHIPS = (PerpetratorRelationship.PARENT, PerpetratorRelationship.STEP_PARENT,
                        PerpetratorRelationship.RELATIVE)


class PerpetratorRole(models.TextChoices):
    RECRUITER = "recruiter", _("Recruiter")
    PIMP_BROKER = "pimp_broker", _("Pimp or broker")
    CLIENT = "client", _("Client or buyer")
    PRODUCER = "producer", _("Producer or distributor of abuse material")
    FACILITATOR = "facilitator", _("Facilitator")
    OTHER = "other", _("Other")


# Roles of a third party who profits from or organises the exploitation.
THIRD_PARTY_ROLES = (PerpetratorRole.RECRUITER, PerpetratorRole.PIMP_BROKER, PerpetratorRole.PRODUCER,
                     PerpetratorRole.FACILITATOR)


class Context(models.TextChoices):
    """Contexts derived from what was recorded (GBVIMS style): computed, never typed."""

    POSSIBLE_EXPLOITATION = "possible_exploitation", _("Possible sexual exploitation (something was exchanged)")
    ONLINE = "online", _("Online or technology-facilitated")
    CROSS_BORDER = "cross_border", _("Cross-border")
    THIRD_PARTY = "third_party", _("Third party involved (recruiter, broker, producer or facilitator)")
    FAMILY_INVOLVED = "family_involved", _("Family member involved")
    CHILD_PERPETRATOR = "child_perpetrator", _("A perpetrator is under 18")


# --- reference lists (editable) -----------------------------------------------------------------


def localised(obj, field: str) -> str:
    """`obj.<field>_id` in Indonesian, `obj.<field>_en` otherwise (each falls back on the other)."""
    indonesian = (get_language() or "id").startswith("id")
    first, second = ("id", "en") if indonesian else ("en", "id")
    return getattr(obj, f"{field}_{first}", "") or getattr(obj, f"{field}_{second}", "")


class ReferenceItem(models.Model):
    """An item of a network-wide reference list (not personal data): readable by every signed-in
    user, edited by those holding the app's `reference.manage` action (the secretariat only)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_id = models.CharField(_("label (Indonesian)"), max_length=160)
    label_en = models.CharField(_("label (English)"), max_length=160)
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

    @classmethod
    def policy_q(cls, user, scope):
        return Q() if scope in (Scope.NETWORK, Scope.ORGANISATION) else None


class Platform(ReferenceItem):
    """Online platforms involved in online incidents (Facebook, WhatsApp, MiChat, ...)."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")


# --- incidents ----------------------------------------------------------------------------------


class IncidentNumberCounter(models.Model):
    """The last incident number given per organisation and year (taken under select_for_update,
    so two incidents recorded at the same moment never get the same number)."""

    # No index of its own: served by incident_counter_unique_org_year.
    organisation = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="incident_counter_unique_org_year"),
        ]

    def __str__(self):
        return f"{self.organisation_id}/{self.year}: {self.last_value}"


class IncidentQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("province", "regency").prefetch_related("types", "cases")

    def with_statistics_consent(self):
        """Incidents with at least one linked case whose anonymised-statistics consent is active:
        the only ones statistics may count."""
        return self.filter(Exists(IncidentCase.objects.filter(incident_id=OuterRef("pk"),
                                                              case__statistics_consent=True)))


class Incident(EncryptedRecord):
    # No index of its own: served by incident_unique_number_per_org and the incident_org_* indexes.
    organisation = models.ForeignKey(ORG, verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="+", db_index=False)
    number = models.CharField(_("incident number"), max_length=24, editable=False)
    cases = models.ManyToManyField(Case, through="IncidentCase", related_name="incidents", verbose_name=_("cases"))

    # When: the date is stored at its precision's start (month → the 1st, year → 1 January).
    occurred_on = models.DateField(_("date"))
    date_precision = models.CharField(_("date precision"), max_length=8, choices=DatePrecision.choices,
                                      default=DatePrecision.DAY)
    # Where.
    # Its own index serves network statistics of incidents in a province, counted from the data.
    province = models.ForeignKey(REGION, verbose_name=_("province"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    regency = models.ForeignKey(REGION, verbose_name=_("regency/city"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+", db_index=False)
    district = models.ForeignKey(REGION, verbose_name=_("district"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", db_index=False)
    setting = models.CharField(_("setting"), max_length=16, choices=Setting.choices)
    location_details = EncryptedTextField(_("place details"), max_chars=500, blank=True)
    platforms = models.ManyToManyField(Platform, blank=True, related_name="+", verbose_name=_("platforms"))

    # How.
    modus = models.JSONField(_("modus / recruitment"), default=list, blank=True)  # list of Modus codes
    exchanged = models.JSONField(_("exchanged"), default=list, blank=True)  # list of Exchange codes
    exchange_details = EncryptedTextField(_("what was exchanged, and between whom"), max_chars=1000, blank=True)
    cross_border_countries = models.JSONField(_("countries (cross-border)"), default=list, blank=True)  # ISO codes
    description = EncryptedTextField(_("description"), max_chars=20000, blank=True)

    # Source and verification.
    source = models.CharField(_("source of information"), max_length=16, choices=InformationSource.choices)
    source_details = EncryptedTextField(_("source details"), max_chars=500, blank=True)
    verification = models.CharField(_("verification status"), max_length=12, choices=Verification.choices,
                                    default=Verification.REPORTED)

    # Derived contexts, recomputed by the services on every change (never typed): plain flags
    # for lists and statistics.
    possible_exploitation = models.BooleanField(default=False, editable=False)
    is_online = models.BooleanField(default=False, editable=False)
    is_cross_border = models.BooleanField(default=False, editable=False)
    third_party_involved = models.BooleanField(default=False, editable=False)
    family_involved = models.BooleanField(default=False, editable=False)
    child_perpetrator = models.BooleanField(default=False, editable=False)

    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_on", "-number"]
        constraints = [
            # Also the index for an exact number within an organisation (incidents_by_numbers).
            models.UniqueConstraint(fields=["organisation", "number"], name="incident_unique_number_per_org"),
        ]
        indexes = [
            # Lists: an organisation's incidents, newest first, and the date-range filter.
            models.Index(fields=["organisation", "-occurred_on"], name="incident_org_date_idx"),
            # Filter and statistics by region.
            models.Index(fields=["organisation", "province", "regency"], name="incident_org_region_idx"),
            # Filter and statistics by setting.
            models.Index(fields=["organisation", "setting"], name="incident_org_setting_idx"),
            # The incident list's verification filter.
            models.Index(fields=["organisation", "verification"], name="incident_org_verif_idx"),
        ]

    def __str__(self):
        return self.number or str(_("new incident"))

    @property
    def contexts(self) -> list[str]:
        flags = [
            (self.possible_exploitation, Context.POSSIBLE_EXPLOITATION), (self.is_online, Context.ONLINE),
            (self.is_cross_border, Context.CROSS_BORDER), (self.third_party_involved, Context.THIRD_PARTY),
            (self.family_involved, Context.FAMILY_INVOLVED), (self.child_perpetrator, Context.CHILD_PERPETRATOR),
        ]
        return [code for on, code in flags if on]

    def context_labels(self) -> list[str]:
        labels = dict(Context.choices)
        return [str(labels[code]) for code in self.contexts]

    def modus_labels(self) -> list[str]:
        labels = dict(Modus.choices)
        return [str(labels.get(code, code)) for code in self.modus or []]

    def exchanged_labels(self) -> list[str]:
        labels = dict(Exchange.choices)
        return [str(labels.get(code, code)) for code in self.exchanged or []]

    @property
    def date_display(self) -> str:
        from django.utils.formats import date_format

        if self.date_precision == DatePrecision.YEAR:
            return str(self.occurred_on.year)
        if self.date_precision == DatePrecision.MONTH:
            return date_format(self.occurred_on, "YEAR_MONTH_FORMAT")
        return date_format(self.occurred_on, "DATE_FORMAT")

    @classmethod
    def policy_q(cls, user, scope):
        # As for cases: the few incident ids of the user's cases (or legal cases) and of the shared
        # cases are read first; OR-ing a correlated EXISTS into the filter makes PostgreSQL scan
        # every incident (incident list, personal statistics, the home page).
        if scope == Scope.ASSIGNED:
            my_cases = Case.objects.filter(Case.policy_q(user, Scope.ASSIGNED)).values("pk")
            ids = set(IncidentCase.objects.filter(case_id__in=my_cases).values_list("incident_id", flat=True))
            if apps.is_installed("lindungi.legal"):
                links = apps.get_model("legal", "LegalCaseIncident").objects
                ids.update(links.filter(legal_case__assigned_officer_id=user.pk).values_list("incident_id", flat=True))
            return Q(pk__any_of=ids)
        if scope == Scope.ORGANISATION:
            return Q(organisation_id=user.organisation_id)
        if scope == Scope.SHARED:
            shared = CaseShare.objects.case_ids_shared_with(user.organisation_id)
            ids = set(IncidentCase.objects.filter(case_id__in=shared).values_list("incident_id", flat=True)) if shared else ()
            return Q(pk__any_of=ids)
        return None


class IncidentCase(models.Model):
    """The link between an incident and a child case of the same organisation."""

    # No index of its own: served by incident_case_unique.
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="case_links",
                                 db_index=False)
    # No index of its own: served by incident_case_by_case_idx.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incident_links", db_index=False)
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "case"], name="incident_case_unique"),
        ]
        indexes = [
            # Scopes (ASSIGNED, SHARED), the list's case filter and the statistics trigger: the
            # incidents of a case.
            models.Index(fields=["case", "incident"], name="incident_case_by_case_idx"),
        ]

    def __str__(self):
        return f"{self.incident_id}:{self.case_id}"


class IncidentType(models.Model):
    """One exploitation type of an incident (several allowed). For online exploitation, one row
    per subtype (or one row without subtype). Rows, not a JSON list, so that statistics count
    incidents per type with an indexed GROUP BY."""

    # No index of its own: served by incident_type_unique.
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="types", db_index=False)
    type = models.CharField(_("exploitation type"), max_length=16, choices=ExploitationType.choices)
    subtype = models.CharField(_("online subtype"), max_length=16, choices=OnlineSubtype.choices, blank=True)

    class Meta:
        ordering = ["type", "subtype"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "type", "subtype"], name="incident_type_unique"),
            models.CheckConstraint(condition=Q(subtype="") | Q(type="online"), name="incident_subtype_only_online"),
        ]
        indexes = [
            # Statistics and the list filter: incidents of one type.
            models.Index(fields=["type", "incident"], name="incident_type_type_idx"),
        ]

    def __str__(self):
        return self.get_subtype_display() if self.subtype else self.get_type_display()


class Perpetrator(EncryptedRecord):
    """A (suspected) perpetrator of an incident. The name is encrypted; the rest is plain and
    coarse, for statistics. `identified=False` is an unknown perpetrator (no name)."""

    # No index of its own: served by perp_org_name_idx.
    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Its own index serves an incident's perpetrators: contexts on every incident write, the statistics
    # triggers, the incident page.
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="perpetrators")
    identified = models.BooleanField(_("identified"), default=False)
    name = EncryptedTextField(_("name"), max_chars=200, blank=True)
    aliases = EncryptedTextField(_("aliases"), max_chars=300, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True, validators=[country_code_validator],
                                   help_text=_("Two-letter country code, e.g. ID; empty if unknown."))
    relationship = models.CharField(_("relationship to the child"), max_length=16,
                                    choices=PerpetratorRelationship.choices, default=PerpetratorRelationship.UNKNOWN)
    role = models.CharField(_("role"), max_length=12, choices=PerpetratorRole.choices)
    arrested = models.BooleanField(_("arrested"), default=False)
    notes = EncryptedTextField(_("notes"), max_chars=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Search by name within an organisation (repeat perpetrators across incidents).
    name_index = BlindIndexField(sources=["name"], transform="lindungi.crypto.normalise.name", bits=16)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("perpetrator")
        verbose_name_plural = _("perpetrators")
        indexes = [
            # Name search within an organisation.
            models.Index(fields=["organisation", "name_index"], name="perp_org_name_idx"),
        ]

    def __str__(self):
        return self.get_role_display()

    @property
    def display_name(self) -> str:
        if self.identified and self.name:
            return self.name
        return str(_("Unknown perpetrator (%(role)s)") % {"role": self.get_role_display()})
