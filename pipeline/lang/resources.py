"""The data files of the language tools (``pipeline/lang/data``), read line by line."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


def resource_lines(name: str) -> Iterator[str]:
    """Yield the non-empty, non-comment lines of a data file, stripped and NFC-normalised.

    Args:
        name: The file's name in ``pipeline/lang/data`` (e.g. "lv_given_names.txt").
    """
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    for raw in text.splitlines():
        line = unicodedata.normalize("NFC", raw.strip())
        if line and not line.startswith("#"):
            yield line


@functools.cache
def word_sets(name: str) -> dict[str, frozenset[str]]:
    """The named word sets of a YAML data file, read once per process.

    Each key of the file holds its words as one space-separated string (NFC-normalised here).

    Args:
        name: The file's name in ``pipeline/lang/data`` (e.g. "lv_context_words.yaml").

    Returns:
        Set name -> its words.
    """
    raw = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
    return {
        key: frozenset(unicodedata.normalize("NFC", words).split()) for key, words in raw.items()
    }
