"""Lemmatise Latvian (and Russian, English) words: "ceļiem" -> "ceļš", "jāuzlabo" -> "uzlabot".

Lemmas are always lower-case (place names too): keywords are grouped, not displayed. Russian
lemmas write "е" for "ё" (simplemma's convention), so "детей" -> "ребенок". Latgalian (and a
text of undetermined language, see `pipeline.lang.codes.grammar_language`) goes through the
Latvian lemmatiser; Latgalian spelling ("cīms", "sarunys") is mostly left as typed.
"""

from __future__ import annotations

import functools
import unicodedata

from pipeline.lang.codes import LATVIAN, grammar_language
from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.lexicon import (
    domain_lemmas,
    hunspell_lv,
    lexicon,
    overrides,
    simplemma_dict,
)
from pipeline.lang.lv.paradigms import NOUN_ENDINGS
from pipeline.lang.lv.tokens import tokenize


def _debitive_infinitive(present: str) -> str | None:
    """The infinitive behind a debitive's 3rd-person present ("uzlabo" -> "uzlabot")."""
    known = lexicon().known_lemmas
    found = simplemma_dict("lv").get(present)
    if found is not None and found.lower().endswith(("t", "ties")):
        return found.lower()
    candidates: list[str] = []
    certain = False
    if present.endswith("ās"):
        candidates = [present[:-2] + "īties", present[:-2] + "āties"]
    elif present.endswith(("ējas", "ojas", "ājas")):
        candidates = [present[:-3] + "ties"]
        certain = True
    elif present.endswith(("o", "ē", "ā")):
        candidates = [present + "t"]
        certain = True
    elif present.endswith("ina"):
        candidates = [present[:-1] + "āt", present[:-1] + "īt"]
        certain = True
    elif present.endswith("a"):
        candidates = [present[:-1] + "īt", present[:-1] + "āt", present[:-1] + "ēt"]
    elif present.endswith("j"):
        candidates = [present[:-1] + "t"]
    elif present.endswith("c"):
        candidates = [present[:-1] + "kt"]
    elif present.endswith("dz"):
        candidates = [present + "ēt", present[:-2] + "gt"]
    elif present[-1:].isalpha():
        candidates = [present + "ēt", present + "t", present + "īt"]
    for candidate in candidates:
        if candidate in known:
            return candidate
    return candidates[0] if certain and candidates else None


def dictionary_stem(word: str) -> str | None:
    """The Hunspell stem of a form when the dictionary makes it from one stem only.

    "slidotavu" -> "slidotava", "ģērbtuves" -> "ģērbtuve"; None for a form it does not know
    or makes from several stems ("ceļiem": "celis" or "ceļš").
    """
    stems = {a.stem.lower() for a in hunspell_lv().analyses(fold(word)) if a.form == word}
    return stems.pop() if len(stems) == 1 else None


def sibling_lemma(word: str) -> str | None:
    """The lemma the dictionaries give another case form of the same noun ("operatoru" ->
    "operators", known from "operatoriem"), when exactly one paradigm agrees.

    Only a sibling whose lemma is the paradigm's nominative of the same stem counts.
    """
    table = simplemma_dict("lv")
    found = set()
    for nominative, endings in NOUN_ENDINGS.items():
        for ending in endings:
            stem = word[: -len(ending)]
            if not word.endswith(ending) or len(stem) < 3:
                continue
            for sibling in endings:
                if sibling == ending:
                    continue
                lemma = dictionary_stem(stem + sibling) or table.get(stem + sibling) or ""
                if lemma.lower() == stem + nominative:
                    found.add(lemma.lower())
    return found.pop() if len(found) == 1 else None


def _listed_lemma(word: str) -> str | None:
    """The lemma the overrides or the domain paradigms give a form (None if neither does)."""
    return overrides().get(word) or domain_lemmas().forms.get(word)


def _lemmatize_lv(word: str) -> str:
    """Latvian lemma of a lower-case, NFC word."""
    found = _listed_lemma(word)
    if found:
        return found
    table = simplemma_dict("lv")
    found = table.get(word) or table.get(word.capitalize())
    if found:
        return found.lower()
    if word.startswith("jā") and len(word) > 3:
        infinitive = _debitive_infinitive(word[2:])
        if infinitive:
            return infinitive
    if word.startswith("ne") and len(word) > 4:
        rest = _listed_lemma(word[2:]) or table.get(word[2:])
        if rest and rest.lower().endswith(("t", "ties")):
            return rest.lower()
    found = dictionary_stem(word) or sibling_lemma(word)
    if found:
        return found
    import simplemma

    guess = simplemma.lemmatize(word, lang="lv").lower()
    if _plausible_guess(word, guess):
        return guess
    # An unknown word, often a place name, that simplemma's rules would turn into another
    # word ("Rudzupē" -> "rudzi"): only an unambiguous 5th-declension ending is undone.
    if word.endswith("ē") or word.endswith("ei"):
        return word[: -1 if word.endswith("ē") else -2] + "e"
    return word


# Every case ending of the regular noun paradigms, longest first.
_CASE_ENDINGS = tuple(
    sorted(
        {e for endings in NOUN_ENDINGS.values() for e in endings} | {"is", "us"},
        key=len,
        reverse=True,
    )
)


def _plausible_guess(word: str, lemma: str) -> bool:
    """Whether a guessed lemma keeps the word's stem, up to its last letter, which may
    alternate ("ātrumvaļņus" -> "ātrumvalnis", but not "rudzupe" -> "rudzi"), and is no
    verb the dictionary does not know ("Lejasmala" is no form of "lejasmalt")."""
    if (
        lemma.endswith("t")
        and not word.endswith("t")
        and lemma not in hunspell_lv().forms(fold(lemma))
    ):
        return False
    stem = word
    for ending in _CASE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            break
    return fold(lemma).startswith(fold(stem)[:-1])


@functools.lru_cache(maxsize=262_144)
def lemmatize(token: str, lang: str = "lv") -> str:
    """Lemmatise one word.

    Latvian uses the domain overrides, the inflected domain lemmas, simplemma's dictionary,
    the debitive rule ("jāuzlabo" -> "uzlabot"), the stem the Latvian Hunspell dictionary
    makes the form from when there is only one ("slidotavu" -> "slidotava"), the lemma of
    the form's siblings in one noun paradigm, and finally simplemma's own rules when their
    guess keeps the word's stem (an unknown place name stays itself: "Rudzupē" ->
    "rudzupe", not "rudzi"). Russian and English use simplemma. Latgalian ("ltg") and an
    undetermined language go through the Latvian lemmatiser (`codes.grammar_language`).

    Args:
        token: A word (any case).
        lang: ISO 639 code: "lv", "ltg", "ru", "en", or another language simplemma knows.

    Returns:
        The lemma in lower case (Russian with "е" for "ё"); the lower-cased token when
        nothing is known about it.
    """
    word = unicodedata.normalize("NFC", token).strip().lower()
    if not word or not any(ch.isalpha() for ch in word):
        return word
    if grammar_language(lang) == LATVIAN:
        return _lemmatize_lv(word)
    import simplemma
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    if lang not in SUPPORTED_LANGUAGES:
        return word
    lemma = simplemma.lemmatize(word, lang=lang).lower()
    return lemma.replace("ё", "е") if lang == "ru" else lemma


def lemmas(text: str, lang: str = "lv") -> list[str]:
    """Lower-case lemmas of the word tokens of a text (see `tokenize` and `lemmatize`)."""
    return [lemmatize(token, lang) for token in tokenize(text, lang)]
