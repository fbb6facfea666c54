"""The reviewed ideas table: the machine's view of every idea, before any correction.

One row per idea joining the ideas, their themes and their quadrants, with the columns a
person's corrections (:mod:`pipeline.review.apply`) change and the machine's values kept
beside them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from pipeline.errors import BalsisError

REVIEW_COLUMNS = (
    "theme_name",
    "hidden",
    "theme_by_person",
    "swot_by_person",
    "machine_theme",
    "machine_swot",
)
"""Columns :func:`reviewed_ideas` adds to the machine's idea tables."""


def reviewed_ideas(
    ideas: pd.DataFrame,
    idea_themes: pd.DataFrame,
    idea_swot: pd.DataFrame,
    themes: pd.DataFrame,
) -> pd.DataFrame:
    """The reviewed ideas table before any correction: the machine's view of every idea.

    Args:
        ideas: One row per idea (``idea_id``, ``response_id``, ``non_answer``, ...).
        idea_themes: The theme of each idea (``idea_id``, ``theme``, ``theme_confidence``, ...).
        idea_swot: The quadrant of each idea (``idea_id``, ``swot``, ``swot_confidence``, ...).
        themes: One row per theme (``theme``, ``name_lv``).

    Returns:
        ``ideas`` in its order with the columns of ``idea_themes`` and ``idea_swot``, plus
        ``theme_name`` (the theme's Latvian name, "" for none), ``hidden``,
        ``theme_by_person``, ``swot_by_person`` (all False), ``machine_theme`` and
        ``machine_swot`` (copies of ``theme`` and ``swot``; "" for none).

    Raises:
        BalsisError: A table lacks a column, repeats an idea id, or has no row for an idea
            (the artefacts come from different runs).
    """
    require_columns(ideas, ("idea_id", "response_id", "non_answer"), "ideas")
    require_columns(idea_themes, ("idea_id", "theme", "theme_confidence"), "idea themes")
    require_columns(idea_swot, ("idea_id", "swot", "swot_confidence"), "idea SWOT")
    require_columns(themes, ("theme", "name_lv"), "themes")
    table = ideas.reset_index(drop=True)
    _unique_ids(table, "ideas")
    for name, extra in (("idea themes", idea_themes), ("idea SWOT", idea_swot)):
        _unique_ids(extra, name)
        missing = ~table["idea_id"].isin(extra["idea_id"])
        if missing.any():
            examples = ", ".join(table.loc[missing, "idea_id"].astype(str).head(3))
            raise BalsisError(
                f"the {name} table has no row for {int(missing.sum())} idea(s) (e.g. {examples}); "
                "the tables come from different runs: run the pipeline again (dvc repro)"
            )
        shared = [c for c in extra.columns if c in table.columns and c != "idea_id"]
        table = table.merge(extra.drop(columns=shared), on="idea_id", how="left")
    table["theme"] = _text_column(table["theme"])
    table["swot"] = _text_column(table["swot"])
    names = _theme_names(themes)
    table["theme_name"] = [names.get(theme, theme) for theme in table["theme"]]
    table["hidden"] = False
    table["theme_by_person"] = False
    table["swot_by_person"] = False
    table["machine_theme"] = table["theme"].copy()
    table["machine_swot"] = table["swot"].copy()
    return table


def _theme_names(themes: pd.DataFrame) -> dict[str, str]:
    return {str(t): str(n) for t, n in zip(themes["theme"], themes["name_lv"], strict=True)}


def _text_column(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "").astype(str)


def require_columns(
    frame: pd.DataFrame, columns: Iterable[str], name: str, *, hint: str | None = None
) -> None:
    """Stop with a message naming the table when it lacks any of ``columns``.

    Raises:
        BalsisError: A column is missing; ``hint`` (if any) is added in brackets.
    """
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        message = f"the {name} table lacks column(s) {', '.join(missing)}"
        raise BalsisError(f"{message} ({hint})" if hint else message)


def _unique_ids(frame: pd.DataFrame, name: str) -> None:
    repeated = frame["idea_id"][frame["idea_id"].duplicated()]
    if not repeated.empty:
        raise BalsisError(
            f"the {name} table repeats idea id(s) {', '.join(map(str, repeated.head(3)))}; "
            "run the pipeline again (dvc repro)"
        )
