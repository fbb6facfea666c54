"""Representative ideas: the most central distinct ideas of each cluster or theme."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pipeline.topics.table import labels_array, non_answer_mask, require_columns, text_weights
from pipeline.topics.vectors import centroids


def representative_ideas(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    labels: Sequence[int] | np.ndarray,
    n: int = 5,
) -> dict[int, list[str]]:
    """The ``n`` most central ideas of every cluster, duplicates and non-answers left out.

    Ideas are ranked by cosine to the cluster centroid (each distinct text counted once). One
    idea per response and per folded text comes first; further ideas of a response already
    shown fill the list only when the cluster has too few responses.

    Args:
        ideas: Ideas table with ``idea_id``, ``response_id``; ``duplicate_of``, ``non_answer``,
            ``text_folded`` are used when present.
        embeddings: Unit-length rows aligned with ``ideas``.
        labels: Cluster label per idea (-1 = outlier, skipped).
        n: Ideas per cluster.

    Returns:
        Cluster label -> idea ids, most central first.
    """
    require_columns(ideas, ("idea_id", "response_id"))
    ideas = ideas.reset_index(drop=True)
    embeddings = np.asarray(embeddings, dtype=np.float32)
    labels = np.where(non_answer_mask(ideas), -1, labels_array(labels, len(ideas)))
    weights = text_weights(ideas, labels)
    clusters = sorted(int(c) for c in set(labels.tolist()) if c >= 0)
    centres = centroids(embeddings, labels, weights, clusters)
    duplicate = (
        ideas["duplicate_of"].notna().to_numpy()
        if "duplicate_of" in ideas.columns
        else np.zeros(len(ideas), dtype=bool)
    )
    folded = (
        ideas["text_folded"].astype(str).to_numpy()
        if "text_folded" in ideas.columns
        else ideas["idea_id"].astype(str).to_numpy()
    )
    responses = ideas["response_id"].astype(str).to_numpy()
    result: dict[int, list[str]] = {}
    for cluster, centroid in zip(clusters, centres, strict=True):
        members = np.flatnonzero((labels == cluster) & ~duplicate)
        ranked = members[np.argsort(-(embeddings[members] @ centroid), kind="stable")]
        chosen: list[int] = []
        later: list[int] = []
        shown_responses: set[str] = set()
        shown_texts: set[str] = set()
        for i in ranked:
            if folded[i] in shown_texts:
                continue
            if responses[i] in shown_responses:
                later.append(int(i))
                continue
            chosen.append(int(i))
            shown_responses.add(responses[i])
            shown_texts.add(folded[i])
        chosen.extend(later)
        result[cluster] = [str(ideas["idea_id"].iat[i]) for i in chosen[:n]]
    return result
