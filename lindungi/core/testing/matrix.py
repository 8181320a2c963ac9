"""Permission matrix: every URL route × method × persona → expected status.

Each app lists its rows in `lindungi/<app>/tests/matrix.py` as `ROWS = [Row(...), ...]` and may
define `build(world)` to add the objects its URLs need. `test_permission_matrix` runs every row
for every persona and fails on any route that has no row.

    Row("cases:detail", "GET", url=lambda w: reverse("cases:detail", args=[w.case_a.pk]),
        expect={"anonymous": 302, "*": 404, "supervisor_a": 200, "caseworker_a": 200})

`expect` maps persona → status; "*" is the default for every signed-in persona not named.
`data(world)` gives the POST body; `api=True` sends JSON.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lindungi.core.testing.world import PERSONAS


@dataclass
class Row:
    route: str
    method: str = "GET"
    expect: dict[str, int] = field(default_factory=dict)
    url: Callable | None = None
    data: Callable | None = None
    api: bool = False
    # Some routes need extra headers (e.g. HX-Request) or a format.
    headers: dict[str, str] = field(default_factory=dict)

    def status_for(self, persona: str) -> int:
        if persona in self.expect:
            return self.expect[persona]
        if persona != "anonymous" and "*" in self.expect:
            return self.expect["*"]
        raise KeyError(f"{self.route} {self.method}: no expectation for persona {persona!r}")

    def resolve_url(self, world) -> str:
        return self.url(world) if self.url else reverse(self.route)

    @property
    def id(self) -> str:
        return f"{self.route}:{self.method}"


def matrix_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("lindungi."):
            continue
        try:
            yield importlib.import_module(f"{config.name}.tests.matrix")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.matrix":
                raise


def all_rows() -> list[Row]:
    rows = []
    for module in matrix_modules():
        rows.extend(getattr(module, "ROWS", []))
    return rows


def builders() -> list[Callable]:
    return [module.build for module in matrix_modules() if hasattr(module, "build")]


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _walk(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern):
            yield (f"{prefix}{pattern.name}" if pattern.name else None), pattern


# Routes that are not ours to police, with the reason.
IGNORED_ROUTE_PREFIXES = {
    "django.views.static": "development static files",
}


def all_route_names() -> set[str]:
    names = set()
    for name, _pattern in _walk(get_resolver().url_patterns):
        if name is None:
            continue
        names.add(name)
    return names


def unnamed_routes() -> list[str]:
    return [str(pattern.pattern) for name, pattern in _walk(get_resolver().url_patterns) if name is None]


__all__ = ["PERSONAS", "Row", "all_rows", "builders", "all_route_names", "unnamed_routes"]
