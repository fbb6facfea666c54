"""Place words: the lemmas an idea uses to say where it is, not what it is about."""

from __future__ import annotations

from pipeline.lang.codes import LATVIAN, RUSSIAN
from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.lemmatizer import lemmatize
from pipeline.lang.lv.paradigms import LOCATIVE_ENDINGS
from pipeline.lang.lv.tokens import tokenize
from pipeline.lang.resources import word_sets

_WORDS_FILE = "lv_place_words.yaml"
_GENITIVE_LIKE = ("as", "es", "a", "u", "ū")
# A locative, or a dative/locative plural in -os ("ciematos").
_PLACE_ENDINGS = LOCATIVE_ENDINGS + ("os",)


def _noun_lemma(lemma: str) -> bool:
    return len(lemma) > 2 and lemma[-1] in "sšae" and not lemma.endswith("ties")


def _mark_phrase_after(place: list[bool], i: int, lower: list[str], lemma: list[str]) -> None:
    """Mark the noun phrase after the Latvian preposition at ``i``: one word, or a chain of
    genitives ("pie Ozolmuižas skolas")."""
    j = i + 1
    while j < len(lower) and j <= i + 2:
        place[j] = True
        chain = (
            lower[j].endswith(_GENITIVE_LIKE)
            and j + 1 < len(lower)
            and lower[j + 1].endswith(_GENITIVE_LIKE)
            and _noun_lemma(lemma[j + 1])
        )
        if not chain:
            break
        j += 1


def _mark_locative(
    place: list[bool], i: int, lower: list[str], lemma: list[str], folded: list[str]
) -> None:
    """Mark the Latvian word at ``i`` if it is a locative of place, and the genitive before it
    or before a street word ("ezera krastā", "Skolas ielā")."""
    word, before = lower[i], i - 1
    genitive_before = (
        before >= 0
        and lower[before].endswith(_GENITIVE_LIKE)
        and lower[before] != lemma[before]
        and _noun_lemma(lemma[before])
    )
    if lemma[i] in word_sets(_WORDS_FILE)["street_lemmas"] and genitive_before:
        place[before] = True
    if (
        word.endswith(_PLACE_ENDINGS)
        and word != lemma[i]
        and _noun_lemma(lemma[i])
        and len(word) > 3
        and folded[i] not in word_sets(_WORDS_FILE)["time_lemmas"]
    ):
        place[i] = True
        if genitive_before:
            place[before] = True


def place_words(text: str, lang: str = "lv") -> frozenset[str]:
    """Folded lemmas that a text uses only to say where, not what it is about.

    "basketbola grozu pie skolas" is about a sport ground, not about the school; "Nav ietves
    Skolas ielā" is about a pavement in a street named after it; "Ezera krastā vajag
    peldvietu" wants a bathing place on the lake shore. A word counts as a place when it is
    the noun phrase after a preposition of place ("pie", "gar", "līdz", "blakus", Russian
    "у", "возле", "около"), a noun in the locative ("skolā", "ciematos"; not a locative of
    time such as "ziemā") or the genitive before one ("ezera krastā"), or the name before a
    street word ("Skolas iela"). A word the text also uses otherwise is not returned.

    Args:
        text: One idea (with diacritics restored: the locative is read from its ending).
        lang: "lv", "ltg", "ru" or another code (read as Latvian: every code but Russian).

    Returns:
        Diacritics-folded lemmas, as :func:`fold` of :func:`lemmatize` gives them.
    """
    code = RUSSIAN if lang == RUSSIAN else LATVIAN
    latvian = code == LATVIAN
    prepositions = word_sets(_WORDS_FILE)["prepositions_lv" if latvian else "prepositions_ru"]
    tokens = tokenize(text, code)
    lower = [t.lower() for t in tokens]
    lemma = [lemmatize(t, code) for t in tokens]
    folded = [fold(x) for x in lemma]
    place = [False] * len(tokens)
    for i, word in enumerate(lower):
        if (fold(word) if latvian else word) in prepositions:
            if latvian:
                _mark_phrase_after(place, i, lower, lemma)
            elif i + 1 < len(tokens):
                place[i + 1] = True  # Russian: the one word after the preposition
        if not latvian or i == 0 and not word.endswith(_PLACE_ENDINGS):
            continue
        _mark_locative(place, i, lower, lemma, folded)
    topical = {f for f, p in zip(folded, place, strict=True) if not p}
    return frozenset(f for f, p in zip(folded, place, strict=True) if p) - topical
