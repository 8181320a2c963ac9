"""`/api/v1/regions/`: Indonesia's regions for API clients and pickers (read-only reference data)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from lindungi.api.permissions import IsAuthenticatedWithMFA, PolicyPermission
from lindungi.geo import selectors
from lindungi.geo.models import Region

# A province, regency or district code (see loader.CODE_PATTERNS).
CODE_REGEX = r"\d{2}(?:\.\d{2}(?:\.\d{2,3})?)?"


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True,
                                   help_text="Code of the region this one lies in (null for a province).")
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "level_display", "parent"]


class RegionFilter(django_filters.FilterSet):
    """Filters on top of the selector's scoped queryset."""

    level = django_filters.ChoiceFilter(choices=Region.Level.choices, help_text="province, regency or district")
    parent = django_filters.CharFilter(field_name="parent_id", help_text="Children of this region code, e.g. 31.71")
    within = django_filters.CharFilter(method="filter_within", help_text="Everything inside this region code, e.g. 31")
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains",
                                       help_text="Part of the name, e.g. bandung")

    class Meta:
        model = Region
        fields = ["level", "parent", "within", "search"]

    def filter_within(self, queryset, name, value):
        return queryset.filter(code__startswith=f"{value}.")


@extend_schema_view(
    list=extend_schema(summary=_("List regions"), description=(
        "Provinces, regencies/cities and districts with the Ministry of Home Affairs codes, ordered by code. "
        "Filter by `level`, `parent` (the children of a region), `within` (everything inside a region) "
        "and `search` (part of the name).")),
    retrieve=extend_schema(summary=_("One region by its code")),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionSerializer
    permission_classes = [IsAuthenticatedWithMFA, PolicyPermission]
    policy_action = selectors.VIEW
    filterset_class = RegionFilter
    lookup_field = "code"
    lookup_value_regex = CODE_REGEX

    def get_queryset(self):
        return selectors.region_list(user=self.request.user)

    def get_object(self):
        return selectors.region_get(user=self.request.user, code=self.kwargs["code"])
