"""Language of a short text: lv, ru, en, ltg (Latgalian) or und (no letters)."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from pipeline.lang.lv.alphabet import MODERN_DIACRITIC_LETTERS
from pipeline.lang.lv.lexicon import is_known_word
from pipeline.lang.script import CYRILLIC
from pipeline.normalise.clean import WORD
from pipeline.normalise.wordlists import word_list

_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
LV_DIACRITIC_LETTERS = re.compile(f"[{MODERN_DIACRITIC_LETTERS}{MODERN_DIACRITIC_LETTERS.upper()}]")
"""A letter with a diacritic of today's Latvian spelling (not ō, which Latgalian spelling
also has): text with one is Latvian as typed."""
# Latgalian spelling differs from standard Latvian in ways a short text already shows: y and ō,
# the digraph uo ("vairuok"), -eit(s) for -īt(s) ("taiseit"), -ys endings ("školys"), and
# function words such as i (un), iz (uz), nu (no), jei (jā), navar (nevar)
# (``data/latgalian_words.txt``).
_LTG_SPELLING = re.compile(r"y|\u014d|uo|(?<!\u0161)(?<!s)eits?$|ys$")


@functools.cache
def _latgalian_words() -> frozenset[str]:
    return frozenset(word_list("latgalian_words.txt"))


def _latgalian_score(tokens: Sequence[str]) -> int:
    """How many tokens look Latgalian by spelling or as Latgalian function words."""
    words = _latgalian_words()
    return sum(t in words or bool(_LTG_SPELLING.search(t)) for t in tokens)


def _looks_latvian(tokens: Sequence[str]) -> bool:
    """Whether any token is a common Latvian word (diacritics folded), for texts too short for
    a statistical guess ("nav", "parks")."""
    return any(len(token) > 1 and is_known_word(token) for token in tokens)


@functools.lru_cache(maxsize=1)
def _langid() -> object:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(["lv", "en", "lt", "et", "de", "ru"])
    return identifier


def detect_language(text: str, *, default: str = "lv") -> tuple[str, float]:
    """Guess the language of a short text: lv, ru, en or ltg (Latgalian); ``und`` if no letters.

    Script decides Russian; Latgalian is recognised by its spelling (y, ō) and function words;
    Latvian versus English comes from py3langid's shipped model restricted to nearby languages.
    Texts too short to tell fall back to ``default`` with a low confidence.

    Returns:
        ``(language, confidence)`` with confidence in [0, 1].
    """
    cyrillic = len(CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    if cyrillic + latin == 0:
        return "und", 0.0
    if cyrillic > latin:
        return "ru", round(cyrillic / (cyrillic + latin), 3)
    tokens = [t.lower() for t in WORD.findall(text) if not t.isdigit()]
    if not any(len(t) > 1 and t.isalpha() for t in tokens):
        return "und", 0.0
    identifier = _langid()
    guess, prob = identifier.classify(text)  # type: ignore[attr-defined]
    prob = float(prob)
    if guess == "en" and prob >= 0.9 and len(tokens) >= 4:
        return "en", round(prob, 3)
    ltg_hits = _latgalian_score(tokens)
    if ltg_hits >= 2 and ltg_hits / len(tokens) >= 0.15:
        return "ltg", round(min(1.0, 0.5 + ltg_hits / len(tokens)), 3)
    if LV_DIACRITIC_LETTERS.search(text):
        return "lv", round(max(prob if guess == "lv" else 0.0, 0.9), 3)
    if guess == "en" and prob >= 0.9 and len(tokens) >= 2:
        return "en", round(prob, 3)
    if guess == "lv" or _looks_latvian(tokens):
        return "lv", round(prob if guess == "lv" else 0.6, 3)
    if guess == "en":
        return "en", round(prob, 3)
    return default, round(min(prob, 0.5), 3)
