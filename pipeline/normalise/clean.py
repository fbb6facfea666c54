"""Text clean-up: Unicode, quotes, invisible characters and spaces; the folded matching key."""

from __future__ import annotations

import re
import unicodedata

from pipeline.lang.lv.alphabet import fold

WORD = re.compile(r"\w+", re.UNICODE)
"""A word as the normalisation step counts it: a run of letters, digits or underscores."""

_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u0060": "'",
        "\u00b4": "'",
    }
)
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_PUNCT = re.compile(r"[^\w\s]+", re.UNICODE)


def clean_text(text: str, *, keep_newlines: bool = False) -> str:
    """Unicode NFC, typographic quotes to plain ones, invisible characters out, spaces folded.

    Args:
        text: Raw text.
        keep_newlines: Keep line breaks (used before splitting lists); else they become spaces.

    Returns:
        The cleaned text. ``clean_text`` is idempotent.
    """
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n")
    text = _CONTROL.sub(" ", text)
    text = text.translate(_QUOTES)
    text = unicodedata.normalize("NFC", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    if keep_newlines:
        return "\n".join(line for line in lines if line)
    return " ".join(line for line in lines if line)


def folded_key(text: str) -> str:
    """Lower case, no diacritics, no punctuation, single spaces: the matching key."""
    return " ".join(_PUNCT.sub(" ", fold(text)).split())
