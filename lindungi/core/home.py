"""The home page is made of sections contributed by each app: its tasks, its shortcuts. An app
registers `home_section(request) -> dict | None` in HOME_SECTIONS; a section that returns None
(nothing for this user) is not shown."""

from __future__ import annotations

from django.utils.module_loading import import_string

# Dotted paths, in display order. An app that is not built yet simply has no entry.
HOME_SECTIONS: list[str] = [
    "lindungi.cases.home.tasks_section",
    "lindungi.legal.home.upcoming_section",
    "lindungi.programs.home.home_section",
    "lindungi.reports.home.home_section",
    "lindungi.accounts.home.administrator_section",
]


def sections_for(request) -> list[dict]:
    sections = []
    for path in HOME_SECTIONS:
        section = import_string(path)(request)
        if section:
            sections.append(section)
    return sections
