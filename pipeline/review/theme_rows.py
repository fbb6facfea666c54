"""The reviewed themes table: one plain record per theme, merged and recounted.

Corrections work on records (dicts with Python lists) rather than on the table, so a merge can
combine list columns and a rename change one field; :func:`recounted_themes` turns the
records back into a table with counts over the ideas that count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from pipeline.summary.counting import counted_ideas, votes_per_response

LIST_COLUMNS = ("keywords", "representatives", "subthemes", "subtheme_labels", "clusters")
"""Theme columns that hold lists."""


def theme_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """A theme as a plain record with Python lists (Parquet gives NumPy arrays).

    ``renamed``, ``machine_name_lv`` and ``merged_from`` are added when the row lacks them.
    """
    record = dict(row)
    record["theme"] = str(record["theme"])
    for column in (*LIST_COLUMNS, "merged_from"):
        if column in record:
            record[column] = as_list(record[column])
    record.setdefault("renamed", False)
    record.setdefault("machine_name_lv", record["name_lv"])
    record.setdefault("merged_from", [])
    return record


def merged_record(into: dict[str, Any], absorbed: list[dict[str, Any]]) -> dict[str, Any]:
    """The record of theme ``into`` after it absorbed the ``absorbed`` themes.

    Keywords: its own first, then the others' new ones, up to the longest keyword list.
    Representatives, clusters and sub-themes: the others' appended. ``merged_from`` lists the
    absorbed keys (and what they had absorbed). Confidence: the mean weighted by size.
    """
    row = dict(into)
    group = [into, *absorbed]
    if "keywords" in row:
        keywords = list(into["keywords"])
        for other in absorbed:
            keywords += [word for word in other.get("keywords", []) if word not in keywords]
        row["keywords"] = keywords[: max(len(member.get("keywords", [])) for member in group)]
    row["merged_from"] = [
        *into["merged_from"],
        *(key for other in absorbed for key in (*other["merged_from"], other["theme"])),
    ]
    for column in ("representatives", "clusters", "subthemes", "subtheme_labels"):
        if column in row:
            combined = list(into[column])
            for other in absorbed:
                combined += [v for v in other.get(column, []) if v not in combined]
            row[column] = combined
    if "confidence" in row:
        sizes = np.array([max(float(member["n_ideas"]), 0.0) for member in group])
        values = np.array([float(member["confidence"]) for member in group])
        weights = sizes if sizes.sum() > 0 else None
        row["confidence"] = float(np.average(values, weights=weights))
    return row


def recounted_themes(
    ideas: pd.DataFrame, rows: dict[str, dict[str, Any]], columns: Iterable[str]
) -> pd.DataFrame:
    """The themes table from the records, counted again over the ideas that count.

    Args:
        ideas: The reviewed ideas (``theme``, ``response_id``, ``hidden``, ``non_answer``,
            optionally ``votes``).
        rows: Theme key -> record; ``n_ideas``, ``n_responses`` and ``votes`` are set in place.
        columns: The machine's theme columns, kept first and in their order.

    Returns:
        One row per theme, largest first (ties by key), with ``renamed``,
        ``machine_name_lv`` and ``merged_from`` after the machine's columns.
    """
    counted = counted_ideas(ideas)
    for theme, row in rows.items():
        inside = counted[counted["theme"] == theme]
        per_response = votes_per_response(inside)
        row["n_ideas"] = len(inside)
        row["n_responses"] = len(per_response)
        row["votes"] = float(per_response.sum())
    order = [
        *columns,
        *(c for c in ("renamed", "machine_name_lv", "merged_from") if c not in columns),
    ]
    table = pd.DataFrame(list(rows.values()), columns=order)
    table["renamed"] = table["renamed"].astype(bool)
    return table.sort_values(
        ["n_ideas", "theme"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def as_list(value: Any) -> list[Any]:
    """A list cell as a Python list: NumPy arrays, tuples, None and NaN included."""
    if value is None:
        return []
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, float) and np.isnan(value):
        return []
    return [value]
