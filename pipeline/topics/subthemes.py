"""Sub-themes: the clusters named with one theme, each with a name of its own keywords."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from pipeline.params import ThemesParams
from pipeline.topics.encoder import Encoder
from pipeline.topics.keywords import fit_keywords
from pipeline.topics.terms import keyword_name
from pipeline.topics.vectors import unit_rows


def subtheme_names(
    ideas: pd.DataFrame,
    labels: np.ndarray,
    clusters_of: Mapping[str, Sequence[int]],
    cluster_keywords: Mapping[int, Sequence[str]],
    params: ThemesParams,
    encoder: Encoder,
) -> dict[int, tuple[str, str]]:
    """Cluster -> (sub-theme label "roads/1", keyword name) for themes of several clusters.

    A sub-theme's keywords are found among its theme's clusters alone; it is named by those
    it does not share with every sibling, else by all of them, else by its cluster keywords.
    """
    subtheme_of: dict[int, tuple[str, str]] = {}
    for theme, clusters in clusters_of.items():
        if len(clusters) < 2:
            continue
        inside = np.isin(labels, clusters)
        sibling = fit_keywords(ideas[inside], labels[inside], params, encoder).keywords_
        shared = set.intersection(*(set(sibling.get(c, [])) for c in clusters))
        used: Counter[str] = Counter()
        for k, cluster in enumerate(clusters, start=1):
            own = [w for w in sibling.get(cluster, []) if w not in shared]
            name = keyword_name(own or sibling.get(cluster, []), params.n_name_keywords)
            name = name or keyword_name(cluster_keywords[cluster], params.n_name_keywords)
            used[name] += 1
            if used[name] > 1:
                name = f"{name} ({used[name]})"
            subtheme_of[cluster] = (f"{theme}/{k}", name)
    return subtheme_of


def subtheme_clusters(
    embeddings: np.ndarray,
    labels: np.ndarray,
    idea_themes: np.ndarray,
    theme_of: Mapping[int, str],
    clusters_of: Mapping[str, Sequence[int]],
) -> np.ndarray:
    """The cluster whose sub-theme each idea belongs to (-1: none).

    An idea named like its cluster is in that cluster's sub-theme; an idea named apart from
    its cluster joins the sub-theme of its theme with the nearest centroid, so that every idea
    of a theme with sub-themes is in one of them.
    """
    result = np.full(len(labels), -1, dtype=np.int64)
    centres: dict[int, np.ndarray] = {}
    for i, (cluster, theme) in enumerate(zip(labels.tolist(), idea_themes.tolist(), strict=True)):
        if not theme:
            continue
        if cluster >= 0 and theme_of.get(cluster) == theme:
            result[i] = cluster
            continue
        siblings = list(clusters_of.get(theme, []))
        if len(siblings) < 2:
            continue
        for sibling in siblings:
            if sibling not in centres:
                centres[sibling] = unit_rows(
                    np.nan_to_num(embeddings[labels == sibling]).mean(axis=0, keepdims=True),
                    np.float32,
                )[0]
        row = np.nan_to_num(embeddings[i])
        result[i] = max(siblings, key=lambda c: float(row @ centres[c]))
    return result
