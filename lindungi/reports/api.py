"""The API twin of the statistics pages: suppressed statistics tables (JSON), their exports, the
anonymised dataset, the factsheet PDF and the annual report (JSON sections, HTML, PDF, DOCX), and
the narrative. The same selectors and services as the web views."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lindungi.api.permissions import IsAuthenticatedWithMFA, PolicyPermission
from lindungi.core.errors import DomainError
from lindungi.reports import annual, exports, services
from lindungi.reports.factsheet import factsheet_pdf
from lindungi.reports.forms import FactsheetForm, FilterForm, TableForm, form_errors
from lindungi.reports.models import SECTIONS
from lindungi.reports.rendering import DOCX_TYPE, PDF_TYPE
from lindungi.reports.selectors import (
    ANNUAL_EDIT,
    ANNUAL_VIEW,
    DATASET,
    EXPORT,
    VIEW,
    audience_for,
    can_edit_narrative,
    narrative_get,
    statistics_table,
)
from lindungi.reports.views import FORMATS, _download, _inline, organisation_for

FILTER_PARAMS = [
    OpenApiParameter("level", OpenApiTypes.STR, enum=["network", "organisation", "personal"]),
    OpenApiParameter("year", OpenApiTypes.INT),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("province", OpenApiTypes.STR),
    OpenApiParameter("regency", OpenApiTypes.STR),
    OpenApiParameter("type", OpenApiTypes.STR),
    OpenApiParameter("organisation", OpenApiTypes.INT),
]
TABLE_PARAMS = [OpenApiParameter("measure", OpenApiTypes.STR, required=True),
                OpenApiParameter("rows", OpenApiTypes.STR, required=True),
                OpenApiParameter("cols", OpenApiTypes.STR), *FILTER_PARAMS]


def _table(request, action):
    level = request.query_params.get("level")
    if level in ("network", "organisation", "personal"):
        audience_for(request.user, level, action)  # a level one may not see: 403
    form = TableForm(request.query_params, user=request.user)
    if not form.is_valid():
        raise form_errors(form)
    data = form.cleaned_data
    return statistics_table(user=request.user, measure=data["measure"], rows=data["rows"], cols=data["cols"] or None,
                            filters=form.filters(), level=data.get("level") or None, action=action)


class StatisticsView(APIView):
    """One statistics table, suppressed: hidden cells have `value: null` and a display of "<5" or "x"."""

    permission_classes = [IsAuthenticatedWithMFA, PolicyPermission]
    policy_action = VIEW

    @extend_schema(parameters=TABLE_PARAMS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(_table(request, VIEW).to_json())


class StatisticsExportView(APIView):
    permission_classes = [IsAuthenticatedWithMFA, PolicyPermission]
    policy_action = EXPORT

    @extend_schema(parameters=[OpenApiParameter("fmt", OpenApiTypes.STR, enum=list(FORMATS)), *TABLE_PARAMS],
                   responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request):
        fmt = request.query_params.get("fmt", "csv")
        if fmt not in FORMATS:
            raise DomainError("csv, xlsx, hxl", code="invalid_format", fields={"fmt": ["csv, xlsx, hxl"]})
        table = _table(request, EXPORT)
        data = {"csv": exports.table_csv, "xlsx": exports.table_xlsx, "hxl": exports.table_hxl}[fmt](table)
        services.export_recorded(actor=request.user, kind=fmt, table=table.key, filters=table.filters.for_audit(),
                                 level=table.audience.level, fmt=fmt)
        ext = "xlsx" if fmt == "xlsx" else "csv"
        return _download(data, FORMATS[fmt], f"{table.key}-{timezone.localdate():%Y%m%d}.{ext}")


class DatasetView(APIView):
    """The anonymised case-level dataset (CSV)."""

    permission_classes = [IsAuthenticatedWithMFA, PolicyPermission]
    policy_action = DATASET

    @extend_schema(parameters=FILTER_PARAMS, responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request):
        form = FilterForm(request.query_params, user=request.user)
        form.fields["level"].choices = [("organisation", "organisation"), ("network", "network")]
        if not form.is_valid():
            raise form_errors(form)
        audience = audience_for(request.user, form.cleaned_data.get("level") or "organisation", action=DATASET)
        filters = form.filters()
        data, count = exports.anonymised_dataset(audience, filters)
        services.export_recorded(actor=request.user, kind="dataset", table="anonymised-cases",
                                 filters=filters.for_audit(), level=audience.level, fmt="csv", rows=count)
        return _download(data, exports.CSV_TYPE, f"lindungi-anonymised-{timezone.localdate():%Y%m%d}.csv")


class FactsheetView(APIView):
    permission_classes = [IsAuthenticatedWithMFA, PolicyPermission]
    policy_action = VIEW

    @extend_schema(parameters=[OpenApiParameter("language", OpenApiTypes.STR, enum=["id", "en"]), *FILTER_PARAMS[:5]],
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request):
        form = FactsheetForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise form_errors(form)
        data = form.cleaned_data
        pdf = factsheet_pdf(user=request.user, level=data.get("level") or None, period=form.period(),
                            province=data.get("province") or "", language=data["language"])
        services.export_recorded(actor=request.user, kind="factsheet", table="factsheet",
                                 filters={"period": form.period().label(), "province": data.get("province") or ""},
                                 level=data.get("level") or "", fmt="pdf")
        return _inline(pdf, PDF_TYPE, f"factsheet-{data['language']}.pdf")


def _language(request) -> str:
    lang = request.query_params.get("lang", "id")
    if lang not in ("id", "en"):
        raise DomainError("id, en", code="invalid_language", fields={"lang": ["id, en"]})
    return lang


class AnnualReportView(APIView):
    """The annual report: `fmt=json` (default: sections and statistics), `html`, `pdf` or `docx`."""

    permission_classes = [IsAuthenticatedWithMFA, PolicyPermission]
    policy_action = ANNUAL_VIEW

    @extend_schema(parameters=[OpenApiParameter("lang", OpenApiTypes.STR, enum=["id", "en"]),
                               OpenApiParameter("fmt", OpenApiTypes.STR, enum=["json", "html", "pdf", "docx"])],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request, year: int, scope: str):
        organisation = organisation_for(scope)
        report = annual.build_report(user=request.user, year=year, organisation=organisation, language=_language(request))
        fmt = request.query_params.get("fmt", "json")
        if fmt in ("pdf", "docx"):
            services.export_recorded(actor=request.user, kind="annual", table=f"annual-{year}-{scope}",
                                     filters={"year": year}, level="network" if organisation is None else "organisation",
                                     fmt=fmt)
        if fmt == "pdf":
            return _inline(annual.report_pdf(report), PDF_TYPE, f"annual-report-{year}-{scope}.pdf")
        if fmt == "docx":
            return _download(annual.report_docx(report), DOCX_TYPE, f"annual-report-{year}-{scope}.docx")
        if fmt == "html":
            html = render_to_string("reports/annual_pdf.html", {"report": report, "language": report.language})
            return HttpResponse(html, content_type="text/html; charset=utf-8")
        if fmt != "json":
            raise DomainError("json, html, pdf, docx", code="invalid_format", fields={"fmt": ["json, html, pdf, docx"]})
        return Response({
            "year": report.year, "language": report.language, "title": report.title, "organisation": report.subtitle,
            "sections": {k: {"title": s.title, "text": s.text, "generated": s.generated} for k, s in report.sections.items()},
            "programs": [{k: v for k, v in p.items() if k in ("code", "title", "period", "donors", "provinces", "reach")}
                         for p in report.programs],
            "events": [{"title": e["title"], "start": e["start"], "end": e["end"], "place": e["place"],
                        "participants": e["people"]} for e in report.events],
            "statistics": [b.table.to_json() for b in report.statistics],
        })


class NarrativeSerializer(serializers.Serializer):
    intro = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    highlights = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    successes = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    lessons = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    challenges = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    closing = serializers.CharField(required=False, allow_blank=True, max_length=20000)


class NarrativeView(APIView):
    """The saved narrative of one report (GET) and its update (PUT: the sections given)."""

    permission_classes = [IsAuthenticatedWithMFA, PolicyPermission]
    policy_actions = {"GET": ANNUAL_VIEW, "PUT": ANNUAL_EDIT}

    @extend_schema(parameters=[OpenApiParameter("lang", OpenApiTypes.STR, enum=["id", "en"])],
                   responses=NarrativeSerializer)
    def get(self, request, year: int, scope: str):
        organisation = organisation_for(scope)
        annual.check_view(request.user, organisation)
        saved = narrative_get(user=request.user, year=year, organisation=organisation, language=_language(request))
        return Response({name: getattr(saved, name, "") for name in SECTIONS}
                        | {"editable": can_edit_narrative(request.user, organisation)})

    @extend_schema(parameters=[OpenApiParameter("lang", OpenApiTypes.STR, enum=["id", "en"])],
                   request=NarrativeSerializer, responses=NarrativeSerializer)
    def put(self, request, year: int, scope: str):
        organisation = organisation_for(scope)
        serializer = NarrativeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        narrative = services.narrative_save(actor=request.user, year=year, organisation=organisation,
                                            language=_language(request), sections=serializer.validated_data)
        return Response({name: getattr(narrative, name) for name in SECTIONS} | {"editable": True})
