"""Inputs too small to cluster: no UMAP, no HDBSCAN; each idea is named on its own where it fits.

Clustering means something only when there is room for two themes of ``cluster.min_cluster_size``
ideas: below ``2 * min_cluster_size`` distinct ideas the reduce and cluster steps do nothing (the
cluster table says ``clustered`` False), every idea is its own candidate, and the themes step gives
it a taxonomy theme only where its own match reaches ``themes.single_idea_min_confidence`` (and
``themes.min_confidence``, which names outliers in a clustered corpus). That is
stricter than ``themes.min_confidence``, which names clusters, whose members' mean match is
steadier than one idea's (the figures on which 0.4 was chosen are beside the parameter in
:class:`pipeline.params.ThemesParams`). The run's log, its summary and the report say what was
and was not done.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from pipeline.topics.duplicates import distinct_ideas
from pipeline.topics.sizing import min_cluster_size as resolved_min_cluster_size

NOTE = (
    "{n_ideas} {ideas}: too few to find themes (at least {needed} needed); "
    "{n_named} given a taxonomy theme, {n_left} left without"
)


def min_ideas_to_cluster(min_cluster_size: int | str, n_ideas: int) -> int:
    """The fewest distinct ideas worth clustering: room for two themes of the smallest size.

    Args:
        min_cluster_size: ``cluster.min_cluster_size`` (a number or ``"auto"``,
            :func:`pipeline.topics.sizing.min_cluster_size`).
        n_ideas: Distinct ideas in the corpus (what ``"auto"`` follows).
    """
    return 2 * resolved_min_cluster_size(min_cluster_size, n_ideas)


def too_few_to_cluster(ideas: pd.DataFrame, min_cluster_size: int | str) -> bool:
    """Whether ``ideas`` (``idea_id``, ``non_answer``, ``duplicate_of``) are too few to cluster."""
    n_ideas = distinct_ideas(ideas)
    return n_ideas < min_ideas_to_cluster(min_cluster_size, n_ideas)


def small_input_counts(
    ideas: pd.DataFrame, themes: Sequence[str], min_cluster_size: int | str
) -> dict[str, int] | None:
    """What was done with an input too small to cluster; None when it was large enough.

    Args:
        ideas: The ideas table (``idea_id``, ``non_answer``, ``duplicate_of``).
        themes: The theme of every idea ("" for none), aligned with ``ideas``.
        min_cluster_size: ``cluster.min_cluster_size``.

    Returns:
        ``n_ideas`` (answers), ``needed`` (distinct ideas clustering needs), ``n_named`` (answers
        given a taxonomy theme) and ``n_left`` (answers left without one).
    """
    if not too_few_to_cluster(ideas, min_cluster_size):
        return None
    answers = ~ideas["non_answer"].fillna(False).astype(bool).to_numpy()
    named = pd.Series(list(themes), dtype="string").fillna("").ne("").to_numpy()
    n_ideas, n_named = int(answers.sum()), int((answers & named).sum())
    return {
        "n_ideas": n_ideas,
        "needed": min_ideas_to_cluster(min_cluster_size, distinct_ideas(ideas)),
        "n_named": n_named,
        "n_left": n_ideas - n_named,
    }


def small_input_note(
    ideas: pd.DataFrame, themes: Sequence[str], min_cluster_size: int | str
) -> str:
    """One plain sentence on an input too small to cluster ("" when it was large enough):
    "12 ideas: too few to find themes (at least 16 needed); 5 given a taxonomy theme, 7 left
    without"."""
    counts = small_input_counts(ideas, themes, min_cluster_size)
    if not counts:
        return ""
    return NOTE.format(**counts, ideas="idea" if counts["n_ideas"] == 1 else "ideas")
