from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from lindungi.core import home as home_sections
from lindungi.core import navigation


@login_required
def home(request):
    user = request.user
    context = {
        "organisation": user.organisation,
        "roles": user.role_labels,
        "capabilities": navigation.items_for(user, request.path)[1:],
        "sections": home_sections.sections_for(request),
    }
    return render(request, "core/home.html", context)


def health(request):
    return HttpResponse("ok", content_type="text/plain")


def bad_request(request, exception=None):
    return render(request, "core/error.html", {"status": 400}, status=400)


def permission_denied(request, exception=None):
    return render(request, "core/error.html", {"status": 403}, status=403)


def page_not_found(request, exception=None):
    return render(request, "core/error.html", {"status": 404}, status=404)


def server_error(request):
    return render(request, "core/error.html", {"status": 500}, status=500)
