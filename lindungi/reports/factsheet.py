"""The factsheet: two A4 pages for a period and a province (or the whole network), in Indonesian or
English: key figures, charts, legal outcomes and program reach. Every figure is suppressed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lindungi.core.errors import DomainError
from lindungi.reports import charts
from lindungi.reports.exports import legend
from lindungi.reports.measures import Audience, Filters, registry
from lindungi.reports.rendering import pdf_from_template
from lindungi.reports.selectors import audience_for
from lindungi.reports.tables import compute_table

KEY_MEASURES = ("cases", "children", "incidents", "perpetrators", "referrals")


@dataclass(frozen=True)
class Period:
    date_from: datetime.date
    date_to: datetime.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    def label(self) -> str:
        if (self.date_from.month, self.date_from.day, self.date_to.month, self.date_to.day) == (1, 1, 12, 31) \
                and self.date_from.year == self.date_to.year:
            return str(self.date_from.year)
        return f"{self.date_from:%d-%m-%Y} – {self.date_to:%d-%m-%Y}"

    def validate(self) -> Period:
        if self.date_to < self.date_from:
            raise DomainError(_("The end of the period is before its start."), code="invalid_period",
                              fields={"date_to": [_("The end of the period is before its start.")]})
        return self


def key_figures(audience: Audience, filters: Filters) -> list[dict]:
    figures = []
    available = registry()
    for key in KEY_MEASURES:
        if key in available:
            table = compute_table(measure_key=key, rows="year", audience=audience, filters=filters)
            figures.append({"key": key, "label": str(available[key].label), "value": table.total_display()})
    return figures


def program_reach(user, audience: Audience, filters: Filters) -> dict | None:
    """Activities held and people reached (participant counts of program activities)."""
    try:
        from lindungi.programs import selectors as programs
    except ImportError:  # pragma: no cover - programs app not installed
        return None
    activity_filters = {}
    if filters.province:
        activity_filters["province"] = filters.province
    if audience.level == Audience.ORGANISATION:
        activity_filters["organisation"] = audience.organisation_id
    activities = programs.activity_list(user=user, filters=activity_filters)
    if filters.date_from:
        activities = activities.filter(start_date__gte=filters.date_from)
    if filters.date_to:
        activities = activities.filter(start_date__lte=filters.date_to)
    reach = programs.reach_summary(activities)
    by_type = programs.activities_by(activities, "type")
    return {"total_people": reach["total"], "activities": sum(r["value"] for r in by_type),
            "by_type": by_type[:8], "by_sex": reach["by_sex"]}


def _table_block(table, chart_id, *, chart=True):
    block = {"table": table, "header": table.header(), "rows": table.display_rows(), "notes": table.notes}
    block["chart"] = charts.table_chart(table, chart_id=chart_id) if chart else None
    return block


def factsheet_context(*, user, level: str | None, period: Period, province: str = "", language: str = "id") -> dict:
    period.validate()
    with translation.override(language):
        audience = audience_for(user, level)
        filters = Filters(date_from=period.date_from, date_to=period.date_to, province=province)
        available = registry()
        place = _("the whole network")
        if province:
            from lindungi.geo.models import Region

            region = Region.objects.filter(code=province, level=Region.Level.PROVINCE).first()
            if region is None:
                raise DomainError(_("Unknown province."), code="invalid_province", fields={"province": [_("Unknown province.")]})
            place = region.name
        by_type = compute_table(measure_key="children", rows="type", audience=audience, filters=filters)
        by_age_sex = compute_table(measure_key="children", rows="age_group", cols="sex", audience=audience, filters=filters)
        by_age = compute_table(measure_key="children", rows="age_group", audience=audience, filters=filters)
        trend = compute_table(measure_key="cases", rows="month", audience=audience, filters=filters)
        context = {
            "language": language,
            "title": _("Factsheet: sexual exploitation of children"),
            "place": place,
            "period": period.label(),
            "audience": audience,
            "figures": key_figures(audience, filters),
            "by_type": _table_block(by_type, "fs-type"),
            "by_age": _table_block(by_age, "fs-age"),
            "by_age_sex": _table_block(by_age_sex, "fs-age-sex", chart=False),
            "trend": _table_block(trend, "fs-trend"),
            "legal": None,
            "reach": program_reach(user, audience, filters),
            "legend": legend(by_type.k),
            "generated": timezone.localdate(),
        }
        if "legal" in available:
            legal = compute_table(measure_key="legal", rows="outcome", audience=audience, filters=filters)
            context["legal"] = _table_block(legal, "fs-legal", chart=False)
        else:
            context["legal_missing"] = _("Legal outcomes are not available yet: the legal-case module is not installed.")
        return context


def factsheet_pdf(**kwargs) -> bytes:
    context = factsheet_context(**kwargs)
    with translation.override(context["language"]):
        return pdf_from_template("reports/factsheet_pdf.html", context)
