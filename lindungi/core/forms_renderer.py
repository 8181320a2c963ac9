"""The project's form renderer (settings.FORM_RENDERER): Django's own, with the select list drawn
in Python.

Django draws a <select> with one template include per option; a list of a few dozen options
(provinces, regencies, statuses, staff) then costs milliseconds, and a filter form has several of
them on every list page. The markup produced here is the one of Django's
`django/forms/widgets/select.html` and `select_option.html` (the same names, values, labels,
attributes and escaping; tests compare both for every kind of select), so widgets, forms and
templates need not know. No template of this project overrides that one; one that did would have
to be drawn here too.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


class Renderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE and _options_are_plain(context["widget"]):
            return select_html(context["widget"])
        return super().render(template_name, context, request)


def _options_are_plain(widget) -> bool:
    # A widget that draws its options with another template keeps Django's path.
    return all(option.get("template_name") == OPTION_TEMPLATE
               for _group, options, _index in widget["optgroups"] for option in options)


def _attributes(attrs) -> str:
    # As attrs.html, in the same order: False leaves the attribute out, True writes its name alone.
    return "".join(f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
                   for name, value in attrs.items() if value is not False)


def select_html(widget) -> SafeString:
    parts = [f'<select name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        parts.extend(f'\n  <option value="{escape(str(option["value"]))}"{_attributes(option["attrs"])}>'
                     f'{escape(option["label"])}</option>\n' for option in options)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    # Every name, value and label above went through `escape` (as the template's autoescape).
    return mark_safe("".join(parts))  # noqa: S308
