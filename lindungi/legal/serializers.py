"""Serializers of the legal API: read shapes (ids, codes, dates, amounts) and input shapes that the
API views turn into service calls. Validation of the domain rules stays in the services."""

from __future__ import annotations

from rest_framework import serializers

from lindungi.legal import selectors, stages
from lindungi.legal.models import (
    Accompaniment,
    AccompanimentType,
    Appeal,
    AppealLevel,
    AppealParty,
    Charge,
    DeadlineRule,
    Defendant,
    Hearing,
    HearingAgenda,
    HearingStatus,
    Law,
    LawArticle,
    LegalCase,
    PoliceUnitLevel,
    ProtectionRequest,
    ProtectionStatus,
    ProtectionType,
    Restitution,
    RestitutionRoute,
    Stage,
    StageEntry,
    Verdict,
    VerdictLevel,
    VerdictOutcome,
)


class StageSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Stage
        fields = ["id", "code", "label", "label_id", "label_en", "order", "kind", "milestone", "reachable_until",
                  "is_active"]


class StageEntrySerializer(serializers.ModelSerializer):
    stage = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = StageEntry
        fields = ["stage", "entered_on", "note", "recorded_at"]


class VerdictSerializer(serializers.ModelSerializer):
    class Meta:
        model = Verdict
        fields = ["id", "level", "court", "decided_on", "outcome", "prison_months", "fine", "restitution_ordered",
                  "decision_number", "notes"]


class AppealSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appeal
        fields = ["id", "level", "filed_by", "filed_on", "notes"]


class ChargeSerializer(serializers.ModelSerializer):
    article = serializers.SlugRelatedField(slug_field="code", read_only=True)
    law = serializers.CharField(source="article.law.code", read_only=True)

    class Meta:
        model = Charge
        fields = ["id", "law", "article", "defendant"]


class DefendantSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="perpetrator.display_name", read_only=True)
    role = serializers.CharField(source="perpetrator.role", read_only=True)
    verdicts = VerdictSerializer(many=True, read_only=True)
    appeals = AppealSerializer(many=True, read_only=True)

    class Meta:
        model = Defendant
        fields = ["id", "perpetrator", "name", "role", "named_suspect_on", "detained", "detained_on", "notes",
                  "final_outcome", "verdicts", "appeals"]


class HearingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hearing
        fields = ["id", "date", "time", "court", "agenda", "status", "accompanied_by", "outcome"]


class AccompanimentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Accompaniment
        fields = ["id", "date", "type", "done_by", "victim", "others_present", "duration_minutes", "notes"]


class RestitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Restitution
        fields = ["id", "route", "defendant", "claimed_amount", "claimed_on", "ordered_amount", "ordered_on",
                  "paid_amount", "paid_on", "notes"]


class ProtectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProtectionRequest
        fields = ["id", "victim", "submitted_on", "protections", "status", "decided_on", "lpsk_reference", "notes"]


class DeadlineSerializer(serializers.Serializer):
    rule = serializers.CharField(source="rule_code")
    label = serializers.CharField()
    defendant = serializers.UUIDField(source="defendant_id")
    decided_on = serializers.DateField()
    due_on = serializers.DateField()
    days_left = serializers.IntegerField()


class LegalCaseListSerializer(serializers.ModelSerializer):
    stage = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = LegalCase
        fields = ["id", "number", "organisation", "stage", "stage_entered_on", "is_closed", "closed_on",
                  "assigned_officer", "reported_on", "trial_on", "verdict_on", "created_at"]


class LegalCaseSerializer(LegalCaseListSerializer):
    police_unit_level = serializers.SlugRelatedField(slug_field="code", read_only=True)
    incidents = serializers.SerializerMethodField()
    victims = serializers.SerializerMethodField()
    stage_history = StageEntrySerializer(source="stage_entries", many=True, read_only=True)
    allowed_stages = serializers.SerializerMethodField()
    defendants = DefendantSerializer(many=True, read_only=True)
    charges = ChargeSerializer(many=True, read_only=True)
    hearings = HearingSerializer(many=True, read_only=True)
    accompaniments = AccompanimentSerializer(many=True, read_only=True)
    restitutions = RestitutionSerializer(many=True, read_only=True)
    protection_requests = ProtectionSerializer(many=True, read_only=True)
    deadlines = serializers.SerializerMethodField()

    class Meta(LegalCaseListSerializer.Meta):
        fields = [*LegalCaseListSerializer.Meta.fields, "police_unit_level", "police_unit_name", "report_number",
                  "prosecutor_office", "court", "summary", "incidents", "victims", "stage_history", "allowed_stages",
                  "defendants", "charges", "hearings", "accompaniments", "restitutions", "protection_requests",
                  "deadlines", "convicted_count", "restitution_claimed_total", "restitution_ordered_total",
                  "restitution_paid_total", "updated_at"]

    def get_incidents(self, obj) -> list[dict]:
        return [{"id": str(i.pk), "number": i.number} for i in obj.incidents.order_by("number")]

    def get_victims(self, obj) -> list[dict]:
        return [{"id": str(c.pk), "number": c.number} for c in obj.victims.order_by("number")]

    def get_allowed_stages(self, obj) -> list[str]:
        return [s.code for s in stages.allowed_stages(obj)]

    def get_deadlines(self, obj) -> list[dict]:
        return DeadlineSerializer(selectors.case_deadlines(obj), many=True).data


# --- input --------------------------------------------------------------------------------------


class LegalCaseDetailsInput(serializers.Serializer):
    police_unit_level = serializers.SlugRelatedField(slug_field="code", queryset=PoliceUnitLevel.objects.all(),
                                                     required=False, allow_null=True)
    police_unit_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    report_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    prosecutor_office = serializers.CharField(required=False, allow_blank=True, max_length=200)
    court = serializers.CharField(required=False, allow_blank=True, max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class LegalCaseCreateInput(LegalCaseDetailsInput):
    incidents = serializers.ListField(child=serializers.UUIDField(), min_length=1)
    victims = serializers.ListField(child=serializers.UUIDField(), required=False,
                                    help_text="Child case ids; default: every case of the incidents.")
    stage = serializers.SlugRelatedField(slug_field="code", queryset=Stage.objects.all(), required=False)
    entered_on = serializers.DateField(required=False)
    reported_on = serializers.DateField(required=False, allow_null=True)
    assigned_officer = serializers.IntegerField(required=False, allow_null=True)


class LegalCaseLinksInput(serializers.Serializer):
    incidents = serializers.ListField(child=serializers.UUIDField(), min_length=1)
    victims = serializers.ListField(child=serializers.UUIDField(), min_length=1)


class LegalCaseAssignInput(serializers.Serializer):
    officer = serializers.IntegerField(allow_null=True)


class LegalCaseStageInput(serializers.Serializer):
    stage = serializers.SlugRelatedField(slug_field="code", queryset=Stage.objects.all())
    entered_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ChargeInput(serializers.Serializer):
    article = serializers.SlugRelatedField(slug_field="code", queryset=LawArticle.objects.all())
    defendant = serializers.UUIDField(required=False, allow_null=True)


class DefendantInput(serializers.Serializer):
    named_suspect_on = serializers.DateField(required=False, allow_null=True)
    detained = serializers.BooleanField(required=False)
    detained_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DefendantCreateInput(DefendantInput):
    perpetrator = serializers.UUIDField()


class VerdictInput(serializers.Serializer):
    level = serializers.ChoiceField(VerdictLevel.choices)
    court = serializers.CharField(required=False, allow_blank=True, max_length=200)
    decided_on = serializers.DateField()
    outcome = serializers.ChoiceField(VerdictOutcome.choices)
    prison_months = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=1200)
    fine = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    restitution_ordered = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    decision_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AppealInput(serializers.Serializer):
    level = serializers.ChoiceField(AppealLevel.choices)
    filed_by = serializers.ChoiceField(AppealParty.choices)
    filed_on = serializers.DateField()
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class HearingInput(serializers.Serializer):
    date = serializers.DateField(required=False)
    time = serializers.TimeField(required=False, allow_null=True)
    court = serializers.CharField(required=False, max_length=200)
    agenda = serializers.ChoiceField(HearingAgenda.choices, required=False)
    status = serializers.ChoiceField(HearingStatus.choices, required=False)
    accompanied_by = serializers.IntegerField(required=False, allow_null=True)
    outcome = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AccompanimentInput(serializers.Serializer):
    date = serializers.DateField()
    type = serializers.ChoiceField(AccompanimentType.choices)
    done_by = serializers.IntegerField(required=False)
    victim = serializers.UUIDField(required=False, allow_null=True)
    others_present = serializers.CharField(required=False, allow_blank=True, max_length=300)
    duration_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=24 * 60)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class RestitutionInput(serializers.Serializer):
    route = serializers.ChoiceField(RestitutionRoute.choices, required=False)
    defendant = serializers.UUIDField(required=False, allow_null=True)
    claimed_amount = serializers.IntegerField(required=False, min_value=1)
    claimed_on = serializers.DateField(required=False)
    ordered_amount = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    ordered_on = serializers.DateField(required=False, allow_null=True)
    paid_amount = serializers.IntegerField(required=False, min_value=0)
    paid_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ProtectionInput(serializers.Serializer):
    victim = serializers.UUIDField(required=False, allow_null=True)
    submitted_on = serializers.DateField(required=False)
    protections = serializers.ListField(child=serializers.ChoiceField(ProtectionType.choices), required=False)
    status = serializers.ChoiceField(ProtectionStatus.choices, required=False)
    decided_on = serializers.DateField(required=False, allow_null=True)
    lpsk_reference = serializers.CharField(required=False, allow_blank=True, max_length=100)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CalendarEventSerializer(serializers.Serializer):
    uid = serializers.CharField()
    kind = serializers.CharField()
    date = serializers.DateField()
    time = serializers.TimeField(allow_null=True)
    title = serializers.CharField()
    location = serializers.CharField()
    legal_case = serializers.UUIDField(source="legal_case_id")
    number = serializers.CharField()


def reference_serializer(model):
    fields = ["id", *(f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key)]
    extra = {}
    if model is LawArticle:
        extra["law"] = serializers.SlugRelatedField(slug_field="code", queryset=Law.objects.all())
    meta = type("Meta", (), {"model": model, "fields": fields})
    return type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta, **extra})


REFERENCE_MODELS = {"stages": Stage, "police-unit-levels": PoliceUnitLevel, "laws": Law, "articles": LawArticle,
                    "deadlines": DeadlineRule}
