"""Forms of the statistics pages (all GET filters except the narrative), shared by the web views and
the API through `filters_from` so both read parameters the same way."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from lindungi.core.errors import DomainError
from lindungi.reports.dimensions import DIMENSIONS, EXPLOITATION_TYPES
from lindungi.reports.factsheet import Period
from lindungi.reports.measures import Filters, registry
from lindungi.reports.models import SECTION_LABELS, SECTIONS, Language
from lindungi.reports.selectors import LEVEL_LABELS, audience_levels

LANGUAGES = Language.choices


def _provinces():
    from lindungi.geo.models import Region

    return [("", _("All provinces"))] + list(
        Region.objects.filter(level=Region.Level.PROVINCE).order_by("name").values_list("code", "name"))


def _organisations():
    from lindungi.accounts.models import Organisation

    return [("", _("All organisations"))] + [
        (str(o.pk), o.code) for o in Organisation.objects.filter(kind=Organisation.Kind.MEMBER).order_by("code")]


class FilterForm(forms.Form):
    level = forms.ChoiceField(label=_("Figures for"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    province = forms.ChoiceField(label=_("Province"), required=False)
    regency = forms.CharField(label=_("Regency/city code"), required=False, max_length=13)
    type = forms.ChoiceField(label=_("Exploitation type"), required=False,
                             choices=[("", _("All types")), *EXPLOITATION_TYPES])
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        levels = audience_levels(user) if user is not None else list(LEVEL_LABELS)
        self.fields["level"].choices = [(level, LEVEL_LABELS[level]) for level in levels]
        self.fields["province"].choices = _provinces()
        self.fields["organisation"].choices = _organisations()

    def clean(self):
        data = super().clean()
        if data.get("year") and (data.get("date_from") or data.get("date_to")):
            raise forms.ValidationError(_("Choose a year or a date range, not both."))
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        regency = data.get("regency") or ""
        if regency and not regency.startswith(f"{data.get('province') or '-'}."):
            self.add_error("regency", _("Choose a regency/city of the chosen province."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if data.get("year"):
            date_from, date_to = datetime.date(data["year"], 1, 1), datetime.date(data["year"], 12, 31)
        organisation = int(data["organisation"]) if data.get("organisation") else None
        return Filters(date_from=date_from, date_to=date_to, province=data.get("province") or "",
                       regency=data.get("regency") or "", type=data.get("type") or "", organisation=organisation)


class TableForm(FilterForm):
    measure = forms.ChoiceField(label=_("Statistic"))
    rows = forms.ChoiceField(label=_("Rows"))
    cols = forms.ChoiceField(label=_("Columns"), required=False)

    field_order = ["measure", "rows", "cols"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [(key, m.label) for key, m in registry().items()]
        dims = [(key, d.label) for key, d in DIMENSIONS.items()]
        self.fields["rows"].choices = dims
        self.fields["cols"].choices = [("", _("None")), *dims]


class FactsheetForm(forms.Form):
    level = forms.ChoiceField(label=_("Figures for"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    province = forms.ChoiceField(label=_("Province"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, initial="id")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        levels = audience_levels(user) if user is not None else list(LEVEL_LABELS)
        self.fields["level"].choices = [(level, LEVEL_LABELS[level]) for level in levels]
        self.fields["province"].choices = _provinces()

    def clean(self):
        data = super().clean()
        if not data.get("year") and not (data.get("date_from") and data.get("date_to")):
            raise forms.ValidationError(_("Choose a year, or both ends of a date range."))
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        if data.get("year"):
            return Period.year(data["year"])
        return Period(data["date_from"], data["date_to"])


class AnnualChoiceForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    scope = forms.ChoiceField(label=_("Report of"))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, initial="id")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from lindungi.accounts.models import Organisation

        self.fields["scope"].choices = [("network", _("The whole network"))] + [
            (o.code, o.name) for o in Organisation.objects.filter(kind=Organisation.Kind.MEMBER, is_active=True)]


class NarrativeForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SECTIONS:
            self.fields[name] = forms.CharField(label=SECTION_LABELS[name], required=False, max_length=20000,
                                                widget=forms.Textarea(attrs={"rows": 8}))


def form_errors(form) -> DomainError:
    fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
    first = next(iter(fields.values()), [str(_("Invalid input."))])[0]
    return DomainError(first, code="invalid", fields=fields)
