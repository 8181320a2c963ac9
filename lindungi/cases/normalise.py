"""Blind-index normaliser for dates (the crypto app's normalisers cover names and digits)."""

from __future__ import annotations

import datetime


def date(value) -> str | None:
    if not value:
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return value.isoformat()
