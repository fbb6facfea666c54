"""Reduce and cluster in one call: the clusters of a corpus from its embeddings.

DVC runs the two steps as separate stages (:mod:`pipeline.steps.reduce`,
:mod:`pipeline.steps.cluster`); the evaluation (which refits with several seeds for stability)
and notebooks use :func:`fit_clusters`, then :func:`pipeline.topics.themes.name_themes`.
"""

from __future__ import annotations

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
from pipeline.topics.cluster import ThemeClusterer, cluster_corpus
from pipeline.topics.crosslingual import LanguageCentering
from pipeline.topics.reduce import Reducer
from pipeline.topics.reduction import reduce_corpus, seed_rows
from pipeline.topics.taxonomy import Theme


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
        ideas,
        reduction.centred,
        reduction.reduced,
        cluster=cluster,
        outliers=outliers,
        guidance=seed_rows(reduction, ideas),
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
