"""Score a diacritics restorer: strip correctly typed texts, restore them, compare words."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.lang.lv.alphabet import has_diacritics, latin_words, strip_diacritics
from pipeline.lang.lv.diacritics.restorer import DiacriticsRestorer


@dataclass(frozen=True)
class RestorationScore:
    """How well diacritics came back after stripping them from correctly typed texts.

    Attributes:
        words: Latin-script words compared.
        word_accuracy: Share of words restored exactly (letters and case).
        diacritic_words: Words that had diacritics in the original.
        diacritic_recall: Share of those restored exactly.
        errors: (original, restored) pairs that differ, in text order.
    """

    words: int
    word_accuracy: float
    diacritic_words: int
    diacritic_recall: float
    errors: list[tuple[str, str]]


def score_restoration(restorer: DiacriticsRestorer, texts: Iterable[str]) -> RestorationScore:
    """Strip the diacritics of correctly typed texts, restore them and compare word by word.

    Args:
        restorer: A fitted restorer.
        texts: Latvian texts typed with correct diacritics.

    Returns:
        The scores and the list of wrong words.
    """
    words = right = marked = marked_right = 0
    errors: list[tuple[str, str]] = []
    for text in texts:
        original = latin_words(text)
        restored = latin_words(restorer.restore(strip_diacritics(text)))
        if len(original) != len(restored):
            raise AssertionError(f"restore changed the number of words in {text!r}")
        for gold, got in zip(original, restored, strict=True):
            words += 1
            has_marks = has_diacritics(gold)
            marked += has_marks
            if gold == got:
                right += 1
                marked_right += has_marks
            else:
                errors.append((gold, got))
    return RestorationScore(
        words=words,
        word_accuracy=right / words if words else math.nan,
        diacritic_words=marked,
        diacritic_recall=marked_right / marked if marked else math.nan,
        errors=errors,
    )
