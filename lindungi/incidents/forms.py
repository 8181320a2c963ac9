"""Forms of the incident pages. They only parse input: the services validate the domain rules."""

from __future__ import annotations

import re

from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lindungi.cases.models import Sex
from lindungi.geo.forms import RegionField, RegionPickerMixin
from lindungi.geo.models import Region
from lindungi.incidents.models import (
    AgeGroup,
    Context,
    DatePrecision,
    Exchange,
    ExploitationType,
    InformationSource,
    Modus,
    OnlineSubtype,
    PerpetratorRelationship,
    PerpetratorRole,
    Platform,
    Setting,
    Verification,
)
from lindungi.incidents.web import DATE, TEXTAREA

CHECKBOXES = forms.CheckboxSelectMultiple


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166-1 countries from the network's reference list (programs), if installed."""
    if not apps.is_installed("lindungi.programs"):
        return []
    Country = apps.get_model("programs", "Country")
    return [(c.code, f"{c.name} ({c.code})") for c in Country.objects.filter(is_active=True)]


def split_numbers(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text or "") if part]


class IncidentForm(RegionPickerMixin, forms.Form):
    region_fields = {"province": "province", "regency": "regency", "district": "district"}

    case_numbers = forms.CharField(
        label=_("Case numbers"), max_length=400,
        help_text=_("The child cases this incident belongs to, separated by commas."))
    types = forms.MultipleChoiceField(label=_("Exploitation types"), choices=ExploitationType.choices,
                                      widget=CHECKBOXES,
                                      help_text=_("Several can apply (Luxembourg Terminology Guidelines)."))
    online_subtypes = forms.MultipleChoiceField(label=_("Online exploitation: subtypes"), required=False,
                                                choices=OnlineSubtype.choices, widget=CHECKBOXES)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE,
                                  help_text=_("When only the month or the year is known, pick any day in it."))
    date_precision = forms.ChoiceField(label=_("How precise is the date?"), choices=DatePrecision.choices,
                                       initial=DatePrecision.DAY)
    province = RegionField(Region.Level.PROVINCE)
    regency = RegionField(Region.Level.REGENCY)
    district = RegionField(Region.Level.DISTRICT)
    setting = forms.ChoiceField(label=_("Setting"), choices=[("", "—"), *Setting.choices])
    location_details = forms.CharField(label=_("Place details"), required=False, max_length=500, widget=TEXTAREA,
                                       help_text=_("Identifying details are encrypted."))
    platforms = forms.ModelMultipleChoiceField(label=_("Online platforms"), queryset=Platform.objects.none(),
                                               required=False, widget=CHECKBOXES,
                                               help_text=_("For online incidents and online grooming."))
    modus = forms.MultipleChoiceField(label=_("Modus / recruitment"), choices=Modus.choices, required=False,
                                      widget=CHECKBOXES)
    exchanged = forms.MultipleChoiceField(label=_("Money, goods or services exchanged"), choices=Exchange.choices,
                                          required=False, widget=CHECKBOXES)
    exchange_details = forms.CharField(label=_("What was exchanged, and between whom"), required=False,
                                       max_length=1000, widget=TEXTAREA)
    cross_border_countries = forms.MultipleChoiceField(
        label=_("Countries involved (cross-border)"), required=False, choices=(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Only when the child was moved or exploited across a border. Hold Ctrl (or Cmd) to choose "
                    "several."))
    description = forms.CharField(label=_("Description"), required=False, max_length=20000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    source = forms.ChoiceField(label=_("Source of information"), choices=[("", "—"), *InformationSource.choices])
    source_details = forms.CharField(label=_("Source details"), required=False, max_length=500)
    verification = forms.ChoiceField(label=_("Verification status"), choices=Verification.choices,
                                     initial=Verification.REPORTED)

    def __init__(self, *args, with_cases: bool = True, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_cases:
            del self.fields["case_numbers"]
        platforms = Q(is_active=True)
        if incident is not None:
            platforms |= Q(pk__in=incident.platforms.values("pk"))
        self.fields["platforms"].queryset = Platform.objects.filter(platforms)
        self.fields["cross_border_countries"].choices = country_choices()

    def clean_case_numbers(self):
        numbers = split_numbers(self.cleaned_data["case_numbers"])
        if not numbers:
            raise forms.ValidationError(_("Enter at least one case number."))
        return numbers

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in (
            "occurred_on", "date_precision", "province", "regency", "district", "setting", "location_details",
            "modus", "exchanged", "exchange_details", "cross_border_countries", "description", "source",
            "source_details", "verification")}


def incident_initial(incident) -> dict:
    return {
        "types": sorted({t.type for t in incident.types.all()}),
        "online_subtypes": sorted({t.subtype for t in incident.types.all() if t.subtype}),
        "occurred_on": incident.occurred_on, "date_precision": incident.date_precision,
        "province": incident.province_id, "regency": incident.regency_id, "district": incident.district_id,
        "setting": incident.setting, "location_details": incident.location_details,
        "platforms": list(incident.platforms.all()), "modus": incident.modus, "exchanged": incident.exchanged,
        "exchange_details": incident.exchange_details, "cross_border_countries": incident.cross_border_countries,
        "description": incident.description, "source": incident.source, "source_details": incident.source_details,
        "verification": incident.verification,
    }


class PerpetratorForm(forms.Form):
    identified = forms.BooleanField(label=_("Identified (the name is known)"), required=False)
    name = forms.CharField(label=_("Name"), required=False, max_length=200, help_text=_("Encrypted."))
    aliases = forms.CharField(label=_("Aliases"), required=False, max_length=300)
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *PerpetratorRole.choices])
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    age_group = forms.ChoiceField(label=_("Age group"), choices=AgeGroup.choices, initial=AgeGroup.UNKNOWN)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, choices=())
    relationship = forms.ChoiceField(label=_("Relationship to the child"), choices=PerpetratorRelationship.choices,
                                     initial=PerpetratorRelationship.UNKNOWN)
    arrested = forms.BooleanField(label=_("Arrested"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=TEXTAREA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = [("", _("Unknown")), *country_choices()]


def perpetrator_initial(perpetrator) -> dict:
    return {name: getattr(perpetrator, name) for name in (
        "identified", "name", "aliases", "role", "sex", "age_group", "nationality", "relationship", "arrested",
        "notes")}


class LinkCaseForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=32)


class IncidentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        help_text=_("Incident or case number, a perpetrator's full name, or a type of exploitation."))
    type = forms.ChoiceField(label=_("Exploitation type"), required=False,
                             choices=[("", _("All")), *ExploitationType.choices])
    subtype = forms.ChoiceField(label=_("Online subtype"), required=False,
                                choices=[("", _("All")), *OnlineSubtype.choices])
    setting = forms.ChoiceField(label=_("Setting"), required=False, choices=[("", _("All")), *Setting.choices])
    context = forms.ChoiceField(label=_("Context"), required=False, choices=[("", _("All")), *Context.choices])
    verification = forms.ChoiceField(label=_("Verification"), required=False,
                                     choices=[("", _("All")), *Verification.choices])
    platform = forms.ChoiceField(label=_("Platform"), required=False, choices=())
    province = forms.ModelChoiceField(Region.objects.filter(level=Region.Level.PROVINCE).order_by("name"),
                                      label=_("Province"), required=False, empty_label=_("All"))
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].choices = [("", _("All")), *((p.code, p.label) for p in Platform.objects.all())]


class ServiceForm(forms.ModelForm):
    """A ModelForm that only parses input: the service validates the model (and writes it)."""

    def _post_clean(self):
        pass


def reference_form(model):
    fields = [f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key]
    return forms.modelform_factory(model, form=ServiceForm, fields=fields)
