"""Web views: dashboards, statistics tables and their exports, the anonymised dataset, the
factsheet and the annual report. Thin: they parse, call selectors/services, render."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lindungi.core import policy
from lindungi.core.errors import DomainError
from lindungi.reports import annual, charts, exports, services
from lindungi.reports.factsheet import factsheet_pdf, key_figures
from lindungi.reports.forms import AnnualChoiceForm, FactsheetForm, FilterForm, NarrativeForm, TableForm
from lindungi.reports.measures import Audience, Filters, registry
from lindungi.reports.models import SECTIONS
from lindungi.reports.rendering import DOCX_TYPE, PDF_TYPE
from lindungi.reports.selectors import (
    ANNUAL_EDIT,
    DATASET,
    EXPORT,
    LEVEL_LABELS,
    LEVEL_SCOPES,
    VIEW,
    audience_for,
    can_edit_narrative,
    default_level,
    narrative_get,
    statistics_table,
)
from lindungi.reports.tables import compute_table

FORMATS = {"csv": exports.CSV_TYPE, "xlsx": exports.XLSX_TYPE, "hxl": exports.CSV_TYPE}


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _inline(data: bytes, content_type: str, filename: str) -> HttpResponse:
    """PDFs are downloaded, not shown in the browser's viewer: they are meant to be shared."""
    return _download(data, content_type, filename)


def _query(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = value
    return urlencode([(k, v) for k, v in params.items() if v not in ("", None)])


def _blocks(audience: Audience, filters, *, can_export: bool, request):
    """The dashboard's tables: (spec, table, chart, export query)."""
    available = registry()
    trend_rows = "month" if filters.date_from and filters.date_to and \
        (filters.date_to - filters.date_from).days <= 400 else "year"
    specs = [("children", "type", None), ("children", "age_group", "sex"), ("cases", trend_rows, None)]
    if filters.province:
        specs.append(("children", "regency", None))
    elif audience.level == Audience.NETWORK:
        specs.append(("children", "province", None))
    if audience.level == Audience.NETWORK and not filters.organisation:
        specs.append(("children", "organisation", None))
    specs.append(("referrals", "service", None))
    for key, rows in (("incidents", "type"), ("perpetrators", "sex"), ("legal", "outcome")):
        if key in available:
            specs.append((key, rows, None))
    blocks = []
    for number, (measure, rows, cols) in enumerate(specs):
        table = compute_table(measure_key=measure, rows=rows, cols=cols, filters=filters, audience=audience)
        chart = None if cols else charts.table_chart(table, chart_id=f"chart-{number}", only_if_drawn=True)
        query = _query(request, measure=measure, rows=rows, cols=cols or "", level=audience.level)
        chart_url = None
        if chart is charts.NOT_DRAWN:  # drawn by its own request: the tables need not wait for it
            chart, chart_url = None, reverse("reports:chart") + "?" + _query(
                request, measure=measure, rows=rows, cols="", level=audience.level, chart=f"chart-{number}")
        blocks.append({"id": f"block-{number}", "table": table, "chart": chart, "chart_url": chart_url,
                       "header": table.header(), "rows": table.display_rows(), "query": query,
                       "can_export": can_export})
    return blocks


@login_required
@require_GET
def dashboard(request):
    _check_level(request, VIEW)
    form = FilterForm(request.GET or None, user=request.user,
                      initial={"level": default_level(request.user)})
    error = None
    blocks, figures, audience = [], [], None
    if request.GET and not form.is_valid():
        error = _("Please correct the filters.")
    else:
        level = (form.cleaned_data.get("level") if form.is_bound else None) or default_level(request.user)
        filters = form.filters() if form.is_bound else Filters()
        try:
            audience = audience_for(request.user, level)
            figures = key_figures(audience, filters)
            blocks = _blocks(audience, filters, can_export=policy.allowed(request.user, EXPORT), request=request)
        except DomainError as exc:
            error = str(exc.message)
    return render(request, "reports/dashboard.html", {
        "form": form, "error": error, "blocks": blocks, "figures": figures, "audience": audience,
        "level_label": LEVEL_LABELS.get(audience.level) if audience else "",
        "can_dataset": policy.allowed(request.user, DATASET), "k": blocks[0]["table"].k if blocks else None,
        "legend": exports.legend(blocks[0]["table"].k) if blocks else "",
    }, status=400 if error else 200)


def _check_level(request, action):
    """Asking for a level of figures one may not see is a denial (403), not a form error."""
    policy.require(request.user, action)
    level = request.GET.get("level")
    if level in LEVEL_SCOPES:
        audience_for(request.user, level, action)


def _table_from(request, action=VIEW):
    _check_level(request, action)
    form = TableForm(request.GET, user=request.user)
    if not form.is_valid():
        from lindungi.reports.forms import form_errors

        raise form_errors(form)
    data = form.cleaned_data
    table = statistics_table(user=request.user, measure=data["measure"], rows=data["rows"], cols=data["cols"] or None,
                             filters=form.filters(), level=data.get("level") or None, action=action)
    return form, table


@login_required
@require_GET
def table(request):
    policy.require(request.user, VIEW)
    context = {"form": TableForm(request.GET or None, user=request.user), "table": None, "error": None}
    if request.GET:
        try:
            form, result = _table_from(request)
            context.update(form=form, table=result, chart=charts.table_chart(result, chart_id="chart-table"),
                           header=result.header(), rows=result.display_rows(), query=request.GET.urlencode(),
                           legend=exports.legend(result.k), can_export=policy.allowed(request.user, EXPORT))
        except DomainError as exc:
            context["error"] = str(exc.message)
    return render(request, "reports/table.html", context, status=400 if context["error"] else 200)


@login_required
@require_GET
def chart(request):
    """One dashboard chart, drawn on its own request (the dashboard shows its tables first)."""
    policy.require(request.user, VIEW)
    try:
        _form, result = _table_from(request)
    except DomainError as exc:
        return HttpResponse(str(exc.message), status=400, content_type="text/plain; charset=utf-8")
    chart_id = re.sub(r"[^A-Za-z0-9_-]+", "", request.GET.get("chart", ""))[:40] or "chart"
    drawn = charts.table_chart(result, chart_id=chart_id)
    return render(request, "reports/_chart.html", {"chart": drawn})


@login_required
@require_GET
def table_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    policy.require(request.user, EXPORT)
    try:
        _form, result = _table_from(request, action=EXPORT)
    except DomainError as exc:
        return HttpResponse(str(exc.message), status=400, content_type="text/plain; charset=utf-8")
    data = {"csv": exports.table_csv, "xlsx": exports.table_xlsx, "hxl": exports.table_hxl}[fmt](result)
    services.export_recorded(actor=request.user, kind=fmt, table=result.key, filters=result.filters.for_audit(),
                             level=result.audience.level, fmt=fmt)
    ext = "xlsx" if fmt == "xlsx" else "csv"
    suffix = "-hxl" if fmt == "hxl" else ""
    return _download(data, FORMATS[fmt], f"{result.key}{suffix}-{timezone.localdate():%Y%m%d}.{ext}")


@login_required
@require_http_methods(["GET", "POST"])
def dataset(request):
    policy.require(request.user, DATASET)
    form = FilterForm(request.POST or None, user=request.user)
    levels = [lvl for lvl in (Audience.ORGANISATION, Audience.NETWORK)
              if policy.allowed(request.user, DATASET, policy.Scope.ORGANISATION if lvl == Audience.ORGANISATION
                                else policy.Scope.NETWORK)]
    form.fields["level"].choices = [(lvl, LEVEL_LABELS[lvl]) for lvl in levels]
    if request.method == "POST" and form.is_valid():
        try:
            audience = audience_for(request.user, form.cleaned_data.get("level") or levels[0], action=DATASET)
            filters = form.filters()
            data, count = exports.anonymised_dataset(audience, filters)
            services.export_recorded(actor=request.user, kind="dataset", table="anonymised-cases",
                                     filters=filters.for_audit(), level=audience.level, fmt="csv", rows=count)
            return _download(data, exports.CSV_TYPE, f"lindungi-anonymised-{timezone.localdate():%Y%m%d}.csv")
        except DomainError as exc:
            form.add_error(None, str(exc.message))
    return render(request, "reports/dataset.html", {"form": form, "k": compute_k()},
                  status=400 if form.is_bound else 200)


def compute_k() -> int:
    from lindungi.reports.tables import threshold

    return threshold()


@login_required
@require_GET
def factsheet(request):
    policy.require(request.user, VIEW)
    form = FactsheetForm(initial={"level": default_level(request.user), "year": timezone.localdate().year,
                                  "language": translation.get_language() or "id"}, user=request.user)
    return render(request, "reports/factsheet.html", {"form": form})


@login_required
@require_GET
def factsheet_download(request):
    policy.require(request.user, VIEW)
    form = FactsheetForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "reports/factsheet.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        pdf = factsheet_pdf(user=request.user, level=data.get("level") or None, period=form.period(),
                            province=data.get("province") or "", language=data["language"])
    except DomainError as exc:
        form.add_error(None, str(exc.message))
        return render(request, "reports/factsheet.html", {"form": form}, status=400)
    services.export_recorded(actor=request.user, kind="factsheet", table="factsheet",
                             filters={"period": form.period().label(), "province": data.get("province") or ""},
                             level=data.get("level") or default_level(request.user), fmt="pdf")
    return _inline(pdf, PDF_TYPE, f"factsheet-{form.period().label().replace(' ', '')}-{data['language']}.pdf")


# --- annual report ---------------------------------------------------------------------------

def organisation_for(scope: str):
    """`network` or a member organisation's code (organisations are public, not personal data)."""
    from lindungi.accounts.models import Organisation

    if scope == "network":
        return None
    org = Organisation.objects.filter(code=scope.upper(), kind=Organisation.Kind.MEMBER).first()
    if org is None:
        raise Http404
    return org


def _language(request) -> str:
    lang = request.GET.get("lang") or (translation.get_language() or "id")[:2]
    return lang if lang in ("id", "en") else "id"


@login_required
@require_GET
def annual_list(request):
    policy.require(request.user, annual.ANNUAL_VIEW)
    form = AnnualChoiceForm(request.GET or None, initial={"year": timezone.localdate().year - 1,
                                                          "language": _language(request)})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        url = reverse("reports:annual_detail", args=[data["year"], data["scope"]])
        return redirect(f"{url}?lang={data['language']}")
    from lindungi.reports.models import AnnualNarrative

    saved = policy.scope_filter(request.user, annual.ANNUAL_VIEW,
                                AnnualNarrative.objects.select_related("organisation"))[:50]
    return render(request, "reports/annual_list.html", {"form": form, "saved": saved})


def _report(request, year, scope):
    organisation = organisation_for(scope)
    return annual.build_report(user=request.user, year=year, organisation=organisation, language=_language(request))


def domain_errors(view):
    """A DomainError (a year out of range, an unknown language) answers 400 with its message."""
    from functools import wraps

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return render(request, "core/error.html", {"status": 400, "message": exc.message}, status=400)

    return wrapper


@login_required
@require_GET
@domain_errors
def annual_detail(request, year: int, scope: str):
    report = _report(request, year, scope)
    organisation = report.organisation
    return render(request, "reports/annual_detail.html", {
        "report": report, "scope": scope, "lang": report.language,
        "can_edit": can_edit_narrative(request.user, organisation),
        "other_lang": "en" if report.language == "id" else "id",
    })


@login_required
@require_GET
@domain_errors
def annual_pdf(request, year: int, scope: str):
    report = _report(request, year, scope)
    pdf = annual.report_pdf(report)
    services.export_recorded(actor=request.user, kind="annual", table=f"annual-{year}-{scope}", filters={"year": year},
                             level=scope if scope == "network" else "organisation", fmt="pdf")
    return _inline(pdf, PDF_TYPE, f"annual-report-{year}-{scope.lower()}-{report.language}.pdf")


@login_required
@require_GET
@domain_errors
def annual_docx(request, year: int, scope: str):
    report = _report(request, year, scope)
    data = annual.report_docx(report)
    services.export_recorded(actor=request.user, kind="annual", table=f"annual-{year}-{scope}", filters={"year": year},
                             level=scope if scope == "network" else "organisation", fmt="docx")
    return _download(data, DOCX_TYPE, f"annual-report-{year}-{scope.lower()}-{report.language}.docx")


@login_required
@require_http_methods(["GET", "POST"])
def annual_edit(request, year: int, scope: str):
    organisation = organisation_for(scope)
    language = _language(request)
    policy.require(request.user, ANNUAL_EDIT)
    if not can_edit_narrative(request.user, organisation):
        raise policy.PolicyDenied(ANNUAL_EDIT)
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                services.narrative_save(actor=request.user, year=year, organisation=organisation, language=language,
                                        sections={name: form.cleaned_data[name] for name in SECTIONS})
                messages.success(request, _("The narrative is saved."))
                return redirect(f"{reverse('reports:annual_detail', args=[year, scope])}?lang={language}")
            except DomainError as exc:
                form.add_error(None, str(exc.message))
        status = 400
    else:
        report = annual.build_report(user=request.user, year=year, organisation=organisation, language=language)
        saved = narrative_get(user=request.user, year=year, organisation=organisation, language=language)
        form = NarrativeForm(initial={name: (getattr(saved, name) if saved and getattr(saved, name)
                                             else report.sections[name].text) for name in SECTIONS})
        status = 200
    return render(request, "reports/annual_edit.html", {
        "form": form, "year": year, "scope": scope, "lang": language, "organisation": organisation,
    }, status=status)
