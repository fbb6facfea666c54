"""The priority chart: each theme's priority score as a bar of its weighted parts."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pipeline.publish.charts.inputs import chart_text, require, theme_names
from pipeline.publish.charts.layout import wrap
from pipeline.publish.charts.style import (
    FIGURE_WIDTH,
    PART_COLOURS,
    PRIORITY_PARTS,
    chart_style,
    new_figure,
    no_data_figure,
    titled,
)
from pipeline.publish.format import number

log = logging.getLogger(__name__)


def priority_chart(
    priorities: pd.DataFrame, themes: pd.DataFrame, lang: str = "lv", *, redact: bool = True
) -> Figure:
    """Stacked horizontal bars of each theme's priority score, rank 1 on top.

    The segments are the weighted parts of the score (``part_ideas`` ... ``part_weakness``),
    the score is written at the end of the bar. Themes the themes table no longer has (merged
    away by a person) are left out.

    Args:
        priorities: ``theme``, ``priority_rank``, ``priority_score``, ``part_*`` columns.
        themes: ``theme``, ``name_lv`` (for the names).
        lang: "lv" or "en".
        redact: Replace personal data in theme names.
    """
    t = chart_text(lang)
    require(priorities, ["theme", "priority_rank", "priority_score", *PRIORITY_PARTS], "priorities")
    names = theme_names(themes, lang, redact=redact)
    table = priorities[priorities["theme"].astype(str).isin(names)]
    dropped = sorted(set(priorities["theme"].astype(str)) - set(names))
    if dropped:
        log.info("priority chart: themes no longer in the themes table left out: %s", dropped)
    table = table.sort_values(["priority_rank", "theme"], kind="stable")
    with chart_style():
        if table.empty:
            return no_data_figure(t["priority_title"], t["no_data"])
        n = len(table)
        figure = new_figure(FIGURE_WIDTH, 1.6 + 0.34 * n)
        ax = figure.add_subplot()
        y = np.arange(n)[::-1]
        left = np.zeros(n)
        for part in PRIORITY_PARTS:
            values = table[part].fillna(0).clip(lower=0).to_numpy(dtype=float)
            if not values.any():
                continue  # a part the data lacks (no votes): no empty entry in the legend
            ax.barh(
                y, values, left=left, height=0.72, color=PART_COLOURS[part], label=t["parts"][part]
            )
            left += values
        scores = table["priority_score"].fillna(0).to_numpy(dtype=float)
        for row, end, score in zip(y, left, scores, strict=True):
            ax.text(end + 0.008, row, number(score, lang, 2), va="center", fontsize=9)
        labels = [wrap(names[str(theme)], 40) for theme in table["theme"]]
        ax.set_yticks(y, labels)
        ax.tick_params(axis="y", length=0)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlim(0, max(1.0, float(left.max()) * 1.1))
        ax.set_xlabel(t["priority_x"])
        ax.xaxis.set_major_formatter(lambda value, _: number(value, lang, 1))
        ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.spines["left"].set_visible(False)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=5, borderaxespad=0.3)
        titled(figure, t["priority_title"], t["priority_note"])
    return figure
