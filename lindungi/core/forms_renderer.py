"""The project's form renderer (settings.FORM_RENDERER): Django's own, with the most used form
templates drawn in Python.

Django draws a form field with a template per part (the field group, its label, its error list,
its widget, the widget's attributes) and a <select> with one template include per option. A filter
form of ten fields then costs around ten milliseconds on every list page, more than the queries.
The markup produced here is the one of Django's templates of the same names
(`django/forms/field.html`, `label.html`, `errors/list/default.html`, the `<input>` widgets'
templates, `widgets/select.html` and `select_option.html`): the same names, values, labels,
attributes, white space and escaping, which tests compare with Django's own rendering for every
field of every form of the project. Widgets, forms and templates need not know. No template of
this project overrides those; one that did would have to be drawn here too.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


FIELD_TEMPLATE = "django/forms/field.html"
LABEL_TEMPLATE = "django/forms/label.html"
ERROR_LIST_TEMPLATES = frozenset({"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"})
# The widgets whose template is only `{% include "django/forms/widgets/input.html" %}` and a newline.
INPUT_TEMPLATES = frozenset(f"django/forms/widgets/{kind}.html" for kind in (
    "text", "search", "date", "datetime", "time", "number", "email", "url", "tel", "password", "hidden",
    "checkbox", "color"))


class Renderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE and _options_are_plain(context["widget"]):
            return select_html(context["widget"])
        if template_name in INPUT_TEMPLATES:
            return input_html(context["widget"])
        if template_name == FIELD_TEMPLATE:
            return field_html(context["field"])
        if template_name == LABEL_TEMPLATE:
            return label_html(context)
        if template_name in ERROR_LIST_TEMPLATES:
            return error_list_html(context["errors"], context["error_class"])
        return super().render(template_name, context, request)


def _options_are_plain(widget) -> bool:
    # A widget that draws its options with another template keeps Django's path.
    return all(option.get("template_name") == OPTION_TEMPLATE
               for _group, options, _index in widget["optgroups"] for option in options)


def _attributes(attrs) -> str:
    # As attrs.html, in the same order: False leaves the attribute out, True writes its name alone.
    return "".join(f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
                   for name, value in attrs.items() if value is not False)


def input_html(widget) -> SafeString:
    # widgets/input.html, included by the widget's template (the renderer strips the white space
    # around every template's output, here the files' final line breaks).
    value = widget["value"]
    shown = "" if value is None else f' value="{escape(str(value))}"'
    return mark_safe(  # noqa: S308 (every value escaped, as the template's autoescape)
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{shown}'
        f'{_attributes(widget["attrs"])}>')


def label_html(context) -> SafeString:
    # label.html: the label is already escaped (or marked safe) by BoundField.label_tag.
    label = escape(context["label"])
    if not context["use_tag"]:
        return mark_safe(label.strip())  # noqa: S308 (stripped, as every template output)
    tag = escape(context["tag"])
    return mark_safe(f"<{tag}{_attributes(context['attrs'] or {})}>{label}</{tag}>")  # noqa: S308


def error_list_html(errors, error_class) -> SafeString:
    # errors/list/ul.html (default.html includes it); neither file ends with a newline.
    if not errors:
        return mark_safe("")
    field_id = f' id="{escape(errors.field_id)}_error"' if errors.field_id else ""
    items = "".join(f"<li>{escape(error)}</li>" for error in errors)
    return mark_safe(f'<ul class="{escape(error_class)}"{field_id}>{items}</ul>')  # noqa: S308


def field_html(field) -> SafeString:
    # field.html, line by line (its line breaks are part of the markup), stripped as Django's
    # renderer strips every template's output.
    if field.use_fieldset:
        described = field.aria_describedby
        opening = f' aria-describedby="{escape(described)}"' if described else ""
        head = f"\n  <fieldset{opening}>\n  {field.legend_tag() if field.label else ''}\n"
    else:
        head = f"\n  {field.label_tag() if field.label else ''}\n"
    help_text = ""
    if field.help_text:
        helptext_id = f' id="{escape(field.auto_id)}_helptext"' if field.auto_id else ""
        help_text = f'<div class="helptext"{helptext_id}>{field.help_text}</div>'  # |safe, as the template
    closing = "</fieldset>" if field.use_fieldset else ""
    return mark_safe(  # noqa: S308 (the parts are escaped or safe markup, as in the template)
        f"{head}\n{help_text}\n{escape(field.errors)}\n{escape(field)}{closing}\n".strip())


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
