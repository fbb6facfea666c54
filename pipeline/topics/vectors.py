"""Row-vector helpers shared by centring, guidance, clustering and naming."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import DTypeLike


def unit_rows(rows: np.ndarray, dtype: DTypeLike | None = None) -> np.ndarray:
    """Rows scaled to length 1 (rows of zeros stay zero).

    Args:
        rows: Array of shape (n, dim).
        dtype: Type of the result; None keeps the division's type.
    """
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    unit = rows / np.where(norms > 0, norms, 1.0)
    return unit if dtype is None else unit.astype(dtype)


def centroids(
    embeddings: np.ndarray, labels: np.ndarray, weights: np.ndarray, clusters: Sequence[int]
) -> np.ndarray:
    """Unit-length mean of each cluster's weighted members, float32, one row per cluster.

    Members of weight 0 (further copies of a text) are left out unless a cluster has no
    other member.
    """
    rows = []
    for cluster in clusters:
        member = (labels == cluster) & (weights > 0)
        if not member.any():
            member = labels == cluster
        rows.append(embeddings[member].mean(axis=0))
    if not rows:
        return np.zeros((0, embeddings.shape[1]), dtype=np.float32)
    return unit_rows(np.stack(rows).astype(np.float32), np.float32)
