"""Obviously fictional names: syllables put together, tagged "(Sintetis)". They sound vaguely
Indonesian but belong to nobody; NIKs start with "99", which no province code is."""

from __future__ import annotations

import random

TAG = "(Sintetis)"
_ONSETS = ["b", "d", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "w", "y", "c", "ng", "ny"]
_VOWELS = ["a", "a", "i", "u", "e", "o"]
_CODAS = ["", "", "", "n", "r", "h", "s", "l", "ng"]


# Every onset with every vowel: a syllable is one lookup once the two draws are made.
_SYLLABLES = [[onset + vowel for vowel in _VOWELS] for onset in _ONSETS]


def _below(getrandbits, n: int, bits: int) -> int:
    """`rng.choice`'s draw of an index below `n` (`bits` = n.bit_length()), without its calls."""
    drawn = getrandbits(bits)
    while drawn >= n:
        drawn = getrandbits(bits)
    return drawn


_ONSET_BITS, _VOWEL_BITS, _CODA_BITS = (len(_ONSETS).bit_length(), len(_VOWELS).bit_length(),
                                        len(_CODAS).bit_length())


def word(rng: random.Random, syllables: int) -> str:
    """A syllable-made word: the same draws, in the same order, as choosing onset, vowel (each
    syllable) and coda with `rng.choice` (a test holds them equal), about three times faster:
    names are most of the random draws of a case."""
    getrandbits = rng.getrandbits
    n_onsets, n_vowels = len(_ONSETS), len(_VOWELS)
    parts = []
    for _ in range(syllables):
        onset = _below(getrandbits, n_onsets, _ONSET_BITS)
        parts.append(_SYLLABLES[onset][_below(getrandbits, n_vowels, _VOWEL_BITS)])
    parts.append(_CODAS[_below(getrandbits, len(_CODAS), _CODA_BITS)])
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
