"""Split a text into word tokens with spaCy's rule-based tokenizer (Latvian, Russian, ...)."""

from __future__ import annotations

import functools
import logging
import re
from typing import TYPE_CHECKING

from pipeline.lang.codes import grammar_language
from pipeline.lang.lv.alphabet import LETTERS

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)

# Spans that are no words: e-mail addresses and web addresses (the diacritics restorer leaves
# them as typed too).
PROTECTED = re.compile(
    r"\S+@\S+"
    r"|(?:https?://|www\.)\S+"
    r"|\b[\w.-]+\.(?:lv|lt|ee|com|org|net|eu|ru|info|gov)\b\S*",
    re.IGNORECASE,
)


@functools.cache
def _blank(lang: str) -> Language:
    """A blank spaCy pipeline (tokenizer only) for a language, cached per process."""
    import spacy

    code = grammar_language(lang)
    try:
        return spacy.blank(code)
    except (ImportError, KeyError, ValueError) as error:
        logger.warning("spaCy has no tokenizer for %r (%s); using the generic one", lang, error)
        return spacy.blank("xx")


def tokenize(text: str, lang: str = "lv") -> list[str]:
    """Split a text into word tokens with spaCy's rule-based tokenizer.

    Punctuation, spaces, numbers, e-mail and web addresses are dropped; a token that glues
    digits to letters ("2025.gadā") keeps its letters.

    Args:
        text: The text.
        lang: "lv", "ltg", "ru", "en" (or another code spaCy knows); see
            `pipeline.lang.codes.grammar_language` for Latgalian and undetermined texts.

    Returns:
        The word tokens in order, as typed (a new list each call; the split is cached).
    """
    return list(_tokens(text, lang))


# Later steps (keywords, names, cues, places) split the same idea texts again and again: keep
# the splits of a large corpus' distinct texts, short strings each.
@functools.lru_cache(maxsize=250_000)
def _tokens(text: str, lang: str) -> tuple[str, ...]:
    tokens: list[str] = []
    for token in _blank(lang).make_doc(text):
        if token.is_space or token.is_punct or token.like_email:
            continue
        word = token.text
        if "@" in word or PROTECTED.fullmatch(word) and not any(ch.isdigit() for ch in word[:1]):
            continue
        if any(ch.isdigit() for ch in word):
            tokens.extend(w for w in LETTERS.findall(word) if len(w) > 1)
        elif any(ch.isalpha() for ch in word):
            tokens.append(word)
    return tuple(tokens)
