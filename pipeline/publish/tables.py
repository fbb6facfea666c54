"""Table helpers the charts and the report share."""

from __future__ import annotations

from typing import Any

import pandas as pd


def with_swot(themes: pd.DataFrame, theme_swot: pd.DataFrame | None) -> pd.DataFrame:
    """The themes with the ``swot_*`` columns of ``theme_swot`` (``theme`` as column or index).

    The quadrant split replaces any ``swot_*`` columns the themes table had; ``None`` leaves the
    themes as they are.
    """
    if theme_swot is None:
        return themes
    swot = theme_swot if "theme" in theme_swot.columns else theme_swot.reset_index()
    columns = ["theme", *[c for c in swot.columns if c.startswith("swot_")]]
    return themes.drop(columns=[c for c in columns if c != "theme"], errors="ignore").merge(
        swot[columns], on="theme", how="left"
    )


def as_list(value: Any) -> list[Any]:
    """A list cell as a list: parquet gives numpy arrays, missing cells are None or NaN."""
    if isinstance(value, list | tuple):
        return list(value)
    if hasattr(value, "tolist") and not isinstance(value, str):
        listed = value.tolist()
        return listed if isinstance(listed, list) else []
    return []
