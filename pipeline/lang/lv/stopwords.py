"""Stop words of Latvian, Russian and English, as typed, as lemmas and without diacritics."""

from __future__ import annotations

import functools

from pipeline.lang.codes import ENGLISH, LATVIAN, RUSSIAN, grammar_language
from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.lemmatizer import lemmatize
from pipeline.lang.resources import resource_lines

# spaCy's list is extended by a file of our own for these languages.
_EXTRA_FILES = {LATVIAN: "lv_stop_words_extra.txt", RUSSIAN: "ru_stop_words_extra.txt"}


def _spacy_stop_words(lang: str) -> frozenset[str]:
    if lang == LATVIAN:
        from spacy.lang.lv.stop_words import STOP_WORDS
    elif lang == RUSSIAN:
        from spacy.lang.ru.stop_words import STOP_WORDS
    elif lang == ENGLISH:
        from spacy.lang.en.stop_words import STOP_WORDS
    else:
        return frozenset()
    return frozenset(STOP_WORDS)


@functools.cache
def stop_words(lang: str) -> frozenset[str]:
    """Stop words of a language, as typed, as lemmas and (Latvian) without diacritics.

    Latvian is spaCy's list plus lv_stop_words_extra.txt (nav, vajag, būtu, ļoti, ...);
    Russian is spaCy's list plus ru_stop_words_extra.txt; English is spaCy's list.

    Args:
        lang: "lv", "ltg" (same as Latvian, see `codes.grammar_language`), "ru" or "en";
            other codes give an empty set.

    Returns:
        A frozen set of lower-case words.
    """
    code = grammar_language(lang)
    words = {w.lower() for w in _spacy_stop_words(code)}
    extra_file = _EXTRA_FILES.get(code)
    if extra_file:
        words.update(line.lower() for line in resource_lines(extra_file))
    # Abbreviations come out of the tokenizer without their last dot ("u.c." -> "u.c").
    words.update(w.rstrip(".") for w in list(words) if w.endswith("."))
    if code == LATVIAN:
        excluded = frozenset(resource_lines("lv_stop_lemmas_excluded.txt"))
        words.update({lemmatize(w, LATVIAN) for w in words if w.isalpha()} - excluded)
        words.update(fold(w) for w in list(words))
    elif code == RUSSIAN:
        words.update(w.replace("ё", "е") for w in list(words))
        words.update(lemmatize(w, RUSSIAN) for w in list(words) if w.isalpha())
    words.discard("")
    return frozenset(words)


def is_stop(word: str, lang: str = "lv") -> bool:
    """Tell whether a word or lemma is a stop word (Latvian also when typed without diacritics)."""
    words = stop_words(lang)
    lowered = word.lower()
    if lowered in words:
        return True
    return grammar_language(lang) == LATVIAN and fold(lowered) in words
