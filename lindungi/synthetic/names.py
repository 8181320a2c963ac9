"""Obviously fictional names: syllables put together, tagged "(Sintetis)". They sound vaguely
Indonesian but belong to nobody; NIKs start with "99", which no province code is."""

from __future__ import annotations

import random

TAG = "(Sintetis)"
_ONSETS = ["b", "d", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "w", "y", "c", "ng", "ny"]
_VOWELS = ["a", "a", "i", "u", "e", "o"]
_CODAS = ["", "", "", "n", "r", "h", "s", "l", "ng"]


def word(rng: random.Random, syllables: int) -> str:
    parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)]
    parts[-1] += rng.choice(_CODAS)
    return "".join(parts).capitalize()


def person(rng: random.Random) -> str:
    """`Kalunari Tobesa (Sintetis)`: two to three syllables per word, two words (sometimes three).
    With 18 × 6 syllables the space is large enough that a blind-index search returns a handful."""
    words = [word(rng, rng.choice((2, 3, 3))), word(rng, rng.choice((2, 3)))]
    if rng.random() < 0.2:
        words.insert(1, word(rng, 2))
    return " ".join(words) + " " + TAG


def nik(rng: random.Random) -> str:
    return "99" + "".join(rng.choice("0123456789") for _ in range(14))


def phone(rng: random.Random) -> str:
    return f"0899-{rng.randint(0, 9999):04d}-{rng.randint(0, 9999):04d}"
