"""The project's form renderer draws select lists in Python: the markup must be Django's own."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.translation import gettext_lazy, override
from hypothesis import given, settings
from hypothesis import strategies as st

from lindungi.core.forms_renderer import Renderer

DJANGO = DjangoTemplates()
OURS = Renderer()

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
attr_value = st.one_of(st.booleans(), st.none(), st.integers(-5, 5), text)
attr_name = st.from_regex(r"[a-z][a-z-]{0,8}", fullmatch=True)


def both(widget: forms.Widget, name: str, value, attrs=None) -> tuple[str, str]:
    return (widget.render(name, value, attrs, renderer=DJANGO), widget.render(name, value, attrs, renderer=OURS))


def test_the_project_uses_it():
    assert isinstance(get_default_renderer(), Renderer)


@settings(max_examples=150, deadline=None)
@given(choices=st.lists(st.tuples(text, text), max_size=6), value=text,
       attrs=st.dictionaries(attr_name, attr_value, max_size=3), name=text)
def test_a_select_is_drawn_as_django_draws_it(choices, value, attrs, name):
    expected, drawn = both(forms.Select(choices=choices), name, value, attrs)
    assert drawn == expected


@settings(max_examples=60, deadline=None)
@given(groups=st.lists(st.tuples(text, st.lists(st.tuples(text, text), min_size=1, max_size=3)), max_size=3),
       flat=st.lists(st.tuples(text, text), max_size=2), values=st.lists(text, max_size=3))
def test_groups_and_multiple_choices_are_drawn_as_django_draws_them(groups, flat, values):
    choices = [*flat, *groups]
    for widget in (forms.Select(choices=choices), forms.SelectMultiple(choices=choices)):
        expected, drawn = both(widget, "field", values, {"id": "id_field", "required": True})
        assert drawn == expected


def test_escaping_lazy_labels_and_odd_values():
    choices = [("", gettext_lazy("All")), (1, "<b>Tom & \"Jerry\"</b>"), ("a'b", "O'Brien"), (None, "none")]
    with override("id"):
        expected, drawn = both(forms.Select(choices=choices, attrs={"data-x": "<&>", "disabled": True,
                                                                    "hidden": False, "tabindex": 0}), "n", 1)
    assert drawn == expected
    assert "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;" in drawn
    assert ">Semua<" in drawn or ">All<" in drawn  # the label in the active language, as Django's


def test_the_empty_list_and_boolean_selects():
    assert both(forms.Select(choices=[]), "n", None)[0] == both(forms.Select(choices=[]), "n", None)[1]
    expected, drawn = both(forms.NullBooleanSelect(), "flag", True)
    assert drawn == expected


def test_a_select_whose_options_use_another_template_keeps_djangos_path():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    expected, drawn = both(Fancy(choices=[("1", "one")]), "n", "1")
    assert drawn == expected
    assert "<option" not in drawn  # drawn by that template, not by the Python path


def test_a_form_field_renders_through_it():
    class Form(forms.Form):
        status = forms.ChoiceField(choices=[("a", "A"), ("b", "<B>")])

    assert str(Form({"status": "b"})["status"]) == str(Form({"status": "b"}, renderer=DJANGO)["status"])


# --- the field group, its label, its errors and <input> widgets ----------------------------------

label_text = st.one_of(st.just(""), text, st.just("Tom & <Jerry>"))


def _form(field: forms.Field, *, auto_id="id_%s", label_suffix=None):
    attrs = {"thing": field}
    if label_suffix is not None:
        attrs["label_suffix"] = label_suffix
    form_class = type("OneFieldForm", (forms.Form,), attrs)

    def make(data, renderer):
        return form_class(data, renderer=renderer, auto_id=auto_id)
    return make


def _same(make, data):
    django, ours = make(data, DJANGO), make(data, OURS)
    assert ours["thing"].as_field_group() == django["thing"].as_field_group()
    assert str(ours) == str(django)  # the whole form (div.html), errors included
    assert ours["thing"].label_tag() == django["thing"].label_tag()
    assert ours["thing"].legend_tag() == django["thing"].legend_tag()
    assert str(ours.non_field_errors()) == str(django.non_field_errors())


FIELDS = st.sampled_from([
    lambda **kw: forms.CharField(**kw),
    lambda **kw: forms.CharField(widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}), **kw),
    lambda **kw: forms.CharField(widget=forms.Textarea, **kw),
    lambda **kw: forms.CharField(widget=forms.HiddenInput, **kw),
    lambda **kw: forms.CharField(widget=forms.PasswordInput(render_value=True), **kw),
    lambda **kw: forms.EmailField(**kw),
    lambda **kw: forms.IntegerField(min_value=0, **kw),
    lambda **kw: forms.DecimalField(max_digits=5, decimal_places=2, **kw),
    lambda **kw: forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **kw),
    lambda **kw: forms.BooleanField(**kw),
    lambda **kw: forms.ChoiceField(choices=[("a", "A"), ("<b>", "B & b")], **kw),
    lambda **kw: forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect, **kw),
    lambda **kw: forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple,
                                           **kw),
])


@settings(max_examples=150, deadline=None)
@given(make_field=FIELDS, label=label_text, help_text=st.one_of(st.just(""), text, st.just("<em>safe</em> & so")),
       required=st.booleans(), value=st.one_of(st.none(), text, st.just("<&\"'>"), st.just("2026-02-30")),
       auto_id=st.sampled_from(["id_%s", "", "f-%s", False]), label_suffix=st.sampled_from([None, "", " :"]),
       language=st.sampled_from(["id", "en"]))
def test_a_field_group_is_drawn_as_django_draws_it(make_field, label, help_text, required, value, auto_id,
                                                   label_suffix, language):
    field = make_field(label=label or None, help_text=help_text, required=required)
    make = _form(field, auto_id=auto_id, label_suffix=label_suffix)
    with override(language):
        for data in (None, {}, {"thing": value} if value is not None else {"thing": ""}):
            _same(make, data)


def _project_form_fields():
    import importlib
    import pkgutil

    import lindungi

    found = []
    for module_info in pkgutil.walk_packages(lindungi.__path__, "lindungi."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.__name__
                    and getattr(value, "base_fields", None)):
                found += [(f"{value.__module__}.{value.__name__}.{name}", field)
                          for name, field in value.base_fields.items()]
    return found


PROJECT_FIELDS = _project_form_fields()


def test_the_project_has_forms_to_compare():
    assert len(PROJECT_FIELDS) > 200
    assert "lindungi.cases.forms.CaseFilterForm.q" in dict(PROJECT_FIELDS)


@pytest.mark.django_db
@pytest.mark.parametrize("name", [name for name, _field in PROJECT_FIELDS])
def test_every_field_of_every_form_of_the_project_is_drawn_as_django_draws_it(name):
    import copy

    from lindungi.accounts.models import User

    field = copy.deepcopy(dict(PROJECT_FIELDS)[name])
    if isinstance(field, forms.ModelChoiceField):
        if field.queryset is None:  # given by the form's __init__
            field.queryset = User.objects.none()
        else:  # a few choices are enough (Django's own path draws thousands of regions slowly)
            field.queryset = field.queryset.filter(pk__in=list(field.queryset.values_list("pk", flat=True)[:4]))
    make = _form(field)
    for language in ("id", "en"):
        with override(language):
            for data in (None, {}, {"thing": "<&\"x'>"}):
                _same(make, data)
