"""Tick boxes: multi-select survey columns counted per option.

A tick-box cell holds the options a respondent ticked, joined by a separator: Google Forms
writes ``Sporta laukumi, Kafejnīca``, other exports ``Sporta laukumi;Kafejnīca``. An option's
own text may hold a comma (``Kultūra, māksla``), so the separator is chosen per column:

- ``ingest.choice_separator`` when set (any text, e.g. ``"|"``);
- else ``;`` when any cell of the column holds one (commas are then part of the options);
- else ``,``, where a piece that starts with a lower-case letter and, in the whole column,
  never comes after anything but the same piece is the rest of that option: ``Kultūra,
  māksla`` stays one option unless someone ticked ``māksla`` on its own or after another
  option (form options start with a capital letter; a respondent who ticks two options gets
  them in the form's order, so a true second option turns up after different ones).

Options are matched ignoring case and spacing (``sporta  laukumi`` is ``Sporta laukumi``) and
shown in their most frequent spelling (on a tie, the first one met). A respondent counts once
per option, however often a cell repeats it.

The choices table (:func:`count_choices`) has one row per column and option:

==================  ========  ================================================================
column              dtype     meaning
==================  ========  ================================================================
``column``          string    the tick-box column, as headed in the file
``option``          string    the option as residents' cells spell it most often
``n_ticked``        int64     respondents who ticked it
``n_answered``      int64     respondents who ticked anything in this column
``n_respondents``   int64     all respondents (rows of the file; a long file's distinct ids)
``share_answered``  float64   ``n_ticked / n_answered``
``share_all``       float64   ``n_ticked / n_respondents``
``theme``           string    the taxonomy theme the option names (added by the ``choices``
                              step, :mod:`pipeline.topics.options`); ``""`` for none
``theme_evidence``  string    the taxonomy seed words the option contains; ``""`` for none
==================  ========  ================================================================

Rows come column by column (in ``ingest.choice_columns`` order), options by ``n_ticked``,
most first, ties in order of first appearance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pandas as pd

from pipeline.ingest.columns import find_column, require_column
from pipeline.ingest.values import cell_text
from pipeline.io.tables import ROW_COLUMN
from pipeline.params import IngestParams

CHOICE_COLUMNS = (
    "column",
    "option",
    "n_ticked",
    "n_answered",
    "n_respondents",
    "share_answered",
    "share_all",
    "theme",
    "theme_evidence",
)
"""The columns of the choices table, in order."""

SEMICOLON = ";"
COMMA = ","


def option_key(option: str) -> str:
    """What two spellings of one option share: spaces collapsed, case folded."""
    return " ".join(option.split()).casefold()


def column_separator(cells: Sequence[str], separator: str | None = None) -> str:
    """The separator of a tick-box column: ``separator`` if given, else ``;`` when a cell
    holds one, else ``,``."""
    if separator is not None:
        return separator
    return SEMICOLON if any(SEMICOLON in cell for cell in cells) else COMMA


def split_column(cells: Sequence[str], separator: str | None = None) -> list[list[str]]:
    """Each cell's options, stripped, in the cell's order (empty pieces dropped).

    With ``,`` a lower-case piece that only ever follows one and the same piece is glued back
    onto it (see the module docs).
    """
    used = column_separator(cells, separator)
    pieces = [[p.strip() for p in cell.split(used) if p.strip()] for cell in cells]
    if used != COMMA:
        return pieces
    followers: dict[str, set[str | None]] = {}
    for cell in pieces:
        for i, piece in enumerate(cell):
            before = option_key(cell[i - 1]) if i else None
            followers.setdefault(option_key(piece), set()).add(before)
    options = []
    for cell in pieces:
        glued: list[str] = []
        for i, piece in enumerate(cell):
            before = followers[option_key(piece)]
            if i and _continues(piece) and before == {option_key(cell[i - 1])}:
                glued[-1] = f"{glued[-1]}, {piece}"
            else:
                glued.append(piece)
        options.append(glued)
    return options


def count_choices(
    table: pd.DataFrame, columns: Sequence[str], separator: str | None = None
) -> pd.DataFrame:
    """Respondents per tick-box column and option (the table in the module docs, with
    ``theme`` and ``theme_evidence`` left empty).

    Args:
        table: One row per respondent; the cells as text (``read_table``).
        columns: The tick-box columns, as named in ``table``.
        separator: Forces the separator between options (None: per column, see module docs).
    """
    records: list[dict[str, object]] = []
    n_respondents = len(table)
    for column in columns:
        cells = [cell_text(value) for value in table[column]]
        ticked: Counter[str] = Counter()
        spellings: dict[str, Counter[str]] = {}
        n_answered = 0
        for options in split_column(cells, separator):
            keys = dict.fromkeys(option_key(option) for option in options)
            n_answered += bool(keys)
            ticked.update(list(keys))
            for option in options:
                spellings.setdefault(option_key(option), Counter())[" ".join(option.split())] += 1
        first_seen = {key: i for i, key in enumerate(spellings)}
        for key in sorted(ticked, key=lambda k: (-ticked[k], first_seen[k])):
            records.append(
                {
                    "column": column,
                    "option": spellings[key].most_common(1)[0][0],
                    "n_ticked": ticked[key],
                    "n_answered": n_answered,
                    "n_respondents": n_respondents,
                    "share_answered": ticked[key] / n_answered,
                    "share_all": ticked[key] / n_respondents,
                    "theme": "",
                    "theme_evidence": "",
                }
            )
    return choices_frame(records)


def choice_table(
    table: pd.DataFrame, params: IngestParams, *, source_name: str = "<input>"
) -> pd.DataFrame:
    """The choices table of the tick-box columns ``params.choice_columns`` of a raw table.

    In a long file (``params.question_column``) a respondent has one row per answer, each
    repeating their tick boxes: the first row of each respondent id counts.

    Raises:
        InputError: A listed column is not in the table (the message lists those that are).
    """
    table = table.rename(columns=str)
    columns = [c for c in table.columns if c != ROW_COLUMN]
    id_column = find_column(columns, params.id_column, source_name)
    if params.question_column is not None and id_column is not None:
        ids = table[id_column].map(lambda value: cell_text(value).strip())
        table = table[~ids.duplicated()]
    found = [
        require_column(
            columns,
            name,
            source_name,
            "tick-box column",
            "list the multi-select columns as they are headed in the file in "
            "ingest.choice_columns (balsis inspect FILE shows them)",
        )  # fmt: skip
        for name in params.choice_columns
    ]
    return count_choices(table, found, params.choice_separator)


def choices_frame(records: Sequence[dict[str, object]] = ()) -> pd.DataFrame:
    """A choices table with the documented columns and dtypes (empty without records)."""
    frame = pd.DataFrame.from_records(list(records), columns=list(CHOICE_COLUMNS))
    dtypes = {"n_ticked": "int64", "n_answered": "int64", "n_respondents": "int64",
              "share_answered": "float64", "share_all": "float64"}  # fmt: skip
    return frame.astype({c: dtypes.get(c, "string") for c in CHOICE_COLUMNS})


def _continues(piece: str) -> bool:
    """Whether a piece starts like the rest of an option: with a lower-case letter."""
    letter = next((ch for ch in piece if ch.isalpha()), "")
    return letter.islower()
