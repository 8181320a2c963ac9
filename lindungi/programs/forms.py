"""Forms: they only parse and check input; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lindungi.geo.forms import RegionPickerMixin
from lindungi.geo.models import Region
from lindungi.programs.models import (
    Activity,
    ActivityOutput,
    ActivityType,
    AgeGroup,
    AttendanceRecord,
    Country,
    Currency,
    Donor,
    EventRegistration,
    EventSession,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    LearningEntry,
    Partner,
    Program,
    Result,
    Sex,
    Speaker,
    StakeholderGroup,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ServiceForm(forms.ModelForm):
    """A ModelForm that only parses input: the model is validated (and written) by the service,
    whose errors the view puts back on the form."""

    def _post_clean(self):
        pass


class ProgramForm(ServiceForm):
    class Meta:
        model = Program
        fields = ["code", "title_id", "title_en", "description_id", "description_en", "status", "start_date",
                  "end_date", "partners", "provinces", "regencies", "target_groups", "target_groups_note"]
        widgets = {"start_date": DATE, "end_date": DATE, "partners": forms.CheckboxSelectMultiple,
                   "provinces": forms.CheckboxSelectMultiple, "target_groups": forms.CheckboxSelectMultiple,
                   "description_id": forms.Textarea(attrs={"rows": 4}),
                   "description_en": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provinces"].queryset = Region.objects.filter(level="province").order_by("name")
        self.fields["regencies"].queryset = Region.objects.filter(level="regency").select_related("parent").order_by("code")
        self.fields["regencies"].help_text = _("Hold Ctrl (or Cmd) to choose several.")
        self.fields["partners"].queryset = Partner.objects.filter(is_active=True)
        self.fields["target_groups"].queryset = StakeholderGroup.objects.filter(is_active=True)


class FundingForm(forms.Form):
    donor = forms.ModelChoiceField(Donor.objects.filter(is_active=True), label=_("Donor"))
    amount = forms.DecimalField(label=_("Amount"), required=False, min_value=0, max_digits=16, decimal_places=2)
    currency = forms.ModelChoiceField(Currency.objects.filter(is_active=True), label=_("Currency"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("amount") is not None and not cleaned.get("currency"):
            self.add_error("currency", _("Choose the currency of the amount."))
        return cleaned


class ResultForm(ServiceForm):
    class Meta:
        model = Result
        fields = ["level", "parent", "code", "title_id", "title_en", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        parents = program.results.exclude(level=Result.Level.OUTPUT)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents


class IndicatorForm(ServiceForm):
    class Meta:
        model = Indicator
        fields = ["code", "title_id", "title_en", "measure", "unit", "baseline_value", "baseline_date", "baseline_note",
                  "by_sex", "by_age_group", "by_province", "computation", "rule_metric", "rule_scope",
                  "rule_activity_types", "rule_sex", "rule_age_groups", "rule_stakeholder_groups", "order"]
        widgets = {"baseline_date": DATE, "rule_activity_types": forms.CheckboxSelectMultiple,
                   "rule_age_groups": forms.CheckboxSelectMultiple,
                   "rule_stakeholder_groups": forms.CheckboxSelectMultiple, "computation": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_activity_types"].queryset = ActivityType.objects.filter(is_active=True)
        self.fields["rule_age_groups"].queryset = AgeGroup.objects.filter(is_active=True)
        self.fields["rule_stakeholder_groups"].queryset = StakeholderGroup.objects.filter(is_active=True)


class PeriodForm(ServiceForm):
    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Total"))] + [(d, label) for d, label in Indicator.Dimension.choices if d in indicator.dimensions]
        self.fields["dimension"] = forms.ChoiceField(label=_("Disaggregation"), choices=choices, required=False)
        if indicator.measure == Indicator.Measure.QUALITATIVE and "value" in self.fields:
            del self.fields["value"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned



class TargetForm(PeriodForm):
    class Meta:
        model = IndicatorTarget
        fields = ["period_start", "period_end", "dimension", "category", "value", "note"]
        widgets = {"period_start": DATE, "period_end": DATE}


class ActualForm(PeriodForm):
    class Meta:
        model = IndicatorActual
        fields = ["period_start", "period_end", "dimension", "category", "value", "narrative", "source"]
        widgets = {"period_start": DATE, "period_end": DATE, "narrative": forms.Textarea(attrs={"rows": 3})}


class ActivityForm(RegionPickerMixin, ServiceForm):
    region_fields = {"province": "province", "regency": "regency"}

    class Meta:
        model = Activity
        fields = ["program", "type", "title", "description", "status", "start_date", "end_date", "province", "regency",
                  "venue", "is_online", "results", "organisers", "partners", "test_max_score", "pretest_average",
                  "posttest_average", "tested_count", "results_narrative"]
        widgets = {"start_date": DATE, "end_date": DATE, "description": forms.Textarea(attrs={"rows": 3}),
                   "results_narrative": forms.Textarea(attrs={"rows": 3}), "results": forms.CheckboxSelectMultiple,
                   "organisers": forms.SelectMultiple(attrs={"size": 6}),
                   "partners": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["type"].queryset = ActivityType.objects.filter(is_active=True)
        self.fields["end_date"].required = False
        self.fields["end_date"].help_text = _("Leave empty for a one-day activity.")
        partners = Partner.objects.filter(is_active=True)
        self.fields["organisers"].queryset = partners
        self.fields["partners"].queryset = partners
        program_id = self._program_id()
        self.fields["results"].queryset = Result.objects.filter(program_id=program_id) if program_id \
            else Result.objects.none()
        self.fields["results"].help_text = _("Save the program first to choose among its results.") \
            if not program_id else ""

    def _program_id(self):
        if self.is_bound:
            value = self.data.get(self.add_prefix("program"))
            return value if value and str(value).isdigit() else None
        initial = self.get_initial_for_field(self.fields["program"], "program")
        return getattr(initial, "pk", initial)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and not end:
            cleaned["end_date"] = start
        elif start and end and end < start:
            self.add_error("end_date", _("The activity ends before it starts."))
        return cleaned



class ParticipantRowForm(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    age_group = forms.ModelChoiceField(AgeGroup.objects.filter(is_active=True), label=_("Age group"), required=False,
                                       empty_label=_("Not recorded"))
    stakeholder_group = forms.ModelChoiceField(StakeholderGroup.objects.filter(is_active=True),
                                               label=_("Stakeholder group"), required=False,
                                               empty_label=_("Not recorded"))
    count = forms.IntegerField(label=_("Number"), min_value=0, required=False)


ParticipantFormSet = forms.formset_factory(ParticipantRowForm, extra=4, max_num=200, validate_max=True)


class CountryRowForm(forms.Form):
    country = forms.ModelChoiceField(Country.objects.filter(is_active=True), label=_("Country"), required=False)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, required=False)


CountryFormSet = forms.formset_factory(CountryRowForm, extra=3, max_num=250, validate_max=True)


class SpeakerForm(ServiceForm):
    class Meta:
        model = Speaker
        fields = ["name", "affiliation", "sex", "country", "topic", "session"]

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = activity.sessions.all()
        self.fields["country"].queryset = Country.objects.filter(is_active=True)



class SessionForm(ServiceForm):
    class Meta:
        model = EventSession
        fields = ["title", "starts_at", "ends_at", "room"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME}

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)



class LinkField(forms.URLField):
    """A link typed without a scheme ("radio.example/talk") is taken as https, as Django 6 will."""

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)


class OutputForm(ServiceForm):
    class Meta:
        model = ActivityOutput
        fields = ["kind", "title", "reach", "url", "published_on"]
        field_classes = {"url": LinkField}
        widgets = {"published_on": DATE}

    def __init__(self, *args, activity: Activity, **kwargs):
        super().__init__(*args, **kwargs)



class FileForm(forms.Form):
    file = forms.FileField(label=_("Photo or document"), help_text=_("JPEG, PNG, PDF or Word (.docx); stored encrypted."))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class AttendanceForm(ServiceForm):
    class Meta:
        model = AttendanceRecord
        fields = ["name", "contact", "institution", "sex", "age_group", "stakeholder_group"]



class RegistrationForm(ServiceForm):
    class Meta:
        model = EventRegistration
        fields = ["name", "contact", "institution", "sex", "stakeholder_group", "country", "status"]



class LearningForm(ServiceForm):
    class Meta:
        model = LearningEntry
        fields = ["program", "year", "kind", "title", "text_id", "text_en"]
        widgets = {"text_id": forms.Textarea(attrs={"rows": 4}), "text_en": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["program"].empty_label = _("The organisation as a whole")



class DonorForm(ServiceForm):
    class Meta:
        model = Donor
        fields = ["name", "kind", "country", "iati_ref", "is_active"]



class PartnerForm(ServiceForm):
    class Meta:
        model = Partner
        fields = ["name", "organisation", "stakeholder_group", "country", "is_active"]
        help_texts = {"organisation": _("Only for member organisations of the network.")}



def reference_form(model):
    fields = [f.name for f in model._meta.concrete_fields if f.editable and not f.auto_created]
    return forms.modelform_factory(model, form=ServiceForm, fields=fields)


class ProgramFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All"))] + list(Program.Status.choices), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    donor = forms.ModelChoiceField(Donor.objects.all(), label=_("Donor"), required=False, empty_label=_("All"))
    province = forms.ModelChoiceField(Region.objects.filter(level="province").order_by("name"), label=_("Province"),
                                      required=False, empty_label=_("All"))


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    program = forms.ModelChoiceField(Program.objects.all(), label=_("Program"), required=False, empty_label=_("All"))
    type = forms.ModelChoiceField(ActivityType.objects.all(), label=_("Type"), required=False, empty_label=_("All"),
                                  to_field_name="code")
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    province = forms.ModelChoiceField(Region.objects.filter(level="province").order_by("name"), label=_("Province"),
                                      required=False, empty_label=_("All"))
    events = forms.BooleanField(label=_("Events only"), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        data["program"] = data["program"].pk if data.get("program") else None
        data["type"] = data["type"].code if data.get("type") else None
        data["province"] = data["province"].pk if data.get("province") else None
        return data


class DashboardFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    program = forms.ModelChoiceField(Program.objects.all(), label=_("Program"), required=False, empty_label=_("All"))
