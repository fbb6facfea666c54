"""The publication boundary: every text a person may publish or open in a spreadsheet passes here.

The report, the workbook, the charts' labels and every CSV that ``balsis run`` writes to its
output folder are made from tables that went through :func:`public_frame` (a chart label, a
file name: :func:`public_text`). In every text cell of every column:

- personal data is replaced by placeholders (:mod:`pipeline.publish.redact` finds it by its
  form): in the proposals, but also in territory, group, source and date, keywords, quotes,
  evidence, sub-theme labels and theme names, a person's renames included;
- control characters other than tab, line feed and carriage return (NUL, form feed, ...) are
  removed: a browser, a spreadsheet or a CSV reader may take them for the end of the text or for
  a binary file;
- for files a spreadsheet opens (``formulas=True``: the CSVs, the workbook's cells), text a
  spreadsheet would run as a formula gets a leading apostrophe (:func:`defuse_formula`).

Numbers, booleans and dates are left as they are: a negative number is not a formula. The ids
carried from the input (:data:`KEY_COLUMNS`) are the user's key back to the source table, so they
are not redacted (a redacted id would match nothing), only cleaned and neutralised. The raw text
stays in the internal tables (``interim/``, ``data/processed/``) for analysts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.io.artefacts import write_csv
from pipeline.publish.redact import redact_text

__all__ = [
    "FORMULA_START",
    "KEY_COLUMNS",
    "defuse_formula",
    "public_frame",
    "public_text",
    "write_public_csv",
]

# A spreadsheet reads text starting with these as a formula, also after leading whitespace.
FORMULA_START = ("=", "+", "-", "@")
# A leading tab or CR is neutralised whatever follows: some readers drop it, and what is left
# may then start a formula.
_LEADING_CONTROL = ("\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

KEY_COLUMNS = frozenset(
    {"response_id", "idea_id", "duplicate_of", "representatives", "quote_idea_ids"}
)
"""Columns holding ids of responses and ideas: published as given, never redacted."""


def defuse_formula(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, prefixed with an apostrophe (shown as text).

    ``=1+1``, ``+371...``, ``-vairāk``, ``@cmd``, also `` =1+1`` or ``\\t=1+1`` after leading
    whitespace, and any text starting with a tab or CR. Other values (numbers too) are returned
    unchanged.
    """
    if isinstance(value, str) and (
        value.startswith(_LEADING_CONTROL) or value.lstrip().startswith(FORMULA_START)
    ):
        return "'" + value
    return value


def public_text(
    value: Any, *, formulas: bool = False, redact: bool = True
) -> tuple[Any, dict[str, int]]:
    """One text as it may be published, and the identifiers replaced per kind.

    Args:
        value: A string, or a list, tuple, array or mapping of them (nested too); anything else
            is returned unchanged.
        formulas: Neutralise text a spreadsheet would run (for CSVs and workbook cells).
        redact: Replace personal data; False only for the ids of :data:`KEY_COLUMNS`.
    """
    counts: Counter[str] = Counter()
    return _public_cell(value, formulas, redact, counts, {}), dict(counts)


def public_frame(
    frame: pd.DataFrame,
    *,
    formulas: bool = True,
    count: Iterable[str] | None = None,
) -> tuple[pd.DataFrame, dict[str, int]]:
    """A copy of ``frame`` as it may be published: every text column passed through the boundary.

    A text column is any column that is not numeric, boolean or a date; its string cells and the
    strings in its list cells are cleaned, redacted (except in :data:`KEY_COLUMNS`) and, with
    ``formulas``, neutralised. Other cells are kept as they are.

    Args:
        frame: Any table meant for people.
        formulas: Neutralise formulas (True for CSVs; the HTML report shows the text as written
            and the workbook neutralises each cell as it writes it).
        count: The columns whose replacements are counted (default: all).

    Returns:
        The published copy and the identifiers replaced per kind in the counted columns.
    """
    public = frame.copy()
    counted = set(frame.columns if count is None else count)
    total: Counter[str] = Counter()
    cache: dict[tuple[str, bool, bool], tuple[str, dict[str, int]]] = {}
    for column in frame.columns:
        series = frame[column]
        if not _is_text(series):
            continue
        counts: Counter[str] = Counter()
        redact = column not in KEY_COLUMNS
        values = [_public_cell(value, formulas, redact, counts, cache) for value in series]
        dtype = object if isinstance(series.dtype, pd.CategoricalDtype) else series.dtype
        public[column] = pd.Series(values, index=series.index, dtype=dtype)
        if column in counted:
            total.update(counts)
    return public, {kind: n for kind, n in total.items() if n}


def write_public_csv(frame: pd.DataFrame, path: str | Path) -> dict[str, int]:
    """Write ``frame`` for people as CSV through the boundary; returns the replacements."""
    public, counts = public_frame(frame, formulas=True)
    write_csv(public, path)
    return counts


def _is_text(series: pd.Series) -> bool:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        dtype = dtype.categories.dtype
    return not (
        pd.api.types.is_numeric_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_datetime64_any_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
    )


def _public_cell(
    value: Any,
    formulas: bool,
    redact: bool,
    counts: Counter[str],
    cache: dict[tuple[str, bool, bool], tuple[str, dict[str, int]]],
) -> Any:
    if isinstance(value, str):
        key = (value, formulas, redact)
        if key not in cache:
            text, found = _CONTROL.sub("", value), {}
            if redact:
                text, found = redact_text(text)
            cache[key] = (defuse_formula(text) if formulas else text, found)
        text, found = cache[key]
        counts.update(found)
        return text
    if isinstance(value, list | tuple | np.ndarray):
        items = [_public_cell(item, formulas, redact, counts, cache) for item in value]
        if isinstance(value, np.ndarray):
            return np.array(items, dtype=object)
        return type(value)(items)
    if isinstance(value, Mapping):
        return {key: _public_cell(item, formulas, redact, counts, cache)
                for key, item in value.items()}  # fmt: skip
    return value
