"""Reduce, cluster and name in one call: the themes of a corpus from its embeddings.

DVC runs these steps as separate stages; ``balsis run``, the evaluation (which refits with
several seeds for stability) and notebooks use :func:`fit_clusters` and :func:`name_themes`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.params import Params
from pipeline.topics.cluster import ThemeClusterer, assignments, make_clusterer
from pipeline.topics.reduce import (
    LanguageCentering,
    Reducer,
    duplicate_positions,
    make_centering,
    make_guidance,
    make_reducer,
    reduce_ideas,
)
from pipeline.topics.themes import Theme, build_themes, load_taxonomy

logger = logging.getLogger(__name__)

DEFAULT_TAXONOMY = Path(__file__).resolve().parents[2] / "data" / "reference" / "themes.yaml"


@dataclass
class ClusterResult:
    """Everything the reduce and cluster steps produce."""

    centering: LanguageCentering | None
    reducer: Reducer | None  # None: too few ideas to cluster
    clusterer: ThemeClusterer | None
    centred: np.ndarray
    reduced: np.ndarray
    clusters: pd.DataFrame  # idea_id, cluster, confidence, outlier, reassigned


def fit_clusters(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    params: Params,
    *,
    seed: int | None = None,
    taxonomy: Sequence[Theme] | None = None,
) -> ClusterResult:
    """Centre by language, add taxonomy guidance, reduce with UMAP and cluster with HDBSCAN.

    Args:
        ideas: The ideas table (``idea_id``, ``language``, ``non_answer``, ``duplicate_of``,
            ``content_lemmas``).
        embeddings: Rows aligned with ``ideas``.
        params: All parameters; ``seed`` overrides ``params.seed``.
        taxonomy: Themes whose seed words guide the clustering (``guidance`` section); None:
            the project's ``data/reference/themes.yaml`` when it exists.
    """
    duplicates = duplicate_positions(ideas["idea_id"], ideas["duplicate_of"])
    non_answer = ideas["non_answer"].to_numpy(dtype=bool)
    n_unique = int((~non_answer & (duplicates < 0)).sum())
    needed = max(2 * params.cluster.min_cluster_size, params.reduce.n_components + 2,
                 params.reduce.n_neighbors + 1)  # fmt: skip
    if n_unique < needed:
        logger.warning(
            "only %d distinct ideas: too few to find themes (at least %d are needed); "
            "every idea is left without a theme",
            n_unique,
            needed,
        )
        return _unclustered(ideas, embeddings)
    centering = make_centering(params.crosslingual)
    reducer = make_reducer(params.reduce, params.seed if seed is None else seed)
    if taxonomy is None and params.guidance.seed_weight > 0 and DEFAULT_TAXONOMY.exists():
        taxonomy = load_taxonomy(DEFAULT_TAXONOMY)
    guidance = make_guidance(params.guidance, taxonomy)
    centred, reduced = reduce_ideas(
        embeddings,
        ideas["language"].astype(str).to_numpy(),
        non_answer,
        duplicates,
        centering=centering,
        reducer=reducer,
        guidance=guidance.fit_transform(lemma_lists(ideas)),
    )
    clusterer = cluster_reduced(ideas, centred, reduced, params)
    return ClusterResult(
        centering=centering,
        reducer=reducer,
        clusterer=clusterer,
        centred=centred,
        reduced=reduced,
        clusters=assignments(ideas["idea_id"].tolist(), clusterer),
    )


def lemma_lists(ideas: pd.DataFrame) -> list[Any]:
    if "content_lemmas" not in ideas.columns:
        return [None] * len(ideas)
    return ideas["content_lemmas"].tolist()


def _unclustered(ideas: pd.DataFrame, embeddings: np.ndarray) -> ClusterResult:
    n = len(ideas)
    clusters = pd.DataFrame(
        {
            "idea_id": pd.Series(ideas["idea_id"].tolist(), dtype="string"),
            "cluster": np.full(n, -1, dtype=np.int64),
            "confidence": np.zeros(n),
            "outlier": ~ideas["non_answer"].to_numpy(dtype=bool),
            "reassigned": np.zeros(n, dtype=bool),
        }
    )
    return ClusterResult(
        centering=None,
        reducer=None,
        clusterer=None,
        centred=np.asarray(embeddings, dtype=np.float32),
        reduced=np.full((n, 0), np.nan, dtype=np.float32),
        clusters=clusters,
    )


def cluster_reduced(
    ideas: pd.DataFrame, centred: np.ndarray, reduced: np.ndarray, params: Params
) -> ThemeClusterer:
    """HDBSCAN on reduced coordinates, with outliers reassigned in the centred space."""
    clusterer = make_clusterer(params.cluster, params.outliers)
    return clusterer.fit(
        reduced,
        centred,
        non_answer=ideas["non_answer"].to_numpy(dtype=bool),
        duplicates=duplicate_positions(ideas["idea_id"], ideas["duplicate_of"]),
    )


def name_themes(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    clusters: pd.DataFrame,
    taxonomy: list[Theme],
    model: Any,
    params: Params,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Keywords, representatives and taxonomy names for the clusters.

    Returns:
        ``(themes, idea_themes)``: one row per theme, one row per idea (see
        :func:`pipeline.topics.themes.build_themes`), the latter with ``outlier`` (an answer that fits no
        theme: an HDBSCAN outlier, or a member of a new cluster too small to be a theme, that
        no theme fits and that is farther from every theme than its members) and
        ``reassigned`` (an HDBSCAN outlier that got a theme: by reassignment, by naming or by
        joining the nearest theme).
    """
    aligned = clusters.set_index("idea_id").loc[ideas["idea_id"]]
    themes, idea_themes = build_themes(
        ideas,
        embeddings,
        aligned["cluster"].to_numpy(),
        taxonomy,
        model,
        params.themes,
        membership=aligned["confidence"].to_numpy(),
    )
    named = idea_themes["theme"].astype(str).ne("").to_numpy()
    outlier = aligned["outlier"].to_numpy(dtype=bool)
    answer = ~ideas["non_answer"].to_numpy(dtype=bool)
    # an answer without a theme is an outlier, whether HDBSCAN left it out or its new cluster
    # kept too few ideas to be a theme
    idea_themes["outlier"] = answer & ~named
    idea_themes["reassigned"] = aligned["reassigned"].to_numpy(dtype=bool) | (outlier & named)
    return themes, idea_themes
