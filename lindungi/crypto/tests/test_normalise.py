"""The name normaliser decides which stored blind indexes a search finds: a faster spelling of it
must give exactly what the first one gave, or names indexed before would no longer be found."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from lindungi.crypto import normalise


def fold_as_first_written(value):
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = normalise._NON_LETTERS.sub(" ", text)
    return normalise._SPACES.sub(" ", text).strip()


def name_as_first_written(value):
    if not value:
        return None
    words = []
    for word in fold_as_first_written(value).split(" "):
        word = normalise._NAME_VARIANTS.get(word, word)
        for old, new in normalise._SPELLING:
            word = word.replace(old, new)
        words.append(word)
    result = " ".join(w for w in words if w)
    return result or None


NAME_PARTS = st.sampled_from(["Moch.", "Djoko", "Tjahjono", "Soesilo", "Nyoman", "Sjahrir", "Chairul", "Abdoel",
                              "noor", "Siti", "Dewi-Sartika", "José", "Ṣaḥīḥ", "ǅemal", "  ", "\t", "(Sintetis)",
                              "ßtraße", "İlham", "ﬁrman", "O'Neil", "Nj", "mhd", "DJ", "oe"])
NAMES = st.one_of(st.text(max_size=40), st.lists(NAME_PARTS, max_size=6).map(" ".join),
                  st.lists(st.one_of(NAME_PARTS, st.text(max_size=6)), max_size=6).map("".join))


@settings(max_examples=400, deadline=None)
@given(NAMES)
def test_fold_and_name_give_what_they_first_gave(value):
    assert normalise.fold(value) == fold_as_first_written(value)
    assert normalise.name(value) == name_as_first_written(value)


def test_spellings_and_variants():
    assert normalise.name("  Moch.  Djoko   Tjahjono ") == "muhammad joko cahjono"
    assert normalise.name("ABDOEL  Soesilo") == "abdul susilo"
    assert normalise.name("José Ṣaḥīḥ") == "jose sahih"
    assert normalise.name("---") is None and normalise.name("") is None
