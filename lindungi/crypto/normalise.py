"""Normalisers for blind indexes: two spellings that a person would call "the same" must give the
same string, so that the HMAC of one finds the other."""

from __future__ import annotations

import re
import unicodedata

# Old (pre-1972, van Ophuijsen/Soewandi) spellings that still appear in names, to modern EYD.
_SPELLING = [("dj", "j"), ("tj", "c"), ("nj", "ny"), ("sj", "sy"), ("oe", "u"), ("ch", "kh")]
# Common variants of the same given name.
_NAME_VARIANTS = {
    "mohammad": "muhammad", "mohamad": "muhammad", "muhamad": "muhammad", "mochammad": "muhammad",
    "mochamad": "muhammad", "mohammed": "muhammad", "muhammed": "muhammad", "moch": "muhammad",
    "moh": "muhammad", "muh": "muhammad", "mhd": "muhammad", "md": "muhammad",
    "noor": "nur", "nour": "nur",
    "abdoel": "abdul", "abdol": "abdul",
}
_NON_LETTERS = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


def fold(value: str) -> str:
    """Lower-case, strip accents, drop punctuation, collapse white space."""
    if value.isascii():  # (most names) NFKD leaves ASCII as it is: there is nothing to strip
        text = value.lower()
    else:
        text = unicodedata.normalize("NFKD", value)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _NON_LETTERS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def name(value: str | None) -> str | None:
    if not value:
        return None
    # Variants are whole words; the old spellings are replaced in the whole text at once, which
    # is the same as word by word (no pattern or replacement holds a space).
    result = " ".join(_NAME_VARIANTS.get(word, word) for word in fold(value).split(" "))
    for old, new in _SPELLING:
        result = result.replace(old, new)
    return result or None


def digits(value: str | None) -> str | None:
    if not value:
        return None
    result = "".join(ch for ch in value if ch.isdigit())
    return result or None


def name_and_birth_year(full_name: str | None, birth_date) -> str | None:
    normalised = name(full_name)
    if normalised is None or birth_date is None:
        return None
    return f"{normalised}|{birth_date.year}"
