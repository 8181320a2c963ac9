"""Case management for child victims: the child, the case and everything done in it.

Identifying data (names, birth dates, NIK, addresses, phone numbers, guardians' details, free-text
narratives and notes, files) is encrypted under the owning organisation's key; every model that
holds some inherits `EncryptedRecord` and has a direct `organisation` foreign key (it goes into the
ciphertexts' associated data). What statistics and lists need is kept in plain, coarse columns:
sex, status, risk level, region codes, age in whole years at registration (`Case.age_years`,
bucketed by `Case.age_group`), so that neither lists nor statistics ever decrypt a birth date.

Scopes (`policy_q`): ASSIGNED = the case's assigned caseworker, or an active `CaseTeamMember` (the
extension point for legal officers assigned through a legal case, and for co-workers);
ORGANISATION = the case belongs to the user's organisation; SHARED = an accepted, unexpired,
unrevoked `CaseShare` of the case with the user's organisation.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.core.policy import Scope
from lindungi.crypto.fields import BlindIndexField, EncryptedDateField, EncryptedJSONField, EncryptedTextField
from lindungi.crypto.models import EncryptedRecord

ORG = "accounts.Organisation"
REGION = "geo.Region"
USER = settings.AUTH_USER_MODEL

nik_validator = RegexValidator(r"^\d{16}$", _("A NIK has exactly 16 digits."), code="invalid_nik")


# --- choices ------------------------------------------------------------------------------------


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class SchoolStatus(models.TextChoices):
    ENROLLED = "enrolled", _("In school")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    NEVER = "never", _("Never attended")
    GRADUATED = "graduated", _("Finished school")
    NOT_SCHOOL_AGE = "not_school_age", _("Not yet of school age")
    UNKNOWN = "unknown", _("Unknown")


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    STEPPARENT = "stepparent", _("Step-parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    AUNT_UNCLE = "aunt_uncle", _("Aunt or uncle")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    FOSTER = "foster", _("Foster parent")
    LEGAL_GUARDIAN = "legal_guardian", _("Legal guardian (non-relative)")
    INSTITUTION = "institution", _("Institution or shelter")
    OTHER = "other", _("Other")


class CaregiverSafety(models.TextChoices):
    SAFE = "safe", _("Safe")
    UNSAFE = "unsafe", _("Not safe")
    UNKNOWN = "unknown", _("Not yet known")


class Source(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    POLICE = "police", _("Police")
    OUTREACH = "outreach", _("Outreach")
    SCHOOL = "school", _("School")
    FAMILY = "family", _("Family")
    SELF = "self", _("Self-referral (the child)")
    ONLINE = "online", _("Online report")
    MEMBER_ORGANISATION = "member_org", _("Other member organisation")
    OTHER = "other", _("Other")


class Concern(models.TextChoices):
    """Protection concerns (Luxembourg Terminology Guidelines, plus care concerns)."""

    PROSTITUTION = "prostitution", _("Exploitation of children in prostitution")
    TRAFFICKING = "trafficking", _("Trafficking of children for sexual purposes")
    SALE = "sale", _("Sale of children for sexual purposes")
    TRAVEL_TOURISM = "travel_tourism", _("Sexual exploitation of children in travel and tourism")
    MARRIAGE = "marriage", _("Child, early and forced marriage (exploitative)")
    ONLINE = "online", _("Online child sexual exploitation")
    ABUSE = "abuse", _("Child sexual abuse")
    NEGLECT = "neglect", _("Neglect")
    WITHOUT_CARE = "without_care", _("Without parental care")
    CHILD_LABOUR = "child_labour", _("Child labour")
    OTHER = "other", _("Other")


class LegalBasis(models.TextChoices):
    """UU 27/2022: children's data is specific personal data; processing needs the consent of a
    parent or guardian, or another legal basis (e.g. vital interest when the guardian is the
    suspect)."""

    GUARDIAN_CONSENT = "guardian_consent", _("Consent of parent or guardian")
    CHILD_ASSENT = "child_assent", _("Assent of the child (guardian unavailable or unsafe)")
    VITAL_INTEREST = "vital_interest", _("Vital interest of the child")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
    PUBLIC_TASK = "public_task", _("Task in the public interest (court or authority order)")

    @classmethod
    def without_consent(cls) -> frozenset[str]:
        """Bases that allow processing (and referral) without a consent being given."""
        return frozenset({cls.VITAL_INTEREST, cls.LEGAL_OBLIGATION, cls.PUBLIC_TASK})


class ConsentPurpose(models.TextChoices):
    SERVICES = "services", _("Case management and services")
    REFERRAL = "referral", _("Referral to service providers")
    SHARING = "sharing", _("Sharing with or transfer to network organisations")
    STATISTICS = "statistics", _("Anonymised statistics")


class ConsentGiver(models.TextChoices):
    GUARDIAN = "guardian", _("Parent or guardian")
    CHILD = "child", _("The child (assent)")
    OTHER = "other", _("Other authorised person")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ASSESSMENT = "assessment", _("Assessment")
    CASE_PLAN = "case_plan", _("Case plan")
    SERVICES = "services", _("Services")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.REGISTERED, Status.ASSESSMENT, Status.CASE_PLAN, Status.SERVICES, Status.FOLLOW_UP)


class Risk(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("Case plan goals met")
    TRANSFERRED = "transferred", _("Transferred to another organisation")
    MOVED_AWAY = "moved_away", _("Moved away")
    TURNED_18 = "turned_18", _("Turned 18, handed over to adult services")
    DECEASED = "deceased", _("Deceased")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    OTHER = "other", _("Other")


class Domain(models.TextChoices):
    SAFETY = "safety", _("Safety")
    HEALTH = "health", _("Health")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    LEGAL = "legal", _("Legal")
    EDUCATION = "education", _("Education")
    FAMILY = "family", _("Family and care")
    ECONOMIC = "economic", _("Economic")
    REINTEGRATION = "reintegration", _("Reintegration")


class ReviewStatus(models.TextChoices):
    """Assessments, case plans and closure requests go through supervisor approval."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned with comments")


class ServiceType(models.TextChoices):
    """Service-provider types (DOMAIN.md, "Services a case is referred to")."""

    UPTD_PPA = "uptd_ppa", _("UPTD PPA (women and child protection unit)")
    SAFE_HOUSE = "safe_house", _("Safe house / shelter (RPSA, RPTC, LPSK)")
    INTEGRATED_CENTRE = "integrated_centre", _("Integrated service centre (PPT/PKT, forensic)")
    SOCIAL_SERVICES = "social_services", _("Social services (Dinas Sosial, social workers)")
    LPSK = "lpsk", _("LPSK (witness and victim protection, restitution)")
    POLICE_PPA = "police_ppa", _("Police child unit (Unit PPA)")
    KPAI = "kpai", _("KPAI (oversight)")
    HEALTH = "health", _("Health")
    PSYCHOSOCIAL = "psychosocial", _("Psychological support")
    EDUCATION = "education", _("Education")
    LEGAL_AID = "legal_aid", _("Legal aid (LBH)")
    LIVELIHOOD = "livelihood", _("Livelihood")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent (within 24 hours)")
    HIGH = "high", _("High (within 3 days)")
    NORMAL = "normal", _("Normal")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class FollowUpType(models.TextChoices):
    HOME_VISIT = "home_visit", _("Home visit")
    CALL = "call", _("Phone call")
    SCHOOL_VISIT = "school_visit", _("School visit")
    COURT = "court", _("Court accompaniment")
    POLICE = "police", _("Police accompaniment")
    HEALTH_VISIT = "health_visit", _("Health visit accompaniment")
    OFFICE_MEETING = "office_meeting", _("Meeting at the office")
    OTHER = "other", _("Other")


class AttachmentKind(models.TextChoices):
    CONSENT_FORM = "consent_form", _("Consent form")
    DOCUMENT = "document", _("Document")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other")


class ShareKind(models.TextChoices):
    SHARE = "share", _("Share (time-limited access)")
    TRANSFER = "transfer", _("Transfer (the case moves)")


class ShareStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the sending supervisor")
    APPROVED = "approved", _("Awaiting the receiving organisation")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REJECTED = "rejected", _("Rejected by the sending supervisor")
    REVOKED = "revoked", _("Revoked")
    COMPLETED = "completed", _("Transfer completed")


# --- the child ----------------------------------------------------------------------------------


class Child(EncryptedRecord):
    """A child known to one organisation. Every identifying attribute is encrypted; name, NIK and
    birth date are searchable through blind indexes only."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    full_name = EncryptedTextField(_("full name"), max_chars=200)
    aliases = EncryptedTextField(_("aliases and nicknames"), max_chars=300, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    birth_date_is_estimated = models.BooleanField(_("birth date is estimated"), default=False)
    nik = EncryptedTextField(_("NIK (national identity number)"), max_chars=16, blank=True, validators=[nik_validator])
    other_ids = EncryptedJSONField(_("other ID numbers"), blank=True, null=True)  # [{"type", "number"}]
    nationality = models.CharField(_("nationality"), max_length=2, default="ID",
                                   help_text=_("Two-letter country code, e.g. ID."))
    ethnicity = EncryptedTextField(_("ethnicity"), max_chars=100, blank=True)
    language = EncryptedTextField(_("languages spoken"), max_chars=100, blank=True)
    has_disability = models.CharField(_("disability"), max_length=8, choices=YesNoUnknown.choices,
                                      default=YesNoUnknown.UNKNOWN)
    disability_details = EncryptedTextField(_("disability details"), max_chars=500, blank=True)
    province = models.ForeignKey(REGION, verbose_name=_("province"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    regency = models.ForeignKey(REGION, verbose_name=_("regency/city"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(REGION, verbose_name=_("district"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    street_address = EncryptedTextField(_("street address"), max_chars=300, blank=True)
    phone = EncryptedTextField(_("phone"), max_chars=40, blank=True)
    school_status = models.CharField(_("school status"), max_length=16, choices=SchoolStatus.choices,
                                     default=SchoolStatus.UNKNOWN)
    photo = models.ForeignKey("cases.Attachment", verbose_name=_("photo"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Blind indexes (per organisation unless `network=True`). 16 bits: a search returns a few
    # candidates that are decrypted and compared, so collisions never show as matches.
    name_index = BlindIndexField(sources=["full_name"], transform="lindungi.crypto.normalise.name", bits=16)
    nik_index = BlindIndexField(sources=["nik"], transform="lindungi.crypto.normalise.digits", bits=16)
    birth_date_index = BlindIndexField(sources=["birth_date"], transform="lindungi.cases.normalise.date", bits=16)
    name_year_index = BlindIndexField(sources=["full_name", "birth_date"],
                                      transform="lindungi.crypto.normalise.name_and_birth_year", bits=16)
    # Network-wide (network key, deliberate and documented in docs/security.md): duplicate
    # detection across member organisations and de-duplicated network statistics. 32 bits so
    # that a match across a million children is almost always the same child.
    network_name_year_index = BlindIndexField(sources=["full_name", "birth_date"],
                                              transform="lindungi.crypto.normalise.name_and_birth_year",
                                              bits=32, network=True)
    network_nik_index = BlindIndexField(sources=["nik"], transform="lindungi.crypto.normalise.digits",
                                        bits=32, network=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        indexes = [
            # Search by name within an organisation (blind_search filters organisation + digest).
            models.Index(fields=["organisation", "name_index"], name="child_org_name_idx"),
            # Search by NIK within an organisation.
            models.Index(fields=["organisation", "nik_index"], name="child_org_nik_idx"),
            # Search by birth date within an organisation.
            models.Index(fields=["organisation", "birth_date_index"], name="child_org_birth_idx"),
            # Duplicate check at registration: same normalised name and birth year.
            models.Index(fields=["organisation", "name_year_index"], name="child_org_nameyear_idx"),
            # Network duplicate check and de-duplicated statistics.
            models.Index(fields=["network_name_year_index"], name="child_net_nameyear_idx"),
            models.Index(fields=["network_nik_index"], name="child_net_nik_idx"),
        ]

    def __str__(self):
        return str(_("Child %(id)s") % {"id": str(self.pk)[:8]})

    def age_on(self, day: datetime.date) -> int | None:
        if not self.birth_date:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @classmethod
    def policy_q(cls, user, scope):
        # A child is visible through its cases.
        visible = Case.policy_q(user, scope)
        if visible is None:
            return None
        return Q(Exists(Case.objects.filter(visible, child_id=OuterRef("pk"))))


class Caregiver(EncryptedRecord):
    """A caregiver or guardian. A guardian can be the suspected perpetrator: `safety` and
    `is_suspected_perpetrator` say so, and then their consent is not a valid legal basis."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="caregivers")
    full_name = EncryptedTextField(_("name"), max_chars=200)
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    contact = EncryptedTextField(_("contact (phone, address)"), max_chars=300, blank=True)
    is_legal_guardian = models.BooleanField(_("legal guardian"), default=False)
    lives_with_child = models.BooleanField(_("lives with the child"), default=False)
    safety = models.CharField(_("safe for the child"), max_length=8, choices=CaregiverSafety.choices,
                              default=CaregiverSafety.UNKNOWN)
    is_suspected_perpetrator = models.BooleanField(_("suspected perpetrator"), default=False)
    notes = EncryptedTextField(_("notes"), max_chars=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("caregiver")
        verbose_name_plural = _("caregivers")

    def __str__(self):
        return self.get_relationship_display()


# --- the case -----------------------------------------------------------------------------------


class CaseNumberCounter(models.Model):
    """The last case number given per organisation and year. Numbers are taken under
    `select_for_update` on this row, so two registrations at the same moment never get the same
    number (and the unique constraint on Case would catch it if they did)."""

    organisation = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="+")
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
        return self.select_related("child", "assigned_caseworker", "supervisor", "province", "regency")


class Case(EncryptedRecord):
    organisation = models.ForeignKey(ORG, verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="+")
    number = models.CharField(_("case number"), max_length=32, editable=False)
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

    assigned_caseworker = models.ForeignKey(USER, verbose_name=_("assigned caseworker"), null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey(USER, verbose_name=_("supervisor"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    status_changed_on = models.DateField(_("status changed on"), default=timezone.localdate)
    closure_reason = models.CharField(_("closure reason"), max_length=16, choices=ClosureReason.choices, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)
    # The next follow-up date promised in the last follow-up (tasks: follow-up overdue).
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)

    # Plain, coarse, for lists and statistics (never decrypt a birth date to count): copied from
    # the child at registration and when the child's address changes.
    province = models.ForeignKey(REGION, verbose_name=_("province"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    regency = models.ForeignKey(REGION, verbose_name=_("regency/city"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    age_years = models.PositiveSmallIntegerField(_("age at registration (years)"), null=True, blank=True)
    age_is_estimated = models.BooleanField(default=False)

    # Transfers: the receiving organisation's case (for the sending organisation's stub) and back.
    transferred_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", editable=False)
    transferred_from_number = models.CharField(max_length=32, blank=True, editable=False)

    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-registered_on", "-number"]
        constraints = [
            # Also the index for case-number search (exact or prefix) within an organisation.
            models.UniqueConstraint(fields=["organisation", "number"], name="case_unique_number_per_org"),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(closure_reason=""), name="case_closed_has_reason",
            ),
        ]
        indexes = [
            # Supervisor's list: organisation, filtered by status, newest first.
            models.Index(fields=["organisation", "status", "-registered_on"], name="case_org_status_reg_idx"),
            # Supervisor's list: default order (newest registration first) and date-range filter.
            models.Index(fields=["organisation", "-registered_on"], name="case_org_reg_idx"),
            # Caseworker's list ("my cases") and the tasks engine, by status.
            models.Index(fields=["assigned_caseworker", "status"], name="case_worker_status_idx"),
            # Filter by risk (high-risk first on dashboards).
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
        if scope == Scope.ASSIGNED:
            team = CaseTeamMember.objects.filter(case_id=OuterRef("pk"), user_id=user.pk, removed_at__isnull=True)
            return Q(assigned_caseworker_id=user.pk) | Q(Exists(team))
        if scope == Scope.ORGANISATION:
            return Q(organisation_id=user.organisation_id)
        if scope == Scope.SHARED:
            return Q(Exists(CaseShare.objects.active().filter(case_id=OuterRef("pk"),
                                                              to_organisation_id=user.organisation_id)))
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

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=32)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    legal_case_id = models.CharField(max_length=64, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # ASSIGNED scope: "cases where I am an active team member" (EXISTS per case).
            models.Index(fields=["user", "case"], name="case_team_user_case_idx", condition=Q(removed_at__isnull=True)),
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

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=12, choices=ConsentPurpose.choices)
    given_on = models.DateField(_("given on"))
    given_by_kind = models.CharField(_("given by"), max_length=10, choices=ConsentGiver.choices)
    given_by_name = EncryptedTextField(_("name of the person who gave it"), max_chars=200)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT,
                                              related_name="+")
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


# --- assessment, case plan, approvals -----------------------------------------------------------


class Assessment(EncryptedRecord):
    """Needs and a score (0 = no concern … 3 = severe) per domain. Scores are plain (statistics
    of needs); the needs text is encrypted."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial assessment")
        REVIEW = "review", _("Review")
        CLOSURE = "closure", _("Closure assessment")

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.INITIAL)
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)
    scores = models.JSONField(_("scores"), default=dict)  # {domain: 0..3}
    needs = EncryptedJSONField(_("needs"), null=True, blank=True)  # {domain: text}
    summary = EncryptedTextField(_("summary"), max_chars=5000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-assessed_on", "-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return self.get_kind_display()


class CasePlan(EncryptedRecord):
    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    summary = EncryptedTextField(_("summary"), max_chars=5000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case plan")
        verbose_name_plural = _("case plans")

    def __str__(self):
        return str(_("Case plan"))


class CasePlanGoal(EncryptedRecord):
    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(CasePlan, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("domain"), max_length=16, choices=Domain.choices)
    description = EncryptedTextField(_("goal"), max_chars=1000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.get_domain_display()


class CasePlanAction(EncryptedRecord):
    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    goal = models.ForeignKey(CasePlanGoal, on_delete=models.CASCADE, related_name="actions")
    description = EncryptedTextField(_("action"), max_chars=1000)
    responsible = EncryptedTextField(_("responsible"), max_chars=200)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.get_status_display()


class Approval(EncryptedRecord):
    """A request for supervisor approval of an assessment, a case plan or a closure, and the
    decision (approve, or return with comments)."""

    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("Assessment")
        CASE_PLAN = "case_plan", _("Case plan")
        CLOSURE = "closure", _("Closure")

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(CasePlan, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    closure_reason = models.CharField(_("closure reason"), max_length=16, choices=ClosureReason.choices, blank=True)
    closure_notes = EncryptedTextField(_("closure notes"), max_chars=2000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    comments = EncryptedTextField(_("comments"), max_chars=2000, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            # Supervisor's tasks: pending approvals of the organisation.
            models.Index(fields=["organisation", "status"], name="approval_org_status_idx"),
        ]
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
                                     related_name="+")
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=ServiceType.choices)
    province = models.ForeignKey(REGION, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    regency = models.ForeignKey(REGION, verbose_name=_("regency/city"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
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
    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    service_type = models.CharField(_("service"), max_length=20, choices=ServiceType.choices)
    provider = models.ForeignKey(ServiceProvider, verbose_name=_("provider"), on_delete=models.PROTECT,
                                 related_name="referrals")
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    # What allowed the referral when it was sent: "consent" or a LegalBasis code.
    basis = models.CharField(max_length=20, editable=False)
    reason = EncryptedTextField(_("reason and information given"), max_chars=2000, blank=True)
    sent_on = models.DateField(_("sent on"), default=timezone.localdate)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    outcome = EncryptedTextField(_("outcome"), max_chars=2000, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            # Tasks: referrals without response (status=sent, sent_on older than N days).
            models.Index(fields=["organisation", "status", "sent_on"], name="referral_org_status_sent_idx"),
        ]

    def __str__(self):
        return self.get_service_type_display()


class ServiceRecord(EncryptedRecord):
    """A service the organisation gave itself (counselling, accompaniment, ...)."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    service_type = models.CharField(_("service"), max_length=20, choices=ServiceType.choices)
    provided_on = models.DateField(_("date"), default=timezone.localdate)
    provided_by = models.ForeignKey(USER, verbose_name=_("provided by"), on_delete=models.PROTECT, related_name="+")
    notes = EncryptedTextField(_("notes"), max_chars=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-provided_on", "-created_at"]

    def __str__(self):
        return self.get_service_type_display()


class FollowUp(EncryptedRecord):
    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField(_("date"), default=timezone.localdate)
    type = models.CharField(_("type"), max_length=16, choices=FollowUpType.choices)
    done_by = models.ForeignKey(USER, verbose_name=_("done by"), on_delete=models.PROTECT, related_name="+")
    notes = EncryptedTextField(_("notes"), max_chars=5000, blank=True)
    next_date = models.DateField(_("next follow-up"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]

    def __str__(self):
        return self.get_type_display()


# --- attachments, sharing, timeline -------------------------------------------------------------


class Attachment(EncryptedRecord):
    """An encrypted file: the bytes are sealed with `crypto.cipher.encrypt_blob` under the
    organisation's key (bound to this row), stored under a server-generated name; the content type
    is detected from the bytes, never taken from the upload."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)
    title = EncryptedTextField(_("title"), max_chars=200)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False)
    storage_name = models.CharField(max_length=200, editable=False, unique=True)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.get_kind_display()

    @property
    def blob_context(self) -> str:
        return f"cases.attachment|{self.pk}"


class CaseShareQuerySet(models.QuerySet):
    def active(self):
        """Shares that give access now: accepted (or, for a transfer, approved and awaiting the
        receiving organisation, which must see the case to decide), not revoked, not expired."""
        now = timezone.now()
        return self.filter(
            Q(kind=ShareKind.SHARE, status=ShareStatus.ACCEPTED)
            | Q(kind=ShareKind.TRANSFER, status=ShareStatus.APPROVED),
            revoked_at__isnull=True,
        ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class CaseShare(EncryptedRecord):
    """A share (time-limited read access) or a transfer of a case to another member organisation.

    Request (caseworker or supervisor) → approval by the sending supervisor, re-authenticated →
    acceptance by the receiving organisation. Needs the data-sharing consent."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")  # the sender
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    to_organisation = models.ForeignKey(ORG, verbose_name=_("to organisation"), on_delete=models.PROTECT,
                                        related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=ShareKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ShareStatus.choices, default=ShareStatus.REQUESTED)
    reason = EncryptedTextField(_("reason"), max_chars=2000)
    expires_at = models.DateTimeField(_("access until"), null=True, blank=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    comments = EncryptedTextField(_("comments"), max_chars=2000, blank=True)
    # For a completed transfer: the case number the receiving organisation gave.
    new_case_number = models.CharField(max_length=32, blank=True)

    objects = CaseShareQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            # SHARED scope: EXISTS(active share of this case with my organisation).
            models.Index(fields=["case", "to_organisation", "status"], name="share_case_to_status_idx"),
            # Receiving supervisor's inbox: shares/transfers to my organisation by status.
            models.Index(fields=["to_organisation", "status"], name="share_to_status_idx"),
            # Sending supervisor's inbox: requests awaiting approval.
            models.Index(fields=["organisation", "status"], name="share_from_status_idx"),
        ]

    def __str__(self):
        return self.get_kind_display()

    @property
    def is_active(self) -> bool:
        return CaseShare.objects.active().filter(pk=self.pk).exists()

    @classmethod
    def policy_q(cls, user, scope):
        # Both ends see the share itself: the sender (organisation) and the receiver.
        if scope == Scope.ORGANISATION:
            return Q(organisation_id=user.organisation_id) | Q(to_organisation_id=user.organisation_id)
        if scope == Scope.ASSIGNED:
            return Q(case__assigned_caseworker_id=user.pk)
        return None


class CaseEvent(EncryptedRecord):
    """The case's timeline: what happened, when, by whom. `data` holds codes and ids only (the
    page renders a translated sentence per kind); free text that goes with an event (the reason
    for re-opening, a supervisor's comments) is in the encrypted `note`."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    note = EncryptedTextField(max_chars=2000, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # The case page's timeline: one case, newest first.
            models.Index(fields=["case", "-at"], name="case_event_case_at_idx"),
        ]

    def __str__(self):
        return self.kind
