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


def keep_new_theme_members(
    centred: np.ndarray,
    labels: np.ndarray,
    named: np.ndarray,
    confidence: np.ndarray,
    theme_of: Mapping[int, str],
    cluster_confidence: Mapping[int, float],
) -> tuple[np.ndarray, np.ndarray]:
    """Members of a new theme named apart stay in it unless nearer to the theme they fit.

    A cluster no taxonomy theme fits, kept as a new theme, is a topic of its own, and text on a
    topic the taxonomy lacks often fits a theme word by word. A member named apart (only ever
    with a theme some cluster took: :meth:`~pipeline.topics.naming.ThemeNamer.assign`) leaves
    its new theme for that taxonomy theme only when it is nearer (cosine,
    language-centred) to the centroid of the clusters named with that theme than to its own
    cluster's centroid. On SIB-200 (7 topics, none municipal; lv, ru, ltg together) the
    same sentence's three versions then share a theme in 72% of the triples (65% without
    this rule, 49% without it and the rule of
    :meth:`~pipeline.topics.naming.ThemeNamer.assign`); the bundled sample's theme names and
    Russian ideas in their gold theme are unchanged (84.5% and 85.1%).

    Args:
        centred: Language-centred embeddings, one row per idea.
        labels: Cluster label per idea (-1: none).
        named: Taxonomy theme id per idea ("" for none).
        confidence: The naming confidence of every idea.
        theme_of: Cluster -> theme id (:func:`cluster_themes`).
        cluster_confidence: Cluster -> the confidence of its own naming (a member kept in a
            new theme takes it, as :meth:`~pipeline.topics.naming.ThemeNamer.assign` gives
            the members it leaves there).

    Returns:
        ``(named, confidence)``: copies, with "" and the cluster's confidence for the members
        kept.
    """
    named = np.asarray(named, dtype=object).copy()
    confidence = np.asarray(confidence, dtype=float).copy()
    labels = np.asarray(labels)
    new = [c for c, theme in theme_of.items() if theme.startswith(NEW_THEME_PREFIX)]
    clusters_of: dict[str, list[int]] = defaultdict(list)
    for cluster, theme in theme_of.items():
        clusters_of[theme].append(cluster)
    rows = np.flatnonzero(np.isin(labels, new) & np.isin(named, list(clusters_of)))
    if not len(rows):
        return named, confidence
    unit = unit_rows(centred, np.float32)
    # one group per new cluster, one per taxonomy theme (its clusters together)
    groups = [(t, clusters_of[t]) for t in sorted({named[row] for row in rows})]
    groups += [(str(c), [c]) for c in sorted({int(labels[row]) for row in rows})]
    group_labels = np.full(len(labels), -1, dtype=np.int64)
    for k, (_, clusters) in enumerate(groups):
        group_labels[np.isin(labels, clusters)] = k
    index = {key: k for k, (key, _) in enumerate(groups)}
    centre = centroids(unit, group_labels, np.ones(len(labels)), range(len(groups)))
    for row in rows:
        cluster = int(labels[row])
        own = float(unit[row] @ centre[index[str(cluster)]])
        if own > float(unit[row] @ centre[index[named[row]]]):
            named[row] = ""
            confidence[row] = float(cluster_confidence[cluster])
    return named, confidence


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
