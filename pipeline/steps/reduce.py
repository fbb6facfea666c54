"""Step ``reduce``: embeddings -> language-centred embeddings and UMAP coordinates."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pipeline.params import CrossLingualParams, GuidanceParams, ReduceParams
from pipeline.topics.reduction import Reduction, reduce_corpus, seed_rows
from pipeline.topics.taxonomy import Theme


def reduce(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    taxonomy: Sequence[Theme] | None,
    params: ReduceParams,
    crosslingual: CrossLingualParams,
    guidance: GuidanceParams,
    seed: int,
    min_cluster_size: int | str | None = None,
) -> Reduction:
    """Centre each language, append the taxonomy's seed-word columns, reduce with UMAP.

    Args:
        taxonomy: The themes the ideas are named with; their seed words guide UMAP.
        params: The ``reduce`` section (UMAP's arguments); ``seed`` is its random state.
        min_cluster_size: ``cluster.min_cluster_size``; below twice as many distinct ideas
            nothing is reduced (too few to cluster).
    """
    return reduce_corpus(
        ideas,
        embeddings,
        taxonomy,
        crosslingual=crosslingual,
        guidance=guidance,
        reduce=params,
        seed=seed,
        min_cluster_size=min_cluster_size,
    )


__all__ = ["reduce", "seed_rows"]
