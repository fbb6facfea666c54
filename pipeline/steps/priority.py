"""Step ``priority``: what the reviewed ideas add up to: priorities, SWOT splits, the SVID table."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.params import PriorityParams
from pipeline.summary.priority import priorities
from pipeline.summary.svid import svid_table, theme_swot


@dataclass(frozen=True)
class Summary:
    """The priority step's tables."""

    priorities: pd.DataFrame
    by_territory: pd.DataFrame
    by_group: pd.DataFrame
    theme_swot: pd.DataFrame
    svid: pd.DataFrame


def theme_names(themes: pd.DataFrame) -> dict[str, str]:
    """Theme key -> its Latvian name."""
    return dict(zip(themes["theme"], themes["name_lv"], strict=True))


def priority(table: pd.DataFrame, themes: pd.DataFrame, params: PriorityParams) -> Summary:
    """Priorities (overall, per territory, per group), each theme's SWOT split, the SVID table.

    ``table`` and ``themes`` are the reviewed tables, so a person's corrections count.
    """
    return Summary(
        priorities=priorities(table, params.weights),
        by_territory=priorities(table, params.weights, by="territory"),
        by_group=priorities(table, params.weights, by="group"),
        theme_swot=theme_swot(table).reset_index(),
        svid=svid_table(table, theme_names(themes)),
    )
