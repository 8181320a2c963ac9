"""Programs as an IATI 2.03 activities file (https://iatistandard.org/en/iati-standard/203/).

Only program-level information leaves Lindungi: titles, descriptions, organisations, dates,
locations (provinces), funding, and the logframe with indicators, targets and actual values.
No attendance list, registration, speaker, participant name, photo or file is ever written, and an
individual donor is not named. `validate()` checks a file against the official XSD shipped in
`schema/` (see its LICENSE).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from lxml import etree

from lindungi.programs.models import Donor, Indicator, Program, Result
from lindungi.programs.selectors.indicators import indicator_progress

SCHEMA_DIR = Path(__file__).parent / "schema"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Program.Status -> IATI ActivityStatus codelist.
ACTIVITY_STATUS = {"planned": "1", "active": "2", "finalising": "3", "completed": "4", "cancelled": "5",
                   "suspended": "6"}
# Result.Level -> IATI ResultType (1 output, 2 outcome, 3 impact).
RESULT_TYPE = {"output": "1", "outcome": "2", "goal": "3"}
# Indicator.Measure -> IATI IndicatorMeasure (1 unit, 2 percentage, 5 qualitative).
MEASURE = {"count": "1", "percentage": "2", "qualitative": "5"}
# National NGO (OrganisationType 22) for the network and its members.
NATIONAL_NGO = "22"
# DAC 5-digit sector 15160: Human rights (children's rights, protection from exploitation).
SECTOR_CODE = "15160"


def org_identifier(organisation) -> str:
    prefix = getattr(settings, "LINDUNGI_IATI_ORG_PREFIX", "ID-LINDUNGI")
    return f"{prefix}-{organisation.code}"


def activity_identifier(program: Program) -> str:
    return f"{org_identifier(program.lead_organisation)}-{program.code}"


def _narratives(parent, values: dict[str, str]):
    for lang, text in values.items():
        if text:
            el = etree.SubElement(parent, "narrative")
            el.set(XML_LANG, lang)
            el.text = text
    return parent


def _text(parent, tag: str, values: dict[str, str], **attrs):
    el = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    return _narratives(el, values)


def _number(value) -> str:
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f")
    return str(value)


def _participating(parent, role: str, name: str, org_type: str | None, ref: str = ""):
    attrs = {"role": role}
    if ref:
        attrs["ref"] = ref
    if org_type:
        attrs["type"] = org_type
    el = etree.SubElement(parent, "participating-org", attrs)
    _narratives(el, {"en": name})


def _dimensions(parent, dimension: str, category: str):
    if dimension:
        etree.SubElement(parent, "dimension", {"name": dimension, "value": category})


def _result(parent, result: Result):
    indicators = list(result.indicators.all())
    if not indicators:
        return  # IATI needs at least one indicator per result
    el = etree.SubElement(parent, "result", {"type": RESULT_TYPE[result.level], "aggregation-status": "0"})
    _text(el, "title", {"id": result.title_id, "en": result.title_en})
    if result.description:
        _text(el, "description", {"id": result.description})
    for indicator in indicators:
        _indicator(el, indicator)


def _indicator(parent, indicator: Indicator):
    el = etree.SubElement(parent, "indicator", {"measure": MEASURE[indicator.measure], "ascending": "1"})
    _text(el, "title", {"id": indicator.title_id, "en": indicator.title_en})
    if indicator.unit or indicator.is_computed:
        notes = []
        if indicator.unit:
            notes.append(f"Unit: {indicator.unit}.")
        if indicator.is_computed:
            notes.append(f"Computed from activity records ({indicator.get_rule_metric_display()}).")
        _text(el, "description", {"en": " ".join(notes)})
    if indicator.baseline_value is not None or indicator.baseline_note:
        date = indicator.baseline_date or indicator.result.program.start_date
        attrs = {"year": str(date.year)}
        if indicator.baseline_date:
            attrs["iso-date"] = indicator.baseline_date.isoformat()
        if indicator.baseline_value is not None:
            attrs["value"] = _number(indicator.baseline_value)
        baseline = etree.SubElement(el, "baseline", attrs)
        if indicator.baseline_note:
            _text(baseline, "comment", {"id": indicator.baseline_note})
    progress = indicator_progress(indicator)
    periods = progress.periods or [progress.total]
    for period in periods:
        if period.target is None and period.actual is None and not period.target_note and not period.narrative:
            continue
        p = etree.SubElement(el, "period")
        etree.SubElement(p, "period-start", {"iso-date": period.start.isoformat()})
        etree.SubElement(p, "period-end", {"iso-date": period.end.isoformat()})
        _values(p, "target", period.target, period.target_note, period.breakdown, "target")
        _values(p, "actual", period.actual, period.narrative, period.breakdown, "actual")


def _values(parent, tag, total, comment, breakdown, key):
    if total is not None or comment:
        el = etree.SubElement(parent, tag, {"value": _number(total)} if total is not None else {})
        if comment:
            _text(el, "comment", {"id": comment})
    for dim in breakdown:
        for row in dim["rows"]:
            if row[key] is None or not row["key"]:
                continue
            el = etree.SubElement(parent, tag, {"value": _number(row[key])})
            _dimensions(el, dim["dimension"], row["key"])


def activity_element(program: Program):
    last_updated = program.updated_at.astimezone(datetime.UTC).replace(microsecond=0).isoformat()
    funding = list(program.funding.select_related("donor", "currency"))
    currencies = {f.currency_id for f in funding if f.currency_id}
    default_currency = currencies.pop() if len(currencies) == 1 else "IDR"
    act = etree.Element("iati-activity", {"last-updated-datetime": last_updated, "default-currency": default_currency,
                                          "hierarchy": "1"})
    act.set(XML_LANG, "id")
    etree.SubElement(act, "iati-identifier").text = activity_identifier(program)
    lead = program.lead_organisation
    reporting = etree.SubElement(act, "reporting-org", {"ref": org_identifier(lead), "type": NATIONAL_NGO})
    _narratives(reporting, {"id": lead.name})
    _text(act, "title", {"id": program.title_id, "en": program.title_en})
    _text(act, "description", {"id": program.description_id or program.title_id, "en": program.description_en},
          type="1")
    if program.target_groups_note or program.target_groups.exists():
        groups = ", ".join([g.label_en for g in program.target_groups.all()] + ([program.target_groups_note]
                                                                                 if program.target_groups_note else []))
        _text(act, "description", {"en": groups}, type="3")
    for f in funding:
        donor = f.donor
        _participating(act, "1", donor.public_name, Donor.IATI_TYPES.get(donor.kind),
                       "" if donor.kind == Donor.Kind.INDIVIDUAL else donor.iati_ref)
    _participating(act, "2", lead.name, NATIONAL_NGO, org_identifier(lead))
    for partner in program.partners.select_related("organisation"):
        ref = org_identifier(partner.organisation) if partner.organisation_id else ""
        _participating(act, "4", partner.name, NATIONAL_NGO if partner.organisation_id else None, ref)
    etree.SubElement(act, "activity-status", {"code": ACTIVITY_STATUS[program.status]})
    today = timezone.localdate()
    etree.SubElement(act, "activity-date", {"type": "1", "iso-date": program.start_date.isoformat()})
    if program.start_date <= today and program.status not in ("planned", "cancelled"):
        etree.SubElement(act, "activity-date", {"type": "2", "iso-date": program.start_date.isoformat()})
    etree.SubElement(act, "activity-date", {"type": "3", "iso-date": program.end_date.isoformat()})
    if program.status == "completed" and program.end_date <= today:
        etree.SubElement(act, "activity-date", {"type": "4", "iso-date": program.end_date.isoformat()})
    etree.SubElement(act, "recipient-country", {"code": "ID", "percentage": "100"})
    regencies = defaultdict(list)
    for regency in program.regencies.all():
        regencies[regency.parent_id].append(regency)
    for province in program.provinces.all():
        places = regencies.get(province.code) or [province]
        for place in places:
            loc = etree.SubElement(act, "location", {"ref": f"ID-{place.code}"})
            etree.SubElement(loc, "location-reach", {"code": "1"})
            name = place.name if place is province else f"{place.name}, {province.name}"
            _text(loc, "name", {"id": name})
            etree.SubElement(loc, "location-class", {"code": "1"})
            etree.SubElement(loc, "feature-designation", {"code": "ADM1" if place is province else "ADM2"})
    etree.SubElement(act, "sector", {"vocabulary": "1", "code": SECTOR_CODE, "percentage": "100"})
    totals = defaultdict(Decimal)
    for f in funding:
        if f.amount is not None:
            totals[f.currency_id] += f.amount
    for currency, amount in sorted(totals.items()):
        budget = etree.SubElement(act, "budget", {"type": "1", "status": "2"})
        etree.SubElement(budget, "period-start", {"iso-date": program.start_date.isoformat()})
        etree.SubElement(budget, "period-end", {"iso-date": program.end_date.isoformat()})
        value = etree.SubElement(budget, "value", {"currency": currency, "value-date": program.start_date.isoformat()})
        value.text = _number(amount)
    for f in funding:
        if f.amount is None:
            continue
        tx = etree.SubElement(act, "transaction")
        etree.SubElement(tx, "transaction-type", {"code": "11"})  # incoming commitment
        etree.SubElement(tx, "transaction-date", {"iso-date": program.start_date.isoformat()})
        value = etree.SubElement(tx, "value", {"currency": f.currency_id, "value-date": program.start_date.isoformat()})
        value.text = _number(f.amount)
        attrs = {"type": Donor.IATI_TYPES.get(f.donor.kind, "90")}
        if f.donor.iati_ref and f.donor.kind != Donor.Kind.INDIVIDUAL:
            attrs["ref"] = f.donor.iati_ref
        provider = etree.SubElement(tx, "provider-org", attrs)
        _narratives(provider, {"en": f.donor.public_name})
    levels = {"goal": 0, "outcome": 1, "output": 2}
    results = sorted(program.results.prefetch_related("indicators"), key=lambda r: (levels[r.level], r.order, r.code, r.pk))
    for result in results:
        _result(act, result)
    return act


def export(programs) -> bytes:
    """The IATI activities file of `programs` (already scoped by the caller)."""
    root = etree.Element("iati-activities", {
        "version": "2.03",
        "generated-datetime": timezone.now().astimezone(datetime.UTC).replace(microsecond=0).isoformat(),
    })
    for program in programs.select_related("lead_organisation").order_by("code"):
        root.append(activity_element(program))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


_schema = None


def schema() -> etree.XMLSchema:
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))
    return _schema


def validate(xml: bytes) -> list[str]:
    """Errors against the official IATI 2.03 activities schema (empty: valid)."""
    document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    xsd = schema()
    if xsd.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]
