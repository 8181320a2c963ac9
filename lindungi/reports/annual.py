"""The annual report of one organisation or of the whole network, for one year, in Indonesian or
English, as HTML, PDF and DOCX.

Contents (what the network's 2012 report covers, and more): profile, the year's programs with
their donors, activities, reach and results, events, case and legal statistics (suppressed),
successes and lessons learned, challenges ahead. The narrative sections are written by people
(`AnnualNarrative`); until they are, sensible defaults are generated from the programs' successes,
lessons and challenges entries and from the year's events.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lindungi.accounts.models import Organisation
from lindungi.core import policy
from lindungi.core.errors import DomainError
from lindungi.core.policy import Scope
from lindungi.reports import charts
from lindungi.reports.exports import legend
from lindungi.reports.measures import Audience, registry
from lindungi.reports.models import SECTION_LABELS, SECTIONS, AnnualNarrative, Language
from lindungi.reports.rendering import Docx, pdf_from_template
from lindungi.reports.selectors import ANNUAL_VIEW, year_filters
from lindungi.reports.tables import compute_table


@dataclass
class Section:
    key: str
    title: str
    text: str
    generated: bool

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.split("\n\n") if p.strip()]


@dataclass
class StatBlock:
    title: str
    header: list[str]
    rows: list[list[str]]
    notes: list[str]
    chart: object = None
    table: object = None
    key: str = ""


@dataclass
class AnnualReport:
    year: int
    language: str
    organisation: Organisation | None
    title: str
    subtitle: str
    members: list[dict]
    sections: dict[str, Section]
    programs: list[dict]
    events: list[dict]
    statistics: list[StatBlock]
    legal_missing: str
    legend: str
    generated: object
    extra: dict = field(default_factory=dict)


def check_view(user, organisation) -> None:
    granted = policy.require(user, ANNUAL_VIEW)
    if Scope.NETWORK in granted:
        return
    if organisation is None or organisation.pk != user.organisation_id:
        raise policy.OutOfScope(ANNUAL_VIEW)


def _network_name() -> str:
    secretariat = Organisation.objects.filter(kind=Organisation.Kind.SECRETARIAT).first()
    return secretariat.name if secretariat else _("the network")


def _members() -> list[dict]:
    members = Organisation.objects.filter(kind=Organisation.Kind.MEMBER, is_active=True).select_related("province")
    return [{"name": o.name, "code": o.code, "city": o.city, "province": o.province.name if o.province else ""}
            for o in members]


def _period_value(progress, year: int):
    """The target and actual of the period that best matches the year."""
    candidates = [p for p in progress.periods if p.start.year <= year <= p.end.year]
    if not candidates:
        return progress.total
    return min(candidates, key=lambda p: p.end - p.start)


def _indicator_value(indicator, year: int):
    """`_period_value(indicator_progress(indicator), year)` without evaluating the rule for every
    other period and every disaggregation: the period is chosen from the targets (and entered
    actuals) alone, then only its value is computed. Targets and actuals must be prefetched."""
    from lindungi.programs import selectors as programs
    from lindungi.programs.selectors.indicators import PeriodValue, rule_value

    targets = list(indicator.targets.all())
    computed = indicator.is_computed
    actuals = [] if computed else list(indicator.actuals.all())
    spans = sorted({(t.period_start, t.period_end) for t in targets} | {(a.period_start, a.period_end) for a in actuals})
    candidates = [(start, end) for start, end in spans if start.year <= year <= end.year]
    if not candidates:  # the whole program's value: as the programs app computes it
        return programs.indicator_progress(indicator).total
    start, end = min(candidates, key=lambda span: span[1] - span[0])
    program = indicator.result.program
    value = PeriodValue(start, end, is_total=(start, end) == (program.start_date, program.end_date))
    total_target = next((t for t in targets if (t.period_start, t.period_end) == (start, end) and not t.dimension), None)
    if total_target:
        value.target, value.target_note = total_target.value, total_target.note
    if computed:
        value.actual = rule_value(indicator, start, end)
    else:
        total_actual = next((a for a in actuals if (a.period_start, a.period_end) == (start, end) and not a.dimension),
                            None)
        if total_actual:
            value.actual, value.narrative, value.source = total_actual.value, total_actual.narrative, total_actual.source
    return value


def _programs(user, year: int, organisation) -> list[dict]:
    from lindungi.programs import selectors as programs
    from lindungi.programs.models import Activity, Indicator, Result
    from lindungi.programs.models.reference import localised

    filters = {"year": year}
    if organisation is not None:
        filters["organisation"] = organisation.pk
    # Programs running in the year, and programs prepared in it (activities in the year, e.g. a
    # proposal written in 2012 for a program that runs in 2013).
    running = set(programs.program_list(user=user, filters=filters).values_list("pk", flat=True))
    prepared = set(programs.activity_list(user=user, filters=filters).exclude(program__isnull=True)
                   .values_list("program_id", flat=True))
    selected = programs.program_list(user=user, filters={k: v for k, v in filters.items() if k != "year"}) \
        .filter(pk__in=running | prepared).order_by("start_date", "code")
    out = []
    indicators_qs = (Indicator.objects.order_by("order", "code", "pk").select_related("result__program")
                     .prefetch_related("targets", "actuals", "rule_activity_types", "rule_age_groups",
                                       "rule_stakeholder_groups"))
    results_qs = Result.objects.order_by("order", "code", "pk").prefetch_related(Prefetch("indicators", indicators_qs))
    for program in selected.prefetch_related("funding__donor", "provinces", "partners", Prefetch("results", results_qs)):
        activities = programs.activity_list(user=user, filters={"program": program.pk, "year": year})
        held = activities.filter(status=Activity.Status.COMPLETED)
        results = []
        for result in program.results.all():
            indicators = []
            for indicator in result.indicators.all():
                value = _indicator_value(indicator, year)
                indicators.append({"title": indicator.title, "unit": indicator.unit,
                                   "target": _number(value.target) or value.target_note,
                                   "actual": _number(value.actual) or value.narrative})
            results.append({"level": result.get_level_display(), "code": result.code, "title": result.title,
                            "indicators": indicators})
        out.append({
            "code": program.code,
            "title": program.title,
            "description": program.description,
            "period": f"{program.start_date:%d-%m-%Y} – {program.end_date:%d-%m-%Y}",
            "status": program.get_status_display(),
            "lead": program.lead_organisation.name,
            "donors": [f.donor.name for f in program.funding.all()],
            "partners": [p.name for p in program.partners.all()],
            "provinces": [r.name for r in program.provinces.all()],
            "activity_types": programs.activities_by(activities, "type"),
            "activities": [{"title": a.title, "date": a.start_date, "type": localised(a.type, "label"),
                            "place": a.location_label} for a in held.order_by("start_date")[:40]],
            "reach": programs.reach_summary(activities)["total"],
            "results": results,
        })
    return out


def _number(value):
    if value is None:
        return ""
    return f"{value:,.0f}".replace(",", ".") if value == int(value) else f"{value:.1f}"


def _events(user, year: int, organisation) -> list[dict]:
    from lindungi.programs import selectors as programs

    filters = {"year": year, "events": True}
    if organisation is not None:
        filters["organisation"] = organisation.pk
    events = (programs.activity_list(user=user, filters=filters)
              .annotate(people=Sum("participant_counts__count"), speaker_count=Count("speakers", distinct=True),
                        country_count=Count("countries", distinct=True))
              .order_by("start_date"))
    return [{"title": e.title, "start": e.start_date, "end": e.end_date, "place": e.location_label,
             "people": e.people or 0, "speakers": e.speaker_count, "countries": e.country_count,
             "description": e.description, "results": e.results_narrative} for e in events]


def _learning(user, year: int, organisation) -> dict[str, list]:
    from lindungi.programs import selectors as programs

    entries = programs.learning_list(user=user, year=year)
    if organisation is not None:
        entries = entries.filter(organisation=organisation)
    grouped = {"success": [], "lesson": [], "challenge": []}
    for entry in entries.order_by("pk"):
        grouped.setdefault(entry.kind, []).append(entry)
    return grouped


def default_sections(*, year: int, organisation, members, programs, events, learning) -> dict[str, str]:
    """Generated drafts of the narrative, in the active language."""
    if organisation is None:
        names = ", ".join(f"{m['name']} ({m['province']})" if m["province"] else m["name"] for m in members)
        intro = _("%(network)s brings together %(count)s member organisations: %(names)s.") % {
            "network": _network_name(), "count": len(members), "names": names}
    else:
        place = ", ".join(p for p in (organisation.city, organisation.province.name if organisation.province else "") if p)
        intro = _("%(name)s is a member organisation of the network%(place)s.") % {
            "name": organisation.name, "place": (" " + _("based in %(place)s") % {"place": place}) if place else ""}
    activity_count = sum(sum(t["value"] for t in p["activity_types"]) for p in programs)
    intro += "\n\n" + _("In %(year)s it carried out %(programs)s programs with %(activities)s activities.") % {
        "year": year, "programs": len(programs), "activities": activity_count}
    highlights = "\n\n".join(
        _("%(title)s (%(date)s, %(place)s): %(people)s participants.") % {
            "title": e["title"], "date": e["start"].strftime("%d-%m-%Y"), "place": e["place"] or "—", "people": e["people"]}
        for e in sorted(events, key=lambda e: -e["people"])[:5]
    )

    def entries(kind):
        return "\n\n".join(f"{entry.title}. {entry.text}" for entry in learning.get(kind, []))

    return {"intro": intro, "highlights": highlights, "successes": entries("success"), "lessons": entries("lesson"),
            "challenges": entries("challenge"), "closing": ""}


def _statistics(audience: Audience, year: int) -> tuple[list[StatBlock], str]:
    filters = year_filters(year)
    specs = [
        ("cases", "type", None, _("Cases by exploitation type")),
        ("children", "age_group", "sex", _("Child victims by age group and sex")),
        ("children", "province", None, _("Child victims by province")),
        ("referrals", "service", None, _("Referrals by service")),
    ]
    available = registry()
    if "incidents" in available:
        specs.append(("incidents", "type", None, _("Incidents by exploitation type")))
    if "perpetrators" in available:
        specs.append(("perpetrators", "sex", None, _("Perpetrators by sex")))
    missing = ""
    if "legal" in available:
        specs.append(("legal", "outcome", None, _("Legal outcomes")))
    else:
        missing = _("Legal outcomes are not available yet: the legal-case module is not installed.")
    blocks = []
    for key, rows, cols, title in specs:
        if key not in available:
            continue
        table = compute_table(measure_key=key, rows=rows, cols=cols, audience=audience, filters=filters)
        chart = None if cols else charts.table_chart(table, chart_id=f"ar-{key}-{rows}")
        blocks.append(StatBlock(title, table.header(), table.display_rows(), table.notes, chart, table, table.key))
    return blocks, missing


def build_report(*, user, year: int, organisation, language: str) -> AnnualReport:
    if language not in Language.values:
        raise DomainError(_("Choose Indonesian or English."), code="invalid_language")
    if not 1990 <= int(year) <= 2100:
        raise DomainError(_("Choose a year between 1990 and 2100."), code="invalid_year")
    check_view(user, organisation)
    with translation.override(language):
        members = _members()
        programs = _programs(user, year, organisation)
        events = _events(user, year, organisation)
        learning = _learning(user, year, organisation)
        saved = AnnualNarrative.objects.filter(year=year, organisation=organisation, language=language).first()
        defaults = default_sections(year=year, organisation=organisation, members=members, programs=programs,
                                    events=events, learning=learning)
        sections = {}
        for key in SECTIONS:
            text = getattr(saved, key, "") if saved else ""
            sections[key] = Section(key, str(SECTION_LABELS[key]), text or defaults[key], generated=not text)
        audience = (Audience(Audience.NETWORK) if organisation is None
                    else Audience(Audience.ORGANISATION, organisation_id=organisation.pk))
        statistics, legal_missing = _statistics(audience, year)
        owner = organisation.name if organisation else _network_name()
        return AnnualReport(
            year=year, language=language, organisation=organisation,
            title=_("Annual report %(year)s") % {"year": year},
            subtitle=owner,
            members=members if organisation is None else [],
            sections=sections, programs=programs, events=events, statistics=statistics,
            legal_missing=legal_missing, legend=legend(statistics[0].table.k if statistics else 5),
            generated=timezone.localdate(),
        )


def report_pdf(report: AnnualReport) -> bytes:
    with translation.override(report.language):
        return pdf_from_template("reports/annual_pdf.html", {"report": report, "language": report.language})


def report_docx(report: AnnualReport) -> bytes:
    with translation.override(report.language):
        doc = Docx(f"{report.title} — {report.subtitle}", report.language)
        doc.doc.add_heading(report.title, level=0)
        doc.paragraph(report.subtitle, italic=True)
        s = report.sections
        doc.heading(s["intro"].title)
        doc.paragraphs(s["intro"].text)
        if report.members:
            doc.heading(_("Member organisations"), 2)
            doc.bullets([f"{m['name']} — {m['city'] or ''} {m['province']}".strip() for m in report.members])
        if s["highlights"].text:
            doc.heading(s["highlights"].title)
            doc.paragraphs(s["highlights"].text)
        doc.heading(_("Programs"))
        for p in report.programs:
            doc.heading(p["title"], 2)
            doc.paragraph(" · ".join(filter(None, [p["period"], p["status"], ", ".join(p["donors"]),
                                                   ", ".join(p["provinces"])])), italic=True)
            doc.paragraphs(p["description"])
            if p["activities"]:
                doc.heading(_("Activities"), 3)
                doc.bullets([f"{a['date']:%d-%m-%Y} · {a['type']} · {a['title']}" for a in p["activities"]])
            indicators = [(r, i) for r in p["results"] for i in r["indicators"]]
            if indicators:
                doc.heading(_("Results"), 3)
                doc.table([_("Result"), _("Indicator"), _("Target"), _("Actual")],
                          [[f"{r['code']} {r['title']}".strip(), i["title"], str(i["target"]), str(i["actual"])]
                           for r, i in indicators])
        if report.events:
            doc.heading(_("Events"))
            doc.table([_("Event"), _("Date"), _("Place"), _("Participants")],
                      [[e["title"], e["start"].strftime("%d-%m-%Y"), e["place"], str(e["people"])] for e in report.events])
        doc.heading(_("Case and legal statistics"))
        doc.paragraph(_("Only cases whose anonymised-statistics consent is active are counted; small figures are hidden."),
                      italic=True)
        for block in report.statistics:
            doc.heading(block.title, 2)
            if block.rows:
                doc.table(block.header, block.rows)
            for note in block.notes:
                doc.paragraph(note, italic=True)
            if block.chart is not None and block.table is not None:
                png = charts.table_chart(block.table, chart_id=block.key, fmt="png")
                if png:
                    doc.image(png, 14)
        if report.legal_missing:
            doc.paragraph(report.legal_missing, italic=True)
        doc.paragraph(report.legend, italic=True)
        for key in ("successes", "lessons", "challenges", "closing"):
            if s[key].text:
                doc.heading(s[key].title)
                doc.paragraphs(s[key].text)
        return doc.bytes()
