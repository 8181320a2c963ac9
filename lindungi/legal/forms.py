"""Forms of the legal pages. They only parse input: the services validate the domain rules (and
their DomainErrors are shown on the form)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lindungi.incidents.forms import split_numbers
from lindungi.incidents.models import ExploitationType
from lindungi.incidents.web import DATE, TEXTAREA
from lindungi.legal.models import (
    AccompanimentType,
    AppealLevel,
    AppealParty,
    HearingAgenda,
    HearingStatus,
    Law,
    LawArticle,
    PoliceUnitLevel,
    ProtectionStatus,
    ProtectionType,
    RestitutionRoute,
    Stage,
    StageKind,
    VerdictLevel,
    VerdictOutcome,
)

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MONEY = forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "numeric"})


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name or obj.email


class ArticleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.law.short_name} {obj.article} — {obj.label}"


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.number


class CaseMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.number


class DetailsForm(forms.Form):
    police_unit_level = forms.ModelChoiceField(PoliceUnitLevel.objects.none(), label=_("Police unit level"),
                                               required=False)
    police_unit_name = forms.CharField(label=_("Police unit"), required=False, max_length=200,
                                       help_text=_("For example Unit PPA Polres Metro Jakarta Timur."))
    report_number = forms.CharField(label=_("Police report number (LP)"), required=False, max_length=100,
                                    help_text=_("Encrypted."))
    prosecutor_office = forms.CharField(label=_("Prosecutor's office"), required=False, max_length=200)
    court = forms.CharField(label=_("Court"), required=False, max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}))

    DETAIL_NAMES = ("police_unit_level", "police_unit_name", "report_number", "prosecutor_office", "court", "summary")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["police_unit_level"].queryset = PoliceUnitLevel.objects.filter(is_active=True)

    def details(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.DETAIL_NAMES}


class LegalCaseCreateForm(DetailsForm):
    incident_numbers = forms.CharField(label=_("Incident numbers"), max_length=400,
                                       help_text=_("The incidents this legal case is about, separated by commas. "
                                                   "Their child cases become the victims."))
    stage = forms.ModelChoiceField(Stage.objects.none(), label=_("Current stage"))
    entered_on = forms.DateField(label=_("Date the current stage was reached"), widget=DATE)
    reported_on = forms.DateField(label=_("Date of the police report"), widget=DATE, required=False,
                                  help_text=_("When the legal case is taken on after the report."))
    assigned_officer = PersonChoiceField(None, label=_("Legal officer"), required=False,
                                         empty_label=_("— Not assigned yet —"))

    field_order = ["incident_numbers", "stage", "entered_on", "reported_on", "assigned_officer"]

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = Stage.objects.filter(is_active=True, kind=StageKind.PROGRESS)
        if officers is None:
            del self.fields["assigned_officer"]
        else:
            self.fields["assigned_officer"].queryset = officers

    def clean_incident_numbers(self):
        numbers = split_numbers(self.cleaned_data["incident_numbers"])
        if not numbers:
            raise forms.ValidationError(_("Enter at least one incident number."))
        return numbers


class LinksForm(forms.Form):
    incident_numbers = forms.CharField(label=_("Incident numbers"), max_length=400,
                                       help_text=_("Separated by commas."))
    victims = CaseMultipleChoiceField(None, label=_("Child victims"), widget=forms.CheckboxSelectMultiple,
                                      help_text=_("Child cases linked to the incidents."))

    def __init__(self, *args, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victims"].queryset = cases

    def clean_incident_numbers(self):
        numbers = split_numbers(self.cleaned_data["incident_numbers"])
        if not numbers:
            raise forms.ValidationError(_("Enter at least one incident number."))
        return numbers


class AssignForm(forms.Form):
    officer = PersonChoiceField(None, label=_("Legal officer"), required=False, empty_label=_("— Not assigned —"))

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class StageForm(forms.Form):
    stage = forms.ModelChoiceField(Stage.objects.all(), label=_("New stage"))
    entered_on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=TEXTAREA,
                           help_text=_("For example the SP2HP letter received, or why the case ended."))

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the allowed stages are offered; any other submitted stage reaches the service, which
        # says why it is refused.
        self.fields["stage"].choices = [("", "—")] + [(s.pk, s.label) for s in allowed]


class ChargeForm(forms.Form):
    article = ArticleChoiceField(LawArticle.objects.none(), label=_("Law and article"))
    defendant = forms.ModelChoiceField(None, label=_("Against"), required=False,
                                       empty_label=_("— The legal case as a whole —"))

    def __init__(self, *args, defendants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = LawArticle.objects.filter(is_active=True, law__is_active=True) \
            .select_related("law")
        self.fields["defendant"].queryset = defendants


class PerpetratorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.get_role_display()}, {obj.incident.number})"


class DefendantForm(forms.Form):
    perpetrator = PerpetratorChoiceField(None, label=_("Perpetrator"))
    named_suspect_on = forms.DateField(label=_("Named suspect on"), required=False, widget=DATE)
    detained = forms.BooleanField(label=_("Detained"), required=False)
    detained_on = forms.DateField(label=_("Detained on"), required=False, widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=TEXTAREA)

    def __init__(self, *args, perpetrators=None, **kwargs):
        super().__init__(*args, **kwargs)
        if perpetrators is None:
            del self.fields["perpetrator"]
        else:
            self.fields["perpetrator"].queryset = perpetrators

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "perpetrator"}


class VerdictForm(forms.Form):
    level = forms.ChoiceField(label=_("Court level"), choices=VerdictLevel.choices)
    court = forms.CharField(label=_("Court"), required=False, max_length=200)
    decided_on = forms.DateField(label=_("Date of the decision"), widget=DATE)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *VerdictOutcome.choices])
    prison_months = forms.IntegerField(label=_("Prison (months)"), required=False, min_value=0, max_value=1200)
    fine = forms.IntegerField(label=_("Fine (Rp)"), required=False, min_value=0, widget=MONEY)
    restitution_ordered = forms.IntegerField(label=_("Restitution ordered (Rp)"), required=False, min_value=0,
                                             widget=MONEY)
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=100,
                                      help_text=_("Encrypted."))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=TEXTAREA)

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "level"}


class AppealForm(forms.Form):
    level = forms.ChoiceField(label=_("Filing"), choices=AppealLevel.choices)
    filed_by = forms.ChoiceField(label=_("Filed by"), choices=AppealParty.choices)
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=TEXTAREA)


class HearingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    time = forms.TimeField(label=_("Time"), required=False, widget=TIME)
    court = forms.CharField(label=_("Court"), max_length=200)
    agenda = forms.ChoiceField(label=_("Agenda"), choices=[("", "—"), *HearingAgenda.choices])
    status = forms.ChoiceField(label=_("Status"), choices=HearingStatus.choices, initial=HearingStatus.SCHEDULED)
    accompanied_by = PersonChoiceField(None, label=_("Accompanied by"), required=False, empty_label="—")
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=2000, widget=TEXTAREA,
                              help_text=_("What happened; the next date if the hearing was postponed."))

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accompanied_by"].queryset = staff


class AccompanimentForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    type = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *AccompanimentType.choices])
    done_by = PersonChoiceField(None, label=_("Accompanied by"))
    victim = CaseChoiceField(None, label=_("Child (case)"), required=False, empty_label="—")
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), required=False, min_value=1,
                                          max_value=24 * 60)
    others_present = forms.CharField(label=_("Others present"), required=False, max_length=300,
                                     help_text=_("For example the mother, a psychologist. Encrypted."))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 4}), help_text=_("Encrypted."))

    def __init__(self, *args, staff=None, victims=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_by"].queryset = staff
        self.fields["victim"].queryset = victims


class RestitutionForm(forms.Form):
    route = forms.ChoiceField(label=_("Route"), choices=[("", "—"), *RestitutionRoute.choices])
    defendant = forms.ModelChoiceField(None, label=_("Against defendant"), required=False, empty_label="—")
    claimed_amount = forms.IntegerField(label=_("Amount claimed (Rp)"), min_value=1, widget=MONEY)
    claimed_on = forms.DateField(label=_("Claimed on"), widget=DATE)
    ordered_amount = forms.IntegerField(label=_("Amount ordered (Rp)"), required=False, min_value=0, widget=MONEY)
    ordered_on = forms.DateField(label=_("Ordered on"), required=False, widget=DATE)
    paid_amount = forms.IntegerField(label=_("Amount paid so far (Rp)"), required=False, min_value=0, widget=MONEY)
    paid_on = forms.DateField(label=_("(Last) paid on"), required=False, widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=TEXTAREA)

    def __init__(self, *args, defendants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["defendant"].queryset = defendants


class ProtectionForm(forms.Form):
    victim = CaseChoiceField(None, label=_("Child (case)"), required=False, empty_label="—")
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DATE)
    protections = forms.MultipleChoiceField(label=_("Protection requested"), choices=ProtectionType.choices,
                                            widget=forms.CheckboxSelectMultiple)
    status = forms.ChoiceField(label=_("Status"), choices=ProtectionStatus.choices,
                               initial=ProtectionStatus.SUBMITTED)
    decided_on = forms.DateField(label=_("Decided on"), required=False, widget=DATE)
    lpsk_reference = forms.CharField(label=_("LPSK reference number"), required=False, max_length=100,
                                     help_text=_("Encrypted."))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=TEXTAREA)

    def __init__(self, *args, victims=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["victim"].queryset = victims


class LegalCaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        help_text=_("Legal case, incident or case number."))
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=())
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All")), ("open", _("Open")), ("closed", _("Closed"))])
    law = forms.ChoiceField(label=_("Law"), required=False, choices=())
    type = forms.ChoiceField(label=_("Exploitation type"), required=False,
                             choices=[("", _("All")), *ExploitationType.choices])
    province = forms.ChoiceField(label=_("Province (incident)"), required=False, choices=())
    officer = forms.ChoiceField(label=_("Legal officer"), required=False, choices=())
    date_from = forms.DateField(label=_("Reported from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Reported until"), required=False, widget=DATE)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        from lindungi.geo.models import Region

        self.fields["stage"].choices = [("", _("All")), *((s.code, s.label) for s in Stage.objects.order_by("order"))]
        self.fields["law"].choices = [("", _("All")), *((law.code, law.short_name) for law in Law.objects.all())]
        self.fields["province"].choices = [("", _("All")), *Region.objects.filter(
            level=Region.Level.PROVINCE).order_by("name").values_list("code", "name")]
        self.fields["officer"].choices = [("", _("All")), ("me", _("Me")), ("none", _("Not assigned")),
                                          *((str(u.pk), u.full_name) for u in officers)]
