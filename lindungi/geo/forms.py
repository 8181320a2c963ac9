"""Chained region pickers (province → regency/city → district) for any form.

    class OrganisationForm(RegionPickerMixin, forms.ModelForm):
        region_fields = {"province": "province", "regency": "regency"}   # level → field name
        ...

    {% include "geo/region_picker.html" with form=form %}

Each select lists only the children of the region chosen above it. With JavaScript, htmx reloads
a list as soon as its parent changes (`geo:options`); without it, the lists are refreshed when the
form is submitted (a "refresh" button appears), so the form works either way. Validation does not
trust the browser: a regency must lie in the chosen province and a district in the chosen regency;
a district alone is enough (its regency and province are filled in from its code).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lindungi.geo.models import Region

LEVELS = (Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.DISTRICT)
PLACEHOLDERS = {
    Region.Level.PROVINCE: _("— Choose a province —"),
    Region.Level.REGENCY: _("— Choose a regency/city —"),
    Region.Level.DISTRICT: _("— Choose a district —"),
}
WAITING = {
    Region.Level.REGENCY: _("— Choose a province first —"),
    Region.Level.DISTRICT: _("— Choose a regency/city first —"),
}
REFRESH_FIELD = "regions_refresh"


def placeholder(level: str, parent_chosen: bool = True):
    """The first, empty option of a list (a lazy translation: rendered in the reader's language)."""
    return PLACEHOLDERS[level] if parent_chosen or level == Region.Level.PROVINCE else WAITING[level]


class _OptionsIterator(ModelChoiceIterator):
    """Lists `field.options` (the children of the chosen parent), while `field.queryset` (every
    region of the level) is what a submitted value is checked against."""

    @property
    def queryset(self):
        return self.field.options  # read when the choices are rendered, after the form narrowed them

    @queryset.setter
    def queryset(self, value):
        pass  # ModelChoiceIterator sets field.queryset here; the options are what we list

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        # Codes and names in one plain query: Django's iterator() would open a server-side cursor
        # on PostgreSQL (three round trips) for a few dozen rows, on every form with a region.
        yield from self.queryset.values_list("code", "name")


class RegionField(forms.ModelChoiceField):
    iterator = _OptionsIterator

    def __init__(self, level: str, *, required: bool = False, **kwargs):
        level = Region.Level(level)
        kwargs.setdefault("label", level.label)
        self.level = level
        self.options = (Region.objects.filter(level=level).order_by("name") if level == Region.Level.PROVINCE
                        else Region.objects.none())
        super().__init__(queryset=Region.objects.filter(level=level), required=required,
                         empty_label=placeholder(level), **kwargs)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.options = self.options.all()
        return result


class RegionPickerMixin:
    """Put before `forms.Form`/`forms.ModelForm`. The fields named in `region_fields` become chained
    RegionFields (a ModelForm's region foreign keys are converted, keeping label and required)."""

    # level → field name, from the province down (a form may stop at the regency).
    region_fields: dict[str, str] = {"province": "province", "regency": "regency", "district": "district"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chain = self.region_chain
        codes = []
        for index, (level, name) in enumerate(chain):
            field = self.fields[name]
            if not isinstance(field, RegionField):
                field = self.fields[name] = RegionField(
                    level, required=field.required, label=field.label, help_text=field.help_text,
                    initial=field.initial)
            if index > 0:
                parent_code = codes[-1]
                field.options = (Region.objects.filter(level=level, parent_id=parent_code).order_by("name")
                                 if parent_code else Region.objects.none())
                field.empty_label = placeholder(level, bool(parent_code))
            codes.append(self._region_value(name))
            field.widget.attrs["data-region-level"] = level
            if index + 1 < len(chain):
                self._connect(field, name, *chain[index + 1], reload_on_swap=index > 0)

    @property
    def region_chain(self) -> list[tuple[str, str]]:
        chain = [(level, self.region_fields[level]) for level in LEVELS if level in self.region_fields]
        if [level for level, _name in chain] != list(LEVELS[: len(chain)]) or not chain:
            raise ImproperlyConfigured(f"{type(self).__name__}.region_fields must start at the province.")
        return chain

    @property
    def region_bound_fields(self):
        return [self[name] for _level, name in self.region_chain]

    @property
    def region_refresh_name(self) -> str:
        return self.add_prefix(REFRESH_FIELD)

    @property
    def region_refresh_requested(self) -> bool:
        return self.is_bound and self.region_refresh_name in self.data

    @property
    def region(self) -> Region | None:
        """The most precise region chosen (after validation)."""
        for _level, name in reversed(self.region_chain):
            if self.cleaned_data.get(name) is not None:
                return self.cleaned_data[name]
        return None

    def _region_value(self, name: str) -> str:
        """The code chosen for `name`: the submitted value, or the initial one."""
        if self.is_bound:
            value = self[name].data
        else:
            value = self.get_initial_for_field(self.fields[name], name)
        value = getattr(value, "pk", value)
        return str(value) if value not in (None, "") else ""

    def _connect(self, field, name: str, child_level: str, child_name: str, *, reload_on_swap: bool) -> None:
        child_id = self[child_name].auto_id
        if not child_id:
            return  # no ids (auto_id=False): the lists refresh on submit only
        query = urlencode({"level": child_level, "source": self.add_prefix(name)})
        field.widget.attrs.update({
            "hx-get": f"{reverse('geo:options')}?{query}",
            "hx-target": f"#{child_id}",
            "hx-swap": "innerHTML",
            # A middle list reloads its child both when the user changes it and when its own
            # options were just replaced (its value is then empty), so a district list never
            # keeps the districts of the previous regency.
            "hx-trigger": "change, htmx:afterSwap" if reload_on_swap else "change",
        })
        field.widget.attrs.setdefault("aria-controls", child_id)

    def clean(self):
        cleaned = super().clean()
        if self.region_refresh_requested:
            self.add_error(None, _("The region lists have been updated. Check the regions and save again."))
        chain = self.region_chain
        for index in range(len(chain) - 1, 0, -1):
            _level, name = chain[index]
            _parent_level, parent_name = chain[index - 1]
            child, parent = cleaned.get(name), cleaned.get(parent_name)
            if child is None or parent_name in self.errors:
                continue
            if parent is None:
                cleaned[parent_name] = child.parent  # a district alone tells its regency and province
            elif child.parent_id != parent.pk:
                self.add_error(name, _("%(child)s is not in %(parent)s.") % {"child": child.name, "parent": parent.name})
                cleaned.pop(name, None)
        return cleaned


class RegionPickerForm(RegionPickerMixin, forms.Form):
    """A stand-alone picker (e.g. a filter, or a sub-form with a prefix)."""

    province = RegionField(Region.Level.PROVINCE)
    regency = RegionField(Region.Level.REGENCY)
    district = RegionField(Region.Level.DISTRICT)
