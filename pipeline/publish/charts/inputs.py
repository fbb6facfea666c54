"""What the charts read from the reviewed tables: columns, visible ideas, theme names, text."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from pipeline.errors import BalsisError
from pipeline.publish.boundary import public_text
from pipeline.publish.text import LANGUAGES, ui_text
from pipeline.summary.counting import counted_ideas, theme_keys


def chart_text(lang: str) -> dict[str, Any]:
    """The charts' titles, notes and labels in ``lang`` ("lv" or "en")."""
    if lang not in LANGUAGES:
        raise BalsisError(f"chart language must be 'lv' or 'en', not {lang!r}")
    return ui_text(lang, "charts")


def require(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    """Stop with a message naming the columns a chart needs that ``frame`` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise BalsisError(
            f"the {table} table has no column(s) {', '.join(repr(c) for c in missing)} "
            f"needed for the chart; it has: {', '.join(map(str, frame.columns)) or 'none'}. "
            "Use the reviewed tables the pipeline writes (reviewed_ideas/reviewed_themes, "
            "joined with theme_swot where the SVID split is needed)."
        )


def clean(text: object, redact: bool) -> str:
    """A cell as text for a label (NaN and None as "").

    With ``redact`` (the default everywhere) the label passes the publication boundary
    (:func:`pipeline.publish.boundary.public_text`): personal data and control characters out.
    """
    value = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    return public_text(value)[0] if redact and value else value


def visible_counts(ideas: pd.DataFrame) -> pd.Series:
    """Visible ideas (the ideas that count) per theme, largest first."""
    return theme_keys(counted_ideas(ideas)).value_counts()


def theme_names(themes: pd.DataFrame, lang: str = "lv", *, redact: bool = True) -> dict[str, str]:
    """Display name of each theme.

    The Latvian name is ``name_lv`` (a person's rename included). English uses ``name_en``
    (a rename sets it too: the person's English name, or their Latvian one) unless the theme
    is a new one named by its keywords, which are Latvian.
    """
    chart_text(lang)
    require(themes, ["theme", "name_lv"], "themes")
    names: dict[str, str] = {}
    for row in themes.to_dict("records"):
        name = row.get("name_lv")
        english = row.get("name_en")
        keep_latvian = bool(row.get("is_new") or False)
        if lang == "en" and isinstance(english, str) and english and not keep_latvian:
            name = english
        if not isinstance(name, str) or not name.strip():
            name = str(row["theme"])
        names[str(row["theme"])] = clean(name, redact)
    return names
