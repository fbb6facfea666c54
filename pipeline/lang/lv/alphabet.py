"""The Latvian letters with diacritics, and folding a text to its diacritic-free key."""

from __future__ import annotations

import re
import unicodedata

# The letters with diacritics of today's Latvian spelling, in lower case.
MODERN_DIACRITIC_LETTERS = "āčēģīķļņšūž"
# Letters of the old orthography (before 1946) that texts still show: ō, which Latgalian
# spelling also uses, and ŗ.
OLD_O = "ō"
OLD_R = "ŗ"
# The letters the diacritics tools restore and fold: today's letters and ō.
LATVIAN_DIACRITIC_LETTERS = MODERN_DIACRITIC_LETTERS + OLD_O
# The same letters in both cases, for a quick membership test.
DIACRITIC_SET = frozenset(LATVIAN_DIACRITIC_LETTERS + LATVIAN_DIACRITIC_LETTERS.upper())
# Combining marks that make up the Latvian letters: macron (ā ē ī ū ō), caron (č š ž),
# cedilla (ģ ķ ļ ņ in Unicode) and comma below (the glyph often used for the same letters).
_STRIPPED_MARKS = frozenset("\u0304\u030c\u0327\u0326")

_FOLD_TABLE = str.maketrans(LATVIAN_DIACRITIC_LETTERS, "acegiklnsuzo")

# A run of letters (any script): a word as the restorer and the tokenizer see it.
LETTERS = re.compile(r"[^\W\d_]+")


def fold(text: str) -> str:
    """Lower-case a text and strip Latvian diacritics, giving a matching key.

    Args:
        text: Any text.

    Returns:
        The text in lower case with ā č ē ģ ī ķ ļ ņ š ū ž ō turned into a c e g i k l n s u z o.
    """
    lowered = text.lower()
    if lowered.isascii():
        return lowered
    quick = lowered.translate(_FOLD_TABLE)  # precomposed Latvian letters, the usual case
    if quick.isascii():
        return quick
    decomposed = unicodedata.normalize("NFD", lowered)
    stripped = "".join(ch for ch in decomposed if ch not in _STRIPPED_MARKS)
    return unicodedata.normalize("NFC", stripped)


def strip_diacritics(text: str) -> str:
    """Remove Latvian diacritics but keep the letter case ("Ceļš" -> "Cels").

    Args:
        text: Any text.

    Returns:
        The text as it would be typed on a keyboard without Latvian letters.
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if ch not in _STRIPPED_MARKS)
    return unicodedata.normalize("NFC", stripped)


def has_diacritics(text: str) -> bool:
    """Tell whether a text contains a Latvian letter with a diacritic."""
    return any(ch in DIACRITIC_SET for ch in text)


def latin_words(text: str) -> list[str]:
    """Letter runs of a text that are written in the Latin script."""
    return [w for w in LETTERS.findall(text) if w.isascii() or fold(w).isascii()]


def is_diacritised(words: list[str], share: float) -> bool:
    """Whether a text's words look typed with Latvian diacritics (at least `share` of them)."""
    if not words:
        return False
    marked = sum(1 for w in words if has_diacritics(w))
    return marked > 0 and marked >= share * len(words)
