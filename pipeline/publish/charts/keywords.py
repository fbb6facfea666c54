"""The keyword chart: one panel per theme with bars of how many ideas use each keyword."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pipeline.publish.charts.inputs import (
    chart_text,
    clean,
    require,
    theme_names,
    visible_counts,
)
from pipeline.publish.charts.layout import shorten, wrap_to_width
from pipeline.publish.charts.style import (
    BAR_COLOUR,
    FIGURE_WIDTH,
    chart_style,
    new_figure,
    no_data_figure,
    titled,
)
from pipeline.publish.format import ideas_phrase
from pipeline.summary.counting import counted_ideas, theme_keys

_WORD = re.compile(r"\w+")


def _idea_words(ideas: pd.DataFrame) -> list[set[str]]:
    """Per idea: its lemmas and the words as written (lower case), to look keywords up in."""
    columns = [c for c in ("content_lemmas", "lemmas") if c in ideas.columns]
    texts = ideas["text_normalised"] if "text_normalised" in ideas.columns else None
    words: list[set[str]] = []
    for position in range(len(ideas)):
        found: set[str] = set()
        for column in columns:
            cell = ideas[column].iat[position]
            if isinstance(cell, list | tuple | np.ndarray):
                found.update(str(w).lower() for w in cell)
        if texts is not None and isinstance(texts.iat[position], str):
            found.update(_WORD.findall(texts.iat[position].lower()))
        words.append(found)
    return words


def _keywords(value: object) -> list[str]:
    if isinstance(value, list | tuple | np.ndarray):
        return [str(k) for k in value if isinstance(k, str) and k.strip()]
    return []


def keyword_counts(
    ideas: pd.DataFrame, themes: pd.DataFrame, n_keywords: int | None = None
) -> pd.DataFrame:
    """How many visible ideas of each theme use each of the theme's keywords.

    An idea uses a keyword when every word of it is among the idea's lemmas (``content_lemmas``,
    and ``lemmas`` when present) or among the words of its text as written (``text_normalised``,
    when present): a bigram keyword is shown as people write it ("šķirošanas konteiners"),
    so its first word need not be a lemma.

    Args:
        ideas: Ideas with ``theme``, ``content_lemmas``, ``hidden``, ``non_answer``.
        themes: Themes with ``theme`` and ``keywords`` (lists, best first).
        n_keywords: Only each theme's first ``n_keywords`` keywords (all when ``None``).

    Returns:
        One row per theme and keyword (themes in table order, keywords in their own order):
        ``theme``, ``keyword``, ``n_ideas``.
    """
    require(ideas, ["theme", "content_lemmas", "hidden", "non_answer"], "ideas")
    require(themes, ["theme", "keywords"], "themes")
    shown = counted_ideas(ideas)
    keys = theme_keys(shown).to_numpy()
    words = _idea_words(shown)
    rows: list[dict[str, Any]] = []
    for theme, value in zip(themes["theme"].astype(str), themes["keywords"], strict=True):
        members = [words[i] for i in np.flatnonzero(keys == theme)]
        keywords = _keywords(value)
        for keyword in keywords[:n_keywords] if n_keywords is not None else keywords:
            parts = keyword.lower().split()
            count = sum(all(part in idea for part in parts) for idea in members)
            rows.append({"theme": theme, "keyword": keyword, "n_ideas": count})
    return pd.DataFrame(rows, columns=["theme", "keyword", "n_ideas"]).astype(
        {"theme": str, "keyword": str, "n_ideas": int}
    )


def keyword_chart(
    ideas: pd.DataFrame,
    themes: pd.DataFrame,
    n_keywords: int = 8,
    lang: str = "lv",
    *,
    redact: bool = True,
) -> Figure:
    """Small multiples: one panel per theme (largest first) with bars of its keywords.

    A bar is the number of the theme's visible ideas that use the keyword
    (:func:`keyword_counts`); keywords no visible idea uses are left out.

    Args:
        ideas: Reviewed ideas (``theme``, ``content_lemmas``, ``hidden``, ``non_answer``).
        themes: Reviewed themes (``theme``, ``name_lv``, ``keywords``).
        n_keywords: Keywords per theme.
        lang: "lv" or "en".
        redact: Replace personal data in names and keywords.
    """
    t = chart_text(lang)
    counts = keyword_counts(ideas, themes, n_keywords)
    names = theme_names(themes, lang, redact=redact)
    sizes = visible_counts(ideas)
    order = sorted(
        (theme for theme in names if sizes.get(theme, 0) > 0),
        key=lambda theme: (-int(sizes.get(theme, 0)), theme),
    )
    with chart_style():
        if not order:
            return no_data_figure(t["keywords_title"], t["no_data"])
        n_cols = min(3, len(order))
        n_rows = math.ceil(len(order) / n_cols)
        panel_height = 0.75 + 0.24 * max(n_keywords, 3)
        figure = new_figure(FIGURE_WIDTH, 0.9 + n_rows * panel_height)
        panels = figure.subfigures(n_rows, n_cols, squeeze=False, wspace=0.04)
        title_width = FIGURE_WIDTH * 72 / n_cols * 0.92
        for theme, panel in zip(order, panels.flat, strict=False):
            found = counts[(counts["theme"] == theme) & (counts["n_ideas"] > 0)]
            found = found.sort_values("n_ideas", ascending=False, kind="stable")
            title = f"{names[theme]} ({ideas_phrase(int(sizes[theme]), lang)})"
            _draw_panel(panel, title, found, title_width, n_keywords, redact, t)
        titled(figure, t["keywords_title"], t["keywords_note"])
    return figure


def _draw_panel(
    panel: Any,
    title: str,
    found: pd.DataFrame,
    title_width: float,
    n_keywords: int,
    redact: bool,
    t: dict[str, Any],
) -> None:
    """One theme's panel: its title and a bar per keyword some idea uses."""
    lines = wrap_to_width(title, 10.5, title_width, "bold")
    panel.suptitle("\n".join(lines), x=0.02, ha="left", fontsize=10.5, weight="bold")
    ax = panel.add_subplot()
    labels = [shorten(clean(k, redact), 24) for k in found["keyword"]]
    values = found["n_ideas"].to_numpy()
    y = np.arange(len(values))[::-1] + (max(n_keywords, 1) - len(values))
    ax.barh(y, values, color=BAR_COLOUR, height=0.7)
    for row, value in zip(y, values, strict=True):
        ax.text(value, row, f" {value}", va="center", ha="left", fontsize=9)
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.6, max(n_keywords, 1) - 0.4)
    ax.set_xlim(0, max(values.max() if len(values) else 1, 1) * 1.22)
    ax.set_xticks([])
    ax.spines[["top", "right", "bottom"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    if not len(values):
        ax.text(0.02, 0.5, t["no_keywords"], transform=ax.transAxes, color="#777777")
