"""SWOT per theme and the SVID table a planner pastes into the development programme.

A theme can sit in two quadrants ("roads" as a need, "using the lake for tourism" as an
opportunity): the split is shown, not forced into one. Every entry of the SVID table is backed
by short quotes of what residents actually wrote.
"""

from __future__ import annotations

import pandas as pd

from pipeline.summary.counting import placed_ideas
from pipeline.swot.quadrants import QUADRANT_NAMES_LV, QUADRANTS


def theme_swot(ideas: pd.DataFrame) -> pd.DataFrame:
    """The quadrant split of each theme's ideas (duplicates count: each is a resident).

    Args:
        ideas: One row per idea with ``theme`` and ``swot`` ("" for none); only ideas that
            count (:mod:`pipeline.summary.counting`) are split.

    Returns:
        One row per theme (index ``theme``): ``swot_n``, ``swot_share_S`` .. ``swot_share_T``,
        ``swot_dominant`` and ``swot_dominant_share`` (the share of the dominant quadrant, a
        simple confidence of the theme's place in the table).
    """
    assigned = placed_ideas(ideas)
    counts = pd.crosstab(assigned["theme"], assigned["swot"]).reindex(
        columns=list(QUADRANTS), fill_value=0
    )
    total = counts.sum(axis=1)
    shares = counts.div(total.where(total > 0, 1), axis=0)
    result = pd.DataFrame(index=counts.index)
    result["swot_n"] = total
    for quadrant in QUADRANTS:
        result[f"swot_share_{quadrant}"] = shares[quadrant].round(4)
    result["swot_dominant"] = shares.idxmax(axis=1)
    result["swot_dominant_share"] = shares.max(axis=1).round(4)
    return result


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return f"{cut}…"


def svid_table(
    ideas: pd.DataFrame,
    theme_names: dict[str, str],
    *,
    min_share: float = 0.2,
    min_ideas: int = 2,
    n_quotes: int = 3,
    quote_chars: int = 160,
) -> pd.DataFrame:
    """The SVID table: per quadrant, the themes residents placed there, with counts and quotes.

    A theme is listed in a quadrant when at least ``min_ideas`` of its ideas, and at least
    ``min_share`` of them, fall there. Quotes are the most confident distinct ideas (no
    duplicates), shortened to ``quote_chars``.

    Args:
        ideas: One row per idea with ``theme``, ``swot``, ``swot_confidence``, ``text_clean``,
            ``duplicate_of``, and optionally ``theme_confidence``.
        theme_names: Theme id -> name for the table.

    Returns:
        Rows ``quadrant``, ``quadrant_name``, ``theme``, ``theme_name``, ``n_ideas``,
        ``share_of_theme``, ``quotes`` (list of str), ``quote_idea_ids``; quadrants in S, W, O, T
        order, themes by ``n_ideas`` within each.
    """
    split = theme_swot(ideas)
    assigned = placed_ideas(ideas).copy()
    strength = assigned["swot_confidence"].fillna(0).astype(float)
    if "theme_confidence" in assigned:
        strength = strength * assigned["theme_confidence"].fillna(0).astype(float)
    assigned["_strength"] = strength
    rows = []
    for quadrant in QUADRANTS:
        in_quadrant = assigned[assigned["swot"] == quadrant]
        for theme, group in in_quadrant.groupby("theme"):
            share = float(split.loc[theme, f"swot_share_{quadrant}"])
            if len(group) < min_ideas or share < min_share:
                continue
            originals = group[group["duplicate_of"].isna()].sort_values(
                "_strength", ascending=False, kind="stable"
            )
            quotes = originals.drop_duplicates("text_clean").head(n_quotes)
            rows.append(
                {
                    "quadrant": quadrant,
                    "quadrant_name": QUADRANT_NAMES_LV[quadrant],
                    "theme": theme,
                    "theme_name": theme_names.get(theme, theme),
                    "n_ideas": len(group),
                    "share_of_theme": round(share, 4),
                    "quotes": [_short(t, quote_chars) for t in quotes["text_clean"]],
                    "quote_idea_ids": quotes["idea_id"].tolist(),
                }
            )
    table = pd.DataFrame(
        rows,
        columns=["quadrant", "quadrant_name", "theme", "theme_name", "n_ideas",
                 "share_of_theme", "quotes", "quote_idea_ids"],
    )  # fmt: skip
    order = {q: i for i, q in enumerate(QUADRANTS)}
    return table.sort_values(
        ["quadrant", "n_ideas"], key=lambda c: c.map(order) if c.name == "quadrant" else -c
    ).reset_index(drop=True)
