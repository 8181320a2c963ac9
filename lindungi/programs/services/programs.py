"""Writes for programs, their funding, logframes, indicators, reference lists and learning."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lindungi.audit import services as audit
from lindungi.core import policy
from lindungi.core.errors import Conflict
from lindungi.core.policy import Scope
from lindungi.programs.models import (
    Donor,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    LearningEntry,
    Partner,
    Program,
    ProgramFunding,
    Result,
)
from lindungi.programs.services._common import assign, check, fail, set_m2m

EDIT = "programs.program.edit"
REPORT = "programs.indicator.report"
REFERENCE = "programs.reference.manage"

PROGRAM_FIELDS = ("code", "title_id", "title_en", "description_id", "description_en", "status", "start_date",
                  "end_date", "target_groups_note")
PROGRAM_M2M = ("partners", "provinces", "regencies", "target_groups")


def _check_regions(data: dict, provinces=None):
    """Every regency lies in one of the program's (or activity's) provinces."""
    provinces = {getattr(p, "pk", p) for p in (data.get("provinces") if provinces is None else provinces) or []}
    for regency in data.get("regencies") or []:
        if regency.parent_id not in provinces:
            fail(_("%(regency)s is not in any of the selected provinces.") % {"regency": regency.name}, "regencies")


def program_create(*, actor, data: dict) -> Program:
    policy.require(actor, EDIT, Scope.ORGANISATION)
    _check_regions(data)
    with transaction.atomic():
        program = Program(lead_organisation_id=actor.organisation_id, created_by=actor)
        assign(program, data, PROGRAM_FIELDS)
        check(program)
        program.save()
        set_m2m(program, data, PROGRAM_M2M)
        audit.record("programs.program.created", actor=actor, obj=program, organisation=program.lead_organisation_id,
                     payload={"code": program.code})
    return program


def program_update(*, actor, program: Program, data: dict) -> Program:
    policy.require(actor, EDIT)
    policy.require_object(actor, EDIT, program)
    provinces = data.get("provinces", program.provinces.all())
    if "regencies" in data or "provinces" in data:
        _check_regions({"regencies": data.get("regencies", program.regencies.all())}, provinces)
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        changed = assign(program, data, PROGRAM_FIELDS)
        check(program)
        program.save()
        changed += set_m2m(program, data, PROGRAM_M2M)
        audit.record("programs.program.updated", actor=actor, obj=program, organisation=program.lead_organisation_id,
                     payload={"fields": changed})
    return program


def funding_set(*, actor, program: Program, donor: Donor, amount=None, currency=None, note: str = "") -> ProgramFunding:
    policy.require(actor, EDIT)
    policy.require_object(actor, EDIT, program)
    with transaction.atomic():
        funding, created = ProgramFunding.objects.get_or_create(program=program, donor=donor,
                                                                defaults={"amount": amount, "currency": currency})
        funding.amount, funding.currency, funding.note = amount, currency, note
        check(funding)
        funding.save()
        audit.record("programs.funding.set", actor=actor, obj=program, organisation=program.lead_organisation_id,
                     payload={"donor": donor.pk, "currency": getattr(currency, "pk", None), "created": created})
    return funding


def funding_remove(*, actor, funding: ProgramFunding) -> None:
    program = funding.program
    policy.require(actor, EDIT)
    policy.require_object(actor, EDIT, program)
    with transaction.atomic():
        donor_id = funding.donor_id
        funding.delete()
        audit.record("programs.funding.removed", actor=actor, obj=program, organisation=program.lead_organisation_id,
                     payload={"donor": donor_id})


# --- donors, partners, reference lists ------------------------------------------------------------

DONOR_FIELDS = ("name", "kind", "country", "iati_ref", "is_active")
PARTNER_FIELDS = ("name", "kind", "organisation", "stakeholder_group", "country", "is_active")


def _save_reference(*, actor, action: str, instance, data: dict, fields, code: str):
    policy.require(actor, action)
    with transaction.atomic():
        created = instance.pk is None or instance._state.adding
        changed = assign(instance, data, fields)
        check(instance)
        instance.save()
        audit.record(f"{code}.{'created' if created else 'updated'}", actor=actor, obj=instance,
                     organisation=actor.organisation_id, payload={"fields": changed})
    return instance


def donor_save(*, actor, data: dict, donor: Donor | None = None) -> Donor:
    """Create or update a donor; anyone who may edit programs may add the donors they need."""
    return _save_reference(actor=actor, action=EDIT, instance=donor or Donor(), data=data, fields=DONOR_FIELDS,
                           code="programs.donor")


def partner_save(*, actor, data: dict, partner: Partner | None = None) -> Partner:
    data = dict(data)
    if data.get("organisation") is not None:
        data["kind"] = Partner.Kind.MEMBER
    elif "organisation" in data:
        data["kind"] = Partner.Kind.EXTERNAL
    return _save_reference(actor=actor, action=EDIT, instance=partner or Partner(), data=data,
                           fields=PARTNER_FIELDS, code="programs.partner")


def reference_save(*, actor, model, data: dict, instance=None):
    """Activity types, stakeholder groups, age groups, currencies and countries."""
    fields = tuple(f.name for f in model._meta.concrete_fields if f.editable and not f.auto_created)
    return _save_reference(actor=actor, action=REFERENCE, instance=instance or model(), data=data, fields=fields,
                           code=f"programs.{model._meta.model_name}")


# --- logframe ------------------------------------------------------------------------------------

RESULT_FIELDS = ("level", "parent", "code", "title_id", "title_en", "description", "order")


def _check_result(result: Result):
    expected_parent = Result.PARENT_LEVEL.get(result.level)
    parent = result.parent
    if parent is not None and parent.program_id != result.program_id:
        fail(_("The result it contributes to belongs to another program."), "parent")
    if expected_parent is None and parent is not None:
        fail(_("A goal does not contribute to another result."), "parent")
    if parent is not None and parent.level != expected_parent:
        fail(_("A %(level)s contributes to a %(parent)s.") % {
            "level": Result.Level(result.level).label, "parent": Result.Level(expected_parent).label}, "parent")


def result_save(*, actor, program: Program, data: dict, result: Result | None = None) -> Result:
    policy.require(actor, EDIT)
    policy.require_object(actor, EDIT, program)
    with transaction.atomic():
        created = result is None
        result = result or Result(program=program)
        if result.program_id != program.pk:
            fail(_("The result belongs to another program."))
        changed = assign(result, data, RESULT_FIELDS)
        _check_result(result)
        check(result)
        if result.pk and result.level != Result.Level.OUTPUT and result.children.exclude(
                level=dict(goal="outcome", outcome="output").get(result.level)).exists():
            fail(_("Change the level of the results below it first."), "level")
        result.save()
        audit.record(f"programs.result.{'created' if created else 'updated'}", actor=actor, obj=result,
                     organisation=program.lead_organisation_id, payload={"program": program.pk, "fields": changed})
    return result


def result_delete(*, actor, result: Result) -> None:
    program = result.program
    policy.require(actor, EDIT)
    policy.require_object(actor, EDIT, program)
    with transaction.atomic():
        pk = result.pk
        result.delete()
        audit.record("programs.result.deleted", actor=actor, obj=("programs.result", pk),
                     organisation=program.lead_organisation_id, payload={"program": program.pk})


INDICATOR_FIELDS = ("code", "title_id", "title_en", "measure", "unit", "baseline_value", "baseline_date",
                    "baseline_note", "by_sex", "by_age_group", "by_province", "computation", "rule_metric",
                    "rule_scope", "rule_sex", "order")
INDICATOR_M2M = ("rule_activity_types", "rule_age_groups", "rule_stakeholder_groups")


def _check_indicator(indicator: Indicator):
    if indicator.computation == Indicator.Computation.RULE:
        if not indicator.rule_metric:
            fail(_("Choose what the rule counts."), "rule_metric")
        if indicator.measure == Indicator.Measure.QUALITATIVE:
            fail(_("A qualitative indicator cannot be computed from activity data."), "computation")
        if (indicator.rule_metric == Indicator.Metric.KNOWLEDGE_GAIN) != (indicator.measure == Indicator.Measure.PERCENTAGE):
            fail(_("Knowledge gain is measured in percentage points; the other metrics are counts."), "rule_metric")
    else:
        indicator.rule_metric = ""


def indicator_save(*, actor, result: Result, data: dict, indicator: Indicator | None = None) -> Indicator:
    program = result.program
    policy.require(actor, EDIT)
    policy.require_object(actor, EDIT, program)
    with transaction.atomic():
        created = indicator is None
        indicator = indicator or Indicator(result=result)
        if indicator.result.program_id != program.pk:
            fail(_("The indicator belongs to another program."))
        if "result" in data and data["result"] is not None:
            if data["result"].program_id != program.pk:
                fail(_("The result belongs to another program."), "result")
            indicator.result = data["result"]
        changed = assign(indicator, data, INDICATOR_FIELDS)
        _check_indicator(indicator)
        if not created and indicator.computation == Indicator.Computation.RULE and indicator.actuals.exists():
            raise Conflict(_("Remove the actual values entered by hand before computing this indicator from activities."))
        check(indicator)
        indicator.save()
        if indicator.computation == Indicator.Computation.MANUAL:
            data = {**data, **{name: [] for name in INDICATOR_M2M}}
        changed += set_m2m(indicator, data, INDICATOR_M2M)
        audit.record(f"programs.indicator.{'created' if created else 'updated'}", actor=actor, obj=indicator,
                     organisation=program.lead_organisation_id, payload={"program": program.pk, "fields": changed})
    return indicator


def indicator_delete(*, actor, indicator: Indicator) -> None:
    program = indicator.result.program
    policy.require(actor, EDIT)
    policy.require_object(actor, EDIT, program)
    with transaction.atomic():
        pk = indicator.pk
        indicator.delete()
        audit.record("programs.indicator.deleted", actor=actor, obj=("programs.indicator", pk),
                     organisation=program.lead_organisation_id, payload={"program": program.pk})


def _check_category(indicator: Indicator, dimension: str, category: str):
    if dimension and dimension not in indicator.dimensions:
        fail(_("This indicator is not disaggregated that way."), "dimension")
    if dimension and not category:
        fail(_("Say which category the value is for."), "category")
    if not dimension and category:
        fail(_("A total has no category."), "category")


def target_set(*, actor, indicator: Indicator, period_start, period_end, value=None, note: str = "",
               dimension: str = "", category: str = "") -> IndicatorTarget:
    program = indicator.result.program
    policy.require(actor, EDIT)
    policy.require_object(actor, EDIT, program)
    _check_category(indicator, dimension, category)
    if value is None and not note:
        fail(_("Give a target value or describe the target."), "value")
    with transaction.atomic():
        target = IndicatorTarget.objects.filter(indicator=indicator, period_start=period_start, period_end=period_end,
                                                dimension=dimension, category=category).first()
        target = target or IndicatorTarget(indicator=indicator, period_start=period_start, period_end=period_end,
                                           dimension=dimension, category=category)
        target.value, target.note = value, note
        check(target, exclude=[] if target.pk else ["indicator"])
        target.save()
        audit.record("programs.target.set", actor=actor, obj=indicator, organisation=program.lead_organisation_id,
                     payload={"target": target.pk, "dimension": dimension})
    return target


def target_delete(*, actor, target: IndicatorTarget) -> None:
    indicator = target.indicator
    program = indicator.result.program
    policy.require(actor, EDIT)
    policy.require_object(actor, EDIT, program)
    with transaction.atomic():
        pk = target.pk
        target.delete()
        audit.record("programs.target.deleted", actor=actor, obj=indicator, organisation=program.lead_organisation_id,
                     payload={"target": pk})


def actual_record(*, actor, indicator: Indicator, period_start, period_end, source: str, value=None,
                  narrative: str = "", dimension: str = "", category: str = "") -> IndicatorActual:
    program = indicator.result.program
    policy.require(actor, REPORT)
    policy.require_object(actor, REPORT, program)
    if indicator.is_computed:
        raise Conflict(_("This indicator is computed from activity data; its actual values cannot be entered."))
    _check_category(indicator, dimension, category)
    if indicator.measure == Indicator.Measure.QUALITATIVE:
        if not narrative.strip():
            fail(_("Describe the result achieved."), "narrative")
    elif value is None:
        fail(_("Enter the actual value."), "value")
    if not source.strip():
        fail(_("Say where the value comes from."), "source")
    with transaction.atomic():
        actual = IndicatorActual.objects.filter(indicator=indicator, period_start=period_start, period_end=period_end,
                                                dimension=dimension, category=category).first()
        created = actual is None
        actual = actual or IndicatorActual(indicator=indicator, period_start=period_start, period_end=period_end,
                                           dimension=dimension, category=category)
        actual.value, actual.narrative, actual.source, actual.entered_by = value, narrative, source, actor
        check(actual, exclude=["entered_by"])
        actual.save()
        audit.record("programs.actual.recorded", actor=actor, obj=indicator, organisation=program.lead_organisation_id,
                     payload={"actual": actual.pk, "created": created, "dimension": dimension})
    return actual


def actual_delete(*, actor, actual: IndicatorActual) -> None:
    indicator = actual.indicator
    program = indicator.result.program
    policy.require(actor, REPORT)
    policy.require_object(actor, REPORT, program)
    with transaction.atomic():
        pk = actual.pk
        actual.delete()
        audit.record("programs.actual.deleted", actor=actor, obj=indicator, organisation=program.lead_organisation_id,
                     payload={"actual": pk})


# --- successes, lessons, challenges ----------------------------------------------------------------

LEARNING_FIELDS = ("program", "year", "kind", "title", "text_id", "text_en")


def learning_save(*, actor, data: dict, entry: LearningEntry | None = None) -> LearningEntry:
    policy.require(actor, EDIT, Scope.ORGANISATION)
    if entry is not None:
        policy.require_object(actor, EDIT, entry)
    program = data.get("program")
    if program is not None:
        from lindungi.programs.selectors import programs_for_recording

        allowed = Program.objects.filter(pk=program.pk, lead_organisation_id=actor.organisation_id).exists() or \
            programs_for_recording(actor).filter(pk=program.pk).exists()
        if not allowed:
            fail(_("Your organisation neither leads nor implements this program."), "program")
    with transaction.atomic():
        created = entry is None
        entry = entry or LearningEntry(organisation_id=actor.organisation_id, created_by=actor)
        changed = assign(entry, data, LEARNING_FIELDS)
        check(entry, exclude=["created_by"])
        entry.save()
        audit.record(f"programs.learning.{'created' if created else 'updated'}", actor=actor, obj=entry,
                     payload={"fields": changed, "kind": entry.kind, "year": entry.year})
    return entry


def learning_delete(*, actor, entry: LearningEntry) -> None:
    policy.require(actor, EDIT)
    policy.require_object(actor, EDIT, entry)
    with transaction.atomic():
        pk, org = entry.pk, entry.organisation_id
        entry.delete()
        audit.record("programs.learning.deleted", actor=actor, obj=("programs.learningentry", pk), organisation=org)
