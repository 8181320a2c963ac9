from django import template

register = template.Library()


@register.filter
def is_region_field(bound_field) -> bool:
    return "data-region-level" in bound_field.field.widget.attrs


@register.filter
def rupiah(value) -> str:
    """Whole rupiah with dots between thousands, as written in Indonesia: Rp 12.500.000."""
    if value in (None, ""):
        return "—"
    return f"Rp {int(value):,}".replace(",", ".")
