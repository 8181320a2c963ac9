"""API shapes. Output serializers decide what leaves the server; input serializers only parse —
the services validate the domain rules."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lindungi.accounts.models import Organisation, User
from lindungi.cases import models as m
from lindungi.geo.models import Region

REGION = serializers.SlugRelatedField


def region_field(level: str, **kwargs):
    return serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.filter(level=level), required=False,
                                        allow_null=True, **kwargs)


class UserRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "full_name"]


# --- output -------------------------------------------------------------------------------------


class CaseListSerializer(serializers.ModelSerializer):
    """One row of the list: the child's name is decrypted for the rows of the page only."""

    child_name = serializers.SerializerMethodField()
    assigned_caseworker = UserRefSerializer(read_only=True)
    province = serializers.CharField(source="province_id", allow_null=True)
    regency = serializers.CharField(source="regency_id", allow_null=True)
    age_group = serializers.CharField()
    shared = serializers.SerializerMethodField()

    class Meta:
        model = m.Case
        fields = ["id", "number", "child_name", "registered_on", "status", "risk_level", "sex", "age_years",
                  "age_group", "province", "regency", "assigned_caseworker", "closure_reason", "shared"]

    def get_child_name(self, case) -> str | None:
        return case.child.full_name if case.child_id else None

    def get_shared(self, case) -> bool:
        return case.organisation_id != self.context["request"].user.organisation_id


class CaseListRowSerializer(CaseListSerializer):
    """The same JSON from `selectors.CaseApiRow`s, read from plain values with the name already
    decrypted (the API list's pages). CaseListSerializer stays the documented shape."""

    def get_child_name(self, row) -> str | None:
        return row.child_name


class ChildSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province_id", allow_null=True)
    regency = serializers.CharField(source="regency_id", allow_null=True)
    district = serializers.CharField(source="district_id", allow_null=True)

    class Meta:
        model = m.Child
        fields = ["id", "full_name", "aliases", "sex", "birth_date", "birth_date_is_estimated", "nik", "other_ids",
                  "nationality", "ethnicity", "language", "has_disability", "disability_details", "province",
                  "regency", "district", "street_address", "phone", "school_status", "photo"]


class CaregiverSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Caregiver
        fields = ["id", "full_name", "relationship", "contact", "is_legal_guardian", "lives_with_child", "safety",
                  "is_suspected_perpetrator", "notes"]


class ConsentSerializer(serializers.ModelSerializer):
    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = m.Consent
        fields = ["id", "purpose", "given_on", "given_by_kind", "given_by_name", "recorded_by", "recorded_at",
                  "withdrawn_on", "withdrawal_notes", "is_active"]


class CaseDetailSerializer(serializers.ModelSerializer):
    child = ChildSerializer(read_only=True)
    assigned_caseworker = UserRefSerializer(read_only=True)
    supervisor = UserRefSerializer(read_only=True)
    organisation = serializers.CharField(source="organisation.code")
    age_group = serializers.CharField()
    consents = serializers.SerializerMethodField()

    class Meta:
        model = m.Case
        fields = ["id", "number", "organisation", "child", "registered_on", "source", "source_details", "concerns",
                  "narrative", "legal_basis", "legal_basis_notes", "services_consent", "referral_consent",
                  "sharing_consent", "statistics_consent", "consents", "risk_level", "risk_reason", "risk_assessed_on",
                  "assigned_caseworker", "supervisor", "status", "status_changed_on", "closure_reason", "closed_on",
                  "reopened_count", "next_follow_up_on", "province", "regency", "sex", "age_years", "age_is_estimated",
                  "age_group", "transferred_from_number"]

    def get_consents(self, case) -> list:
        return ConsentSerializer(case.consents.select_related("recorded_by"), many=True).data


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Assessment
        fields = ["id", "kind", "assessed_on", "scores", "needs", "summary", "status", "created_at"]


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.CasePlanAction
        fields = ["id", "description", "responsible", "due_on", "status"]


class GoalSerializer(serializers.ModelSerializer):
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = m.CasePlanGoal
        fields = ["id", "domain", "description", "actions"]


class PlanSerializer(serializers.ModelSerializer):
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = m.CasePlan
        fields = ["id", "summary", "status", "goals", "created_at"]


class ApprovalSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case_id")
    case_number = serializers.CharField(source="case.number")
    requested_by = UserRefSerializer(read_only=True)
    decided_by = UserRefSerializer(read_only=True)

    class Meta:
        model = m.Approval
        fields = ["id", "case", "case_number", "kind", "assessment", "plan", "closure_reason", "closure_notes",
                  "status", "requested_by", "requested_at", "decided_by", "decided_at", "comments"]


class ProviderSerializer(serializers.ModelSerializer):
    province = region_field("province")
    regency = region_field("regency")

    class Meta:
        model = m.ServiceProvider
        fields = ["id", "name", "type", "province", "regency", "address", "phone", "email", "contact_person",
                  "accepts_referrals", "notes", "is_active", "organisation"]
        read_only_fields = ["organisation"]


class ReferralSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True)

    class Meta:
        model = m.Referral
        fields = ["id", "service_type", "provider", "provider_name", "urgency", "status", "basis", "reason", "sent_on",
                  "responded_on", "completed_on", "outcome"]


class ServiceRecordSerializer(serializers.ModelSerializer):
    provided_by = UserRefSerializer(read_only=True)

    class Meta:
        model = m.ServiceRecord
        fields = ["id", "service_type", "provided_on", "provided_by", "notes"]


class FollowUpSerializer(serializers.ModelSerializer):
    done_by = UserRefSerializer(read_only=True)

    class Meta:
        model = m.FollowUp
        fields = ["id", "date", "type", "done_by", "notes", "next_date"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = m.Attachment
        fields = ["id", "kind", "title", "content_type", "size", "uploaded_at"]


class ShareSerializer(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case_id")
    case_number = serializers.CharField(source="case.number")
    organisation = serializers.CharField(source="organisation.code")
    to_organisation = serializers.CharField(source="to_organisation.code")
    reason = serializers.SerializerMethodField()

    class Meta:
        model = m.CaseShare
        fields = ["id", "case", "case_number", "organisation", "to_organisation", "kind", "status", "reason",
                  "expires_at", "requested_at", "approved_at", "answered_at", "revoked_at", "new_case_number"]

    def get_reason(self, share) -> str | None:
        # The reason is the sending organisation's note (encrypted under its key): only it reads it.
        user = self.context["request"].user
        return share.reason if share.organisation_id == user.organisation_id else None


class EventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    text = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    actor = serializers.CharField(source="actor.full_name", allow_null=True, default=None)


# --- input --------------------------------------------------------------------------------------


class ChildInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=200)
    aliases = serializers.CharField(max_length=300, required=False, allow_blank=True)
    sex = serializers.ChoiceField(m.Sex.choices, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    birth_date_is_estimated = serializers.BooleanField(required=False)
    estimated_age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=25)
    nik = serializers.CharField(max_length=20, required=False, allow_blank=True)
    other_ids = serializers.ListField(child=serializers.DictField(child=serializers.CharField(max_length=60)),
                                      required=False, max_length=10)
    nationality = serializers.CharField(max_length=2, required=False)
    ethnicity = serializers.CharField(max_length=100, required=False, allow_blank=True)
    language = serializers.CharField(max_length=100, required=False, allow_blank=True)
    has_disability = serializers.ChoiceField(m.YesNoUnknown.choices, required=False)
    disability_details = serializers.CharField(max_length=500, required=False, allow_blank=True)
    province = region_field("province")
    regency = region_field("regency")
    district = region_field("district")
    street_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    school_status = serializers.ChoiceField(m.SchoolStatus.choices, required=False)


class ChildUpdateInput(ChildInput):
    full_name = serializers.CharField(max_length=200, required=False)


class CaseInput(serializers.Serializer):
    registered_on = serializers.DateField(required=False)
    source = serializers.ChoiceField(m.Source.choices)
    source_details = serializers.CharField(max_length=300, required=False, allow_blank=True)
    concerns = serializers.ListField(child=serializers.ChoiceField(m.Concern.choices), required=False)
    narrative = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    legal_basis = serializers.ChoiceField(m.LegalBasis.choices)
    legal_basis_notes = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class CaseUpdateInput(CaseInput):
    source = serializers.ChoiceField(m.Source.choices, required=False)
    legal_basis = serializers.ChoiceField(m.LegalBasis.choices, required=False)


class CaregiverInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=200)
    relationship = serializers.ChoiceField(m.Relationship.choices)
    contact = serializers.CharField(max_length=300, required=False, allow_blank=True)
    is_legal_guardian = serializers.BooleanField(required=False)
    lives_with_child = serializers.BooleanField(required=False)
    safety = serializers.ChoiceField(m.CaregiverSafety.choices, required=False)
    is_suspected_perpetrator = serializers.BooleanField(required=False)
    notes = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class CaregiverUpdateInput(CaregiverInput):
    full_name = serializers.CharField(max_length=200, required=False)
    relationship = serializers.ChoiceField(m.Relationship.choices, required=False)


class ConsentInput(serializers.Serializer):
    purpose = serializers.ChoiceField(m.ConsentPurpose.choices)
    given_on = serializers.DateField(required=False)
    given_by_kind = serializers.ChoiceField(m.ConsentGiver.choices)
    given_by_name = serializers.CharField(max_length=200)


@extend_schema_field(OpenApiTypes.INT)
class StaffField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return User.objects.filter(organisation_id=self.context["request"].user.organisation_id, is_active=True)


class RegistrationInput(serializers.Serializer):
    child = ChildInput()
    case = CaseInput()
    caregivers = CaregiverInput(many=True, required=False)
    consents = ConsentInput(many=True, required=False)
    assigned_caseworker = StaffField(required=False, allow_null=True)
    supervisor = StaffField(required=False, allow_null=True)
    risk_level = serializers.ChoiceField(m.Risk.choices, required=False, default=m.Risk.MEDIUM)
    risk_reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    confirm_duplicate = serializers.BooleanField(required=False, default=False)


class DuplicateCheckInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    nik = serializers.CharField(max_length=20, required=False, allow_blank=True)


class RiskInput(serializers.Serializer):
    level = serializers.ChoiceField(m.Risk.choices)
    reason = serializers.CharField(max_length=1000)


class AssignInput(serializers.Serializer):
    caseworker = StaffField(allow_null=True)
    supervisor = StaffField(allow_null=True)


class TransitionInput(serializers.Serializer):
    status = serializers.ChoiceField(m.Status.choices)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class WithdrawInput(serializers.Serializer):
    withdrawn_on = serializers.DateField(required=False)
    notes = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class AssessmentInput(serializers.Serializer):
    kind = serializers.ChoiceField(m.Assessment.Kind.choices, default=m.Assessment.Kind.INITIAL)
    assessed_on = serializers.DateField(required=False)
    scores = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=3))
    needs = serializers.DictField(child=serializers.CharField(max_length=2000, allow_blank=True), required=False)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    submit = serializers.BooleanField(required=False, default=False)


class ActionInput(serializers.Serializer):
    description = serializers.CharField(max_length=1000)
    responsible = serializers.CharField(max_length=200)
    due_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(m.ActionStatus.choices, default=m.ActionStatus.PLANNED)


class GoalInput(serializers.Serializer):
    domain = serializers.ChoiceField(m.Domain.choices)
    description = serializers.CharField(max_length=1000)
    actions = ActionInput(many=True)


class PlanInput(serializers.Serializer):
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    goals = GoalInput(many=True)
    submit = serializers.BooleanField(required=False, default=False)


class ActionStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(m.ActionStatus.choices)


class DecisionInput(serializers.Serializer):
    approve = serializers.BooleanField()
    comments = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ClosureInput(serializers.Serializer):
    reason = serializers.ChoiceField(m.ClosureReason.choices)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReferralInput(serializers.Serializer):
    service_type = serializers.ChoiceField(m.ServiceType.choices)
    provider = serializers.PrimaryKeyRelatedField(queryset=m.ServiceProvider.objects.all())
    urgency = serializers.ChoiceField(m.Urgency.choices, default=m.Urgency.NORMAL)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    sent_on = serializers.DateField(required=False)


class ReferralUpdateInput(serializers.Serializer):
    status = serializers.ChoiceField(m.ReferralStatus.choices)
    date = serializers.DateField(required=False)
    outcome = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ServiceInput(serializers.Serializer):
    service_type = serializers.ChoiceField(m.ServiceType.choices)
    provided_on = serializers.DateField(required=False)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class FollowUpInput(serializers.Serializer):
    type = serializers.ChoiceField(m.FollowUpType.choices)
    date = serializers.DateField(required=False)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    next_date = serializers.DateField(required=False, allow_null=True)


class AttachmentInput(serializers.Serializer):
    kind = serializers.ChoiceField(m.AttachmentKind.choices)
    title = serializers.CharField(max_length=200)
    file = serializers.FileField()
    set_as_photo = serializers.BooleanField(required=False, default=False)


class ShareInput(serializers.Serializer):
    kind = serializers.ChoiceField(m.ShareKind.choices)
    to_organisation = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    reason = serializers.CharField(max_length=2000)
    expires_on = serializers.DateField(required=False, allow_null=True)


class CommentsInput(serializers.Serializer):
    comments = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ShareAnswerInput(CommentsInput):
    accept = serializers.BooleanField()


class ShareApproveInput(CommentsInput):
    approve = serializers.BooleanField()
