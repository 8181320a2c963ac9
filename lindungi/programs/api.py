"""`/api/v1/programs/…`: the API twin of every programs screen. Same selectors and services as the
web views; errors in the one API error shape."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from lindungi.api.permissions import IsAuthenticatedWithMFA, PolicyPermission
from lindungi.audit import services as audit
from lindungi.core import policy
from lindungi.geo.models import Region
from lindungi.programs import selectors, services
from lindungi.programs.iati import export as iati
from lindungi.programs.models import (
    Activity,
    ActivityFile,
    ActivityOutput,
    ActivityType,
    AgeGroup,
    AttendanceRecord,
    Country,
    Currency,
    Donor,
    EventRegistration,
    EventSession,
    Indicator,
    LearningEntry,
    Partner,
    Program,
    Result,
    Sex,
    Speaker,
    StakeholderGroup,
)

VIEW, EDIT, ACTIVITY_EDIT = "programs.program.view", "programs.program.edit", "programs.activity.edit"
REPORT, ATTENDANCE = "programs.indicator.report", "programs.attendance.view"


def _provinces():
    return Region.objects.filter(level="province")


def _regencies():
    return Region.objects.filter(level="regency")


# --- serializers ---------------------------------------------------------------------------------

class ProgramFundingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    donor = serializers.PrimaryKeyRelatedField(queryset=Donor.objects.all())
    donor_name = serializers.CharField(source="donor.public_name", read_only=True)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True, required=False)
    currency = serializers.PrimaryKeyRelatedField(queryset=Currency.objects.all(), allow_null=True, required=False)
    note = serializers.CharField(allow_blank=True, required=False, max_length=200)


class ProgramSerializer(serializers.ModelSerializer):
    lead_organisation = serializers.CharField(source="lead_organisation.code", read_only=True)
    funding = ProgramFundingSerializer(many=True, read_only=True)
    partners = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all(), many=True, required=False)
    provinces = serializers.PrimaryKeyRelatedField(queryset=_provinces(), many=True, required=False)
    regencies = serializers.PrimaryKeyRelatedField(queryset=_regencies(), many=True, required=False)
    target_groups = serializers.SlugRelatedField(slug_field="code", queryset=StakeholderGroup.objects.all(), many=True,
                                                 required=False)
    elapsed_share = serializers.SerializerMethodField()

    class Meta:
        model = Program
        fields = ["id", "code", "title_id", "title_en", "description_id", "description_en", "status", "start_date",
                  "end_date", "lead_organisation", "partners", "provinces", "regencies", "target_groups",
                  "target_groups_note", "funding", "elapsed_share"]
        extra_kwargs = {"code": {"validators": []}}

    def get_elapsed_share(self, obj) -> float:
        return round(obj.elapsed_share(), 3)


class ProgramResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = Result
        fields = ["id", "program", "parent", "level", "code", "title_id", "title_en", "description", "order"]
        read_only_fields = ["program"]


class IndicatorPeriodValueSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    target = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    target_note = serializers.CharField()
    actual = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    narrative = serializers.CharField()
    source = serializers.CharField()
    progress = serializers.FloatField(allow_null=True)
    breakdown = serializers.JSONField()


class IndicatorSerializer(serializers.ModelSerializer):
    rule_activity_types = serializers.SlugRelatedField(slug_field="code", queryset=ActivityType.objects.all(), many=True,
                                                       required=False)
    rule_age_groups = serializers.SlugRelatedField(slug_field="code", queryset=AgeGroup.objects.all(), many=True,
                                                   required=False)
    rule_stakeholder_groups = serializers.SlugRelatedField(slug_field="code", queryset=StakeholderGroup.objects.all(),
                                                           many=True, required=False)
    program = serializers.IntegerField(source="result.program_id", read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "program", "result", "code", "title_id", "title_en", "measure", "unit", "baseline_value",
                  "baseline_date", "baseline_note", "by_sex", "by_age_group", "by_province", "computation",
                  "rule_metric", "rule_scope", "rule_activity_types", "rule_sex", "rule_age_groups",
                  "rule_stakeholder_groups", "order"]


class IndicatorDetailSerializer(IndicatorSerializer):
    periods = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    behind_target = serializers.SerializerMethodField()

    class Meta(IndicatorSerializer.Meta):
        fields = [*IndicatorSerializer.Meta.fields, "periods", "total", "behind_target"]

    def _progress(self, obj):
        cache = self.context.setdefault("progress", {})
        if obj.pk not in cache:
            cache[obj.pk] = selectors.indicator_progress(obj)
        return cache[obj.pk]

    def get_periods(self, obj) -> list[dict]:
        return IndicatorPeriodValueSerializer(self._progress(obj).periods, many=True).data

    def get_total(self, obj) -> dict:
        return IndicatorPeriodValueSerializer(self._progress(obj).total).data

    def get_behind_target(self, obj) -> bool:
        return self._progress(obj).behind


class IndicatorPeriodInputSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, required=False)
    dimension = serializers.ChoiceField(choices=Indicator.Dimension.choices, required=False, default="")
    category = serializers.CharField(required=False, default="", allow_blank=True, max_length=40)

    def validate(self, attrs):
        if attrs["period_end"] < attrs["period_start"]:
            raise serializers.ValidationError({"period_end": "The period ends before it starts."})
        return attrs


class IndicatorTargetInputSerializer(IndicatorPeriodInputSerializer):
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=300)


class IndicatorActualInputSerializer(IndicatorPeriodInputSerializer):
    narrative = serializers.CharField(required=False, default="", allow_blank=True)
    source = serializers.CharField(max_length=300)


class ActivityParticipantRowSerializer(serializers.Serializer):
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    age_group = serializers.SlugRelatedField(slug_field="code", queryset=AgeGroup.objects.all(), allow_null=True,
                                             required=False)
    stakeholder_group = serializers.SlugRelatedField(slug_field="code", queryset=StakeholderGroup.objects.all(),
                                                     allow_null=True, required=False)
    count = serializers.IntegerField(min_value=0)


class ActivityCountryRowSerializer(serializers.Serializer):
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all())
    participants = serializers.IntegerField(min_value=0, allow_null=True, required=False)


class ActivitySpeakerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["id", "session", "name", "affiliation", "sex", "country", "topic"]


class EventSessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EventSession
        fields = ["id", "title", "starts_at", "ends_at", "room"]


class ActivityOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityOutput
        fields = ["id", "kind", "title", "reach", "url", "published_on"]


class ActivitySerializer(serializers.ModelSerializer):
    type = serializers.SlugRelatedField(slug_field="code", queryset=ActivityType.objects.all())
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    province = serializers.PrimaryKeyRelatedField(queryset=_provinces(), allow_null=True, required=False)
    regency = serializers.PrimaryKeyRelatedField(queryset=_regencies(), allow_null=True, required=False)
    program = serializers.PrimaryKeyRelatedField(queryset=Program.objects.all(), allow_null=True, required=False)
    results = serializers.PrimaryKeyRelatedField(queryset=Result.objects.all(), many=True, required=False)
    organisers = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all(), many=True, required=False)
    partners = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all(), many=True, required=False)
    knowledge_gain = serializers.DecimalField(max_digits=8, decimal_places=1, read_only=True, allow_null=True)

    class Meta:
        model = Activity
        fields = ["id", "program", "organisation", "type", "title", "description", "status", "start_date", "end_date",
                  "province", "regency", "venue", "is_online", "results", "organisers", "partners", "test_max_score",
                  "pretest_average", "posttest_average", "tested_count", "knowledge_gain", "results_narrative"]


class ActivityDetailSerializer(ActivitySerializer):
    participants = serializers.SerializerMethodField()
    countries = ActivityCountryRowSerializer(many=True, read_only=True)
    speakers = ActivitySpeakerSerializer(many=True, read_only=True)
    sessions = EventSessionSerializer(many=True, read_only=True)
    outputs = ActivityOutputSerializer(many=True, read_only=True)

    class Meta(ActivitySerializer.Meta):
        fields = [*ActivitySerializer.Meta.fields, "participants", "countries", "speakers", "sessions", "outputs"]

    def get_participants(self, obj) -> list[dict]:
        return [{"sex": c.sex, "age_group": c.age_group.code if c.age_group else None,
                 "stakeholder_group": c.stakeholder_group.code if c.stakeholder_group else None, "count": c.count}
                for c in obj.participant_counts.select_related("age_group", "stakeholder_group")]


class ProgramEventSerializer(ActivityDetailSerializer):
    participants_by_country = serializers.SerializerMethodField()
    participants_by_organisation_type = serializers.SerializerMethodField()

    class Meta(ActivityDetailSerializer.Meta):
        fields = [*ActivityDetailSerializer.Meta.fields, "participants_by_country", "participants_by_organisation_type"]

    def get_participants_by_country(self, obj) -> list[dict]:
        return [{"country": c.country_id, "participants": c.participants} for c in obj.countries.all()]

    def get_participants_by_organisation_type(self, obj) -> list[dict]:
        summary = selectors.reach_summary(Activity.objects.filter(pk=obj.pk))
        return [{"stakeholder_group": r["key"] or None, "participants": r["value"]}
                for r in summary["by_stakeholder_group"]]


class _PersonSerializer(serializers.Serializer):
    """What an attendance list and an event's registrations both hold about a person."""

    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(max_length=200)
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    institution = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    stakeholder_group = serializers.SlugRelatedField(slug_field="code", queryset=StakeholderGroup.objects.all(),
                                                     allow_null=True, required=False)


class AttendeeSerializer(_PersonSerializer):
    age_group = serializers.SlugRelatedField(slug_field="code", queryset=AgeGroup.objects.all(), allow_null=True,
                                             required=False)


class ActivityFileSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    kind = serializers.CharField(read_only=True)
    caption = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    uploaded_at = serializers.DateTimeField(read_only=True)
    download = serializers.SerializerMethodField()

    def get_download(self, obj) -> str:
        from django.urls import reverse

        return reverse("programs-api:file-download", args=[obj.pk])


class ActivityFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    caption = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RegistrationSerializer(_PersonSerializer):
    country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all(), allow_null=True, required=False)
    status = serializers.ChoiceField(choices=EventRegistration.Status.choices, default=EventRegistration.Status.REGISTERED)


class ProgramDonorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Donor
        fields = ["id", "name", "kind", "country", "iati_ref", "is_active"]
        extra_kwargs = {"name": {"validators": []}}


class ProgramPartnerSerializer(serializers.ModelSerializer):
    stakeholder_group = serializers.SlugRelatedField(slug_field="code", queryset=StakeholderGroup.objects.all(),
                                                     allow_null=True, required=False)

    class Meta:
        model = Partner
        fields = ["id", "name", "kind", "organisation", "stakeholder_group", "country", "is_active"]
        read_only_fields = ["kind"]
        extra_kwargs = {"name": {"validators": []}, "organisation": {"validators": []}}


class LearningEntrySerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        model = LearningEntry
        fields = ["id", "organisation", "program", "year", "kind", "title", "text_id", "text_en"]


# --- views ---------------------------------------------------------------------------------------

class Base(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticatedWithMFA, PolicyPermission]
    policy_actions = {"GET": VIEW, "POST": EDIT, "PATCH": EDIT, "PUT": EDIT, "DELETE": EDIT}

    def _validated(self, serializer_class=None, partial=False, instance=None, **kwargs):
        serializer = (serializer_class or self.get_serializer_class())(
            instance=instance, data=self.request.data, partial=partial, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ProgramViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Base):
    serializer_class = ProgramSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        params = self.request.query_params
        filters = {k: params.get(k) for k in ("status", "year", "donor", "province", "q") if params.get(k)}
        if filters.get("year") and not str(filters["year"]).isdigit():
            filters.pop("year")
        return selectors.program_list(user=self.request.user, filters=filters).prefetch_related(
            "funding__donor", "partners", "provinces", "regencies", "target_groups").order_by("code")

    def get_object(self):
        return selectors.program_get(user=self.request.user, pk=self.kwargs["pk"])

    def create(self, request):
        program = services.program_create(actor=request.user, data=self._validated())
        return Response(ProgramSerializer(program).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        policy.require(request.user, EDIT)
        program = selectors.program_get(user=request.user, pk=pk, action=EDIT)
        program = services.program_update(actor=request.user, program=program,
                                          data=self._validated(partial=True, instance=program))
        return Response(ProgramSerializer(program).data)

    @extend_schema(request=ProgramFundingSerializer, responses=ProgramFundingSerializer)
    @action(detail=True, methods=["post"])
    def funding(self, request, pk=None):
        policy.require(request.user, EDIT)
        program = selectors.program_get(user=request.user, pk=pk, action=EDIT)
        data = self._validated(ProgramFundingSerializer)
        funding = services.funding_set(actor=request.user, program=program, **data)
        return Response(ProgramFundingSerializer(funding).data, status=status.HTTP_201_CREATED)


class ResultViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Base):
    serializer_class = ProgramResultSerializer

    def get_queryset(self):
        qs = policy.scope_filter(self.request.user, VIEW, Result.objects.select_related("program"))
        program = self.request.query_params.get("program", "")
        return qs.filter(program_id=int(program)) if program.isdigit() else qs

    def get_object(self):
        return selectors.result_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(parameters=[OpenApiParameter("program", OpenApiTypes.INT, required=True)])
    def create(self, request):
        program_pk = str(request.data.get("program", "") if hasattr(request.data, "get") else "")
        if not program_pk.isdigit():
            raise serializers.ValidationError({"program": ["This field is required."]})
        program = selectors.program_get(user=request.user, pk=int(program_pk), action=EDIT)
        data = self._validated()
        if data.get("parent") is not None and data["parent"].program_id != program.pk:
            raise serializers.ValidationError({"parent": ["Choose a result of the same program."]})
        result = services.result_save(actor=request.user, program=program, data=data)
        return Response(ProgramResultSerializer(result).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        result = selectors.result_get(user=request.user, pk=pk, action=EDIT)
        result = services.result_save(actor=request.user, program=result.program, result=result,
                                      data=self._validated(partial=True, instance=result))
        return Response(ProgramResultSerializer(result).data)

    def destroy(self, request, pk=None):
        result = selectors.result_get(user=request.user, pk=pk, action=EDIT)
        services.result_delete(actor=request.user, result=result)
        return Response(status=status.HTTP_204_NO_CONTENT)


class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Base):
    policy_actions = {**Base.policy_actions}

    def get_serializer_class(self):
        return IndicatorDetailSerializer if self.action in ("list", "retrieve") else IndicatorSerializer

    def get_queryset(self):
        qs = policy.scope_filter(self.request.user, VIEW, Indicator.objects.select_related("result__program")
                                 .prefetch_related("targets", "actuals", "rule_activity_types", "rule_age_groups",
                                                   "rule_stakeholder_groups"))
        program = self.request.query_params.get("program", "")
        return qs.filter(result__program_id=int(program)) if program.isdigit() else qs

    def get_object(self):
        return selectors.indicator_get(user=self.request.user, pk=self.kwargs["pk"])

    def create(self, request):
        data = self._validated(IndicatorSerializer)
        result = selectors.result_get(user=request.user, pk=data["result"].pk, action=EDIT)
        indicator = services.indicator_save(actor=request.user, result=result, data=data)
        return Response(IndicatorDetailSerializer(indicator).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        indicator = selectors.indicator_get(user=request.user, pk=pk, action=EDIT)
        data = self._validated(IndicatorSerializer, partial=True, instance=indicator)
        indicator = services.indicator_save(actor=request.user, result=indicator.result, data=data, indicator=indicator)
        return Response(IndicatorDetailSerializer(indicator).data)

    def destroy(self, request, pk=None):
        indicator = selectors.indicator_get(user=request.user, pk=pk, action=EDIT)
        services.indicator_delete(actor=request.user, indicator=indicator)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=IndicatorTargetInputSerializer, responses=IndicatorDetailSerializer)
    @action(detail=True, methods=["post"])
    def targets(self, request, pk=None):
        indicator = selectors.indicator_get(user=request.user, pk=pk, action=EDIT)
        services.target_set(actor=request.user, indicator=indicator, **self._validated(IndicatorTargetInputSerializer))
        return Response(IndicatorDetailSerializer(indicator).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IndicatorActualInputSerializer, responses=IndicatorDetailSerializer)
    @action(detail=True, methods=["post"], url_path="actuals")
    def actuals(self, request, pk=None):
        policy.require(request.user, REPORT)
        indicator = selectors.indicator_get(user=request.user, pk=pk, action=REPORT)
        services.actual_record(actor=request.user, indicator=indicator, **self._validated(IndicatorActualInputSerializer))
        return Response(IndicatorDetailSerializer(indicator).data, status=status.HTTP_201_CREATED)

    def get_permissions(self):
        if self.action == "actuals":
            self.policy_actions = {"POST": REPORT}
        return super().get_permissions()


class ActivityReadMixin:
    events_only = False

    def get_queryset(self):
        params = self.request.query_params
        filters = {k: params.get(k) for k in ("program", "type", "province", "status", "q") if params.get(k)}
        if params.get("year", "").isdigit():
            filters["year"] = params["year"]
        if filters.get("program") and not filters["program"].isdigit():
            filters.pop("program")
        filters["events"] = self.events_only
        return selectors.activity_list(user=self.request.user, filters=filters).prefetch_related(
            "results", "organisers", "partners")

    def get_object(self):
        activity = selectors.activity_get(user=self.request.user, pk=self.kwargs["pk"])
        if self.events_only and not activity.type.is_event:
            raise policy.OutOfScope(VIEW, Activity, {"pk": activity.pk})
        return activity


class ActivityViewSet(ActivityReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, Base):
    policy_actions = {"GET": VIEW, "POST": ACTIVITY_EDIT, "PATCH": ACTIVITY_EDIT, "PUT": ACTIVITY_EDIT,
                      "DELETE": ACTIVITY_EDIT}

    def get_serializer_class(self):
        return ActivityDetailSerializer if self.action == "retrieve" else ActivitySerializer

    def _editable(self, pk):
        policy.require(self.request.user, ACTIVITY_EDIT)
        return selectors.activity_get(user=self.request.user, pk=pk, action=ACTIVITY_EDIT)

    def create(self, request):
        activity = services.activity_create(actor=request.user, data=self._validated(ActivitySerializer))
        return Response(ActivityDetailSerializer(activity).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        activity = self._editable(pk)
        data = self._validated(ActivitySerializer, partial=True, instance=activity)
        if "program" in data and data["program"] is not None and data["program"].pk == activity.program_id:
            data.pop("program")
        activity = services.activity_update(actor=request.user, activity=activity, data=data)
        return Response(ActivityDetailSerializer(activity).data)

    def destroy(self, request, pk=None):
        services.activity_delete(actor=request.user, activity=self._editable(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ActivityParticipantRowSerializer(many=True), responses=ActivityDetailSerializer)
    @action(detail=True, methods=["put"])
    def participants(self, request, pk=None):
        activity = self._editable(pk)
        rows = self._validated(ActivityParticipantRowSerializer, many=True)
        services.participants_set(actor=request.user, activity=activity, rows=rows)
        return Response(ActivityDetailSerializer(activity).data)

    @extend_schema(request=ActivityCountryRowSerializer(many=True), responses=ActivityDetailSerializer)
    @action(detail=True, methods=["put"])
    def countries(self, request, pk=None):
        activity = self._editable(pk)
        services.countries_set(actor=request.user, activity=activity,
                               rows=self._validated(ActivityCountryRowSerializer, many=True))
        return Response(ActivityDetailSerializer(activity).data)

    def _part(self, pk, model, serializer_class):
        activity = self._editable(pk)
        data = self._validated(serializer_class)
        part = services.part_add(actor=self.request.user, activity=activity, model=model, data=data)
        return Response(serializer_class(part).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActivitySpeakerSerializer, responses=ActivitySpeakerSerializer)
    @action(detail=True, methods=["post"])
    def speakers(self, request, pk=None):
        return self._part(pk, Speaker, ActivitySpeakerSerializer)

    @extend_schema(request=EventSessionSerializer, responses=EventSessionSerializer)
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        return self._part(pk, EventSession, EventSessionSerializer)

    @extend_schema(request=ActivityOutputSerializer, responses=ActivityOutputSerializer)
    @action(detail=True, methods=["post"])
    def outputs(self, request, pk=None):
        return self._part(pk, ActivityOutput, ActivityOutputSerializer)

    @extend_schema(request=AttendeeSerializer, responses=AttendeeSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def attendance(self, request, pk=None):
        """The attendance list (names and contacts): only the recording organisation sees it."""
        policy.require(request.user, ATTENDANCE)
        activity = selectors.activity_get(user=request.user, pk=pk)
        if not selectors.can_see_attendance(request.user, activity):
            raise policy.OutOfScope(ATTENDANCE, Activity, {"pk": activity.pk}, exists=True)
        if request.method == "POST":
            record = services.attendance_add(actor=request.user, activity=activity, data=self._validated(AttendeeSerializer))
            return Response(_person(record), status=status.HTTP_201_CREATED)
        records = list(selectors.attendance_list(user=request.user, activity=activity))
        audit.record("programs.attendance.viewed", actor=request.user, obj=activity, payload={"count": len(records)})
        return Response([_person(r) for r in records])

    @extend_schema(request={"multipart/form-data": ActivityFileUploadSerializer},
                   responses=ActivityFileSerializer(many=True))
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser])
    def files(self, request, pk=None):
        """Photos and documents (stored encrypted): the organisations that hold the activity."""
        if request.method == "POST":
            activity = self._editable(pk)
            data = self._validated(ActivityFileUploadSerializer)
            record = services.file_add(actor=request.user, activity=activity, upload=data["file"],
                                       caption=data.get("caption", ""))
            return Response(ActivityFileSerializer(record).data, status=status.HTTP_201_CREATED)
        activity = selectors.activity_get(user=request.user, pk=pk)
        files = policy.scope_filter(request.user, VIEW, activity.files.all())
        return Response(ActivityFileSerializer(files, many=True).data)

    @extend_schema(request=RegistrationSerializer, responses=RegistrationSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def registrations(self, request, pk=None):
        """An event's registrations (names and contacts): only the recording organisation sees them."""
        policy.require(request.user, ATTENDANCE)
        activity = selectors.activity_get(user=request.user, pk=pk)
        if not selectors.can_see_attendance(request.user, activity) or not activity.type.is_event:
            raise policy.OutOfScope(ATTENDANCE, Activity, {"pk": activity.pk}, exists=True)
        if request.method == "POST":
            record = services.registration_add(actor=request.user, activity=activity,
                                               data=self._validated(RegistrationSerializer))
            return Response(_registration(record), status=status.HTTP_201_CREATED)
        records = list(selectors.registration_list(user=request.user, activity=activity))
        audit.record("programs.registration.viewed", actor=request.user, obj=activity, payload={"count": len(records)})
        return Response([_registration(r) for r in records])

    def get_permissions(self):
        if self.action in ("attendance", "registrations"):
            self.policy_actions = {"GET": ATTENDANCE, "POST": ACTIVITY_EDIT}
        return super().get_permissions()


def _person(record: AttendanceRecord) -> dict:
    return {"id": str(record.pk), "name": record.name, "contact": record.contact, "institution": record.institution,
            "sex": record.sex, "age_group": record.age_group.code if record.age_group_id else None,
            "stakeholder_group": record.stakeholder_group.code if record.stakeholder_group_id else None}


def _registration(record) -> dict:
    return {"id": str(record.pk), "name": record.name, "contact": record.contact, "institution": record.institution,
            "sex": record.sex, "country": record.country_id, "status": record.status,
            "stakeholder_group": record.stakeholder_group.code if record.stakeholder_group_id else None}


class EventViewSet(ActivityReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, Base):
    """Conferences, national dialogues and seminars: activities with an agenda (sessions and
    speakers), participants by country and by organisation type. Written through /activities/."""

    events_only = True

    def get_serializer_class(self):
        return ProgramEventSerializer if self.action == "retrieve" else ActivitySerializer


class DonorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Base):
    serializer_class = ProgramDonorSerializer

    def get_queryset(self):
        return selectors.donor_list(user=self.request.user)

    def get_object(self):
        return policy.get_object(self.request.user, VIEW, Donor.objects.all(), pk=self.kwargs["pk"])

    def create(self, request):
        donor = services.donor_save(actor=request.user, data=self._validated())
        return Response(ProgramDonorSerializer(donor).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        donor = self.get_object()
        donor = services.donor_save(actor=request.user, donor=donor, data=self._validated(partial=True, instance=donor))
        return Response(ProgramDonorSerializer(donor).data)


class PartnerViewSet(DonorViewSet):
    serializer_class = ProgramPartnerSerializer

    def get_queryset(self):
        return selectors.partner_list(user=self.request.user)

    def get_object(self):
        return policy.get_object(self.request.user, VIEW, Partner.objects.all(), pk=self.kwargs["pk"])

    def create(self, request):
        partner = services.partner_save(actor=request.user, data=self._validated())
        return Response(ProgramPartnerSerializer(partner).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        partner = self.get_object()
        partner = services.partner_save(actor=request.user, partner=partner,
                                        data=self._validated(partial=True, instance=partner))
        return Response(ProgramPartnerSerializer(partner).data)


class LearningViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, Base):
    serializer_class = LearningEntrySerializer

    def get_queryset(self):
        year = self.request.query_params.get("year", "")
        return selectors.learning_list(user=self.request.user, year=int(year) if year.isdigit() else None)

    def get_object(self):
        return policy.get_object(self.request.user, VIEW, LearningEntry.objects.all(), pk=self.kwargs["pk"])

    def _own(self, pk):
        return policy.get_object(self.request.user, EDIT, LearningEntry.objects.all(), pk=pk)

    def create(self, request):
        entry = services.learning_save(actor=request.user, data=self._validated())
        return Response(LearningEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        entry = self._own(pk)
        entry = services.learning_save(actor=request.user, entry=entry,
                                       data=self._validated(partial=True, instance=entry))
        return Response(LearningEntrySerializer(entry).data)

    def destroy(self, request, pk=None):
        services.learning_delete(actor=request.user, entry=self._own(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReferenceView(APIView):
    """Every reference list of the programs area, in one response."""

    permission_classes = [IsAuthenticatedWithMFA, PolicyPermission]
    policy_action = VIEW

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        def labelled(model):
            return [{"code": o.code, "label_id": o.label_id, "label_en": o.label_en, "is_active": o.is_active}
                    for o in model.objects.all()]

        return Response({
            "activity_types": [{"code": t.code, "label_id": t.label_id, "label_en": t.label_en, "is_training": t.is_training,
                                "is_event": t.is_event, "is_active": t.is_active} for t in ActivityType.objects.all()],
            "stakeholder_groups": labelled(StakeholderGroup), "age_groups": labelled(AgeGroup),
            "currencies": [{"code": c.code, "name": c.name} for c in Currency.objects.all()],
            "countries": [{"code": c.code, "name_en": c.name_en, "name_id": c.name_id} for c in Country.objects.all()],
            "sexes": [{"code": v, "label": str(label)} for v, label in Sex.choices],
        })


class DashboardView(APIView):
    """The dashboard's figures: activities by type, province and month; people reached."""

    permission_classes = [IsAuthenticatedWithMFA, PolicyPermission]
    policy_action = VIEW

    @extend_schema(parameters=[OpenApiParameter("year", OpenApiTypes.INT), OpenApiParameter("program", OpenApiTypes.INT)],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request):
        filters = {}
        for key in ("year", "program"):
            value = request.query_params.get(key, "")
            if value.isdigit():
                filters[key] = int(value)
        activities = selectors.activity_list(user=request.user, filters=filters)
        summary = selectors.reach_summary(activities)
        for key in ("by_sex", "by_age_group", "by_stakeholder_group", "by_province"):
            summary[key] = [{**row, "label": str(row["label"])} for row in summary[key]]
        return Response({
            "activities": {d: [{**row, "label": str(row["label"])} for row in selectors.activities_by(activities, d)]
                           for d in ("type", "province", "month")},
            "people_reached": summary,
            "outputs": [{**row, "label": str(row["label"])} for row in selectors.outputs_by_kind(activities)],
        })


class IatiView(APIView):
    """The IATI 2.03 activities file of the programs the user may export (`?program=` for one)."""

    permission_classes = [IsAuthenticatedWithMFA, PolicyPermission]
    policy_action = "programs.iati.export"

    @extend_schema(parameters=[OpenApiParameter("program", OpenApiTypes.INT)],
                   responses={(200, "application/xml"): OpenApiTypes.STR})
    def get(self, request):
        programs = policy.scope_filter(request.user, "programs.iati.export", Program.objects.all())
        program = request.query_params.get("program", "")
        if program:
            if not program.isdigit():
                raise policy.OutOfScope("programs.iati.export", Program, {})
            programs = programs.filter(pk=int(program))
            if not programs.exists():
                raise policy.OutOfScope("programs.iati.export", Program, {"pk": int(program)},
                                        exists=Program.objects.filter(pk=int(program)).exists())
        xml = iati.export(programs)
        audit.record("programs.iati.exported", actor=request.user,
                     payload={"programs": sorted(programs.values_list("pk", flat=True)), "api": True})
        return HttpResponse(xml, content_type="application/xml; charset=utf-8")


class FileDownloadView(APIView):
    """The decrypted bytes of a photo or document (audited)."""

    permission_classes = [IsAuthenticatedWithMFA, PolicyPermission]
    policy_action = VIEW

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk):
        record = policy.get_object(request.user, VIEW, ActivityFile.objects.all(), pk=pk)
        try:
            data = services.file_read(actor=request.user, record=record)
        except FileNotFoundError:
            raise policy.OutOfScope(VIEW, ActivityFile, {"pk": pk}) from None
        response = HttpResponse(data, content_type=record.content_type)
        response["Content-Disposition"] = f'attachment; filename="activity-file-{str(record.pk)[:8]}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


REFERENCE_MODELS = {"activity-types": ActivityType, "stakeholder-groups": StakeholderGroup, "age-groups": AgeGroup,
                    "currencies": Currency, "countries": Country}


class ReferenceItemView(APIView):
    """Create or change an item of a reference list (`kind`: activity-types, stakeholder-groups,
    age-groups, currencies, countries), identified by its code."""

    permission_classes = [IsAuthenticatedWithMFA, PolicyPermission]
    policy_action = "programs.reference.manage"

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def post(self, request, kind):
        model = REFERENCE_MODELS.get(kind)
        if model is None:
            raise policy.OutOfScope("programs.reference.manage", None, {})
        fields = [f.name for f in model._meta.concrete_fields if f.editable and not f.auto_created]
        serializer_class = type("ReferenceItemSerializer", (serializers.ModelSerializer,), {
            "Meta": type("Meta", (), {"model": model, "fields": fields, "extra_kwargs": {
                "code": {"validators": []}}})})
        code = request.data.get("code", "") if hasattr(request.data, "get") else ""
        instance = model.objects.filter(code=code).first() if code else None
        serializer = serializer_class(instance=instance, data=request.data, partial=instance is not None)
        serializer.is_valid(raise_exception=True)
        item = services.reference_save(actor=request.user, model=model, data=serializer.validated_data,
                                       instance=instance)
        return Response(serializer_class(item).data, status=status.HTTP_200_OK if instance else status.HTTP_201_CREATED)
