"""Non-answers: responses that say nothing ("nav", "-", "nezinu", "всё устраивает", "N/A")."""

from __future__ import annotations

import functools
import re

from pipeline.lang.lv.alphabet import fold
from pipeline.normalise.wordlists import word_list

_NON_ANSWER_STRIP = re.compile(r"[\W_]+", re.UNICODE)


@functools.cache
def _non_answer_words() -> frozenset[str]:
    """The vocabulary of non-answers (``data/non_answer_words.txt``), diacritics folded."""
    return frozenset(fold(word) for word in word_list("non_answer_words.txt"))


def is_non_answer(text: str) -> bool:
    """Whether a response or idea says nothing: empty, no letters, or a stock "nav"/"nezinu".

    A response says nothing when every word of it (at most six) comes from the non-answer
    vocabulary; a word outside it ("Nav ietves", "nav ko darīt") makes the response an answer.
    """
    if not any(ch.isalpha() for ch in text):
        return True
    words = _NON_ANSWER_STRIP.sub(" ", fold(text)).split()
    if not words:
        return True
    vocabulary = _non_answer_words()
    return len(words) <= 6 and all(word in vocabulary for word in words)
