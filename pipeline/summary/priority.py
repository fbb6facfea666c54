"""Priorities: which themes matter most, judged by how many raised them, how many votes they got,
how widely they were raised, how urgent they sound and how much of them is a need.

Every component is scaled to 0..1 by dividing by its largest value over the themes, and the score
is the weighted mean of the components that the data has (a corpus with no votes at all gives
no votes component, and the other weights are rescaled to sum to one):

=============  =========================================================================
component      raw value per theme
=============  =========================================================================
ideas          ideas in the theme, duplicates included (each repeat is a resident)
votes          dot-votes summed over distinct responses (a response counts once per theme)
breadth        mean of (territories raising it / all territories, groups / all groups)
urgency        share of the theme's ideas with an urgency cue ("steidzami", "bīstami", ...)
weakness       share of the theme's ideas in the W (need) quadrant
=============  =========================================================================
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from pipeline.summary.counting import (
    counted_ideas,
    has_theme,
    placed_ideas,
    unhidden_ideas,
    votes_per_response,
)

COMPONENTS = ("ideas", "votes", "breadth", "urgency", "weakness")


def theme_components(ideas: pd.DataFrame) -> pd.DataFrame:
    """Raw priority components per theme.

    Args:
        ideas: One row per idea with ``theme`` ("" or NA for none), ``response_id``, and
            optionally ``votes``, ``territory``, ``group``, ``swot``, ``urgency``, ``hidden``,
            ``non_answer``. Only ideas that count (:mod:`pipeline.summary.counting`) are
            counted in a theme.

    Returns:
        One row per theme (index ``theme``): ``n_ideas``, ``n_responses``, ``votes``,
        ``n_territories``, ``n_groups``, ``breadth``, ``urgency``, ``weakness``.
    """
    counted = counted_ideas(ideas)
    assigned = counted[has_theme(counted)].copy()
    # breadth is measured against everyone who took part, non-answers included
    taking_part = unhidden_ideas(ideas)
    n_territories = _distinct(taking_part, "territory")
    n_groups = _distinct(taking_part, "group")
    rows = []
    for theme, group in assigned.groupby("theme", sort=True):
        has_votes = "votes" in group and group["votes"].notna().any()
        votes = float(votes_per_response(group).sum()) if has_votes else np.nan
        territories = _distinct(group, "territory")
        groups = _distinct(group, "group")
        shares = [
            territories / n_territories if n_territories else np.nan,
            groups / n_groups if n_groups else np.nan,
        ]
        known = [s for s in shares if not np.isnan(s)]
        rows.append(
            {
                "theme": theme,
                "n_ideas": len(group),
                "n_responses": group["response_id"].nunique(),
                "votes": votes,
                "n_territories": territories,
                "n_groups": groups,
                "breadth": float(np.mean(known)) if known else np.nan,
                "urgency": float(group["urgency"].astype(bool).mean())
                if "urgency" in group
                else np.nan,
                "weakness": float(group["swot"].eq("W").mean()) if "swot" in group else np.nan,
            }
        )
    columns = ["theme", "n_ideas", "n_responses", "votes", "n_territories", "n_groups",
               "breadth", "urgency", "weakness"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns).set_index("theme")


def _distinct(frame: pd.DataFrame, column: str) -> int:
    if column not in frame:
        return 0
    return int(frame[column].dropna().astype(str).str.strip().replace("", np.nan).nunique())


def priority_scores(components: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Combine the components into a score and a rank.

    Args:
        components: Output of :func:`theme_components`.
        weights: Weight per component name in :data:`COMPONENTS`; missing names weigh 0.

    Returns:
        ``components`` plus ``part_<component>`` (its weighted, scaled contribution),
        ``priority_score`` (0..1) and ``priority_rank`` (1 = first). Ties are broken by the
        number of ideas, then votes, then theme id, so the order is stable.
    """
    unknown = set(weights) - set(COMPONENTS)
    if unknown:
        raise ValueError(f"unknown priority weight(s): {', '.join(sorted(unknown))}")
    raw = {
        "ideas": components["n_ideas"].astype(float),
        "votes": components["votes"].astype(float),
        "breadth": components["breadth"].astype(float),
        "urgency": components["urgency"].astype(float),
        "weakness": components["weakness"].astype(float),
    }
    scaled: dict[str, pd.Series] = {}
    for name, values in raw.items():
        top = values.max(skipna=True)
        if values.notna().any() and top and top > 0:
            scaled[name] = values.fillna(0) / top
        elif values.notna().any():
            scaled[name] = values.fillna(0) * 0.0
    active = {n: float(weights.get(n, 0.0)) for n in scaled if weights.get(n, 0.0) > 0}
    total = sum(active.values())
    result = components.copy()
    score = pd.Series(0.0, index=components.index)
    for name in COMPONENTS:
        if name in active and total > 0:
            part = scaled[name] * active[name] / total
        else:
            part = pd.Series(0.0, index=components.index)
        result[f"part_{name}"] = part
        score = score + part
    result["priority_score"] = score.round(6)
    order = result.assign(_votes=result["votes"].fillna(0)).sort_values(
        ["priority_score", "n_ideas", "_votes"], ascending=[False, False, False], kind="stable"
    )
    result["priority_rank"] = pd.Series(range(1, len(order) + 1), index=order.index)
    return result.sort_values("priority_rank")


def priorities(
    ideas: pd.DataFrame, weights: Mapping[str, float], *, by: str | None = None
) -> pd.DataFrame:
    """Priority table overall, or per value of ``by`` (``territory`` or ``group``).

    Returns:
        One row per theme (and per ``by`` value, when given), with the components, the parts,
        ``priority_score`` and ``priority_rank`` (ranked within each ``by`` value).
    """
    if by is None:
        return priority_scores(theme_components(ideas), weights).reset_index()
    if by not in ideas or ideas[by].dropna().empty:
        return pd.DataFrame(columns=[by, "theme", "priority_score", "priority_rank"])
    tables = []
    for value, part in ideas.dropna(subset=[by]).groupby(by, sort=True):
        table = priority_scores(theme_components(part), weights).reset_index()
        table.insert(0, by, value)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


def plot_tables(
    ideas: pd.DataFrame, priority: pd.DataFrame, names: Mapping[str, str]
) -> dict[str, pd.DataFrame]:
    """Small tables for ``dvc plots``: ideas per theme, priority score per theme, SVID shares.

    Themes are named (``names``: key -> name) and sorted by rank or size, so that two
    experiments line up theme by theme.
    """
    ranked = priority.sort_values("priority_rank")
    theme = [names.get(t, t) for t in ranked["theme"]]
    sizes = pd.DataFrame({"theme": theme, "n_ideas": ranked["n_ideas"].to_numpy()})
    scores = pd.DataFrame(
        {"theme": theme, "priority_score": ranked["priority_score"].round(4).to_numpy()}
    )
    placed = placed_ideas(ideas)
    shares = placed["swot"].value_counts(normalize=True).reindex(list("SWOT"), fill_value=0.0)
    swot = pd.DataFrame({"quadrant": list("SWOT"), "share": shares.round(4).to_numpy()})
    return {
        "theme_sizes": sizes.sort_values("n_ideas", ascending=False, kind="stable"),
        "priority_scores": scores,
        "swot_shares": swot,
    }
