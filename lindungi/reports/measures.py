"""What statistics count, and where the counts come from.

Each measure names a queryset of *consenting* records (only cases whose anonymised-statistics
consent is active), how each dimension maps onto plain columns, and what is counted. Everything
is a GROUP BY over plain columns: no record is ever decrypted to be counted.

A child served by two organisations counts once: children are counted as distinct values of the
network-wide blind index on the child (name + birth year, else NIK), which the cases app keys
with the network key for exactly this purpose. A child whose name or birth date is unknown has no
network index and counts by its own record.

Measures whose data live in apps that are not installed yet (incidents, legal) are registered
only when their models exist, so the rest of the statistics keep working.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Case as CaseWhen
from django.db.models import CharField, Count, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractYear, TruncMonth
from django.utils.translation import gettext_lazy as _

from lindungi.reports.dimensions import AGE_GROUPS, EXPLOITATION_TYPES
from lindungi.reports.expressions import JSONArrayHas


@dataclass(frozen=True)
class Audience:
    """Whose figures: the whole network, one organisation, or one worker's own cases."""

    level: str  # "network" | "organisation" | "personal"
    organisation_id: int | None = None
    user_id: int | None = None

    NETWORK = "network"
    ORGANISATION = "organisation"
    PERSONAL = "personal"


@dataclass(frozen=True)
class Filters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    province: str = ""
    regency: str = ""
    type: str = ""
    organisation: int | None = None

    def for_audit(self) -> dict:
        """Codes only (no personal data): what the audit trail keeps about an export."""
        out = {}
        if self.date_from:
            out["date_from"] = self.date_from.isoformat()
        if self.date_to:
            out["date_to"] = self.date_to.isoformat()
        for key in ("province", "regency", "type"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.organisation:
            out["organisation"] = self.organisation
        return out


@dataclass(frozen=True)
class Binding:
    """How a dimension maps onto a measure's queryset."""

    field: str | None = None  # group on this plain column
    expression: Callable | None = None  # group on this expression (built per query)
    multi: Callable[[str], Q] | None = None  # multi-valued: a condition per category code
    # Multi-valued, stored one row per value: the lookup path to that value. A one-way margin is then
    # one GROUP BY through the join instead of a condition (an EXISTS per record) per category.
    through: str | None = None


def _age_group_expression(prefix: str):
    path = f"{prefix}age_years"
    whens = [When(**{f"{path}__isnull": True}, then=Value("unknown"))]
    bounds = {"0-4": 4, "5-9": 9, "10-14": 14, "15-17": 17}
    for code, _label in AGE_GROUPS:
        if code in bounds:
            whens.append(When(**{f"{path}__lte": bounds[code]}, then=Value(code)))
    return CaseWhen(*whens, default=Value("18+"), output_field=CharField())


def _type_condition(prefix: str) -> Callable[[str], Q]:
    def condition(code: str) -> Q:
        return Q(JSONArrayHas(f"{prefix}concerns", code))

    return condition


def _child_key(prefix: str):
    # Distinct children across organisations: the network blind index (name + birth year, else
    # NIK), else the child record itself.
    return Coalesce(
        f"{prefix}child__network_name_year_index",
        f"{prefix}child__network_nik_index",
        Cast(f"{prefix}child_id", CharField()),
    )


@dataclass
class Measure:
    key: str
    label: object
    hxl_tag: str
    date_field: str
    base: Callable[[], QuerySet]
    bindings: dict[str, Binding]
    # Which records each audience sees: a function (audience) -> Q.
    audience_q: Callable[[Audience], Q]
    # What is counted: "pk", or an expression such as the child's network key.
    target: Callable[[], object] = field(default=lambda: "pk")
    distinct: bool = False
    description: object = ""

    def counter(self, condition: Q | None = None, *, distinct: bool = False) -> Count:
        return Count(self.target(), filter=condition, distinct=self.distinct or distinct)

    def supports(self, dim_key: str) -> bool:
        return dim_key in self.bindings


def _case_bindings(prefix: str, date_path: str) -> dict[str, Binding]:
    return {
        "year": Binding(expression=lambda: ExtractYear(date_path)),
        "month": Binding(expression=lambda: TruncMonth(date_path)),
        "province": Binding(field=f"{prefix}province_id"),
        "regency": Binding(field=f"{prefix}regency_id"),
        "type": Binding(multi=_type_condition(prefix)),
        "sex": Binding(field=f"{prefix}sex"),
        "age_group": Binding(expression=lambda: _age_group_expression(prefix)),
        "organisation": Binding(field=f"{prefix}organisation_id"),
    }


def _case_audience(prefix: str):
    def audience_q(audience: Audience) -> Q:
        if audience.level == Audience.NETWORK:
            return Q()
        if audience.level == Audience.ORGANISATION:
            return Q(**{f"{prefix}organisation_id": audience.organisation_id})
        # Personal: the worker's own cases (assigned, or on the case team). The few team case ids
        # are read first: OR-ing a join to the team made PostgreSQL scan every case.
        team = list(apps.get_model("cases", "CaseTeamMember").objects.filter(
            user_id=audience.user_id, removed_at__isnull=True).values_list("case_id", flat=True))
        mine = Q(**{f"{prefix}assigned_caseworker_id": audience.user_id})
        return mine | Q(**{f"{prefix}id__in": team}) if team else mine

    return audience_q


def _consenting_cases():
    Case = apps.get_model("cases", "Case")
    # Transfer stubs (no child) are the sending side of a case that lives on elsewhere.
    return Case.objects.with_statistics_consent().filter(child__isnull=False)


def _referrals():
    Referral = apps.get_model("cases", "Referral")
    return Referral.objects.filter(case__statistics_consent=True, case__child__isnull=False)


def _build_registry() -> dict[str, Measure]:
    registry: dict[str, Measure] = {}
    if apps.is_installed("lindungi.cases") and _has_model("cases", "Case"):
        registry["cases"] = Measure(
            key="cases", label=_("Cases"), hxl_tag="#affected+cases", date_field="registered_on",
            base=_consenting_cases, bindings=_case_bindings("", "registered_on"), audience_q=_case_audience(""),
            description=_("Cases registered in the period, with consent to anonymised statistics."),
        )
        registry["children"] = Measure(
            key="children", label=_("Child victims"), hxl_tag="#affected+children", date_field="registered_on",
            base=_consenting_cases, bindings=_case_bindings("", "registered_on"), audience_q=_case_audience(""),
            target=lambda: _child_key(""), distinct=True,
            description=_("Children counted once even when two organisations serve them."),
        )
        registry["referrals"] = Measure(
            key="referrals", label=_("Referrals"), hxl_tag="#reached+referrals", date_field="sent_on",
            base=_referrals,
            bindings={**_case_bindings("case__", "sent_on"), "organisation": Binding(field="organisation_id"),
                      "service": Binding(field="service_type")},
            audience_q=_case_audience("case__"),
            description=_("Referrals sent in the period for consenting cases."),
        )
    for extension in EXTENSIONS:
        registry.update(extension())
    return registry


def _has_model(app_label: str, name: str) -> bool:
    try:
        apps.get_model(app_label, name)
    except LookupError:
        return False
    return True


# Functions returning {key: Measure} for data of other apps (incidents, legal): see sources.py.
EXTENSIONS: list[Callable[[], dict[str, Measure]]] = []

_REGISTRY: dict[str, Measure] | None = None


def registry() -> dict[str, Measure]:
    global _REGISTRY
    if _REGISTRY is None:
        from lindungi.reports import sources  # noqa: F401  (registers the extensions)

        _REGISTRY = _build_registry()
    return _REGISTRY


def measure(key: str) -> Measure:
    found = registry().get(key)
    if found is None:
        from lindungi.core.errors import DomainError

        raise DomainError(_("Unknown statistic: %(key)s.") % {"key": key}, code="invalid_measure",
                          fields={"measure": [str(_("Choose one of the listed statistics."))]})
    return found


TYPE_CODES = [code for code, _label in EXPLOITATION_TYPES]
