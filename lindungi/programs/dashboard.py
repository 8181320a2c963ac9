"""The data behind the program page and the dashboard: each chart is defined once, and the page
shows the same rows as a table (accessibility) that the SVG draws."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lindungi.programs import charts
from lindungi.programs.selectors import activities_by, reach_summary


@dataclass
class Chart:
    name: str
    title: str
    value_label: str
    rows: list[dict]
    targets: list | None = None
    kind: str = "bar"
    src: str = ""  # the URL of the SVG, set by the view

    def svg(self) -> str:
        pairs = [(row["label"], row["value"]) for row in self.rows]
        if self.kind == "line":
            return charts.line_chart(pairs, title=str(self.title), value_label=str(self.value_label))
        return charts.bar_chart(pairs, title=str(self.title), value_label=str(self.value_label), targets=self.targets,
                                target_label=str(_("Target")) if self.targets else "",
                                series_label=str(_("Actual")) if self.targets else "")


CHART_NAMES = ("activities-by-month", "activities-by-type", "activities-by-province", "reach-by-sex", "reach-by-age",
               "reach-by-group", "reach-by-province")


def with_src(chart: Chart, **params) -> Chart:
    from urllib.parse import urlencode

    from django.urls import reverse

    name = "indicator" if chart.name.startswith("indicator-") else chart.name
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    chart.src = reverse("programs:chart", args=[name]) + (f"?{query}" if query else "")
    return chart


def activity_chart(name: str, activities) -> Chart:
    if name.startswith("activities-by-"):
        dimension = name.removeprefix("activities-by-")
        titles = {"month": _("Activities over time"), "type": _("Activities by type"),
                  "province": _("Activities by province")}
        return Chart(name, titles[dimension], _("Activities held"), activities_by(activities, dimension),
                     kind="line" if dimension == "month" else "bar")
    if name.startswith("reach-by-"):
        summary = reach_summary(activities)
        key = {"sex": "by_sex", "age": "by_age_group", "group": "by_stakeholder_group",
               "province": "by_province"}[name.removeprefix("reach-by-")]
        titles = {"by_sex": _("People reached by sex"), "by_age_group": _("People reached by age group"),
                  "by_stakeholder_group": _("People reached by stakeholder group"),
                  "by_province": _("People reached by province")}
        return Chart(name, titles[key], _("Participants"), summary[key])
    raise KeyError(name)


def indicator_chart(progress) -> Chart:
    periods = progress.periods or [progress.total]
    rows = [{"label": f"{p.start:%m/%Y}–{p.end:%m/%Y}", "value": p.actual or 0} for p in periods]
    return Chart(f"indicator-{progress.indicator.pk}", progress.indicator.title, progress.indicator.unit or _("Value"),
                 rows, targets=[p.target for p in periods])
