"""Finding the columns a params file names in a user's table, or saying which ones exist."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from pipeline.errors import InputError


def normalised_name(name: str) -> str:
    """A column name as compared: spaces collapsed, case folded."""
    return " ".join(name.split()).casefold()


def find_column(columns: Sequence[str], wanted: str | None, source_name: str) -> str | None:
    """The input column for a configured name: exact, else case- and space-insensitive.

    Raises:
        InputError: Several columns match ``wanted`` when case and spaces are ignored.
    """
    if wanted is None:
        return None
    if wanted in columns:
        return wanted
    matches = [c for c in columns if normalised_name(c) == normalised_name(wanted)]
    if len(matches) > 1:
        listed = ", ".join(f"'{c}'" for c in matches)
        raise InputError(
            source_name,
            f"several columns match '{wanted}': {listed}",
            column=wanted,
            hint="rename the columns so that only one matches",
        )
    return matches[0] if matches else None


def require_column(
    columns: Sequence[str], wanted: str, source_name: str, what: str, how: str
) -> str:
    """The input column for a configured name that must exist (see :func:`find_column`).

    Raises:
        InputError: The table has no such column; the message lists the columns and the
            closest names, then ``how`` to fix it.
    """
    found = find_column(columns, wanted, source_name)
    if found is not None:
        return found
    raise missing_column_error(columns, wanted, source_name, what, how)


def missing_column_error(
    columns: Sequence[str], wanted: str, source_name: str, what: str, how: str
) -> InputError:
    """The error for a configured column the table lacks: the columns, the closest names."""
    by_key = {normalised_name(c): c for c in columns}
    close = difflib.get_close_matches(normalised_name(wanted), list(by_key), n=3, cutoff=0.6)
    suggestion = " or ".join(f"'{by_key[key]}'" for key in close)
    return InputError(
        source_name,
        f"{what} not found; the columns are " + ", ".join(f"'{c}'" for c in columns),
        column=wanted,
        hint=(f"did you mean {suggestion}? " if close else "") + how,
    )
