"""Step ``cluster``: UMAP coordinates -> HDBSCAN clusters, noise reassigned where it fits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.params import ClusterParams, OutlierParams
from pipeline.topics.cluster import ThemeClusterer, cluster_corpus


def cluster(
    ideas: pd.DataFrame,
    centred: np.ndarray,
    reduced: np.ndarray,
    params: ClusterParams,
    outliers: OutlierParams,
    guidance: np.ndarray | None = None,
) -> tuple[ThemeClusterer | None, pd.DataFrame]:
    """The fitted clusterer (None: too few ideas) and the cluster of every idea.

    ``params`` is the ``cluster`` section (HDBSCAN's arguments); ``guidance`` the reduce
    step's seed-word rows (:func:`pipeline.topics.reduction.seed_rows`), for merging clusters.
    """
    return cluster_corpus(
        ideas, centred, reduced, cluster=params, outliers=outliers, guidance=guidance
    )
