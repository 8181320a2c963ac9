"""Measures over the incidents and legal apps: incidents, perpetrators and legal outcomes.

Only records linked to a case whose anonymised-statistics consent is active are counted (the
apps' own `with_statistics_consent()`). Multi-valued links (an incident's exploitation types, a
legal case's victims) are counted with EXISTS conditions, so a record counts once per category
and once in the total.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils.translation import gettext_lazy as _

from lindungi.core.policy import Scope
from lindungi.reports import measures
from lindungi.reports.measures import Audience, Binding, Measure


def _installed(label: str, model: str) -> bool:
    if not apps.is_installed(f"lindungi.{label}"):
        return False
    try:
        apps.get_model(label, model)
    except LookupError:
        return False
    return True


def _user(user_id):
    from lindungi.accounts.models import User

    return User.objects.get(pk=user_id)


def _audience(model_name: str, prefix: str = ""):
    """Organisation and network by the record's organisation; personal through the model's own
    ASSIGNED scope (the worker's cases, or the assigned legal officer)."""

    def audience_q(audience: Audience) -> Q:
        if audience.level == Audience.NETWORK:
            return Q()
        if audience.level == Audience.ORGANISATION:
            return Q(**{f"{prefix}organisation_id": audience.organisation_id})
        model = apps.get_model(*model_name.split("."))
        visible = model.objects.filter(model.policy_q(_user(audience.user_id), Scope.ASSIGNED)).values("pk")
        return Q(**{f"{prefix}pk__in" if prefix else "pk__in": visible})

    return audience_q


def _incident_type(outer: str):
    IncidentType = apps.get_model("incidents", "IncidentType")

    def condition(code: str) -> Q:
        return Q(Exists(IncidentType.objects.filter(incident_id=OuterRef(outer), type=code)))

    return condition


def incident_measures() -> dict[str, Measure]:
    if not _installed("incidents", "Incident"):
        return {}
    Incident = apps.get_model("incidents", "Incident")
    IncidentCase = apps.get_model("incidents", "IncidentCase")
    Perpetrator = apps.get_model("incidents", "Perpetrator")

    def incidents():
        return Incident.objects.with_statistics_consent()

    def perpetrators():
        consenting = IncidentCase.objects.filter(incident_id=OuterRef("incident_id"), case__statistics_consent=True)
        return Perpetrator.objects.filter(Exists(consenting))

    return {
        "incidents": Measure(
            key="incidents", label=_("Incidents"), hxl_tag="#event+incidents", date_field="occurred_on",
            base=incidents,
            bindings={
                "year": Binding(expression=lambda: ExtractYear("occurred_on")),
                "month": Binding(expression=lambda: TruncMonth("occurred_on")),
                "province": Binding(field="province_id"),
                "regency": Binding(field="regency_id"),
                "type": Binding(multi=_incident_type("pk"), through="types__type"),
                "organisation": Binding(field="organisation_id"),
                "setting": Binding(field="setting"),
            },
            audience_q=_audience("incidents.Incident"),
            description=_("Incidents in the period linked to a consenting case; an incident can have several types."),
        ),
        "perpetrators": Measure(
            key="perpetrators", label=_("Perpetrators"), hxl_tag="#indicator+perpetrators",
            date_field="incident__occurred_on", base=perpetrators,
            bindings={
                "year": Binding(expression=lambda: ExtractYear("incident__occurred_on")),
                "month": Binding(expression=lambda: TruncMonth("incident__occurred_on")),
                "province": Binding(field="incident__province_id"),
                "regency": Binding(field="incident__regency_id"),
                "type": Binding(multi=_incident_type("incident_id"), through="incident__types__type"),
                "sex": Binding(field="sex"),
                "perpetrator_age": Binding(field="age_group"),
                "relationship": Binding(field="relationship"),
                "organisation": Binding(field="organisation_id"),
            },
            audience_q=_audience("incidents.Incident", prefix="incident__"),
            description=_("Alleged perpetrators named in those incidents (identified or not)."),
        ),
    }


def legal_measures() -> dict[str, Measure]:
    if not _installed("legal", "LegalCase"):
        return {}
    LegalCase = apps.get_model("legal", "LegalCase")
    LegalCaseVictim = apps.get_model("legal", "LegalCaseVictim")
    LegalCaseIncident = apps.get_model("legal", "LegalCaseIncident")
    from lindungi.legal.selectors import outcome_q

    def through_victims(field: str):
        def condition(code: str) -> Q:
            return Q(Exists(LegalCaseVictim.objects.filter(legal_case_id=OuterRef("pk"), **{f"case__{field}": code})))

        return condition

    def incident_type(code: str) -> Q:
        return Q(Exists(LegalCaseIncident.objects.filter(legal_case_id=OuterRef("pk"), incident__types__type=code)))

    return {
        "legal": Measure(
            key="legal", label=_("Legal cases"), hxl_tag="#indicator+legal", date_field="reported_on",
            base=lambda: LegalCase.objects.with_statistics_consent(),
            bindings={
                "outcome": Binding(multi=outcome_q),
                "year": Binding(expression=lambda: ExtractYear("reported_on")),
                "month": Binding(expression=lambda: TruncMonth("reported_on")),
                "province": Binding(multi=through_victims("province_id")),
                "regency": Binding(multi=through_victims("regency_id")),
                "type": Binding(multi=incident_type),
                "organisation": Binding(field="organisation_id"),
            },
            audience_q=_audience("legal.LegalCase"),
            description=_("Legal cases by the date of the police report: reported, reached trial, convictions, "
                          "restitution ordered and paid."),
        ),
    }


measures.EXTENSIONS.extend([incident_measures, legal_measures])
