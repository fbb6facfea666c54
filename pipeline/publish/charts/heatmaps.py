"""Heatmaps: themes by territory or by group of residents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pipeline.errors import BalsisError
from pipeline.publish.charts.inputs import (
    chart_text,
    clean,
    require,
    theme_names,
)
from pipeline.publish.charts.layout import wrap
from pipeline.publish.charts.style import (
    FIGURE_WIDTH,
    chart_style,
    new_figure,
    no_data_figure,
    titled,
)
from pipeline.publish.format import number, percent
from pipeline.summary.counting import counted_ideas, has_theme, theme_keys


def heatmap(
    ideas: pd.DataFrame,
    by: str = "territory",
    lang: str = "lv",
    *,
    themes: pd.DataFrame | None = None,
    redact: bool = True,
) -> Figure:
    """Themes (rows, largest first) by territory or group (columns, largest first).

    A cell's colour is the share of the column's visible ideas that are about the theme (what
    people in a parish or group write about), its number the count of those ideas. Visible
    ideas without a theme form the last row, so each column adds up to 100 %.

    Args:
        ideas: Reviewed ideas: ``theme``, ``hidden``, ``non_answer``, the ``by`` column, and
            ``theme_name`` unless ``themes`` is given.
        by: "territory" or "group".
        lang: "lv" or "en".
        themes: Themes (``theme``, ``name_lv``) for the names; needed for English names.
        redact: Replace personal data in names.
    """
    t = chart_text(lang)
    if by not in ("territory", "group"):
        raise BalsisError(f"heatmap: by must be 'territory' or 'group', not {by!r}")
    require(ideas, ["theme", "hidden", "non_answer", by], "ideas")
    if themes is None:
        require(ideas, ["theme_name"], "ideas")
    shown = counted_ideas(ideas)
    if themes is not None:
        names = theme_names(themes, lang, redact=redact)
    else:
        named = shown[has_theme(shown)]
        names = {
            str(k): clean(v, redact)
            for k, v in named.groupby(theme_keys(named))["theme_name"].first().items()
        }
    theme_label = theme_keys(shown).map(lambda k: names.get(k, t["no_theme"]))
    column = shown[by].map(
        lambda v: clean(v, redact).strip() if isinstance(v, str) and v.strip() else t["not_given"]
    )
    title, note = t["heatmap_title"][by], t["heatmap_note"][by]
    with chart_style():
        if shown.empty:
            return no_data_figure(title, t["no_data"])
        counts = pd.crosstab(theme_label, column)
        rows = counts.sum(axis=1).sort_values(ascending=False, kind="stable").index.tolist()
        if t["no_theme"] in rows:
            rows = [r for r in rows if r != t["no_theme"]] + [t["no_theme"]]
        columns = counts.sum(axis=0).sort_values(ascending=False, kind="stable").index.tolist()
        counts = counts.loc[rows, columns]
        totals = counts.sum(axis=0)
        shares = counts / totals.replace(0, np.nan)
        return _draw_heatmap(counts, shares.fillna(0), totals, by, title, note, lang, t)


def _draw_heatmap(
    counts: pd.DataFrame,
    shares: pd.DataFrame,
    totals: pd.Series,
    by: str,
    title: str,
    note: str,
    lang: str,
    t: Mapping[str, Any],
) -> Figure:
    n_rows, n_cols = counts.shape
    rotate = n_cols > 8
    width = min(16.0, max(FIGURE_WIDTH, 3.2 + 0.75 * n_cols))
    height = 1.8 + 0.36 * n_rows + (0.8 if rotate else 0.3)
    figure = new_figure(width, height)
    ax = figure.add_subplot()
    top = max(0.05, float(shares.to_numpy().max()))
    image = ax.imshow(
        shares.to_numpy(), cmap="Blues", vmin=0, vmax=top, aspect="auto", interpolation="nearest"
    )
    for i in range(n_rows):
        for j in range(n_cols):
            value = int(counts.iat[i, j])
            share = float(shares.iat[i, j])
            dark = share / top > 0.55
            ax.text(
                j,
                i,
                str(value),
                ha="center",
                va="center",
                fontsize=8.5,
                color="white" if dark else ("#222222" if value else "#9a9a9a"),
            )
    column_labels = [
        f"{wrap(str(c), 14)}\n({number(int(totals[c]), lang)})" for c in counts.columns
    ]
    ax.set_xticks(np.arange(n_cols), column_labels)
    ax.xaxis.tick_top()
    if rotate:
        ax.tick_params(axis="x", labelrotation=45)
        for label in ax.get_xticklabels():
            label.set_ha("left")
    ax.set_yticks(np.arange(n_rows), [wrap(str(r), 34) for r in counts.index])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(n_cols + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(n_rows + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    colorbar = figure.colorbar(
        image,
        ax=ax,
        shrink=min(1.0, 6 / max(n_rows, 1)) if n_rows > 6 else 1.0,
        pad=0.02,
        aspect=30,
    )
    colorbar.set_label(t["heatmap_colorbar"][by])
    colorbar.ax.yaxis.set_major_formatter(lambda value, _: percent(value, lang))
    colorbar.outline.set_visible(False)
    titled(figure, title, note)
    return figure
