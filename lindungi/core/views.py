from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lindungi.core import home as home_sections
from lindungi.core import navigation, policy


@login_required
def home(request):
    user = request.user
    context = {
        "organisation": user.organisation,
        "roles": navigation.roles_for(user),
        "capabilities": [item for item in navigation.items_for(user, request.path) if item["url"] != request.path],
        "sections": home_sections.sections_for(request),
    }
    return render(request, "core/home.html", context)


@login_required
@require_GET
def reference_lists(request):
    """Every network-wide reference list the user may manage, by part of Lindungi: the lists
    themselves live in their apps (incidents, legal, programs)."""
    groups = [{"title": title, "lists": [{"label": spec[1], "url": reverse(url_name, args=[slug])}
                                         for slug, spec in import_string(f"{module}.REFERENCE_LISTS").items()]}
              for title, action, module, url_name in navigation.REFERENCE_PARTS
              if policy.allowed(request.user, action)]
    if not groups:
        policy.require(request.user, navigation.REFERENCE_ACTIONS[0])  # refused, as any page is
    return render(request, "core/reference_lists.html", {"groups": groups})


@login_required
@require_GET
def home_section(request, key):
    """One lazily loaded home-page section (core/home.py LAZY_SECTIONS): the section alone for
    htmx, which puts it in place of its placeholder (nothing when there is nothing to show), or
    on a page of its own when followed as a link."""
    section = home_sections.lazy_section(request, key)
    if request.htmx:
        response = render(request, section["template"], {"section": section}) if section else HttpResponse("")
    elif section is None:
        raise Http404
    else:
        response = render(request, "core/home_section_page.html", {"section": section})
    patch_vary_headers(response, ["HX-Request"])
    return response


@never_cache
def health(request):
    return HttpResponse("ok", content_type="text/plain")


# Generic error pages: no detail that could help an attacker or leak data. Under /api/ the same
# errors come in the API's one error shape, as JSON.
def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _error(request, status: int, code: str, message: str):
    if _is_api(request):
        from lindungi.api.errors import json_error

        return json_error(code, message, status)
    return render(request, "core/error.html", {"status": status}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "bad_request", _("The request could not be understood."))


def permission_denied(request, exception=None):
    return _error(request, 403, "permission_denied", _("You do not have permission to do this."))


def page_not_found(request, exception=None):
    return _error(request, 404, "not_found", _("Not found."))


def server_error(request):
    return _error(request, 500, "server_error", _("Something went wrong. The error has been logged."))


def csrf_failure(request, reason=""):
    if _is_api(request):
        from lindungi.api.errors import json_error

        return json_error("csrf_failed", _("The form expired or did not come from Lindungi. Reload the page and try again."), 403)
    return render(request, "core/error.html", {"status": 403, "csrf": True}, status=403)
