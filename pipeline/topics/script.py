"""Which lemmatiser a word needs: Russian for Cyrillic script, else Latvian."""

from __future__ import annotations

from pipeline.lang.script import CYRILLIC


def script_language(text: str) -> str:
    """The lemmatiser language of a word or phrase: "ru" when it has a Cyrillic letter, else
    "lv" (Latgalian and English words are lemmatised as Latvian)."""
    return "ru" if CYRILLIC.search(text) else "lv"
