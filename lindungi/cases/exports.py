"""CSV/XLSX export of a filtered case list. Without identifying fields by default; with them only
for supervisors after re-authentication (the views check), always audited."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from lindungi.audit import services as audit
from lindungi.cases.models import Concern
from lindungi.core import policy
from lindungi.core.errors import DomainError

CHUNK = 2000
XLSX_MAX_ROWS = 100_000  # beyond this, CSV (streamed) is the format


def columns(identifying: bool) -> list[tuple[str, str]]:
    cols = [
        ("number", _("Case number")), ("registered_on", _("Registration date")), ("status", _("Status")),
        ("risk_level", _("Risk level")), ("source", _("How the case reached us")), ("concerns", _("Protection concerns")),
        ("sex", _("Sex")), ("age_years", _("Age at registration")), ("age_group", _("Age group")),
        ("province", _("Province")), ("regency", _("Regency/city")), ("assigned_caseworker", _("Assigned caseworker")),
        ("closure_reason", _("Closure reason")), ("closed_on", _("Closed on")),
    ]
    if identifying:
        cols += [("full_name", _("Full name")), ("aliases", _("Aliases")), ("birth_date", _("Date of birth")),
                 ("nik", _("NIK")), ("street_address", _("Street address")), ("phone", _("Phone"))]
    return cols


def _safe(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell never starts with = + - @."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def rows(queryset, identifying: bool):
    concerns = dict(Concern.choices)
    related = ["assigned_caseworker", "province", "regency", *(["child"] if identifying else [])]
    qs = queryset.select_related(None).select_related(*related)
    for case in qs.iterator(chunk_size=CHUNK):
        row = [
            case.number, case.registered_on.isoformat(), case.get_status_display(), case.get_risk_level_display(),
            case.get_source_display(), "; ".join(str(concerns.get(c, c)) for c in case.concerns or []),
            case.get_sex_display(), case.age_years if case.age_years is not None else "", case.age_group,
            case.province.name if case.province else "", case.regency.name if case.regency else "",
            case.assigned_caseworker.full_name if case.assigned_caseworker else "",
            case.get_closure_reason_display() if case.closure_reason else "",
            case.closed_on.isoformat() if case.closed_on else "",
        ]
        if identifying:
            child = case.child
            row += ([child.full_name, child.aliases, child.birth_date.isoformat() if child.birth_date else "", child.nik,
                     child.street_address, child.phone] if child else [""] * 6)
        yield [_safe(v) for v in row]


class _Echo:
    def write(self, value):
        return value


def export_response(*, user, queryset, fmt: str, identifying: bool, filters: dict):
    """The export file. The caller has already checked re-authentication for identifying exports."""
    action = "cases.case.export_identifying" if identifying else "cases.case.export"
    policy.require(user, action)
    if identifying:
        policy.require(user, "cases.case.export")
    queryset = policy.scope_filter(user, action, queryset)
    if fmt not in ("csv", "xlsx"):
        raise DomainError(_("Choose CSV or XLSX."), fields={"format": [_("Choose CSV or XLSX.")]})
    count = queryset.count()
    audit.record("cases.case.exported", actor=user, payload={
        "format": fmt, "identifying": identifying, "rows": count, "filters": sorted(k for k, v in filters.items() if v)})
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"cases-{stamp}{'-identifying' if identifying else ''}.{fmt}"
    header = [label for _key, label in columns(identifying)]
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def stream():
            yield "\ufeff"  # a BOM so spreadsheet programs read UTF-8
            yield writer.writerow(header)
            for row in rows(queryset, identifying):
                yield writer.writerow(row)

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    else:
        if count > XLSX_MAX_ROWS:
            raise DomainError(_("Too many rows for XLSX; export CSV instead or narrow the filters."), code="too_many_rows")
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Cases"))
        sheet.append(header)
        for row in rows(queryset, identifying):
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
