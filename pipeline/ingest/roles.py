"""Guessing what each column of a survey export holds, for ``balsis inspect``.

A guess is made from the cells and the header, and is only a suggestion: the planner pastes the
``ingest`` snippet into a params file and corrects it. The roles, tried in this order:

=============  ===============================================================================
role           what makes it
=============  ===============================================================================
empty          no cell filled
date           at least 90% of the filled cells start with a day written in digits
               (``2026-02-16``, ``16.02.2026``, ``2026/02/16 10:15 PM``); the snippet names it
               ``date_column`` only when every day is in a form ingest reads
               (:func:`pipeline.ingest.values.parse_date`)
id             every row filled, every value different and short (at most 20 characters, no
               more than one word)
tick box       cells holding several options joined by ``;`` or ``,`` (at least one cell in
               ten with two or more), the options a small set (at most 30) that recurs: at
               least 80% of the ticks go to options ticked in two or more rows
single choice  few distinct values, each repeated: at most 15, and at most a third of the
               filled cells (a half in files of fewer than 20 rows; four fifths when the header
               names a place, an age or a group, and every value is short)
territory      a single choice whose header names a place (pagasts, ciems, dzīvesvieta,
               teritorija, место, residence, ...)
free text      anything else
=============  ===============================================================================
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import yaml

from pipeline.ingest.choices import option_key, split_column
from pipeline.ingest.values import FORMS, cell_text, parse_date
from pipeline.io.tables import ROW_COLUMN
from pipeline.lang.lv.alphabet import fold

EMPTY = "empty"
DATE = "date"
ID = "id"
TICK_BOX = "tick box"
SINGLE_CHOICE = "single choice"
TERRITORY = "territory"
FREE_TEXT = "free text"

# Thresholds chosen on hand-written exports (Google Forms and LimeSurvey layouts, 10-200 rows);
# a wrong guess costs one edit of the snippet, never a wrong result.
_DATE_SHARE = 0.9
_ID_MAX_CHARS = 20
_MULTI_SHARE = 0.1
_MAX_OPTIONS = 30
_RECURRING_SHARE = 0.8
_MAX_CHOICES = 15
_CHOICE_SHARE = 1 / 3
_SMALL_FILE_ROWS = 20
_SMALL_FILE_CHOICE_SHARE = 0.5
_NAMED_CHOICE_SHARE = 0.8
_SHORT_CHOICE_CHARS = 30
# A day written with digits in any order and separator (2026-02-16, 16.02.2026, 2026/02/16
# 10:15 PM), readable or not: a timestamp column is never free text.
_DATE_LIKE = re.compile(r"\d{1,4}\s?[./-]\s?\d{1,2}\s?[./-]\s?\d{1,4}\.?(?:$|[\sT])")
_N_EXAMPLES = 3
_EXAMPLE_CHARS = 40

# Header words (diacritics folded, lower case) that name where a respondent lives.
_PLACE_WORDS = re.compile(
    r"pagast|ciem|dzivesviet|dzivoj|teritorij|novad|pilset|apdzivot|adrese|"
    r"мест|прожива|насел|район|волост|город|"
    r"residen|place|village|town|parish|territor|district|where do you live|location"
)
_AGE_WORDS = re.compile(r"vecum|\bage\b|возраст")
_GROUP_WORDS = re.compile(
    r"vecum|grup|dzimum|nodarbo|statuss|\bage\b|group|gender|возраст|групп|пол\b"
)


@dataclass(frozen=True)
class ColumnGuess:
    """What one column seems to hold."""

    column: str
    role: str
    filled: int
    distinct: int
    examples: tuple[str, ...]
    note: str = ""


def guess_roles(table: pd.DataFrame) -> list[ColumnGuess]:
    """A guess of every column's role (see the module docs), in column order."""
    guesses = []
    for column in (c for c in table.columns if c != ROW_COLUMN):
        cells = [cell_text(value).strip() for value in table[column]]
        filled = [cell for cell in cells if cell]
        distinct = list(dict.fromkeys(filled))
        examples = tuple(_shown(value) for value in distinct[:_N_EXAMPLES])
        role = _role(str(column), len(cells), filled, distinct)
        note = ""
        if role == DATE and not all(parse_date(cell)[0] for cell in filled):
            note = f"not every date is in a form balsis reads ({FORMS}): date_column left null"
        guesses.append(ColumnGuess(str(column), role, len(filled), len(distinct), examples, note))
    return guesses


def ingest_snippet(guesses: Sequence[ColumnGuess], sheet: str | None = None) -> str:
    """A ready-to-paste ``ingest:`` section of a params file for the guessed roles.

    Several free-text columns (or one beside tick boxes) become ``questions``, a single one
    ``text_columns``; the first territory is ``territory_column``; the first other single
    choice (an age group when the header says so) is ``group_column``.
    """
    by_role: dict[str, list[str]] = {}
    for guess in guesses:
        by_role.setdefault(guess.role, []).append(guess.column)
    free = by_role.get(FREE_TEXT, [])
    ticks = by_role.get(TICK_BOX, [])
    singles = by_role.get(SINGLE_CHOICE, [])
    groups = sorted(singles, key=lambda c: not _AGE_WORDS.search(fold(c).lower()))
    names = {guess.column for guess in guesses}
    section: dict[str, Any] = {}
    if len(free) > 1 or (free and ticks):
        section["questions"] = free
    else:
        section["text_columns"] = free or ["text"]
    section["id_column"] = _first(by_role.get(ID))
    section["territory_column"] = _first(by_role.get(TERRITORY))
    section["group_column"] = _first(groups)
    section["date_column"] = _first([g.column for g in guesses if g.role == DATE and not g.note])
    section["votes_column"] = "votes" if "votes" in names else None
    section["source_column"] = "source" if "source" in names else None
    section["choice_columns"] = ticks
    if sheet is not None:
        section["sheet"] = sheet
    return yaml.safe_dump(
        {"ingest": section}, allow_unicode=True, sort_keys=False, default_flow_style=False
    )


def describe(guesses: Sequence[ColumnGuess], n_rows: int, source_name: str) -> list[str]:
    """The lines ``balsis inspect`` prints: every column with its role and a few values."""
    lines = [f"{source_name}: {n_rows} rows, {len(guesses)} columns", ""]
    for number, guess in enumerate(guesses, start=1):
        lines.append(
            f"{number:>3}. {guess.column!r}: {guess.role} "
            f"({guess.filled} of {n_rows} filled, {guess.distinct} distinct)"
        )
        if guess.examples:
            lines.append("       e.g. " + " | ".join(f'"{e}"' for e in guess.examples))
        if guess.note:
            lines.append(f"       note: {guess.note}")
    return lines


def _role(header: str, n_rows: int, filled: list[str], distinct: list[str]) -> str:
    if not filled:
        return EMPTY
    if sum(bool(_DATE_LIKE.match(cell)) for cell in filled) >= _DATE_SHARE * len(filled):
        return DATE
    if (
        len(filled) == n_rows
        and len(distinct) == len(filled)
        and max(map(len, filled)) <= _ID_MAX_CHARS
        and all(len(cell.split()) <= 1 for cell in filled)
    ):
        return ID
    if _is_tick_box(filled):
        return TICK_BOX
    key = fold(header).lower()
    place = bool(_PLACE_WORDS.search(key))
    share = _SMALL_FILE_CHOICE_SHARE if len(filled) < _SMALL_FILE_ROWS else _CHOICE_SHARE
    if (place or _GROUP_WORDS.search(key)) and max(map(len, filled)) <= _SHORT_CHOICE_CHARS:
        share = _NAMED_CHOICE_SHARE
    if len(distinct) < len(filled) and len(distinct) <= min(_MAX_CHOICES, share * len(filled)):
        return TERRITORY if place else SINGLE_CHOICE
    return FREE_TEXT


def _is_tick_box(filled: list[str]) -> bool:
    """Options joined by a separator, from a small set that recurs across rows."""
    cells = split_column(filled)
    multi = sum(len(options) > 1 for options in cells)
    if multi < max(1, _MULTI_SHARE * len(cells)):
        return False
    rows_per_option: Counter[str] = Counter()
    for options in cells:
        rows_per_option.update(set(map(option_key, options)))
    if len(rows_per_option) > _MAX_OPTIONS:
        return False
    ticks = sum(rows_per_option.values())
    recurring = sum(n for n in rows_per_option.values() if n > 1)
    return recurring >= _RECURRING_SHARE * ticks


def _first(columns: Sequence[str] | None) -> str | None:
    return columns[0] if columns else None


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= _EXAMPLE_CHARS else value[: _EXAMPLE_CHARS - 1] + "…"
