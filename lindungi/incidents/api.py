"""The incidents API: the same selectors and services as the pages; errors in the one shape of
`lindungi.api.errors`. Reading an incident is audited like its page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from lindungi.api.pagination import Pagination
from lindungi.cases.models import Case, Sex
from lindungi.core import policy
from lindungi.core.errors import DomainError
from lindungi.geo.models import Region
from lindungi.incidents import common, selectors, services
from lindungi.incidents.models import (
    SEARCH_SYNONYMS,
    AgeGroup,
    Context,
    DatePrecision,
    Exchange,
    ExploitationType,
    Incident,
    InformationSource,
    Modus,
    OnlineSubtype,
    Perpetrator,
    PerpetratorRelationship,
    PerpetratorRole,
    Platform,
    Setting,
    Verification,
)

# --- serializers --------------------------------------------------------------------------------


class IncidentCaseRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "number"]


class IncidentTypeRowSerializer(serializers.Serializer):
    type = serializers.CharField()
    subtype = serializers.CharField()


class PerpetratorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Perpetrator
        fields = ["id", "identified", "name", "aliases", "sex", "age_group", "nationality", "relationship", "role",
                  "arrested", "notes", "created_at"]


class IncidentListSerializer(serializers.ModelSerializer):
    types = IncidentTypeRowSerializer(many=True, read_only=True)
    province = serializers.CharField(source="province_id", allow_null=True)
    regency = serializers.CharField(source="regency_id", allow_null=True)
    contexts = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Incident
        fields = ["id", "number", "organisation", "occurred_on", "date_precision", "setting", "province", "regency",
                  "types", "verification", "contexts"]


class IncidentSerializer(IncidentListSerializer):
    cases = serializers.SerializerMethodField()
    district = serializers.CharField(source="district_id", allow_null=True)
    platforms = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    perpetrators = PerpetratorSerializer(many=True, read_only=True)
    legal_cases = serializers.SerializerMethodField()

    class Meta(IncidentListSerializer.Meta):
        fields = [*IncidentListSerializer.Meta.fields, "cases", "district", "location_details", "platforms", "modus",
                  "exchanged", "exchange_details", "cross_border_countries", "description", "source",
                  "source_details", "perpetrators", "legal_cases", "created_at", "updated_at"]

    def get_cases(self, obj) -> list[dict]:
        return IncidentCaseRefSerializer(obj.cases.order_by("number"), many=True).data

    def get_legal_cases(self, obj) -> list[dict]:
        user = self.context["request"].user
        if not policy.allowed(user, "legal.legalcase.view"):
            return []
        from lindungi.incidents.hooks import legal_cases_of_incident

        visible = policy.scope_filter(user, "legal.legalcase.view", legal_cases_of_incident(obj))
        return [{"id": str(lc.pk), "number": lc.number} for lc in visible]


def _regions(level):
    return serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.filter(level=level),
                                        required=False, allow_null=True)


class IncidentWriteSerializer(serializers.Serializer):
    occurred_on = serializers.DateField(required=False)
    date_precision = serializers.ChoiceField(DatePrecision.choices, required=False)
    province = _regions(Region.Level.PROVINCE)
    regency = _regions(Region.Level.REGENCY)
    district = _regions(Region.Level.DISTRICT)
    setting = serializers.ChoiceField(Setting.choices, required=False)
    location_details = serializers.CharField(required=False, allow_blank=True, max_length=500)
    modus = serializers.ListField(child=serializers.ChoiceField(Modus.choices), required=False)
    exchanged = serializers.ListField(child=serializers.ChoiceField(Exchange.choices), required=False)
    exchange_details = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    cross_border_countries = serializers.ListField(child=serializers.CharField(max_length=2), required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    source = serializers.ChoiceField(InformationSource.choices, required=False)
    source_details = serializers.CharField(required=False, allow_blank=True, max_length=500)
    verification = serializers.ChoiceField(Verification.choices, required=False)
    types = serializers.ListField(child=serializers.ChoiceField(ExploitationType.choices), required=False)
    online_subtypes = serializers.ListField(child=serializers.ChoiceField(OnlineSubtype.choices), required=False)
    platforms = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Platform.objects.all(),
                                             required=False)

    EXTRA = ("types", "online_subtypes", "platforms")

    def split(self) -> tuple[dict, dict]:
        data = dict(self.validated_data)
        extra = {name: data.pop(name) for name in self.EXTRA if name in data}
        return data, extra


class IncidentCreateSerializer(IncidentWriteSerializer):
    cases = serializers.ListField(child=serializers.UUIDField(), min_length=1,
                                  help_text="Ids of the child cases the incident belongs to.")
    occurred_on = serializers.DateField()
    setting = serializers.ChoiceField(Setting.choices)
    source = serializers.ChoiceField(InformationSource.choices)
    types = serializers.ListField(child=serializers.ChoiceField(ExploitationType.choices), min_length=1)


class PerpetratorWriteSerializer(serializers.Serializer):
    identified = serializers.BooleanField(required=False)
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    aliases = serializers.CharField(required=False, allow_blank=True, max_length=300)
    sex = serializers.ChoiceField(Sex.choices, required=False)
    age_group = serializers.ChoiceField(AgeGroup.choices, required=False)
    nationality = serializers.CharField(required=False, allow_blank=True, max_length=2)
    relationship = serializers.ChoiceField(PerpetratorRelationship.choices, required=False)
    role = serializers.ChoiceField(PerpetratorRole.choices, required=False)
    arrested = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class IncidentCaseLinkSerializer(serializers.Serializer):
    case = serializers.UUIDField()


class PlatformSerializer(serializers.ModelSerializer):
    class Meta:
        model = Platform
        fields = ["id", "code", "label_id", "label_en", "order", "is_active"]


def page_of(serializer_class):
    """The shape of a paginated list of `serializer_class` (for the OpenAPI schema)."""
    return type(f"Paginated{serializer_class.__name__}", (serializers.Serializer,), {
        "count": serializers.IntegerField(), "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True), "results": serializer_class(many=True)})


def _params(*names):
    return [OpenApiParameter(name, OpenApiTypes.STR, required=False) for name in names]


class IncidentChoiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class IncidentSynonymSerializer(serializers.Serializer):
    term = serializers.CharField()
    type = serializers.CharField()


class IncidentChoicesSerializer(serializers.Serializer):
    exploitation_types = IncidentChoiceSerializer(many=True)
    online_subtypes = IncidentChoiceSerializer(many=True)
    settings = IncidentChoiceSerializer(many=True)
    modus = IncidentChoiceSerializer(many=True)
    exchanged = IncidentChoiceSerializer(many=True)
    sources = IncidentChoiceSerializer(many=True)
    verification = IncidentChoiceSerializer(many=True)
    date_precision = IncidentChoiceSerializer(many=True)
    contexts = IncidentChoiceSerializer(many=True)
    perpetrator_roles = IncidentChoiceSerializer(many=True)
    perpetrator_relationships = IncidentChoiceSerializer(many=True)
    age_groups = IncidentChoiceSerializer(many=True)
    search_synonyms = IncidentSynonymSerializer(many=True)


# --- helpers ------------------------------------------------------------------------------------


def _linkable(user, ids) -> list[Case]:
    found = {c.pk: c for c in selectors.linkable_cases(user).filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise common.field_error("cases", _("These cases cannot be linked: %(ids)s") % {"ids": ", ".join(missing)})
    return [found[i] for i in ids]


class _ListMixin:
    pagination_class = Pagination

    def paginated(self, request, queryset, serializer_class, **kwargs):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True, **kwargs).data)


def _detail(request, incident) -> Response:
    return Response(IncidentSerializer(incident, context={"request": request}).data)


# --- incidents ----------------------------------------------------------------------------------


class IncidentListView(_ListMixin, APIView):
    """Incidents in the caller's scope; filters as on the list page (`type`, `subtype`, `setting`,
    `context`, `verification`, `platform`, `province`, `regency`, `date_from`, `date_to`, `case`, `q`)."""

    @extend_schema(operation_id="incidents_list", responses=page_of(IncidentListSerializer), parameters=_params(
        "type", "subtype", "setting", "context", "verification", "platform", "province", "regency", "date_from",
        "date_to", "case", "q", "page", "page_size"))
    def get(self, request):
        policy.require(request.user, selectors.VIEW)
        filters = selectors.IncidentFilters.from_params(request.query_params)
        return self.paginated(request, selectors.incident_list(user=request.user, filters=filters),
                              IncidentListSerializer)

    @extend_schema(request=IncidentCreateSerializer, responses={201: IncidentSerializer})
    def post(self, request):
        policy.require(request.user, services.CREATE)
        serializer = IncidentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, extra = serializer.split()
        cases = _linkable(request.user, data.pop("cases"))
        incident = services.incident_create(actor=request.user, cases=cases, data=data, types=extra["types"],
                                            online_subtypes=extra.get("online_subtypes", []),
                                            platforms=extra.get("platforms", []))
        response = _detail(request, selectors.incident_get(user=request.user, pk=incident.pk, record_view=False))
        response.status_code = status.HTTP_201_CREATED
        return response


class IncidentDetailView(APIView):
    @extend_schema(responses=IncidentSerializer)
    def get(self, request, pk):
        policy.require(request.user, selectors.VIEW)
        return _detail(request, selectors.incident_get(user=request.user, pk=pk))

    @extend_schema(request=IncidentWriteSerializer, responses=IncidentSerializer)
    def patch(self, request, pk):
        policy.require(request.user, selectors.EDIT)
        incident = selectors.incident_get(user=request.user, pk=pk, action=selectors.EDIT, record_view=False)
        serializer = IncidentWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data, extra = serializer.split()
        services.incident_update(actor=request.user, incident=incident, data=data, types=extra.get("types"),
                                 online_subtypes=extra.get("online_subtypes"), platforms=extra.get("platforms"))
        return _detail(request, selectors.incident_get(user=request.user, pk=pk, record_view=False))


class IncidentCasesView(APIView):
    """Link a child case (`{"case": id}`) to the incident."""

    @extend_schema(request=IncidentCaseLinkSerializer, responses={201: IncidentSerializer})
    def post(self, request, pk):
        policy.require(request.user, selectors.EDIT)
        incident = selectors.incident_get(user=request.user, pk=pk, action=selectors.EDIT, record_view=False)
        serializer = IncidentCaseLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        (case,) = _linkable(request.user, [serializer.validated_data["case"]])
        services.incident_link_case(actor=request.user, incident=incident, case=case)
        response = _detail(request, selectors.incident_get(user=request.user, pk=pk, record_view=False))
        response.status_code = status.HTTP_201_CREATED
        return response


class IncidentCaseDetailView(APIView):
    """Unlink a child case from the incident."""

    @extend_schema(responses={204: None})
    def delete(self, request, pk, case_pk):
        policy.require(request.user, selectors.EDIT)
        incident = selectors.incident_get(user=request.user, pk=pk, action=selectors.EDIT, record_view=False)
        case = incident.cases.filter(pk=case_pk).first()
        if case is None:
            raise DomainError(_("This case is not linked to the incident."), code="not_linked",
                              fields={"case": [str(_("This case is not linked to the incident."))]})
        services.incident_unlink_case(actor=request.user, incident=incident, case=case)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PerpetratorListView(APIView):
    @extend_schema(request=PerpetratorWriteSerializer, responses={201: PerpetratorSerializer})
    def post(self, request, pk):
        policy.require(request.user, selectors.EDIT)
        incident = selectors.incident_get(user=request.user, pk=pk, action=selectors.EDIT, record_view=False)
        serializer = PerpetratorWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        perpetrator = services.perpetrator_add(actor=request.user, incident=incident, data=serializer.validated_data)
        return Response(PerpetratorSerializer(perpetrator).data, status=status.HTTP_201_CREATED)


class PerpetratorDetailView(APIView):
    @extend_schema(request=PerpetratorWriteSerializer, responses=PerpetratorSerializer)
    def patch(self, request, pk):
        policy.require(request.user, selectors.EDIT)
        perpetrator = selectors.perpetrator_get(user=request.user, pk=pk)
        serializer = PerpetratorWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        perpetrator = services.perpetrator_update(actor=request.user, perpetrator=perpetrator,
                                                  data=serializer.validated_data)
        return Response(PerpetratorSerializer(perpetrator).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        policy.require(request.user, selectors.EDIT)
        perpetrator = selectors.perpetrator_get(user=request.user, pk=pk)
        services.perpetrator_remove(actor=request.user, perpetrator=perpetrator)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- reference lists and fixed classifications --------------------------------------------------


class PlatformListView(APIView):
    @extend_schema(responses=PlatformSerializer(many=True))
    def get(self, request):
        policy.require(request.user, selectors.VIEW)
        return Response(PlatformSerializer(Platform.objects.all(), many=True).data)

    @extend_schema(request=PlatformSerializer, responses={201: PlatformSerializer})
    def post(self, request):
        policy.require(request.user, services.REFERENCE)
        serializer = PlatformSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.reference_save(actor=request.user, model=Platform, data=serializer.validated_data)
        return Response(PlatformSerializer(item).data, status=status.HTTP_201_CREATED)


class PlatformDetailView(APIView):
    @extend_schema(request=PlatformSerializer, responses=PlatformSerializer)
    def patch(self, request, pk):
        policy.require(request.user, services.REFERENCE)
        item = Platform.objects.filter(pk=pk).first()
        if item is None:
            raise policy.OutOfScope(services.REFERENCE, Platform, {"pk": pk})
        serializer = PlatformSerializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        item = services.reference_save(actor=request.user, model=Platform, data=serializer.validated_data,
                                       instance=item)
        return Response(PlatformSerializer(item).data)


def _choices(choices) -> list[dict]:
    return [{"code": code, "label": str(label)} for code, label in choices]


class ChoicesView(APIView):
    """The fixed classifications with their labels in the request's language, and the search
    synonyms (terms to avoid, accepted as search words only)."""

    @extend_schema(responses=IncidentChoicesSerializer)
    def get(self, request):
        policy.require(request.user, selectors.VIEW)
        return Response({
            "exploitation_types": _choices(ExploitationType.choices),
            "online_subtypes": _choices(OnlineSubtype.choices),
            "settings": _choices(Setting.choices), "modus": _choices(Modus.choices),
            "exchanged": _choices(Exchange.choices), "sources": _choices(InformationSource.choices),
            "verification": _choices(Verification.choices), "date_precision": _choices(DatePrecision.choices),
            "contexts": _choices(Context.choices), "perpetrator_roles": _choices(PerpetratorRole.choices),
            "perpetrator_relationships": _choices(PerpetratorRelationship.choices),
            "age_groups": _choices(AgeGroup.choices),
            "search_synonyms": [{"term": term, "type": str(code)} for term, code in SEARCH_SYNONYMS.items()],
        })
