"""Turn a user's raw table into the clean *responses* table.

The responses table has exactly one row per data row of the input, in input order, and these
columns (nothing else; other input columns, e.g. names or e-mails, are dropped here):

==================  ============  ============================================================
column              dtype         meaning
==================  ============  ============================================================
``response_id``     string        the input id as written (stripped); without an id column,
                                  stable ids from the row number: ``r0002``, ``r0003``, ...
                                  (at least 4 digits, wider when the row numbers need it).
                                  A named id column must exist; only the default name ``id``
                                  may be absent
``respondent``      string        only for surveys (``ingest.questions`` or
                                  ``ingest.question_column``): the respondent's id (the id
                                  column or the row-based id), shared by all their answers
``source_row``      int64         the row a person sees in the file (CSV/XLSX: the header is
                                  row 1; JSON: record number; JSONL: line number)
``question``        string        the question the response answers: a wide file's column
                                  header as written, a long file's ``question_column`` cell;
                                  ``""`` when the input has no questions
``text``            string        the text column(s) joined with a newline, empty cells
                                  skipped, otherwise exactly as written; may be ``""``
                                  (a non-answer, flagged by the next stage)
``territory``       string        parish/town as written (stripped); <NA> when empty/absent
``group``           string        working/target group; <NA> when empty/absent
``source``          string        where the response came from; <NA> when empty/absent
``date``            string        the day as ``YYYY-MM-DD``, read from ``2026-02-16`` or
                                  ``16.02.2026`` (see :mod:`pipeline.ingest.values`; any other
                                  text is an error naming its row); <NA> when empty/absent
``votes``           Int64         dot-votes, a whole number >= 0; <NA> when empty/absent
``text_too_long``   bool          ``len(text) > max_embed_chars`` (the text is kept whole)
``formula_like``    bool          the text would run as a spreadsheet formula (see
                                  :func:`looks_like_formula`); kept, exporters neutralise it
==================  ============  ============================================================

A wide survey file gives one row per non-empty answer (:mod:`pipeline.ingest.survey`), with
``<respondent>-q<k>`` as its id and the respondent's territory, group, source, date and votes
copied to each of their answers; every other input gives one row per input row.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.errors import BalsisError, InputError
from pipeline.ingest.columns import find_column, missing_column_error, require_column
from pipeline.ingest.survey import long_ids, wide_answers
from pipeline.ingest.values import cell_text, parse_dates, parse_votes
from pipeline.io.tables import ROW_COLUMN, read_table
from pipeline.params import IngestParams

logger = logging.getLogger(__name__)

RESPONSE_COLUMNS = (
    "response_id",
    "source_row",
    "question",
    "text",
    "territory",
    "group",
    "source",
    "date",
    "votes",
    "text_too_long",
    "formula_like",
)
"""The columns of the responses table, in order (a survey's add :data:`RESPONDENT_COLUMN`)."""
RESPONDENT_COLUMN = "respondent"
"""The respondent's id, second column of a survey's responses table."""

_TEXT_FIELDS = ("territory", "group", "source")
_MIN_ID_DIGITS = 4
_SHOW_IDS = 5
_DEFAULT_ID_COLUMN = IngestParams().id_column

_FUNCTION_CALL = r"[A-Za-z_][A-Za-z0-9_.]*\s*\("
_CELL_REFERENCE = r"\$?[A-Za-z]{1,3}\$?\d+\s*(?:$|[-+*/^&,:;)=<>])"
_DDE = re.compile(r"\w+\s*\|.*!")  # cmd|' /C calc'!A0
_AFTER_EQUALS = re.compile(r"\s*[A-Za-z0-9_(\"'$@+\-.]")
_AFTER_SIGN = re.compile(rf"(?:{_FUNCTION_CALL}|{_CELL_REFERENCE}|\(?[\d.]+\)?\s*[*/^+])")
_AFTER_AT = re.compile(rf"(?:{_FUNCTION_CALL}|{_CELL_REFERENCE})")


def ingest(
    table: pd.DataFrame, params: IngestParams, *, source_name: str = "<input>"
) -> pd.DataFrame:
    """Map a raw table (from :func:`pipeline.io.tables.read_table`) onto the responses table.

    Args:
        table: Text cells plus ``__row__``; without ``__row__`` rows are numbered 2, 3, ...
            as in a spreadsheet with a header.
        params: Which input columns hold the text (or a survey's questions), id, territory,
            group, votes, date, source.
        source_name: The file name used in error messages.

    Returns:
        The responses table, columns :data:`RESPONSE_COLUMNS` (see the module docs).

    Raises:
        InputError: A text, question or question column or a named id column is missing; an
            id is empty or repeated (in a long file: one respondent answers one question
            twice); no question column holds an answer; votes are not a whole number >= 0; a
            date is not a day in an accepted form.
    """
    table = table.rename(columns=str)
    columns = [c for c in table.columns if c != ROW_COLUMN]
    rows = _source_rows(table)
    text_columns = _text_columns(columns, params, source_name)
    question_column = (
        require_column(
            columns,
            params.question_column,
            source_name,
            "question column",
            "name the column that says which question a row answers: balsis run "
            "--question-column NAME (ingest.question_column)",
        )  # fmt: skip
        if params.question_column is not None
        else None
    )
    id_column, ids = _ids(table, columns, rows, params, source_name)
    fields = _optional_fields(table, columns, rows, params, source_name)

    respondents: list[str] | None = None
    if params.questions:
        positions, response_ids, questions, texts = wide_answers(table, text_columns, ids)
        if not positions:
            raise InputError(source_name, "none of the question columns holds an answer")
        respondents = [ids[p] for p in positions]
        fields = {k: v.iloc[positions].reset_index(drop=True) for k, v in fields.items()}
    else:
        positions, texts = list(range(len(rows))), _join_texts(table, text_columns)
        questions = [""] * len(rows)
        response_ids = ids
        if question_column is not None:
            questions = [cell_text(v).strip() for v in table[question_column]]
            respondents = ids
            response_ids = long_ids(ids, questions, rows, id_column, source_name)

    too_long = np.array([len(text) > params.max_embed_chars for text in texts], dtype=bool)
    formula = np.array([looks_like_formula(text) for text in texts], dtype=bool)
    kept_rows = [rows[p] for p in positions]
    order = list(RESPONSE_COLUMNS)
    if respondents is not None:
        order.insert(1, RESPONDENT_COLUMN)
    responses = pd.DataFrame(
        {
            "response_id": pd.Series(response_ids, dtype="string"),
            RESPONDENT_COLUMN: pd.Series(respondents or response_ids, dtype="string"),
            "source_row": pd.Series(kept_rows, dtype="int64"),
            "question": pd.Series(questions, dtype="string"),
            "text": pd.Series(texts, dtype="string"),
            **fields,
            "text_too_long": too_long,
            "formula_like": formula,
        }
    )[order]
    _check_row_accounting(responses, kept_rows)

    _log_flagged(responses, too_long, formula, params.max_embed_chars, source_name)
    logger.info(
        "%s: %d responses; %s from %s, id from %s",
        source_name,
        len(responses),
        "answers" if params.questions else "text",
        " + ".join(f"'{c}'" for c in text_columns),
        f"'{id_column}'" if id_column else "row numbers",
    )
    return responses


def ingest_file(path: str | Path, params: IngestParams) -> pd.DataFrame:
    """Read a user's file (sheet ``params.sheet`` for XLSX) and return its responses table."""
    table = read_table(path, sheet=params.sheet)
    return ingest(table, params, source_name=str(path))


def stable_ids(rows: Sequence[int]) -> list[str]:
    """Ids from row numbers (``r0002``), zero-padded to one width so that they sort."""
    width = max([_MIN_ID_DIGITS, *(len(str(row)) for row in rows)])
    return [f"r{row:0{width}d}" for row in rows]


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` as a formula (CSV/formula injection risk).

    After leading whitespace the text must start with ``=`` ``+`` ``-`` or ``@`` and then:

    - ``=``: anything that can begin an expression (``=1+1``, ``=HYPERLINK(...)``, ``=A1``),
      but not ``=`` alone, ``==== Title ====`` or ``=)``;
    - ``+`` / ``-``: a function call (``-HYPERLINK(``), a cell reference (``+A1``), or a number
      followed by ``* / ^ +`` (``-1+1``). So ``+371 29999999`` (phone), ``- ceļi`` (bullet),
      ``-5 grādi`` and ``-`` (non-answer) are not formulas;
    - ``@``: a function call or cell reference (``@SUM(A1:A3)``), not ``@dome`` (a handle);
    - any of the four followed by a DDE payload (``-2+3+cmd|' /C calc'!A0``).
    """
    stripped = text.lstrip()
    if len(stripped) < 2 or stripped[0] not in "=+-@":
        return False
    rest = stripped[1:]
    if _DDE.search(rest):
        return True
    if stripped[0] == "=":
        return bool(_AFTER_EQUALS.match(rest)) and rest.strip() != ""
    if stripped[0] == "@":
        return bool(_AFTER_AT.match(rest))
    return bool(_AFTER_SIGN.match(rest))


def _source_rows(table: pd.DataFrame) -> list[int]:
    if ROW_COLUMN in table.columns:
        return [int(row) for row in table[ROW_COLUMN]]
    logger.debug("no %s column; numbering rows from 2 as in a spreadsheet", ROW_COLUMN)
    return list(range(2, len(table) + 2))


def _ids(
    table: pd.DataFrame,
    columns: Sequence[str],
    rows: Sequence[int],
    params: IngestParams,
    source_name: str,
) -> tuple[str | None, list[str]]:
    """The id column used (None: ids from row numbers) and one id per row."""
    id_column = find_column(columns, params.id_column, source_name)
    if params.id_column is not None and id_column is None:
        if params.id_column != _DEFAULT_ID_COLUMN:
            # Numbering the rows instead would give ids that match neither the file nor an
            # overrides file written against it.
            raise missing_column_error(
                columns,
                params.id_column,
                source_name,
                "id column",
                "name the id column: balsis run --id-column NAME (ingest.id_column), or number "
                "the rows: --no-id (ingest.id_column: null)",
            )
        logger.warning(
            "%s: id column '%s' not found (columns: %s); using ids from row numbers",
            source_name,
            params.id_column,
            ", ".join(columns),
        )
    if id_column is None:
        return None, stable_ids(rows)
    # In a long file a respondent's id repeats, once per question (checked by long_ids).
    unique = params.question_column is None
    return id_column, _checked_ids(table[id_column], rows, id_column, source_name, unique)


def _optional_fields(
    table: pd.DataFrame,
    columns: Sequence[str],
    rows: Sequence[int],
    params: IngestParams,
    source_name: str,
) -> dict[str, pd.Series]:
    """The territory, group, source, date and votes columns (all <NA> when absent)."""
    fields: dict[str, pd.Series] = {}
    for field in _TEXT_FIELDS:
        column = find_column(columns, getattr(params, f"{field}_column"), source_name)
        values = table[column] if column is not None else [None] * len(table)
        fields[field] = pd.Series(
            [cell_text(value).strip() or pd.NA for value in values], dtype="string"
        )
    date_column = find_column(columns, params.date_column, source_name)
    fields["date"] = pd.Series(
        parse_dates(table[date_column], rows, date_column, source_name)
        if date_column is not None
        else [pd.NA] * len(table),
        dtype="string",
    )
    votes_column = find_column(columns, params.votes_column, source_name)
    votes = (
        parse_votes(table[votes_column], rows, votes_column, source_name)
        if votes_column is not None
        else pd.array([pd.NA] * len(table), dtype="Int64")
    )
    fields["votes"] = pd.Series(votes, dtype="Int64")
    return fields


def _log_flagged(
    responses: pd.DataFrame,
    too_long: np.ndarray,
    formula: np.ndarray,
    max_embed_chars: int,
    source_name: str,
) -> None:
    if too_long.any():
        logger.warning(
            "%s: %d text(s) longer than max_embed_chars=%d are kept whole and flagged "
            "text_too_long: %s",
            source_name,
            int(too_long.sum()),
            max_embed_chars,
            _first_ids(responses.loc[too_long, "response_id"]),
        )
    if formula.any():
        logger.info(
            "%s: %d text(s) look like spreadsheet formulas (flagged formula_like): %s",
            source_name,
            int(formula.sum()),
            _first_ids(responses.loc[formula, "response_id"]),
        )


def _text_columns(columns: Sequence[str], params: IngestParams, source_name: str) -> list[str]:
    """The free-text columns: a wide survey's questions, else the text columns."""
    if params.questions:
        return [
            require_column(
                columns,
                name,
                source_name,
                "question column",
                "list the free-text question columns as they are headed in the "
                "file in ingest.questions (balsis inspect FILE shows them)",
            )  # fmt: skip
            for name in params.questions
        ]
    text_names = (
        (params.text_columns,) if isinstance(params.text_columns, str) else params.text_columns
    )
    if not text_names:
        raise BalsisError("params: ingest.text_columns is empty; name the column(s) with the text")
    return [
        require_column(
            columns,
            name,
            source_name,
            "text column",
            "name the column(s) with the proposals: balsis run --text-column NAME, "
            "or ingest.text_columns in params.yaml",
        )  # fmt: skip
        for name in text_names
    ]


def _join_texts(table: pd.DataFrame, text_columns: Sequence[str]) -> list[str]:
    parts = zip(*(table[column] for column in text_columns), strict=True)
    return ["\n".join(p for p in map(cell_text, cells) if p) for cells in parts]


def _checked_ids(
    values: pd.Series, rows: Sequence[int], column: str, source: str, unique: bool = True
) -> list[str]:
    ids = [cell_text(value).strip() for value in values]
    empty = [row for row, id_ in zip(rows, ids, strict=True) if not id_]
    if empty:
        more = f" ({len(empty) - 1} more row(s) with an empty id)" if len(empty) > 1 else ""
        raise InputError(
            source,
            f"the id is empty{more}",
            row=empty[0],
            column=column,
            hint="give every response an id, or set ingest.id_column: null to number rows",
        )
    if not unique:
        return ids
    first_row: dict[str, int] = {}
    duplicates: list[tuple[str, int, int]] = []
    for row, id_ in zip(rows, ids, strict=True):
        if id_ in first_row:
            duplicates.append((id_, first_row[id_], row))
        else:
            first_row[id_] = row
    if duplicates:
        id_, first, second = duplicates[0]
        more = f" ({len(duplicates) - 1} more duplicate(s))" if len(duplicates) > 1 else ""
        raise InputError(
            source,
            f"id '{id_}' appears more than once: rows {first} and {second}{more}",
            row=second,
            column=column,
            hint="ids must be unique; fix the duplicate or set ingest.id_column: null",
        )
    return ids


def _first_ids(ids: pd.Series) -> str:
    shown = ", ".join(ids.iloc[:_SHOW_IDS])
    return shown + (", ..." if len(ids) > _SHOW_IDS else "")


def _check_row_accounting(responses: pd.DataFrame, rows: Sequence[int]) -> None:
    """One output row per input row, in input order: a bug guard that survives ``python -O``."""
    if len(responses) != len(rows) or responses["source_row"].tolist() != list(rows):
        raise AssertionError(
            f"row accounting broken: {len(rows)} input rows, {len(responses)} responses"
        )
