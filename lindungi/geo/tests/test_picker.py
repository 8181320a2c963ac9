"""The chained region picker: narrowed lists, validation of the chain, htmx wiring, no-JS refresh,
and the `geo:options` endpoint that htmx calls."""

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from lindungi.accounts.models import Organisation
from lindungi.geo.forms import RegionField, RegionPickerForm, RegionPickerMixin
from lindungi.geo.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield

JAKARTA, JAKARTA_PUSAT, GAMBIR = "31", "31.71", "31.71.01"
LAMPUNG, BANDAR_LAMPUNG = "18", "18.71"


def option_values(bound_field) -> list[str]:
    return [str(value) for value, _label in bound_field.field.choices if value != ""]


def test_an_empty_picker_lists_the_provinces_and_waits_for_them():
    form = RegionPickerForm()
    assert len(option_values(form["province"])) == 38
    assert option_values(form["regency"]) == []
    assert option_values(form["district"]) == []
    assert "Choose a province first" in str(form["regency"])


def test_each_list_holds_the_children_of_the_region_above_it_by_name():
    form = RegionPickerForm(data={"province": JAKARTA, "regency": JAKARTA_PUSAT})
    regencies = option_values(form["regency"])
    assert set(regencies) == set(Region.objects.filter(parent_id=JAKARTA).values_list("code", flat=True))
    names = [label for value, label in form.fields["regency"].choices if value != ""]
    assert names == sorted(names)
    assert GAMBIR in option_values(form["district"])
    assert all(code.startswith(JAKARTA_PUSAT + ".") for code in option_values(form["district"]))


def test_initial_values_narrow_the_lists_too():
    form = RegionPickerForm(initial={"province": Region.objects.get(code=LAMPUNG), "regency": BANDAR_LAMPUNG})
    assert BANDAR_LAMPUNG in option_values(form["regency"])
    assert all(code.startswith(BANDAR_LAMPUNG + ".") for code in option_values(form["district"]))
    assert option_values(form["district"])


def test_a_consistent_chain_is_valid_and_gives_the_most_precise_region():
    form = RegionPickerForm(data={"province": JAKARTA, "regency": JAKARTA_PUSAT, "district": GAMBIR})
    assert form.is_valid(), form.errors
    assert form.region.code == GAMBIR
    assert form.cleaned_data["province"].code == JAKARTA


def test_a_regency_outside_the_province_is_refused_with_a_clear_message():
    form = RegionPickerForm(data={"province": LAMPUNG, "regency": JAKARTA_PUSAT})
    assert not form.is_valid()
    assert form.errors["regency"] == ["Kota Administrasi Jakarta Pusat is not in Lampung."]


def test_a_district_outside_the_regency_is_refused():
    form = RegionPickerForm(data={"province": LAMPUNG, "regency": BANDAR_LAMPUNG, "district": GAMBIR})
    assert not form.is_valid()
    assert form.errors["district"] == ["Gambir is not in Kota Bandar Lampung."]


def test_a_district_alone_fills_in_its_regency_and_province():
    form = RegionPickerForm(data={"district": GAMBIR})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["regency"].code == JAKARTA_PUSAT
    assert form.cleaned_data["province"].code == JAKARTA


def test_a_region_of_the_wrong_level_or_an_unknown_code_is_refused():
    form = RegionPickerForm(data={"province": JAKARTA_PUSAT, "regency": "99.99"})
    assert not form.is_valid()
    assert set(form.errors) == {"province", "regency"}


def test_the_lists_are_wired_for_htmx_with_the_form_prefix():
    form = RegionPickerForm(prefix="home")
    province = form.fields["province"].widget.attrs
    assert province["hx-get"] == reverse("geo:options") + "?level=regency&source=home-province"
    assert province["hx-target"] == "#id_home-regency"
    assert province["hx-trigger"] == "change"
    regency = form.fields["regency"].widget.attrs
    assert regency["hx-target"] == "#id_home-district"
    assert regency["hx-trigger"] == "change, htmx:afterSwap"  # a new regency list empties the districts
    assert "hx-get" not in form.fields["district"].widget.attrs


def test_without_javascript_a_refresh_button_reloads_the_lists_without_saving():
    data = {"province": JAKARTA, "regions_refresh": "1"}
    form = RegionPickerForm(data=data)
    assert not form.is_valid()
    assert form.non_field_errors() == ["The region lists have been updated. Check the regions and save again."]
    assert JAKARTA_PUSAT in option_values(form["regency"])


def test_the_picker_template_renders_labels_and_the_no_script_refresh(rf):
    from django.template.loader import render_to_string

    html = render_to_string("geo/region_picker.html", {"form": RegionPickerForm(prefix="p")})
    assert '<label for="id_p-province"' in html
    assert 'name="p-regions_refresh"' in html and "<noscript>" in html


class OrganisationPlaceForm(RegionPickerMixin, forms.ModelForm):
    region_fields = {"province": "province"}

    class Meta:
        model = Organisation
        fields = ["name", "province"]


def test_a_model_forms_region_foreign_key_becomes_a_picker_field():
    form = OrganisationPlaceForm()
    assert isinstance(form.fields["province"], RegionField)
    assert len(option_values(form["province"])) == 38
    form = OrganisationPlaceForm(data={"name": "Yayasan Uji (test)", "province": "31.71"})
    assert not form.is_valid() and "province" in form.errors  # a regency is not a province


def test_a_chain_must_start_at_the_province():
    class Broken(RegionPickerMixin, forms.Form):
        region_fields = {"regency": "regency"}
        regency = RegionField("regency")

    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        Broken()


# --- geo:options ----------------------------------------------------------------------------------


def test_options_lists_the_children_as_option_elements(client_for, personas):
    response = client_for(personas.viewer_a).get(reverse("geo:options"), {"level": "regency", "parent": JAKARTA},
                                                 HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<option value="">')
    assert '<option value="31.71">Kota Administrasi Jakarta Pusat</option>' in html
    assert html.count("<option") == 1 + Region.objects.filter(parent_id=JAKARTA).count()


def test_options_reads_the_parent_from_the_named_source_field(client_for, personas):
    response = client_for(personas.caseworker_a).get(
        reverse("geo:options"), {"level": "district", "source": "home-regency", "home-regency": JAKARTA_PUSAT})
    assert '<option value="31.71.01">Gambir</option>' in response.content.decode()


def test_options_without_a_parent_offers_only_the_placeholder(client_for, personas):
    response = client_for(personas.caseworker_a).get(reverse("geo:options"), {"level": "district"})
    assert response.content.decode().count("<option") == 1


def test_options_rejects_an_unknown_level(client_for, personas):
    response = client_for(personas.caseworker_a).get(reverse("geo:options"), {"level": "village"})
    assert response.status_code == 400


def test_options_needs_a_signed_in_user(client):
    response = client.get(reverse("geo:options"), {"level": "province"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_placeholders_follow_the_readers_language():
    form = RegionPickerForm()
    with translation.override("id"):
        indonesian = str(form["regency"])
    assert "Choose a province first" not in indonesian
    assert "Choose a province first" in str(form["regency"])
