"""The typed cells of a response: dot-votes and dates, each checked and read, or an error.

Dates are ISO 8601 or the Latvian day.month.year, with an optional time of day after a space
(or ``T`` in ISO), which is dropped: ``2026-02-16``, ``16.02.2026`` (also ``16.02.2026.`` and
``6.2.2026``) and ``2026.02.16``. Nothing else is guessed: ``02/03/2026`` may be either of two
days, ``vakar`` is no day at all.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from pipeline.errors import InputError

FIRST_YEAR = 1900
LAST_YEAR = 2100
FORMS = "2026-02-16 or 16.02.2026"
"""The accepted forms, as a message shows them."""

_VOTES = re.compile(r"\+?(\d+)(?:[.,]0*)?")
_NEGATIVE = re.compile(r"-\s*\d+(?:[.,]\d*)?")
_MAX_VOTES = 2**63 - 1  # Int64
_SHOW_ROWS = 10
_SHOW_CHARS = 40

_TIME = r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?"
_ISO = re.compile(rf"(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?:[T ]\s*{_TIME})?")
_DAY_FIRST = re.compile(
    rf"(?P<d>\d{{1,2}})\.\s?(?P<m>\d{{1,2}})\.\s?(?P<y>\d{{4}})\.?(?:\s+{_TIME})?"
)
_YEAR_FIRST = re.compile(
    rf"(?P<y>\d{{4}})\.\s?(?P<m>\d{{1,2}})\.\s?(?P<d>\d{{1,2}})\.?(?:\s+{_TIME})?"
)


def cell_text(value: Any) -> str:
    """A cell as text; missing values (None, NaN, <NA>) are empty."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def parse_votes(
    values: pd.Series, rows: Sequence[int], column: str, source: str
) -> pd.arrays.IntegerArray:
    """Each cell's dot-votes, a whole number >= 0 (``3``, ``+3``, ``3.0``, ``3,0``; <NA> when
    empty); anything else is an error naming the first bad row."""
    votes: list[Any] = []
    bad: list[tuple[int, str, str]] = []
    for row, value in zip(rows, values, strict=True):
        raw = cell_text(value)
        stripped = raw.strip()
        match = _VOTES.fullmatch(stripped)
        # int() of more than 4,300 digits raises, so count the digits first.
        digits = match.group(1).lstrip("0") if match else ""
        if not stripped:
            votes.append(pd.NA)
        elif match and len(digits) <= len(str(_MAX_VOTES)) and int(digits or 0) <= _MAX_VOTES:
            votes.append(int(digits or 0))
        elif match:
            bad.append((row, raw, "too large for a number of votes"))
        else:
            why = "negative" if _NEGATIVE.fullmatch(stripped) else "not a whole number"
            bad.append((row, raw, why))
    if bad:
        row, raw, why = bad[0]
        more = f" ({len(bad) - 1} more bad vote value(s))" if len(bad) > 1 else ""
        raise InputError(
            source,
            f"votes must be a whole number of 0 or more; '{_shown(raw)}' is {why}{more}",
            row=row,
            column=column,
            hint="leave the cell empty if there were no votes",
        )
    return pd.array(votes, dtype="Int64")


def parse_dates(values: pd.Series, rows: Sequence[int], column: str, source: str) -> list[Any]:
    """Each cell's day as ``YYYY-MM-DD`` (<NA> when empty); any other text is an error.

    An error rather than a warning: a date that is kept as written but is no day (``vakar``,
    ``31.02.2026``) would turn silently into an empty or wrong cell in the workbook.
    """
    dates: list[Any] = []
    bad: list[tuple[int, str, str]] = []
    for row, value in zip(rows, values, strict=True):
        raw = cell_text(value)
        if not raw.strip():
            dates.append(pd.NA)
            continue
        day, why = parse_date(raw)
        if day is None:
            bad.append((row, raw, why))
        else:
            dates.append(day.isoformat())
    if bad:
        row, raw, why = bad[0]
        others = [str(r) for r, _, _ in bad[1 : _SHOW_ROWS + 1]]
        more = ""
        if others:
            rows_ = "row" if len(others) == 1 else "rows"
            ellipsis = ", ..." if len(bad) > _SHOW_ROWS + 1 else ""
            more = f" (also {rows_} {', '.join(others)}{ellipsis})"
        raise InputError(
            source,
            f"dates must be written as {FORMS}; '{_shown(raw)}' is {why}{more}",
            row=row,
            column=column,
            hint="leave the cell empty if the date is unknown, or ignore the column with "
            "ingest.date_column: null",
        )
    return dates


def _shown(raw: str) -> str:
    """A cell's value as a message quotes it: at most a few dozen characters."""
    return raw if len(raw) <= _SHOW_CHARS else raw[: _SHOW_CHARS - 3] + "..."


def parse_date(text: str) -> tuple[dt.date | None, str]:
    """The day ``text`` names, or None and why it names none.

    Returns:
        ``(day, "")`` for a date in an accepted form (see the module docs); ``(None, why)``
        otherwise, ``why`` completing "'31.02.2026' is ...".
    """
    stripped = text.strip()
    match = next(
        (m for form in (_ISO, _DAY_FIRST, _YEAR_FIRST) if (m := form.fullmatch(stripped))), None
    )
    if match is None:
        return None, "not a date"
    year, month, day = (int(match.group(key)) for key in ("y", "m", "d"))
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None, "not a day of the calendar"
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None, f"outside the years {FIRST_YEAR}-{LAST_YEAR}"
    return date, ""
