"""View helpers shared by the incidents and legal pages: thin wrappers that parse a form, call a
service and show its DomainError on the form (or as a message)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from lindungi.core.errors import DomainError

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})
PAGE_SIZE = 25


def add_domain_error(form, error: DomainError) -> None:
    """On the form's fields when it has them, else on top of the form."""
    placed = False
    for name, texts in (error.fields or {}).items():
        if form is not None and name in form.fields and name not in (form.errors or {}):
            for text in texts:
                form.add_error(name, text)
            placed = True
    if not placed and form is not None:
        form.add_error(None, str(error.message))


def form_page(request, *, form, template: str, context: dict, on_valid: Callable, success_message,
              success_url: Callable | str):
    """GET: show the form. POST: valid → call the service (DomainError → back on the form), then
    redirect with a message. A region picker's "update the lists" submit only re-renders."""
    if request.method == "POST" and form.is_valid() and not getattr(form, "region_refresh_requested", False):
        try:
            result = on_valid(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if success_message:
                messages.success(request, success_message)
            return redirect(success_url(result) if callable(success_url) else success_url)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)


def post_action(request, call: Callable, success_message, back: str):
    """A POST-only action (a button): run the service, show the outcome as a message, go back."""
    try:
        call()
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if success_message:
            messages.success(request, success_message)
    return redirect(back)


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, urlencode([(k, v) for k in params for v in params.getlist(k)])
