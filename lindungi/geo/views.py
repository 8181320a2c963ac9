from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lindungi.geo import selectors
from lindungi.geo.forms import placeholder
from lindungi.geo.models import Region

_PARAM_NAME = re.compile(r"[\w.-]{1,100}")


@login_required
@require_GET
def options(request):
    """`<option>`s for a chained picker: `?level=regency&parent=31`, or `&source=<field name>` when
    htmx sends the parent's value under its own (possibly prefixed) field name."""
    level = request.GET.get("level", "")
    if level not in Region.Level.values:
        return HttpResponseBadRequest("Unknown level.", content_type="text/plain")
    source = request.GET.get("source") or "parent"
    parent = request.GET.get(source, "") if _PARAM_NAME.fullmatch(source) else ""
    regions = selectors.region_options(user=request.user, level=level, parent=parent or None)
    context = {"regions": regions, "placeholder": placeholder(level, bool(parent))}
    return render(request, "geo/options.html", context)
