"""Writes of the incidents app: each service checks the policy, validates, writes and records its
audit event in one transaction (docs/architecture.md). Derived contexts are recomputed here after
every change, never taken from input."""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lindungi.audit import services as audit
from lindungi.cases.models import Case, Sex
from lindungi.core import policy
from lindungi.core.errors import Conflict, DomainError, validate
from lindungi.incidents import common
from lindungi.incidents.models import (
    FAMILY_RELATIONSHIPS,
    THIRD_PARTY_ROLES,
    AgeGroup,
    DatePrecision,
    Exchange,
    ExploitationType,
    Incident,
    IncidentCase,
    IncidentNumberCounter,
    IncidentType,
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

VIEW, EDIT, CREATE, REFERENCE = ("incidents.incident.view", "incidents.incident.edit", "incidents.incident.create",
                                 "incidents.reference.manage")
INCIDENT_FIELDS = {
    "occurred_on", "date_precision", "province", "regency", "district", "setting", "location_details",
    "modus", "exchanged", "exchange_details", "cross_border_countries", "description", "source", "source_details",
    "verification",
}
PERPETRATOR_FIELDS = {"identified", "name", "aliases", "sex", "age_group", "nationality", "relationship", "role",
                      "arrested", "notes"}
_COUNTRY = re.compile(r"^[A-Z]{2}$")


# --- validation ---------------------------------------------------------------------------------


def normalise_date(day: datetime.date | None, precision: str) -> datetime.date:
    """The stored date of an incident: the start of its month or year when only that is known."""
    common.required(day, "occurred_on", _("Enter the date of the incident (or its month or year)."))
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    return day


def _clean_incident(data: dict) -> dict:
    data = dict(data)
    if "date_precision" in data:
        data["date_precision"] = common.choice(data["date_precision"] or DatePrecision.DAY, DatePrecision,
                                               "date_precision", _("Choose how precise the date is."))
    if "occurred_on" in data:
        data["occurred_on"] = normalise_date(data["occurred_on"], data.get("date_precision", DatePrecision.DAY))
        common.not_in_future(data["occurred_on"], "occurred_on")
    if {"province", "regency", "district"} & set(data):
        data["province"], data["regency"], data["district"] = common.clean_regions(
            data.get("province"), data.get("regency"), data.get("district"))
    if "setting" in data:
        data["setting"] = common.choice(data["setting"], Setting, "setting", _("Choose the setting."))
    if "modus" in data:
        data["modus"] = common.codes(data["modus"], Modus, "modus", _("Choose the modus from the list."))
    if "exchanged" in data:
        data["exchanged"] = common.codes(data["exchanged"], Exchange, "exchanged",
                                         _("Choose what was exchanged from the list."))
    if "cross_border_countries" in data:
        countries = []
        for code in data["cross_border_countries"] or []:
            code = (code or "").strip().upper()
            if not _COUNTRY.match(code):
                raise common.field_error("cross_border_countries",
                                         _("Use two-letter country codes (ISO 3166-1), e.g. MY, SG."))
            if code not in countries:
                countries.append(code)
        data["cross_border_countries"] = countries
    if "source" in data:
        data["source"] = common.choice(data["source"], InformationSource, "source",
                                       _("Choose the source of the information."))
    if "verification" in data:
        data["verification"] = common.choice(data["verification"], Verification, "verification",
                                             _("Choose the verification status."))
    for name in ("location_details", "exchange_details", "description", "source_details"):
        if name in data:
            data[name] = (data[name] or "").strip()
    return data


def _clean_types(types, online_subtypes) -> list[tuple[str, str]]:
    types = common.codes(types, ExploitationType, "types", _("Choose the exploitation types from the list."))
    if not types:
        raise common.field_error("types", _("Choose at least one exploitation type."), code="required")
    subtypes = common.codes(online_subtypes, OnlineSubtype, "online_subtypes",
                            _("Choose the online subtypes from the list."))
    if subtypes and ExploitationType.ONLINE not in types:
        raise common.field_error("online_subtypes",
                                 _("Online subtypes apply to online child sexual exploitation only."))
    rows = []
    for code in types:
        if code == ExploitationType.ONLINE and subtypes:
            rows.extend((code, sub) for sub in subtypes)
        else:
            rows.append((code, ""))
    return rows


def _clean_platforms(platforms, keep=()) -> list[Platform]:
    """Platforms in use; one the incident already has stays allowed after it was deactivated."""
    platforms = list(platforms or [])
    if any(not isinstance(platform, Platform) for platform in platforms):
        raise common.field_error("platforms", _("Choose the platforms from the list."))
    active = set(Platform.objects.filter(pk__in=[p.pk for p in platforms], is_active=True).values_list("pk", flat=True))
    for platform in platforms:
        if platform.pk not in active and platform.pk not in set(keep):
            raise common.field_error("platforms", _("The platform “%(name)s” is no longer in use.") % {
                "name": platform.label})
    return platforms


def _check_cases(actor, cases) -> list[Case]:
    cases = list(dict.fromkeys(cases or []))
    if not cases:
        raise common.field_error("cases", _("Link the incident to at least one case."), code="required")
    visible = policy.scope_filter(actor, "cases.case.view", Case.objects.filter(pk__in=[c.pk for c in cases]))
    visible_ids = set(visible.filter(organisation_id=actor.organisation_id).values_list("pk", flat=True))
    for case in cases:
        if case.pk not in visible_ids:
            # Same answer whether the case is missing, of another organisation or out of scope.
            raise common.field_error("cases", _("Case %(number)s cannot be linked: it is not one of your "
                                                "organisation's cases that you work on.") % {"number": case.number})
    return cases


# --- derived contexts ---------------------------------------------------------------------------


def refresh_contexts(incident: Incident) -> list[str]:
    """Recompute the derived contexts from what is recorded; return the flags that changed."""
    types = set(incident.types.values_list("type", flat=True))
    perpetrators = list(incident.perpetrators.values("role", "relationship", "age_group"))
    values = {
        "possible_exploitation": bool(incident.exchanged),
        "is_online": (incident.setting == Setting.ONLINE or ExploitationType.ONLINE in types
                      or Modus.ONLINE_GROOMING in (incident.modus or []) or incident.platforms.exists()),
        "is_cross_border": any(code != "ID" for code in incident.cross_border_countries or []),
        "third_party_involved": any(p["role"] in THIRD_PARTY_ROLES for p in perpetrators),
        "family_involved": any(p["relationship"] in FAMILY_RELATIONSHIPS for p in perpetrators),
        "child_perpetrator": any(p["age_group"] == AgeGroup.UNDER_18 for p in perpetrators),
    }
    changed = [name for name, value in values.items() if getattr(incident, name) != value]
    for name in changed:
        setattr(incident, name, values[name])
    if changed:
        incident.save(update_fields=[*changed, "updated_at"])
    return changed


def _set_types(incident: Incident, rows: list[tuple[str, str]]) -> bool:
    current = set(incident.types.values_list("type", "subtype"))
    if current == set(rows):
        return False
    incident.types.all().delete()
    IncidentType.objects.bulk_create([IncidentType(incident=incident, type=t, subtype=s) for t, s in rows])
    return True


def _check_online_platforms(incident: Incident, platforms: list[Platform], rows) -> None:
    online = (incident.setting == Setting.ONLINE or any(t == ExploitationType.ONLINE for t, _s in rows)
              or Modus.ONLINE_GROOMING in (incident.modus or []))
    if platforms and not online:
        raise common.field_error("platforms", _("Platforms are recorded for online incidents only (online setting, "
                                                "online exploitation or online grooming)."))


def _lock(incident: Incident) -> Incident:
    return Incident.objects.select_for_update().get(pk=incident.pk)


def require_incident(actor, action: str, incident: Incident) -> None:
    policy.require(actor, action)
    policy.require_object(actor, action, incident)


# --- incidents ----------------------------------------------------------------------------------


def incident_create(*, actor, cases, data: dict, types, online_subtypes=(), platforms=()) -> Incident:
    """Record an incident linked to one or more of the organisation's cases."""
    policy.require(actor, CREATE)
    unknown = set(data) - INCIDENT_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))},
                          code="unknown_fields")
    cases = _check_cases(actor, cases)
    data = _clean_incident({"date_precision": DatePrecision.DAY, **data})
    common.required(data.get("setting"), "setting", _("Choose the setting."))
    common.required(data.get("source"), "source", _("Choose the source of the information."))
    rows = _clean_types(types, online_subtypes)
    platforms = _clean_platforms(platforms)
    with transaction.atomic():
        incident = Incident(organisation_id=actor.organisation_id, created_by=actor, **data)
        _check_online_platforms(incident, platforms, rows)
        # Numbered by the year of recording, like case numbers.
        incident.number = common.next_number(IncidentNumberCounter, actor.organisation_id, common.today().year, "IN")
        validate(incident)
        incident.save()
        IncidentCase.objects.bulk_create([IncidentCase(incident=incident, case=case) for case in cases])
        IncidentType.objects.bulk_create([IncidentType(incident=incident, type=t, subtype=s) for t, s in rows])
        incident.platforms.set(platforms)
        refresh_contexts(incident)
        audit.record("incidents.incident.created", actor=actor, obj=incident, payload={
            "case_ids": [str(c.pk) for c in cases], "types": sorted({t for t, _s in rows}),
            "subtypes": sorted({s for _t, s in rows if s}), "setting": incident.setting})
    return incident


def incident_update(*, actor, incident: Incident, data: dict, types=None, online_subtypes=None,
                    platforms=None) -> Incident:
    require_incident(actor, EDIT, incident)
    with transaction.atomic():
        incident = _lock(incident)
        if {"province", "regency", "district"} & set(data):
            # The location changes as a whole: a level not given is cleared (or filled in from the
            # level below it), so an old district can never be left under a new province.
            data = {"province": None, "regency": None, "district": None, **data}
        if "occurred_on" in data and "date_precision" not in data:
            data["date_precision"] = incident.date_precision
        data = _clean_incident(data)
        if "date_precision" in data and "occurred_on" not in data:
            data["occurred_on"] = normalise_date(incident.occurred_on, data["date_precision"])
        changed = common.apply_changes(incident, data, INCIDENT_FIELDS)
        rows = (_clean_types(types, online_subtypes) if types is not None
                else list(incident.types.values_list("type", "subtype")))
        if types is None and online_subtypes is not None:
            rows = _clean_types([t for t, _s in rows], online_subtypes)
        current_platforms = list(incident.platforms.all())
        platforms_list = (_clean_platforms(platforms, keep=[p.pk for p in current_platforms])
                          if platforms is not None else current_platforms)
        _check_online_platforms(incident, platforms_list, rows)
        validate(incident)
        if changed:
            incident.save(update_fields=[*changed, "updated_at"])
        if _set_types(incident, rows):
            changed.append("types")
        if platforms is not None and set(p.pk for p in platforms_list) != set(
                incident.platforms.values_list("pk", flat=True)):
            incident.platforms.set(platforms_list)
            changed.append("platforms")
        if not changed:
            return incident
        contexts = refresh_contexts(incident)
        audit.record("incidents.incident.updated", actor=actor, obj=incident,
                     payload={"fields": sorted(changed), "contexts_changed": contexts})
    return incident


def incident_link_case(*, actor, incident: Incident, case: Case) -> IncidentCase:
    require_incident(actor, EDIT, incident)
    (case,) = _check_cases(actor, [case])
    if case.organisation_id != incident.organisation_id:
        raise common.field_error("cases", _("Only cases of the incident's organisation can be linked."))
    with transaction.atomic():
        incident = _lock(incident)
        if IncidentCase.objects.filter(incident=incident, case=case).exists():
            raise Conflict(_("Case %(number)s is already linked to this incident.") % {"number": case.number},
                           code="already_linked")
        link = IncidentCase.objects.create(incident=incident, case=case)
        audit.record("incidents.incident.case_linked", actor=actor, obj=incident, payload={"case_id": str(case.pk)})
    return link


def incident_unlink_case(*, actor, incident: Incident, case: Case) -> None:
    require_incident(actor, EDIT, incident)
    with transaction.atomic():
        incident = _lock(incident)
        links = IncidentCase.objects.filter(incident=incident)
        if not links.filter(case=case).exists():
            raise Conflict(_("This case is not linked to the incident."), code="not_linked")
        if links.count() == 1:
            raise Conflict(_("An incident stays linked to at least one case: link another case first."),
                           code="last_case")
        from lindungi.incidents.hooks import legal_cases_using_victim

        numbers = legal_cases_using_victim(incident, case)
        if numbers:
            raise Conflict(_("The child of this case is a victim in legal case %(numbers)s linked to this incident: "
                             "remove them there first.") % {"numbers": ", ".join(numbers)}, code="victim_in_legal_case")
        links.filter(case=case).delete()
        audit.record("incidents.incident.case_unlinked", actor=actor, obj=incident, payload={"case_id": str(case.pk)})


# --- perpetrators -------------------------------------------------------------------------------


def _clean_perpetrator(data: dict) -> dict:
    data = dict(data)
    for name, choices, message in (
        ("sex", Sex, _("Choose the sex.")), ("age_group", AgeGroup, _("Choose the age group.")),
        ("relationship", PerpetratorRelationship, _("Choose the relationship to the child.")),
        ("role", PerpetratorRole, _("Choose the perpetrator's role.")),
    ):
        if name in data:
            data[name] = common.choice(data[name], choices, name, message)
    if "nationality" in data:
        data["nationality"] = (data["nationality"] or "").strip().upper()
        if data["nationality"] and not _COUNTRY.match(data["nationality"]):
            raise common.field_error("nationality", _("Use the two capital letters of ISO 3166-1, e.g. ID."))
    for name in ("name", "aliases", "notes"):
        if name in data:
            data[name] = (data[name] or "").strip()
    return data


def _check_identity(perpetrator: Perpetrator) -> None:
    if perpetrator.identified and not perpetrator.name:
        raise common.field_error("name", _("Enter the name of an identified perpetrator (or mark them unknown)."),
                                 code="required")
    if not perpetrator.identified and perpetrator.arrested:
        raise common.field_error("arrested", _("An unknown perpetrator cannot be recorded as arrested: mark them "
                                               "identified first."))


def perpetrator_add(*, actor, incident: Incident, data: dict) -> Perpetrator:
    require_incident(actor, EDIT, incident)
    unknown = set(data) - PERPETRATOR_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))},
                          code="unknown_fields")
    data = _clean_perpetrator(data)
    common.required(data.get("role"), "role", _("Choose the perpetrator's role."))
    with transaction.atomic():
        incident = _lock(incident)
        perpetrator = Perpetrator(organisation_id=incident.organisation_id, incident=incident, **data)
        if not perpetrator.identified:
            perpetrator.name = ""
        _check_identity(perpetrator)
        validate(perpetrator)
        perpetrator.save()
        contexts = refresh_contexts(incident)
        audit.record("incidents.perpetrator.added", actor=actor, obj=perpetrator, payload={
            "incident_id": str(incident.pk), "role": perpetrator.role, "identified": perpetrator.identified,
            "contexts_changed": contexts})
    return perpetrator


def perpetrator_update(*, actor, perpetrator: Perpetrator, data: dict) -> Perpetrator:
    require_incident(actor, EDIT, perpetrator.incident)
    data = _clean_perpetrator(data)
    with transaction.atomic():
        _lock(perpetrator.incident)
        perpetrator = Perpetrator.objects.select_for_update().get(pk=perpetrator.pk)
        changed = common.apply_changes(perpetrator, data, PERPETRATOR_FIELDS)
        if "identified" in changed and not perpetrator.identified and perpetrator.name:
            perpetrator.name = ""
            changed.append("name")
        _check_identity(perpetrator)
        if not changed:
            return perpetrator
        validate(perpetrator)
        perpetrator.save()
        contexts = refresh_contexts(perpetrator.incident)
        audit.record("incidents.perpetrator.updated", actor=actor, obj=perpetrator, payload={
            "incident_id": str(perpetrator.incident_id), "fields": sorted(set(changed)), "contexts_changed": contexts})
    return perpetrator


def perpetrator_remove(*, actor, perpetrator: Perpetrator) -> None:
    require_incident(actor, EDIT, perpetrator.incident)
    from lindungi.incidents.hooks import legal_cases_using_perpetrator

    with transaction.atomic():
        incident = _lock(perpetrator.incident)
        numbers = legal_cases_using_perpetrator(perpetrator)
        if numbers:
            raise Conflict(_("This perpetrator is a suspect or defendant in legal case %(numbers)s and cannot be "
                             "removed.") % {"numbers": ", ".join(numbers)}, code="perpetrator_in_legal_case")
        perpetrator_id = str(perpetrator.pk)
        perpetrator.delete()
        contexts = refresh_contexts(incident)
        audit.record("incidents.perpetrator.removed", actor=actor, obj=("incidents.perpetrator", perpetrator_id),
                     organisation=incident.organisation_id,
                     payload={"incident_id": str(incident.pk), "contexts_changed": contexts})


# --- reference lists ----------------------------------------------------------------------------


REFERENCE_FIELDS = {"code", "label_id", "label_en", "order", "is_active"}


def reference_save(*, actor, model, data: dict, instance=None):
    """Add or change an item of a reference list (platforms). Items are deactivated, never
    deleted: incidents keep the values they were recorded with."""
    policy.require(actor, REFERENCE)
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    with transaction.atomic():
        if instance is None:
            instance = model()
            changed = common.apply_changes(instance, data, REFERENCE_FIELDS)
        else:
            instance = model.objects.select_for_update().get(pk=instance.pk)
            if "code" in data and data["code"] != instance.code:
                raise common.field_error("code", _("The code of an item cannot change (records refer to it)."))
            changed = common.apply_changes(instance, data, REFERENCE_FIELDS)
            if not changed:
                return instance
        validate(instance)
        instance.save()
        audit.record("incidents.reference.saved", actor=actor, obj=instance,
                     organisation=actor.organisation_id, payload={"list": model._meta.model_name,
                                                                  "code": instance.code, "fields": sorted(changed)})
    return instance
