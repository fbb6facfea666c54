"""Which theme each cluster and each idea belongs to, once clusters and ideas are named.

A cluster named with a taxonomy theme is one of its sub-themes; a cluster no theme fits is a
new theme when it keeps enough of its members. An answer left without a theme joins the
nearest theme when it is as close to it as that theme's own members are, and, for a taxonomy
theme, when the theme fits it on its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

import numpy as np
import pandas as pd

from pipeline.params import ThemesParams
from pipeline.topics.spread import nearest_within, spread_radii
from pipeline.topics.taxonomy import NEW_THEME_PREFIX
from pipeline.topics.vectors import centroids, unit_rows


def cluster_themes(
    cluster_names: pd.DataFrame, labels: np.ndarray, named: np.ndarray, params: ThemesParams
) -> tuple[dict[int, str], list[int]]:
    """The theme id of every cluster that is a theme's (sub-)theme, and the new ones.

    Members of a new cluster that no theme fits stay in it; new themes are numbered by the
    ideas they keep, largest first. A new cluster left with fewer than
    ``min_new_theme_ideas`` ideas is no theme, nor is one whose members mostly went to other
    themes (less than ``min_new_theme_share`` kept): what is left of a mix.

    Args:
        cluster_names: :meth:`~pipeline.topics.naming.ThemeNamer.name_clusters`, indexed by
            cluster.
        labels: Cluster label per idea (-1: none, non-answers included).
        named: Taxonomy theme id per idea (:meth:`~pipeline.topics.naming.ThemeNamer.assign`).
        params: The ``themes`` section.

    Returns:
        ``(theme_of, new_clusters)``: cluster -> theme id ("new-1" for a new one), and the
        new clusters in the order of their ids.
    """
    info = cluster_names
    left = pd.Series(labels[(labels >= 0) & (named == "")]).value_counts()
    members = pd.Series(labels[labels >= 0]).value_counts()
    new_clusters = sorted(
        (
            int(c)
            for c in info.index[info["is_new"]]
            if left.get(c, 0) >= max(1, params.min_new_theme_ideas)
            and left.get(c, 0) >= params.min_new_theme_share * members[c]
        ),
        key=lambda c: (-int(left[c]), c),
    )
    theme_of: dict[int, str] = {
        cluster: f"{NEW_THEME_PREFIX}{k}" for k, cluster in enumerate(new_clusters, start=1)
    }
    for cluster, row in info.iterrows():
        if not row["is_new"]:
            theme_of[int(cluster)] = str(row["theme"])
    return theme_of, new_clusters


def idea_themes(
    centred: np.ndarray,
    labels: np.ndarray,
    non_answer: np.ndarray,
    named: np.ndarray,
    named_confidence: np.ndarray,
    theme_of: Mapping[int, str],
    params: ThemesParams,
    fits: Mapping[str, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The theme id of every idea ("" for none) and its confidence.

    An idea keeps the taxonomy theme it was named with, else takes its cluster's theme. An
    answer still without a theme (a member of a new cluster too small to be a theme, or
    HDBSCAN noise that neither joined a cluster nor fits a theme on its own) joins the
    nearest theme when it is as close to it as its own members, and a taxonomy theme only
    when that theme fits it (``fits``); the rest stay outliers.

    Args:
        centred: Language-centred embeddings, one row per idea.
        labels: Cluster label per idea (-1: none, non-answers included).
        non_answer: Whether each idea is a non-answer (never joins a theme).
        named: Taxonomy theme id per idea ("" for none).
        named_confidence: The naming confidence of every idea.
        theme_of: Cluster -> theme id (:func:`cluster_themes`).
        params: The ``themes`` section.
        fits: Taxonomy theme id -> whether it fits each idea on its own
            (:meth:`~pipeline.topics.naming.ThemeNamer.idea_fits`); None: no condition.
    """
    idea_theme_id = np.where(
        named != "", named, [theme_of.get(c, "") if c >= 0 else "" for c in labels.tolist()]
    ).astype(object)
    orphans = np.flatnonzero((idea_theme_id == "") & ~non_answer)
    joined, closeness = join_nearest_theme(centred, idea_theme_id, orphans, params.join_quantile)
    if fits is not None:
        pairs = zip(joined, orphans, strict=True)
        unfit = np.array([theme in fits and not fits[theme][row] for theme, row in pairs], bool)
        joined[unfit] = ""
        closeness[unfit] = 0.0
    idea_theme_id[orphans] = joined
    confidence = np.asarray(named_confidence, dtype=float).copy()
    confidence[orphans] = np.where(joined != "", params.min_confidence * closeness, 0.0)
    return idea_theme_id, confidence


def join_nearest_theme(
    embeddings: np.ndarray, theme_ids: np.ndarray, rows: np.ndarray, quantile: float
) -> tuple[np.ndarray, np.ndarray]:
    """The theme each of ``rows`` joins, "" for none, and how close it is (0..1).

    An idea joins the theme with the nearest centroid (cosine) when it is no farther from it
    than ``quantile`` of that theme's members are: the rule of HDBSCAN noise reassignment
    (:mod:`pipeline.topics.spread`). Closeness is 1 at the centroid and 0 at that distance.
    """
    joined = np.full(len(rows), "", dtype=object)
    closeness = np.zeros(len(rows))
    themes = sorted(set(theme_ids[theme_ids != ""].tolist()))
    if not len(rows) or not themes:
        return joined, closeness
    index = {theme: k for k, theme in enumerate(themes)}
    labels = np.array([index.get(t, -1) for t in theme_ids], dtype=np.int64)
    unit = unit_rows(embeddings, np.float32)
    weights = np.ones(len(labels))
    distances = 1.0 - unit @ centroids(unit, labels, weights, range(len(themes))).T
    radii = spread_radii(distances, labels, quantile)
    nearest, close, how_close = nearest_within(distances[rows], radii)
    joined[close] = [themes[k] for k in nearest[close]]
    closeness[close] = how_close[close]
    return joined, closeness


def theme_groups(
    labels: np.ndarray, theme_of: Mapping[int, str], idea_theme_id: np.ndarray
) -> tuple[dict[str, list[int]], list[str]]:
    """The clusters named with each theme (its sub-themes), largest first, and the themes,
    largest first by their ideas."""
    sizes = pd.Series(labels[labels >= 0]).value_counts()
    clusters_of: dict[str, list[int]] = defaultdict(list)
    for cluster in sorted(theme_of, key=lambda c: (-int(sizes.get(c, 0)), c)):
        clusters_of[theme_of[cluster]].append(cluster)
    theme_list = sorted(
        set(idea_theme_id[idea_theme_id != ""].tolist()),
        key=lambda t: (-int((idea_theme_id == t).sum()), t),
    )
    return clusters_of, theme_list
