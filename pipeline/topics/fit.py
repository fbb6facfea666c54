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

from pipeline.params import Params
from pipeline.topics.cluster import ThemeClusterer, assignments, cluster_reduced
from pipeline.topics.crosslingual import LanguageCentering, make_centering
from pipeline.topics.duplicates import duplicate_positions
from pipeline.topics.guidance import lemma_lists, make_guidance
from pipeline.topics.reduce import Reducer, make_reducer, reduce_ideas
from pipeline.topics.taxonomy import Theme

logger = logging.getLogger(__name__)


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
    taxonomy: Sequence[Theme] | None,
    seed: int | None = None,
) -> ClusterResult:
    """Centre by language, add taxonomy guidance, reduce with UMAP and cluster with HDBSCAN.

    Args:
        ideas: The ideas table (``idea_id``, ``language``, ``non_answer``, ``duplicate_of``,
            ``content_lemmas``).
        embeddings: Rows aligned with ``ideas``.
        params: All parameters; reads ``seed``, ``crosslingual``, ``guidance``, ``reduce``,
            ``cluster`` and ``outliers``. ``seed`` overrides ``params.seed``.
        taxonomy: Themes whose seed words guide the clustering (``guidance`` section); None:
            no guidance. Pass the taxonomy the themes are named with.
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
    clusterer = cluster_reduced(ideas, centred, reduced, params.cluster, params.outliers)
    return ClusterResult(
        centering=centering,
        reducer=reducer,
        clusterer=clusterer,
        centred=centred,
        reduced=reduced,
        clusters=assignments(ideas["idea_id"].tolist(), clusterer),
    )


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
