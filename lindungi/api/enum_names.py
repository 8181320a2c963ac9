"""Stable OpenAPI names for every choice set of our models.

drf-spectacular names an enum after its field ("status", "kind", "sex"), so the many `status`
fields of different apps collide and get hashed names (`Status46aEnum`). This mapping names each
distinct choice set after the first model field that uses it (`CaseStatusEnum`,
`ReferralStatusEnum`), computed when the schema is generated (models are loaded by then).
"""

from __future__ import annotations

from collections.abc import Mapping


def _camel(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in text.replace("-", "_").split("_") if part)


def _model_choice_sets() -> dict[str, list]:
    from django.apps import apps

    names: dict[str, list] = {}
    seen: set[tuple] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("lindungi."):
            continue
        for field in model._meta.get_fields():
            choices = getattr(field, "choices", None)
            if not choices or getattr(field, "auto_created", False):
                continue
            values = tuple(str(value) for value, _label in choices)
            if values in seen:
                continue
            seen.add(values)
            name = f"{model.__name__}{_camel(field.name)}Enum"
            if name not in names:
                names[name] = list(choices)
    return names


class ModelEnumNames(Mapping):
    """A mapping evaluated lazily: settings are read before the apps are loaded."""

    def __init__(self):
        self._cache: dict | None = None

    def _data(self) -> dict:
        if self._cache is None:
            self._cache = _model_choice_sets()
        return self._cache

    def __getitem__(self, key):
        return self._data()[key]

    def __iter__(self):
        return iter(self._data())

    def __len__(self):
        return len(self._data())
