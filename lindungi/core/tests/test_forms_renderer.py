"""The project's form renderer draws select lists in Python: the markup must be Django's own."""

from __future__ import annotations

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
