"""The dimensions statistics are broken down by, their categories and labels.

Categories are codes stored in plain columns (region codes, choice codes, organisation ids, years);
labels are looked up here, in the reader's language, never stored with the figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# Luxembourg Terminology Guidelines (DOMAIN.md): the exploitation types statistics report on.
EXPLOITATION_TYPES = [
    ("prostitution", _("Exploitation of children in prostitution")),
    ("trafficking", _("Trafficking of children for sexual purposes")),
    ("sale", _("Sale of children for sexual purposes")),
    ("travel_tourism", _("Sexual exploitation of children in travel and tourism")),
    ("marriage", _("Child, early and forced marriage (exploitative)")),
    ("online", _("Online child sexual exploitation")),
    ("abuse", _("Child sexual abuse")),
]
SHORT_TYPE_LABELS = {
    "prostitution": _("Prostitution"),
    "trafficking": _("Trafficking"),
    "sale": _("Sale"),
    "travel_tourism": _("Travel and tourism"),
    "marriage": _("Child marriage"),
    "online": _("Online"),
    "abuse": _("Sexual abuse"),
    "other": _("Other (rare categories)"),
}
SEXES = [("female", _("Female")), ("male", _("Male")), ("other", _("Other")), ("unknown", _("Unknown"))]
AGE_GROUPS = [("0-4", _("0–4 years")), ("5-9", _("5–9 years")), ("10-14", _("10–14 years")),
              ("15-17", _("15–17 years")), ("18+", _("18 and over")), ("unknown", _("Age unknown"))]
LEGAL_OUTCOMES = [
    ("reported", _("Reported to the police")),
    ("trial", _("Reached trial")),
    ("convicted", _("Conviction")),
    ("restitution_ordered", _("Restitution ordered")),
    ("restitution_paid", _("Restitution paid")),
]
OTHER = "other"
UNKNOWN = ""


@dataclass(frozen=True)
class Category:
    code: str
    label: str


@dataclass(frozen=True)
class Dimension:
    key: str
    label: object  # lazy translation
    hxl_tag: str  # the HXL tag of this dimension's column in long/wide exports
    hxl_attribute_prefix: str  # for a category used as a value column: +f, +age10_14, ...
    fixed: tuple = ()  # (code, label) for dimensions with a fixed list of categories
    below_province: bool = False

    def categories(self, codes) -> list[Category]:
        """The categories to show: every fixed category (zeros included), else those present."""
        if self.fixed:
            known = [Category(code, str(label)) for code, label in self.fixed]
            extra = sorted(set(codes) - {c.code for c in known})
            return known + [Category(code, _label_for(self.key, code)) for code in extra]
        present = sorted({_code(c) for c in codes}, key=lambda c: (c == UNKNOWN, c))
        labels = _labels(self.key, present)
        return [Category(code, labels.get(code) or _label_for(self.key, code)) for code in present]

    def hxl_attribute(self, code: str) -> str:
        if self.key == "sex" and code in ("female", "male"):
            return "+f" if code == "female" else "+m"
        slug = re.sub(r"[^a-z0-9]+", "_", str(code).lower()).strip("_") or "unknown"
        return f"+{self.hxl_attribute_prefix}{slug}"


def _code(code) -> str:
    return "" if code is None else str(code)


def _label_for(key: str, code) -> str:
    if code in (None, UNKNOWN):
        return str(_("Not recorded"))
    if code == OTHER:
        return str(SHORT_TYPE_LABELS[OTHER])
    return str(code)


def _labels(key: str, codes) -> dict:
    codes = [c for c in codes if c not in (None, UNKNOWN)]
    if key in ("province", "regency"):
        from lindungi.geo.models import Region

        return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    if key == "organisation":
        from lindungi.accounts.models import Organisation

        return {str(org.pk): org.code for org in Organisation.objects.filter(pk__in=codes)}
    if key in ("setting", "perpetrator_age", "relationship"):
        from lindungi.incidents import models as incidents

        choices = {"setting": incidents.Setting, "perpetrator_age": incidents.AgeGroup,
                   "relationship": incidents.PerpetratorRelationship}[key]
        return dict(choices.choices)
    if key == "service":
        from lindungi.cases.models import ServiceType

        return dict(ServiceType.choices)
    if key == "month":
        return {code: str(code) for code in codes}
    return {}


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in [
        Dimension("year", _("Year"), "#date+year", "y"),
        Dimension("month", _("Month"), "#date+month", "m"),
        Dimension("province", _("Province"), "#adm1+code", "adm1_"),
        Dimension("regency", _("Regency/city"), "#adm2+code", "adm2_", below_province=True),
        Dimension("type", _("Exploitation type"), "#crisis+type", "type_", fixed=tuple(EXPLOITATION_TYPES)),
        Dimension("sex", _("Sex"), "#group+sex", "sex_", fixed=tuple(SEXES)),
        Dimension("age_group", _("Age group"), "#group+age", "age", fixed=tuple(AGE_GROUPS)),
        Dimension("organisation", _("Organisation"), "#org+code", "org_"),
        Dimension("service", _("Service"), "#service+type", "service_"),
        Dimension("outcome", _("Legal outcome"), "#indicator+outcome", "outcome_", fixed=tuple(LEGAL_OUTCOMES)),
        Dimension("setting", _("Setting"), "#loc+type", "setting_"),
        Dimension("perpetrator_age", _("Perpetrator's age group"), "#group+age", "age", fixed=()),
        Dimension("relationship", _("Relationship to the child"), "#group+relationship", "rel_"),
    ]
}


def dimension(key: str) -> Dimension:
    try:
        return DIMENSIONS[key]
    except KeyError:
        from lindungi.core.errors import DomainError

        raise DomainError(_("Unknown breakdown: %(key)s.") % {"key": key}, code="invalid_dimension",
                          fields={"rows": [str(_("Choose one of the listed breakdowns."))]}) from None


def short_label(dim_key: str, category: Category) -> str:
    if dim_key == "type":
        return str(SHORT_TYPE_LABELS.get(category.code, category.label))
    return category.label
