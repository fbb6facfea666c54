"""A measure of keyword lists: the share of stop words and repeated lemmas (lower is better).

Used to compare keyword methods (``make bench-compare``: Balsis against BERTopic).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.lemmatizer import lemmatize
from pipeline.lang.lv.stopwords import is_stop
from pipeline.lang.script import CYRILLIC
from pipeline.topics.script import script_language


def keyword_quality(
    keywords_per_theme: Mapping[Any, Sequence[str]] | Sequence[Sequence[str]],
) -> float:
    """Share of keywords that are stop words or repeat a lemma within their theme.

    A keyword is lemmatised word by word (Russian when it is Cyrillic, else Latvian), so
    "ceļu" after "ceļš" in one theme is a repeat, and "sporta laukums" is the pair
    (sports, laukums). A keyword is a stop word when all its words are Latvian, Russian or
    (for plain ASCII) English stop words. Lower is better; use it to compare keyword methods.

    Args:
        keywords_per_theme: Theme -> keywords, or one keyword list per theme.

    Returns:
        The share in 0..1 (0.0 when there are no keywords).
    """
    lists = (
        list(keywords_per_theme.values())
        if isinstance(keywords_per_theme, Mapping)
        else list(keywords_per_theme)
    )
    total = bad = 0
    for keywords in lists:
        seen: set[tuple[str, ...]] = set()
        for keyword in keywords:
            total += 1
            words = str(keyword).lower().split()
            if not words:
                bad += 1
                continue
            key = tuple(fold(_word_lemma(w)) for w in words)
            if all(_is_stop_anywhere(w) for w in words) or key in seen:
                bad += 1
            seen.add(key)
    return bad / total if total else 0.0


def _word_lemma(word: str) -> str:
    return lemmatize(word, script_language(word))


def _is_stop_anywhere(word: str) -> bool:
    if CYRILLIC.search(word):
        return is_stop(word, "ru")
    if is_stop(word, "lv") or is_stop(_word_lemma(word), "lv"):
        return True
    return word.isascii() and is_stop(word, "en")
