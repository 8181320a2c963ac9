from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from lindungi.cases import models as m

register = template.Library()


@register.filter
def is_region_field(bound_field) -> bool:
    return "data-region-level" in bound_field.field.widget.attrs


@register.simple_tag
def risk_badge(case):
    """The risk level as a badge; high risk is always visible wherever the case appears."""
    level = case.risk_level
    label = m.Risk(level).label if level in m.Risk.values else level
    return format_html('<span class="badge {}">{}</span>', level, gettext("%(level)s risk") % {"level": label})


@register.simple_tag
def status_badge(case):
    return format_html('<span class="badge status-{}">{}</span>', case.status, case.get_status_display())


@register.filter
def domain_label(code) -> str:
    return str(dict(m.Domain.choices).get(code, code))


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
