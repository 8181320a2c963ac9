"""Choices of the cases app (plain columns: statistics and lists need them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
