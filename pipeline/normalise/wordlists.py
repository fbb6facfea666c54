"""Word lists shipped in ``pipeline/normalise/data/``."""

from __future__ import annotations

import functools
from importlib import resources


@functools.cache
def word_list(name: str) -> tuple[str, ...]:
    """The words of ``data/<name>`` in file order: whitespace-separated, '#' starts a comment."""
    text = resources.files("pipeline.normalise").joinpath("data", name).read_text("utf-8")
    words: list[str] = []
    for line in text.splitlines():
        if not line.lstrip().startswith("#"):
            words.extend(line.split())
    return tuple(words)
