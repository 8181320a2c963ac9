"""The legal reference lists: stages, police unit levels, laws, articles, deadline rules."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from lindungi.core import policy
from lindungi.incidents.forms import reference_form
from lindungi.incidents.web import form_page
from lindungi.legal import services
from lindungi.legal.models import DeadlineRule, Law, LawArticle, PoliceUnitLevel, Stage
from lindungi.legal.services._common import REFERENCE

REFERENCE_LISTS = {
    "stages": (Stage, gettext_lazy("Stages of a legal case"), ("order", "code", "label", "kind", "milestone",
                                                                "reachable_until", "is_active")),
    "police-unit-levels": (PoliceUnitLevel, gettext_lazy("Police unit levels"), ("order", "code", "label",
                                                                                 "is_active")),
    "laws": (Law, gettext_lazy("Laws"), ("order", "code", "short_name", "label", "is_active")),
    "articles": (LawArticle, gettext_lazy("Articles"), ("law", "code", "article", "label", "is_active")),
    "deadlines": (DeadlineRule, gettext_lazy("Filing deadlines"), ("code", "label", "days", "after_level",
                                                                   "files_level", "is_active")),
}


@login_required
def reference_index(request):
    policy.require(request.user, REFERENCE)
    lists = [{"slug": slug, "label": label, "count": model.objects.count()}
             for slug, (model, label, _columns) in REFERENCE_LISTS.items()]
    return render(request, "legal/reference_index.html", {"lists": lists})


def _cell(item, column):
    value = getattr(item, column)
    display = getattr(item, f"get_{column}_display", None)
    if display is not None:
        return display()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else value


@login_required
@require_http_methods(["GET", "POST"])
def reference_list(request, kind, pk=None):
    if kind not in REFERENCE_LISTS:
        raise Http404
    policy.require(request.user, REFERENCE)
    model, label, columns = REFERENCE_LISTS[kind]
    instance = None
    if pk is not None:
        instance = model.objects.filter(pk=pk).first()
        if instance is None:
            raise Http404
    form = reference_form(model)(request.POST or None, instance=instance)
    items = model.objects.all()
    if model is LawArticle:
        items = items.select_related("law")
    rows = [{"pk": item.pk, "cells": [_cell(item, c) for c in columns]} for item in items]
    headers = [model._meta.get_field(c).verbose_name if c != "label" else _("Label") for c in columns]
    return form_page(request, form=form, template="legal/reference_list.html",
                     context={"kind": kind, "label": label, "rows": rows, "headers": headers, "instance": instance},
                     on_valid=lambda data: services.reference_save(actor=request.user, model=model, data=data,
                                                                   instance=instance),
                     success_message=_("Saved."), success_url=reverse("legal:reference", args=[kind]))
