"""Forms only collect input; the services validate and decide."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lindungi.core.policy import Role
from lindungi.geo.models import Region


def _provinces():
    return Region.objects.filter(level=Region.Level.PROVINCE).order_by("name")


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Roles"))
        kwargs.setdefault("help_text", _("Supervisors, caseworkers, legal officers and administrators must use "
                                         "two-factor authentication."))
        super().__init__(choices=Role.choices, **kwargs)


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), help_text=_("The invitation with a link to set a password "
                                                                    "is sent here. It is also the sign-in name."))
    roles = RolesField()


class AdministratorInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"))


class OrganisationDeactivateForm(forms.Form):
    code = forms.CharField(label=_("Short code"), max_length=8,
                           help_text=_("Type the organisation's short code to confirm."))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if code != self.organisation.code:
            raise forms.ValidationError(_("This is not the organisation's short code."), code="mismatch")
        return code


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), help_text=_("Changing the address signs the user out "
                                                                    "everywhere."))


class RolesForm(forms.Form):
    roles = RolesField()


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    province = forms.ModelChoiceField(label=_("Province"), queryset=Region.objects.none(), required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = _provinces()


class OrganisationCreateForm(OrganisationForm):
    code = forms.CharField(
        label=_("Short code"), max_length=8,
        help_text=_("2 to 8 capital letters or digits, used in case numbers (e.g. YKB-2026-00042). "
                    "It cannot be changed later."),
    )
    field_order = ["name", "code", "province", "city", "address", "phone", "email"]


def _default_expiry():
    return timezone.localdate() + datetime.timedelta(days=90)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What the token is for, e.g. “monthly statistics script”."))
    expires_on = forms.DateField(
        label=_("Expires on"), initial=_default_expiry,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),  # what <input type=date> needs
        help_text=_("At most one year from today."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["expires_on"].widget.attrs.update({
            "min": (today + datetime.timedelta(days=1)).isoformat(),
            "max": (today + datetime.timedelta(days=365)).isoformat(),
        })

    def expires_at(self) -> datetime.datetime:
        """The start of the chosen day, local time: "expires on" is the first day it no longer works."""
        day = self.cleaned_data["expires_on"]
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
