"""Activities and events: what was done, where, with whom, and what came out of it."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lindungi.core.policy import Scope
from lindungi.crypto.fields import EncryptedTextField
from lindungi.crypto.models import EncryptedRecord
from lindungi.programs.models.programs import Program, Result, _prefixed
from lindungi.programs.models.reference import (
    EVERYTHING,
    ActivityType,
    AgeGroup,
    Country,
    Partner,
    StakeholderGroup,
)


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Not recorded")


class Activity(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        COMPLETED = "completed", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    program = models.ForeignKey(Program, verbose_name=_("program"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="activities")
    # The organisation that records (and usually organises) the activity: its officers edit it,
    # and attendance lists belong to it.
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                     related_name="+")
    type = models.ForeignKey(ActivityType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="activities")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.COMPLETED)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    province = models.ForeignKey("geo.Region", verbose_name=_("province"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "province"})
    regency = models.ForeignKey("geo.Region", verbose_name=_("regency/city"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "regency"})
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    is_online = models.BooleanField(_("online"), default=False)
    results = models.ManyToManyField(Result, verbose_name=_("contributes to results"), blank=True,
                                     related_name="activities")
    organisers = models.ManyToManyField(Partner, verbose_name=_("organisers"), blank=True,
                                        related_name="organised_activities")
    partners = models.ManyToManyField(Partner, verbose_name=_("partners"), blank=True, related_name="partner_activities")
    # Knowledge tests of trainings, as averages over the participants tested.
    test_max_score = models.DecimalField(_("maximum test score"), max_digits=6, decimal_places=2, default=Decimal(100),
                                         validators=[MinValueValidator(Decimal("0.01"))])
    pretest_average = models.DecimalField(_("pre-test average"), max_digits=6, decimal_places=2, null=True, blank=True,
                                          validators=[MinValueValidator(0)])
    posttest_average = models.DecimalField(_("post-test average"), max_digits=6, decimal_places=2, null=True,
                                           blank=True, validators=[MinValueValidator(0)])
    tested_count = models.PositiveIntegerField(_("participants tested"), null=True, blank=True)
    results_narrative = models.TextField(_("results"), blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="activity_period_ordered"),
        ]
        indexes = [
            # Activities of a program over time (program page, indicator rules per period).
            models.Index(fields=["program", "start_date"], name="activity_program_start"),
            # An organisation's upcoming activities (home page).
            models.Index(fields=["organisation", "start_date"], name="activity_org_start"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_event(self) -> bool:
        return self.type.is_event

    @property
    def knowledge_gain(self) -> Decimal | None:
        """Post-test minus pre-test average, in percentage points of the maximum score."""
        if self.pretest_average is None or self.posttest_average is None or not self.test_max_score:
            return None
        return ((self.posttest_average - self.pretest_average) * 100 / self.test_max_score).quantize(Decimal("0.1"))

    @property
    def location_label(self) -> str:
        parts = [p for p in (self.venue, self.regency and self.regency.name, self.province and self.province.name) if p]
        if self.is_online:
            parts.insert(0, str(_("Online")))
        return ", ".join(parts)

    @classmethod
    def policy_q(cls, user, scope):
        if scope == Scope.ORGANISATION:
            # The recording organisation, and the lead organisation of the activity's program.
            return Q(organisation_id=user.organisation_id) | Q(program__lead_organisation_id=user.organisation_id)
        if scope == Scope.NETWORK:
            return EVERYTHING
        return None


class ActivityPart(models.Model):
    """Base for the non-personal parts of an activity: scoped through the activity."""

    class Meta:
        abstract = True

    @classmethod
    def policy_q(cls, user, scope):
        q = Activity.policy_q(user, scope)
        return None if q is None else _prefixed(q, "activity")


class ParticipantCount(ActivityPart):
    """How many participants of one sex, age group and stakeholder group took part."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participant_counts")
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    age_group = models.ForeignKey(AgeGroup, verbose_name=_("age group"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    stakeholder_group = models.ForeignKey(StakeholderGroup, verbose_name=_("stakeholder group"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["activity", "stakeholder_group__order", "sex", "age_group__order"]
        verbose_name = _("participants")
        constraints = [
            # Cells with a missing age or group are kept unique by participants_set (NULLS NOT
            # DISTINCT is PostgreSQL-only; SQLite would warn on every command).
            models.UniqueConstraint(fields=["activity", "sex", "age_group", "stakeholder_group"],
                                    name="participantcount_unique_cell"),
        ]

    def __str__(self):
        return f"{self.count} ({self.sex}, {self.age_group_id}, {self.stakeholder_group_id})"


class ActivityCountry(ActivityPart):
    """Participants per country represented (conferences, regional meetings)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="countries")
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+")
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)

    class Meta:
        ordering = ["activity", "country__name_en"]
        verbose_name = _("country represented")
        constraints = [models.UniqueConstraint(fields=["activity", "country"], name="activitycountry_unique")]

    def __str__(self):
        return f"{self.country_id}: {self.participants or ''}"


class EventSession(ActivityPart):
    """One session of an event's agenda."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("session"), max_length=300)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    room = models.CharField(_("room"), max_length=100, blank=True)

    class Meta:
        ordering = ["activity", "starts_at", "pk"]
        verbose_name = _("session")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                                   name="session_period_ordered"),
        ]

    def __str__(self):
        return self.title


class Speaker(ActivityPart):
    """A speaker or resource person, in their public role (never exported to IATI)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="speakers")
    session = models.ForeignKey(EventSession, verbose_name=_("session"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="speakers")
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("institution and role"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    country = models.ForeignKey(Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    topic = models.CharField(_("topic"), max_length=300, blank=True)

    class Meta:
        ordering = ["activity", "session__starts_at", "name"]
        verbose_name = _("speaker")

    def __str__(self):
        return self.name


class ActivityOutput(ActivityPart):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document or report")
        PUBLICATION = "publication", _("Publication (leaflet, factsheet, booklet)")
        RECOMMENDATION = "recommendation", _("Recommendations or policy paper")
        MEDIA_ARTICLE = "media_article", _("Media coverage")
        RADIO = "radio", _("Radio broadcast")
        TV = "tv", _("Television broadcast")
        ONLINE = "online", _("Online piece or social media")
        VIDEO = "video", _("Film or video")
        OTHER = "other", _("Other")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    reach = models.PositiveIntegerField(_("reach"), null=True, blank=True,
                                        help_text=_("Listeners, viewers, readers or copies distributed."))
    url = models.URLField(_("link"), blank=True)
    published_on = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        ordering = ["activity", "kind", "title"]
        verbose_name = _("output")

    def __str__(self):
        return self.title


class ActivityFile(EncryptedRecord):
    """A photo or document of an activity. Photos may show people: stored encrypted under the
    recording organisation's key, with a server-generated file name."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    ALLOWED_TYPES = {
        "image/jpeg": "photo", "image/png": "photo", "application/pdf": "document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "document",
    }

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    caption = EncryptedTextField(_("caption"), max_chars=300, blank=True)
    original_name = EncryptedTextField(max_chars=255, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    blob = models.FileField(upload_to="programs/activity-files/", max_length=200)
    uploaded_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["activity", "uploaded_at"]
        verbose_name = _("photo or document")

    @property
    def blob_context(self) -> str:
        return f"programs.activityfile|{self.pk}"

    @classmethod
    def rotate_encrypted_blobs(cls, **rotation):
        from lindungi.crypto.rotation import reencrypt_files

        return reencrypt_files(cls, name_field="blob", **rotation)

    @classmethod
    def policy_q(cls, user, scope):
        # Photos may show people: they stay with the organisations that hold the activity (the one
        # that recorded it and the program's lead), never network-wide.
        if scope != Scope.ORGANISATION:
            return None
        return _prefixed(Activity.policy_q(user, scope), "activity")


class PersonalPart(EncryptedRecord):
    """Names and contacts of people: encrypted, and visible only inside the recording organisation
    (`programs.attendance.view`)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    name = EncryptedTextField(_("name"), max_chars=200)
    contact = EncryptedTextField(_("phone or email"), max_chars=200, blank=True)
    institution = EncryptedTextField(_("institution"), max_chars=200, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    stakeholder_group = models.ForeignKey(StakeholderGroup, verbose_name=_("stakeholder group"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @classmethod
    def policy_q(cls, user, scope):
        return Q(organisation_id=user.organisation_id) if scope == Scope.ORGANISATION else None


class AttendanceRecord(PersonalPart):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    age_group = models.ForeignKey(AgeGroup, verbose_name=_("age group"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["activity", "created_at"]
        verbose_name = _("attendance record")


class EventRegistration(PersonalPart):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        CONFIRMED = "confirmed", _("Confirmed")
        ATTENDED = "attended", _("Attended")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    country = models.ForeignKey(Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REGISTERED)

    class Meta:
        ordering = ["activity", "created_at"]
        verbose_name = _("registration")


__all__ = [
    "Activity", "ActivityCountry", "ActivityFile", "ActivityOutput", "AttendanceRecord", "EventRegistration",
    "EventSession", "ParticipantCount", "Sex", "Speaker",
]
