"""Typed readers for configuration from the environment.

Every reader fails loudly (ImproperlyConfigured) on a value it cannot parse, so a typo in a
deployment never silently falls back to a default. Secrets may also come from `NAME_FILE`, which
points to a file holding the value (Docker/Kubernetes secrets, systemd credentials).
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_MISSING = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    """The value of NAME, or the content of the file named by NAME_FILE."""
    value = os.environ.get(name)
    file_name = os.environ.get(f"{name}_FILE")
    if value is not None and file_name:
        raise ImproperlyConfigured(f"Set either {name} or {name}_FILE, not both.")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    return value


def env_str(name: str, default=_MISSING) -> str:
    value = _raw(name)
    if value is None or value == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true/false).")


def env_int(name: str, default=_MISSING, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from exc
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_key(name: str, default=_MISSING, *, length: int = 32) -> bytes:
    """A binary key given as base64 (standard or URL-safe) of exactly `length` bytes."""
    value = _raw(name)
    if value is None or value == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"The key {name} (or {name}_FILE) is required.")
        return default
    text = value.strip().replace("-", "+").replace("_", "/").rstrip("=")
    try:
        # validate=True: a stray character is an error, not silently skipped.
        key = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} is not valid base64.") from exc
    if len(key) != length:
        raise ImproperlyConfigured(f"{name} must decode to {length} bytes, not {len(key)}.")
    return key


# The database engines Lindungi is built and tested for.
_DATABASE_ENGINES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}


def env_database(name: str, default=_MISSING, **options) -> dict:
    """A Django DATABASES entry from a URL (`postgres://user:pass@host:5432/db`, `sqlite:///path`)."""
    import dj_database_url

    url = env_str(name, default)
    try:
        config = dj_database_url.parse(url, **options)
    except (ValueError, dj_database_url.UnknownSchemeError) as exc:
        raise ImproperlyConfigured(f"{name} is not a database URL Lindungi understands: {exc}") from exc
    if config.get("ENGINE") not in _DATABASE_ENGINES:
        raise ImproperlyConfigured(f"{name} must point to PostgreSQL (postgres://) or SQLite (sqlite:///).")
    if config["ENGINE"] == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name the PostgreSQL database (postgres://host/NAME).")
    return config
