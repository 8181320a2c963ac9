from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from lindungi.audit import selectors

_ACTION_PREFIX = re.compile(r"^[a-z0-9_.]*$")


class AuditFilterForm(forms.Form):
    """Filters of the audit trail, shared by the page, the CSV download and the API."""

    action = forms.CharField(
        label=_("Action"), required=False, max_length=100,
        help_text=_("A code or its beginning, e.g. “cases.” or “accounts.login”."),
    )
    actor = forms.ModelChoiceField(label=_("Who"), required=False, queryset=None, empty_label=_("Anyone"))
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100,
                                  help_text=_("e.g. cases.case"))
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = selectors.actor_choices(user=user)
        self.fields["actor"].label_from_instance = lambda person: person.full_name or person.email

    def clean_action(self):
        value = self.cleaned_data["action"].strip().lower()
        if not _ACTION_PREFIX.match(value):
            raise forms.ValidationError(_("Use lower-case letters, digits, dots and underscores, e.g. “cases.case”."))
        return value

    def clean_object_type(self):
        return self.cleaned_data["object_type"].strip().lower()

    def clean_object_id(self):
        return self.cleaned_data["object_id"].strip()

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def summary(self) -> dict:
        """The filters in use, as ids and codes (for the audit event of an export)."""
        data = getattr(self, "cleaned_data", {}) or {}
        result = {}
        for name, value in data.items():
            if value in (None, ""):
                continue
            if name == "actor":
                result[name] = value.pk
            elif name in ("since", "until"):
                result[name] = value.isoformat()
            else:
                result[name] = value
        return result
