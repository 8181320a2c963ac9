"""The child and their caregivers."""

from __future__ import annotations

import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from lindungi.cases.models.choices import CaregiverSafety, Relationship, SchoolStatus, Sex, YesNoUnknown
from lindungi.cases.models.common import ORG, REGION
from lindungi.crypto.fields import BlindIndexField, EncryptedDateField, EncryptedJSONField, EncryptedTextField
from lindungi.crypto.models import EncryptedRecord

nik_validator = RegexValidator(r"^\d{16}$", _("A NIK has exactly 16 digits."), code="invalid_nik")


class Child(EncryptedRecord):
    """A child known to one organisation. Every identifying attribute is encrypted; name, NIK and
    birth date are searchable through blind indexes only."""

    # No index of its own: served by the child_org_* indexes.
    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
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
                                 on_delete=models.PROTECT, related_name="+", db_index=False)
    regency = models.ForeignKey(REGION, verbose_name=_("regency/city"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+", db_index=False)
    district = models.ForeignKey(REGION, verbose_name=_("district"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", db_index=False)
    street_address = EncryptedTextField(_("street address"), max_chars=300, blank=True)
    phone = EncryptedTextField(_("phone"), max_chars=40, blank=True)
    school_status = models.CharField(_("school status"), max_length=16, choices=SchoolStatus.choices,
                                     default=SchoolStatus.UNKNOWN)
    photo = models.ForeignKey("cases.Attachment", verbose_name=_("photo"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+", db_index=False)
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
            # The network duplicate check at registration (cases.duplicates).
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
        from lindungi.cases.models.case import Case

        visible = Case.policy_q(user, scope)
        if visible is None:
            return None
        return Q(Exists(Case.objects.filter(visible, child_id=OuterRef("pk"))))


class Caregiver(EncryptedRecord):
    """A caregiver or guardian. A guardian can be the suspected perpetrator: `safety` and
    `is_suspected_perpetrator` say so, and then their consent is not a valid legal basis."""

    organisation = models.ForeignKey(ORG, on_delete=models.PROTECT, related_name="+", db_index=False)
    # Its own index serves a child's caregivers (case page, transfers).
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
