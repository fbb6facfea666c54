"""The votes chart: votes against number of ideas per theme."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Annotation

from pipeline.publish.charts.inputs import chart_text, require, theme_names
from pipeline.publish.charts.layout import place_labels, shorten
from pipeline.publish.charts.style import (
    BAR_COLOUR,
    FIGURE_WIDTH,
    chart_style,
    new_figure,
    no_data_figure,
    titled,
)
from pipeline.publish.format import number


def votes_chart(themes: pd.DataFrame, lang: str = "lv", *, redact: bool = True) -> Figure:
    """Votes against number of ideas per theme, each point labelled with the theme's name.

    The dashed line is the average number of votes per idea: themes above it got more votes
    than their size alone would give them. Data without votes gives a figure that says so.

    Args:
        themes: ``theme``, ``name_lv``, ``n_ideas``, ``votes``.
        lang: "lv" or "en".
        redact: Replace personal data in theme names.
    """
    t = chart_text(lang)
    require(themes, ["theme", "name_lv", "n_ideas", "votes"], "themes")
    names = theme_names(themes, lang, redact=redact)
    table = themes.assign(
        n_ideas=pd.to_numeric(themes["n_ideas"], errors="coerce").fillna(0),
        votes=pd.to_numeric(themes["votes"], errors="coerce"),
    )
    table = table[table["n_ideas"] > 0]
    with chart_style():
        if table.empty:
            return no_data_figure(t["votes_title"], t["no_data"])
        if not (table["votes"].fillna(0) > 0).any():
            return no_data_figure(t["votes_title"], t["no_votes"])
        votes = table["votes"].fillna(0).to_numpy(dtype=float)
        n_ideas = table["n_ideas"].to_numpy(dtype=float)
        figure = new_figure(FIGURE_WIDTH, 7.0)
        ax = figure.add_subplot()
        ax.scatter(n_ideas, votes, s=30, color=BAR_COLOUR, zorder=3)
        x_max, y_max = float(n_ideas.max()) * 1.08, float(votes.max()) * 1.1
        mean = votes.sum() / n_ideas.sum()
        ax.plot([0, x_max], [0, mean * x_max], linestyle="--", color="#999999", linewidth=1)
        mean_label = ax.annotate(
            t["votes_mean"].format(value=number(mean, lang, 1)),
            xy=(x_max, min(mean * x_max, y_max)),
            xytext=(-4, 4),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8.5,
            color="#666666",
        )
        labels: list[Annotation] = []
        for position in np.argsort(-n_ideas, kind="stable"):
            label = ax.annotate(
                shorten(names[str(table["theme"].iat[position])], 34),
                xy=(n_ideas[position], votes[position]),
                xytext=(0, 0),
                textcoords="offset points",
                ha="center",
                va="center",
                fontsize=8.5,
                color="#222222",
                arrowprops={"arrowstyle": "-", "color": "#888888", "lw": 0.6, "shrinkB": 3},
            )
            label.set_in_layout(False)
            labels.append(label)
        ax.set_xlim(-0.02 * x_max, x_max)
        ax.set_ylim(-0.03 * y_max, y_max)
        ax.set_xlabel(t["votes_x"])
        ax.set_ylabel(t["votes_y"])
        ax.grid(color="#eeeeee", linewidth=0.8)
        ax.set_axisbelow(True)
        titled(figure, t["votes_title"], t["votes_note"])
        place_labels(figure, ax, labels, obstacles=np.c_[n_ideas, votes], fixed=[mean_label])
    return figure
