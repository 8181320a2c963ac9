from __future__ import annotations

from django.urls import reverse

from lindungi.core import policy
from lindungi.legal import selectors

FORM_TEMPLATE = "legal/form.html"


def get_legal_case(request, pk, action: str = selectors.EDIT, *, record_view: bool = False):
    """403 when the role never allows `action`; 404 when missing or out of scope (both audited)."""
    policy.require(request.user, action)
    return selectors.legal_case_get(user=request.user, pk=pk, action=action, record_view=record_view)


def detail_url(legal_case, anchor: str = "") -> str:
    return reverse("legal:detail", args=[legal_case.pk]) + (f"#{anchor}" if anchor else "")


def form_context(legal_case, title, **extra) -> dict:
    return {"legal_case": legal_case, "title": title, **extra}
