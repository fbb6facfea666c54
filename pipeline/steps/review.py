"""Step ``review``: the machine's themes and quadrants with a person's corrections applied."""

from __future__ import annotations

import pandas as pd

from pipeline.review.apply import ReviewResult, apply_overrides
from pipeline.review.rules import Overrides
from pipeline.review.table import reviewed_ideas


def review(
    ideas: pd.DataFrame,
    idea_themes: pd.DataFrame,
    idea_swot: pd.DataFrame,
    themes: pd.DataFrame,
    overrides: Overrides,
    *,
    ideas_file: str | None = None,
    themes_file: str | None = None,
) -> ReviewResult:
    """The reviewed ideas and themes, what was applied and what no longer matches.

    ``ideas_file`` and ``themes_file`` name the files in which the user finds idea ids and
    theme keys; the messages about corrections that match nothing point there.
    """
    table = reviewed_ideas(ideas, idea_themes, idea_swot, themes)
    return apply_overrides(table, themes, overrides, ideas_file=ideas_file, themes_file=themes_file)
