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


@functools.cache
def data_lines(name: str) -> tuple[str, ...]:
    """The non-empty lines of ``data/<name>``, stripped, without lines starting with '#'."""
    text = resources.files("pipeline.normalise").joinpath("data", name).read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))
