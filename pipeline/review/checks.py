"""Checks of single entries of an overrides file, and the wording of their errors.

Every error names the source file and the entry, says what was found and how to fix it: the
file is written by hand by a planner, not by a programmer.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from pipeline.errors import InputError
from pipeline.review.rules import QUADRANT_LETTERS

QUADRANT_HINT = (
    "use S, W, O or T, or the SVID letters S (stiprās puses), V (vājās puses), "
    "I (iespējas), D (draudi)"
)
"""How to write a quadrant, for errors about one."""


def entry_mapping(
    value: Any, section: str, source: str, example: str, what: str = "theme key"
) -> dict[str, Any]:
    """A section's mapping with its keys as text; a repeated key is an error.

    Args:
        value: The section as YAML read it (None for an empty section).
        section: The section's name, for messages.
        source: The file, for messages.
        example: A correct entry, shown when the section is not a mapping.
        what: What the keys are ("theme key" or "idea id"), for messages.
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise InputError(
            source,
            f"section '{section}' must be a mapping of {what}: value, found {describe(value)}",
            hint=example,
        )
    result: dict[str, Any] = {}
    for raw_key, item in value.items():
        key = id_text(raw_key, section, source, what)
        if key in result:
            raise InputError(source, f"{section}: '{key}' is listed twice", hint="keep one entry")
        result[key] = item
    return result


def id_text(value: Any, where: str, source: str, what: str) -> str:
    """An idea id or theme key as text (YAML reads ``1001`` as a number)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(
            source,
            f"{where}: {what} {value!r} must be text",
            hint='put it in double quotes, e.g. "1002-1"',
        )
    key = str(value).strip()
    if not key:
        raise InputError(source, f"{where}: an empty {what}")
    return key


def theme_key(value: Any, where: str, source: str) -> str:
    """A theme key as text (see :func:`id_text`)."""
    return id_text(value, where, source, "theme key")


def name_text(value: Any, where: str, source: str) -> str:
    """A theme name: non-empty text, its runs of white space made single spaces."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(
            source,
            f"{where}: the name must be non-empty text, found {describe(value)}",
            hint="put the name in double quotes",
        )
    return " ".join(value.split())


def quadrant_letter(value: Any, where: str, source: str) -> str:
    """A quadrant letter (SWOT or SVID, any case) as the SWOT letter used in tables."""
    letter = value.strip().upper() if isinstance(value, str) else None
    if letter not in QUADRANT_LETTERS:
        raise InputError(source, f"{where}: {value!r} is not a SWOT quadrant", hint=QUADRANT_HINT)
    return QUADRANT_LETTERS[letter]


def describe(value: Any) -> str:
    """What YAML made of a value, in words a planner knows ("a list", "text 'x'")."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, Mapping):
        return "a mapping (key: value)"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def listing(names: Iterable[str]) -> str:
    """Names quoted and separated by commas."""
    return ", ".join(f"'{name}'" for name in names)


def did_you_mean(key: Any, known: Iterable[str]) -> str:
    """A hint for an unknown key: the closest known one, if any, and all known ones."""
    known = tuple(known)
    close = difflib.get_close_matches(str(key), known, n=1)
    prefix = f"did you mean '{close[0]}'? " if close else ""
    return f"{prefix}the known keys are {listing(known)}"
