"""The home page is made of sections contributed by each app: its tasks, its shortcuts. An app
registers `home_section(request) -> dict | None` in HOME_SECTIONS; a section that returns None
(nothing for this user) is not shown.

A section that is costly to compute (a statistics computation) is registered in LAZY_SECTIONS
instead: the home page shows a placeholder at its place, and htmx fetches the section from
`core:home_section` once the page is shown (without JavaScript the placeholder is a link to the
same URL, which then shows the section on a page of its own). The home page itself stays as fast as
its tasks."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from lindungi.core import policy

# Dotted paths, in display order. An app that is not built yet simply has no entry.
HOME_SECTIONS: list[str] = [
    "lindungi.cases.home.tasks_section",
    "lindungi.legal.home.upcoming_section",
    "lindungi.programs.home.home_section",
    "lindungi.reports.home.home_section",
    "lindungi.accounts.home.administrator_section",
]


@dataclass(frozen=True)
class LazySection:
    key: str  # in the URL: /home/sections/<key>/
    title: str | Promise  # the placeholder's heading until the section arrives
    # Only users granted this action get the placeholder (a cheap check; the section may still
    # decide it has nothing to show, and then the placeholder goes away).
    action: str


# Dotted path (one of HOME_SECTIONS) -> how it is loaded lazily.
LAZY_SECTIONS: dict[str, LazySection] = {
    # The personal key figures: five statistics tables, by far the costliest part of the page.
    "lindungi.reports.home.home_section": LazySection("statistics", _("Statistics"), "reports.statistics.view"),
}


def sections_for(request) -> list[dict]:
    sections = []
    for path in HOME_SECTIONS:
        lazy = LAZY_SECTIONS.get(path)
        if lazy is not None:
            if policy.allowed(request.user, lazy.action):
                sections.append({"template": "core/home_lazy_section.html", "key": lazy.key, "title": lazy.title,
                                 "url": reverse("core:home_section", args=[lazy.key])})
            continue
        section = import_string(path)(request)
        if section:
            sections.append(section)
    return sections


def lazy_section(request, key: str) -> dict | None:
    """The lazily loaded section `key` for this request (None: unknown key, or nothing to show)."""
    for path, lazy in LAZY_SECTIONS.items():
        if lazy.key == key and path in HOME_SECTIONS:
            return import_string(path)(request)
    return None
