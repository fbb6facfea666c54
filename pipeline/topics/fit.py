"""Centre, guide, reduce and cluster in one call: the clusters of a corpus from its embeddings.

DVC runs these steps as separate stages; ``balsis run``, the evaluation (which refits with
several seeds for stability) and notebooks use :func:`fit_clusters`, then
:func:`pipeline.topics.themes.name_themes`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.params import (
    ClusterParams,
    CrossLingualParams,
    GuidanceParams,
    OutlierParams,
    ReduceParams,
)
from pipeline.topics.cluster import ThemeClusterer, assignments, cluster_reduced
from pipeline.topics.crosslingual import LanguageCentering, make_centering
from pipeline.topics.duplicates import duplicate_positions
from pipeline.topics.guidance import TaxonomyGuidance, lemma_lists, make_guidance
from pipeline.topics.reduce import Reducer, make_reducer, reduce_ideas
from pipeline.topics.taxonomy import Theme

logger = logging.getLogger(__name__)


@dataclass
class Reduction:
    """What the reduce step produces: the fitted models and the arrays aligned with the ideas."""

    centering: LanguageCentering | None
    guidance: TaxonomyGuidance | None
    reducer: Reducer | None  # None: too few ideas to reduce
    centred: np.ndarray
    reduced: np.ndarray  # shape (n, 0) when not reduced


@dataclass
class ClusterResult:
    """Everything the reduce and cluster steps produce."""

    centering: LanguageCentering | None
    reducer: Reducer | None  # None: too few ideas to cluster
    clusterer: ThemeClusterer | None
    centred: np.ndarray
    reduced: np.ndarray
    clusters: pd.DataFrame  # idea_id, cluster, confidence, outlier, reassigned


def distinct_ideas(ideas: pd.DataFrame) -> int:
    """How many ideas are clustered: answers that duplicate no earlier idea."""
    duplicates = duplicate_positions(ideas["idea_id"], ideas["duplicate_of"])
    return int((~ideas["non_answer"].to_numpy(dtype=bool) & (duplicates < 0)).sum())


def reduce_corpus(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    taxonomy: Sequence[Theme] | None,
    *,
    crosslingual: CrossLingualParams,
    guidance: GuidanceParams,
    reduce: ReduceParams,
    seed: int,
) -> Reduction:
    """Centre by language, add taxonomy guidance and reduce with UMAP.

    Args:
        ideas: The ideas table (``idea_id``, ``language``, ``non_answer``, ``duplicate_of``,
            ``content_lemmas``).
        embeddings: Rows aligned with ``ideas``.
        taxonomy: Themes whose seed words guide the reduction (``guidance``); None: no
            guidance. Pass the taxonomy the themes are named with.
        seed: UMAP's ``random_state``.
    """
    n_unique = distinct_ideas(ideas)
    needed = max(reduce.n_components + 2, reduce.n_neighbors + 1)
    if n_unique < needed:
        logger.warning(
            "only %d distinct ideas: too few to reduce (at least %d are needed)", n_unique, needed
        )
        return Reduction(
            None,
            None,
            None,
            np.asarray(embeddings, dtype=np.float32),
            np.full((len(ideas), 0), np.nan, dtype=np.float32),
        )
    centering = make_centering(crosslingual)
    reducer = make_reducer(reduce, seed)
    fitted_guidance = make_guidance(guidance, taxonomy)
    centred, reduced = reduce_ideas(
        embeddings,
        ideas["language"].astype(str).to_numpy(),
        ideas["non_answer"].to_numpy(dtype=bool),
        duplicate_positions(ideas["idea_id"], ideas["duplicate_of"]),
        centering=centering,
        reducer=reducer,
        guidance=fitted_guidance.fit_transform(lemma_lists(ideas)),
    )
    return Reduction(centering, fitted_guidance, reducer, centred, reduced)


def cluster_corpus(
    ideas: pd.DataFrame,
    centred: np.ndarray,
    reduced: np.ndarray,
    *,
    cluster: ClusterParams,
    outliers: OutlierParams,
) -> tuple[ThemeClusterer | None, pd.DataFrame]:
    """HDBSCAN on the reduced ideas; ``(None, every idea unclustered)`` when there are too few.

    Returns:
        The fitted clusterer and the per-idea table (``idea_id``, ``cluster``, ``confidence``,
        ``outlier``, ``reassigned``).
    """
    n_unique = distinct_ideas(ideas)
    needed = 2 * cluster.min_cluster_size
    if reduced.shape[1] == 0 or n_unique < needed:
        logger.warning(
            "only %d distinct ideas: too few to find themes (at least %d are needed); "
            "every idea is left without a theme",
            n_unique,
            needed,
        )
        return None, unclustered(ideas)
    clusterer = cluster_reduced(ideas, centred, reduced, cluster, outliers)
    return clusterer, assignments(ideas["idea_id"].tolist(), clusterer)


def fit_clusters(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    taxonomy: Sequence[Theme] | None,
    *,
    crosslingual: CrossLingualParams,
    guidance: GuidanceParams,
    reduce: ReduceParams,
    cluster: ClusterParams,
    outliers: OutlierParams,
    seed: int,
) -> ClusterResult:
    """:func:`reduce_corpus`, then :func:`cluster_corpus`: the clusters of a corpus.

    The keyword arguments are the params sections of the same names (see
    :func:`pipeline.params.clustering_sections`).
    """
    reduction = reduce_corpus(
        ideas,
        embeddings,
        taxonomy,
        crosslingual=crosslingual,
        guidance=guidance,
        reduce=reduce,
        seed=seed,
    )
    clusterer, clusters = cluster_corpus(
        ideas, reduction.centred, reduction.reduced, cluster=cluster, outliers=outliers
    )
    return ClusterResult(
        centering=reduction.centering,
        reducer=reduction.reducer if clusterer is not None else None,
        clusterer=clusterer,
        centred=reduction.centred,
        reduced=reduction.reduced
        if clusterer is not None
        else np.full((len(ideas), 0), np.nan, dtype=np.float32),
        clusters=clusters,
    )


def unclustered(ideas: pd.DataFrame) -> pd.DataFrame:
    """The per-idea cluster table of a corpus too small to cluster: every answer an outlier."""
    n = len(ideas)
    return pd.DataFrame(
        {
            "idea_id": pd.Series(ideas["idea_id"].tolist(), dtype="string"),
            "cluster": np.full(n, -1, dtype=np.int64),
            "confidence": np.zeros(n),
            "outlier": ~ideas["non_answer"].to_numpy(dtype=bool),
            "reassigned": np.zeros(n, dtype=bool),
        }
    )
