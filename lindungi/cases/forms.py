"""Forms of the case pages. They only parse and present input: the services validate the domain
rules and their DomainErrors are shown on the form (`add_domain_error`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lindungi.accounts.models import Organisation
from lindungi.cases import models as m
from lindungi.cases.models import Domain
from lindungi.core.errors import DomainError
from lindungi.geo.forms import RegionField, RegionPickerMixin
from lindungi.geo.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error on the form: on its fields when they are on the form, else on top."""
    placed = False
    for name, messages in (error.fields or {}).items():
        if name in form.fields and name not in (form.errors or {}):
            for message in messages:
                form.add_error(name, message)
            placed = True
    if not placed or error.code in ("possible_duplicate",):
        form.add_error(None, str(error.message))


def _date(label, required=False, **kwargs):
    return forms.DateField(label=label, required=required, widget=DATE, **kwargs)


# --- registration and the child -----------------------------------------------------------------


class ChildFieldsMixin(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    aliases = forms.CharField(label=_("Aliases and nicknames"), max_length=300, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=m.Sex.choices, initial=m.Sex.UNKNOWN)
    birth_date = _date(_("Date of birth"))
    birth_date_is_estimated = forms.BooleanField(label=_("The date of birth is estimated"), required=False)
    nik = forms.CharField(label=_("NIK"), max_length=20, required=False,
                          help_text=_("16 digits, when the child has one."),
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    other_id_type = forms.CharField(label=_("Other ID document"), max_length=60, required=False,
                                    help_text=_("E.g. birth certificate, family card (KK), passport."))
    other_id_number = forms.CharField(label=_("Its number"), max_length=60, required=False,
                                      widget=forms.TextInput(attrs={"autocomplete": "off"}))
    nationality = forms.CharField(label=_("Nationality (country code)"), max_length=2, initial="ID")
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=100, required=False)
    language = forms.CharField(label=_("Languages spoken"), max_length=100, required=False)
    has_disability = forms.ChoiceField(label=_("Disability"), choices=m.YesNoUnknown.choices,
                                       initial=m.YesNoUnknown.UNKNOWN)
    disability_details = forms.CharField(label=_("Disability details"), max_length=500, required=False, widget=TEXTAREA)
    province = RegionField(Region.Level.PROVINCE, label=_("Province"))
    regency = RegionField(Region.Level.REGENCY, label=_("Regency/city"))
    district = RegionField(Region.Level.DISTRICT, label=_("District"))
    street_address = forms.CharField(label=_("Street address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    school_status = forms.ChoiceField(label=_("School status"), choices=m.SchoolStatus.choices,
                                      initial=m.SchoolStatus.UNKNOWN)

    child_field_names = ("full_name", "aliases", "sex", "birth_date", "birth_date_is_estimated", "nik",
                         "nationality", "ethnicity", "language", "has_disability", "disability_details", "province",
                         "regency", "district", "street_address", "phone", "school_status")

    def clean_nik(self):
        value = "".join(self.cleaned_data.get("nik", "").split())
        if value and (not value.isdigit() or len(value) != 16):
            raise forms.ValidationError(_("A NIK has exactly 16 digits."))
        return value

    def clean_nationality(self):
        return self.cleaned_data["nationality"].upper()

    def child_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.child_field_names}
        for name in ("aliases", "nik", "ethnicity", "language", "disability_details", "street_address", "phone"):
            data[name] = data[name] or ""
        if self.cleaned_data.get("other_id_number"):
            data["other_ids"] = [{"type": self.cleaned_data.get("other_id_type") or "",
                                  "number": self.cleaned_data["other_id_number"]}]
        return data


class RegistrationForm(RegionPickerMixin, ChildFieldsMixin):
    estimated_age = forms.IntegerField(label=_("Estimated age (years)"), required=False, min_value=0, max_value=25,
                                       help_text=_("Only when the date of birth is not known."))
    registered_on = _date(_("Registration date"), required=True)
    source = forms.ChoiceField(label=_("How the case reached us"), choices=m.Source.choices)
    source_details = forms.CharField(label=_("Source details"), max_length=300, required=False)
    concerns = forms.MultipleChoiceField(label=_("Protection concerns"), choices=m.Concern.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    narrative = forms.CharField(label=_("What happened (narrative)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=m.Risk.choices, initial=m.Risk.MEDIUM)
    risk_reason = forms.CharField(label=_("Reason for the risk level"), required=False, widget=TEXTAREA, max_length=1000)
    # The first caregiver (more can be added on the case page).
    caregiver_name = forms.CharField(label=_("Caregiver's name"), max_length=200, required=False)
    caregiver_relationship = forms.ChoiceField(label=_("Relationship"), choices=[("", "—"), *m.Relationship.choices],
                                               required=False)
    caregiver_contact = forms.CharField(label=_("Caregiver's contact"), max_length=300, required=False)
    caregiver_safety = forms.ChoiceField(label=_("Safe for the child"), choices=m.CaregiverSafety.choices,
                                         initial=m.CaregiverSafety.UNKNOWN)
    caregiver_is_suspect = forms.BooleanField(label=_("This caregiver is the suspected perpetrator"), required=False)
    # Legal basis and consents.
    legal_basis = forms.ChoiceField(label=_("Legal basis for processing"), choices=m.LegalBasis.choices)
    legal_basis_notes = forms.CharField(label=_("Legal basis notes"), required=False, widget=TEXTAREA, max_length=1000,
                                        help_text=_("Required when no consent is relied on (e.g. the guardian is the "
                                                    "suspected perpetrator)."))
    consent_purposes = forms.MultipleChoiceField(label=_("Consents given"), choices=m.ConsentPurpose.choices,
                                                 required=False, widget=forms.CheckboxSelectMultiple)
    consent_given_by_kind = forms.ChoiceField(label=_("Consent given by"), choices=m.ConsentGiver.choices,
                                              initial=m.ConsentGiver.GUARDIAN)
    consent_given_by_name = forms.CharField(label=_("Name of the person who gave consent"), max_length=200,
                                            required=False)
    consent_given_on = _date(_("Consent date"))
    assigned_caseworker = forms.ModelChoiceField(label=_("Assigned caseworker"), queryset=None, required=False)
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=None, required=False)
    confirm_duplicate = forms.BooleanField(label=_("I have checked the possible duplicates: register anyway"),
                                           required=False)

    def __init__(self, *args, caseworkers, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_caseworker"].queryset = caseworkers
        self.fields["supervisor"].queryset = supervisors

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consent_purposes") and not cleaned.get("consent_given_by_name"):
            self.add_error("consent_given_by_name", _("Enter who gave the consent."))
        if cleaned.get("caregiver_name") and not cleaned.get("caregiver_relationship"):
            self.add_error("caregiver_relationship", _("Choose the relationship."))
        return cleaned

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        child = self.child_data()
        if c.get("estimated_age") is not None and not c.get("birth_date"):
            child["estimated_age"] = c["estimated_age"]
        caregivers = []
        if c.get("caregiver_name"):
            caregivers.append({"full_name": c["caregiver_name"], "relationship": c["caregiver_relationship"],
                               "contact": c.get("caregiver_contact") or "", "safety": c["caregiver_safety"],
                               "is_suspected_perpetrator": c.get("caregiver_is_suspect", False)})
        consents = [{"purpose": p, "given_by_kind": c["consent_given_by_kind"],
                     "given_by_name": c.get("consent_given_by_name") or "", "given_on": c.get("consent_given_on")}
                    for p in c.get("consent_purposes") or []]
        return {
            "child": child,
            "case": {"registered_on": c["registered_on"], "source": c["source"],
                     "source_details": c.get("source_details") or "", "concerns": c.get("concerns") or [],
                     "narrative": c.get("narrative") or "", "legal_basis": c["legal_basis"],
                     "legal_basis_notes": c.get("legal_basis_notes") or ""},
            "caregivers": caregivers, "consents": consents, "risk_level": c["risk_level"],
            "risk_reason": c.get("risk_reason") or "", "assigned_caseworker": c.get("assigned_caseworker"),
            "supervisor": c.get("supervisor"), "confirm_duplicate": c.get("confirm_duplicate", False),
        }


class ChildForm(RegionPickerMixin, ChildFieldsMixin):
    pass


def child_initial(child: m.Child) -> dict:
    initial = {name: getattr(child, name) for name in ChildFieldsMixin.child_field_names}
    initial["province"], initial["regency"], initial["district"] = child.province_id, child.regency_id, child.district_id
    if child.other_ids:
        initial["other_id_type"] = child.other_ids[0].get("type", "")
        initial["other_id_number"] = child.other_ids[0].get("number", "")
    return initial


class CaseForm(forms.Form):
    source = forms.ChoiceField(label=_("How the case reached us"), choices=m.Source.choices)
    source_details = forms.CharField(label=_("Source details"), max_length=300, required=False)
    concerns = forms.MultipleChoiceField(label=_("Protection concerns"), choices=m.Concern.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    narrative = forms.CharField(label=_("What happened (narrative)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    legal_basis = forms.ChoiceField(label=_("Legal basis for processing"), choices=m.LegalBasis.choices)
    legal_basis_notes = forms.CharField(label=_("Legal basis notes"), required=False, widget=TEXTAREA, max_length=1000)


class RiskForm(forms.Form):
    level = forms.ChoiceField(label=_("Risk level"), choices=m.Risk.choices)
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA, max_length=1000)


class AssignForm(forms.Form):
    caseworker = forms.ModelChoiceField(label=_("Assigned caseworker"), queryset=None, required=False)
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=None, required=False)

    def __init__(self, *args, caseworkers, supervisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = caseworkers
        self.fields["supervisor"].queryset = supervisors


class CaregiverForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    relationship = forms.ChoiceField(label=_("Relationship"), choices=m.Relationship.choices)
    contact = forms.CharField(label=_("Contact (phone, address)"), max_length=300, required=False)
    is_legal_guardian = forms.BooleanField(label=_("Legal guardian"), required=False)
    lives_with_child = forms.BooleanField(label=_("Lives with the child"), required=False)
    safety = forms.ChoiceField(label=_("Safe for the child"), choices=m.CaregiverSafety.choices)
    is_suspected_perpetrator = forms.BooleanField(label=_("Suspected perpetrator"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=1000, required=False, widget=TEXTAREA)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=m.ConsentPurpose.choices)
    given_by_kind = forms.ChoiceField(label=_("Given by"), choices=m.ConsentGiver.choices)
    given_by_name = forms.CharField(label=_("Name of the person who gave it"), max_length=200)
    given_on = _date(_("Date"), required=True)


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = _date(_("Withdrawn on"), required=True)
    notes = forms.CharField(label=_("Notes"), max_length=1000, required=False, widget=TEXTAREA)


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("Move the case to"), choices=m.Status.choices)


# --- assessment, plan, approvals ----------------------------------------------------------------

SCORE_CHOICES = [("", "—"), ("0", _("0 — no concern")), ("1", _("1 — low")), ("2", _("2 — medium")),
                 ("3", _("3 — severe"))]


class AssessmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=m.Assessment.Kind.choices)
    assessed_on = _date(_("Assessed on"), required=True)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for domain in Domain.values:
            self.fields[f"score_{domain}"] = forms.ChoiceField(label=_("Score"), choices=SCORE_CHOICES)
            self.fields[f"needs_{domain}"] = forms.CharField(label=_("Needs"), required=False, widget=TEXTAREA,
                                                             max_length=2000)

    def domains(self):
        return [(domain, label, self[f"score_{domain}"], self[f"needs_{domain}"]) for domain, label in Domain.choices]

    def service_kwargs(self) -> dict:
        c = self.cleaned_data
        return {"kind": c["kind"], "assessed_on": c["assessed_on"], "summary": c.get("summary") or "",
                "scores": {d: c.get(f"score_{d}") for d in Domain.values},
                "needs": {d: c.get(f"needs_{d}") or "" for d in Domain.values}}


def assessment_initial(assessment: m.Assessment) -> dict:
    initial = {"kind": assessment.kind, "assessed_on": assessment.assessed_on, "summary": assessment.summary}
    for domain in Domain.values:
        initial[f"score_{domain}"] = str((assessment.scores or {}).get(domain, ""))
        initial[f"needs_{domain}"] = (assessment.needs or {}).get(domain, "")
    return initial


class PlanForm(forms.Form):
    """A plan with a fixed number of goal blocks, each with a few action rows: saving adds empty
    blocks again, so a plan grows without any script."""

    summary = forms.CharField(label=_("Summary"), required=False, widget=TEXTAREA, max_length=5000)

    def __init__(self, *args, goal_slots: int = 3, action_slots: int = 3, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal_slots, self.action_slots = goal_slots, action_slots
        for g in range(goal_slots):
            self.fields[f"g{g}_domain"] = forms.ChoiceField(label=_("Domain"), choices=[("", "—"), *Domain.choices],
                                                            required=False)
            self.fields[f"g{g}_description"] = forms.CharField(label=_("Goal"), required=False, max_length=1000,
                                                               widget=forms.Textarea(attrs={"rows": 2}))
            for a in range(action_slots):
                p = f"g{g}_a{a}_"
                self.fields[p + "description"] = forms.CharField(label=_("Action"), required=False, max_length=1000)
                self.fields[p + "responsible"] = forms.CharField(label=_("Responsible"), required=False, max_length=200)
                self.fields[p + "due_on"] = _date(_("Due date"))
                self.fields[p + "status"] = forms.ChoiceField(label=_("Status"), choices=m.ActionStatus.choices,
                                                              initial=m.ActionStatus.PLANNED)

    def goal_blocks(self):
        blocks = []
        for g in range(self.goal_slots):
            actions = [[self[f"g{g}_a{a}_{n}"] for n in ("description", "responsible", "due_on", "status")]
                       for a in range(self.action_slots)]
            blocks.append({"number": g + 1, "domain": self[f"g{g}_domain"], "description": self[f"g{g}_description"],
                           "actions": actions})
        return blocks

    def goals(self) -> list[dict]:
        c = self.cleaned_data
        goals = []
        for g in range(self.goal_slots):
            actions = [{"description": c.get(f"g{g}_a{a}_description") or "",
                        "responsible": c.get(f"g{g}_a{a}_responsible") or "",
                        "due_on": c.get(f"g{g}_a{a}_due_on"), "status": c.get(f"g{g}_a{a}_status") or "planned"}
                       for a in range(self.action_slots)]
            goals.append({"domain": c.get(f"g{g}_domain") or "", "description": c.get(f"g{g}_description") or "",
                          "actions": actions})
        return goals


def plan_initial(plan: m.CasePlan) -> tuple[dict, int, int]:
    goals = list(plan.goals.prefetch_related("actions"))
    initial = {"summary": plan.summary}
    most_actions = max([len(g.actions.all()) for g in goals] or [0])
    for g, goal in enumerate(goals):
        initial[f"g{g}_domain"], initial[f"g{g}_description"] = goal.domain, goal.description
        for a, action in enumerate(goal.actions.all()):
            p = f"g{g}_a{a}_"
            initial.update({p + "description": action.description, p + "responsible": action.responsible,
                            p + "due_on": action.due_on, p + "status": action.status})
    return initial, len(goals) + 2, max(most_actions + 1, 3)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")),
                                                               ("return", _("Return with comments"))],
                                 widget=forms.RadioSelect)
    comments = forms.CharField(label=_("Comments"), required=False, widget=TEXTAREA, max_length=2000)


class ClosureForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for closing"),
                               choices=[c for c in m.ClosureReason.choices if c[0] != m.ClosureReason.TRANSFERRED])
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXTAREA, max_length=2000)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for re-opening"), widget=TEXTAREA, max_length=2000)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=m.ActionStatus.choices)


# --- referrals, services, follow-ups, attachments -----------------------------------------------


class ReferralForm(forms.Form):
    service_type = forms.ChoiceField(label=_("Service"), choices=m.ServiceType.choices)
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=None)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=m.Urgency.choices, initial=m.Urgency.NORMAL)
    sent_on = _date(_("Sent on"), required=True)
    reason = forms.CharField(label=_("Reason and information given"), required=False, widget=TEXTAREA, max_length=2000)

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[c for c in m.ReferralStatus.choices if c[0] != "sent"])
    date = _date(_("Date"), required=True)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=TEXTAREA, max_length=2000)


class ServiceForm(forms.Form):
    service_type = forms.ChoiceField(label=_("Service"), choices=m.ServiceType.choices)
    provided_on = _date(_("Date"), required=True)
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXTAREA, max_length=5000)


class FollowUpForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=m.FollowUpType.choices)
    date = _date(_("Date"), required=True)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    next_date = _date(_("Next follow-up"))


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=m.AttachmentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File"), help_text=_("PDF, JPEG, PNG, WebP or Word document."))
    set_as_photo = forms.BooleanField(label=_("Use as the child's photo"), required=False)


# --- sharing and transfers ----------------------------------------------------------------------


class ShareRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=m.ShareKind.choices, widget=forms.RadioSelect)
    to_organisation = forms.ModelChoiceField(label=_("To organisation"), queryset=None)
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA, max_length=2000)
    expires_on = _date(_("Access until (shares only)"))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.MEMBER, is_active=True).exclude(pk=organisation.pk).order_by("name")


class CommentsForm(forms.Form):
    comments = forms.CharField(label=_("Comments"), required=False, widget=TEXTAREA, max_length=2000)


# --- providers and filters ----------------------------------------------------------------------


class ProviderForm(RegionPickerMixin, forms.ModelForm):
    region_fields = {"province": "province", "regency": "regency"}

    class Meta:
        model = m.ServiceProvider
        fields = ["name", "type", "province", "regency", "address", "phone", "email", "contact_person",
                  "accepts_referrals", "notes", "is_active"]
        widgets = {"notes": TEXTAREA}


class CaseFilterForm(RegionPickerMixin, forms.Form):
    region_fields = {"province": "province", "regency": "regency"}

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        help_text=_("Case number, full name, NIK or date of birth."),
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("All")), *m.Status.choices], required=False)
    risk = forms.ChoiceField(label=_("Risk"), choices=[("", _("All")), *m.Risk.choices], required=False)
    assigned_to = forms.ChoiceField(label=_("Assigned to"), required=False)
    province = RegionField(Region.Level.PROVINCE, label=_("Province"))
    regency = RegionField(Region.Level.REGENCY, label=_("Regency/city"))
    registered_from = _date(_("Registered from"))
    registered_to = _date(_("Registered until"))
    overdue = forms.BooleanField(label=_("Only with overdue tasks"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("-registered", _("Newest first")), ("registered", _("Oldest first")), ("number", _("Case number")),
        ("risk", _("Risk")), ("status", _("Status")), ("updated", _("Recently changed"))])

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].choices = [("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody")),
                                              *[(str(u.pk), u.full_name) for u in staff]]
