"""Helpers shared by the case views: thin wrappers that parse a form, call a service and show its
errors on the form."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render

from lindungi.cases import selectors
from lindungi.cases.forms import add_domain_error
from lindungi.core import policy
from lindungi.core.errors import DomainError


def get_case(request, pk, action: str = "cases.case.view", *, record_view: bool = False):
    """403 when the role never allows `action`; 404 when the case is missing or out of scope."""
    policy.require(request.user, action)
    return selectors.case_get(user=request.user, pk=pk, action=action, record_view=record_view)


def form_page(request, *, form, template: str, context: dict, on_valid: Callable, success_message,
              success_url: Callable | str):
    """GET: show the form. POST: valid → call the service (DomainError → back on the form), then
    redirect with a message."""
    if request.method == "POST" and form.is_valid() and not getattr(form, "region_refresh_requested", False):
        try:
            result = on_valid(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if success_message:
                messages.success(request, success_message)
            return redirect(success_url(result) if callable(success_url) else success_url)
    return render(request, template, {**context, "form": form})


def case_url(case) -> str:
    from django.urls import reverse

    return reverse("cases:detail", args=[case.pk])
