"""What every SWOT model shares: the interface, input checks and the most probable quadrant."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from pipeline.swot.quadrants import QUADRANTS


class SwotModel(Protocol):
    """What :func:`pipeline.swot.assign.assign_swot` needs of a SWOT model."""

    def predict_proba(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray: ...


def check_inputs(embeddings: np.ndarray, cue_features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both inputs as 2-D float arrays with one row per statement.

    Raises:
        ValueError: Not 2-D, or the row counts differ.
    """
    embeddings = np.asarray(embeddings, dtype=np.float64)
    cue_features = np.asarray(cue_features, dtype=np.float64)
    if embeddings.ndim != 2 or cue_features.ndim != 2:
        raise ValueError("embeddings and cue_features must be 2-D arrays")
    if len(embeddings) != len(cue_features):
        raise ValueError(
            f"{len(embeddings)} embedding rows but {len(cue_features)} cue feature rows"
        )
    return embeddings, cue_features


def argmax_labels(proba: np.ndarray) -> np.ndarray:
    """The most probable quadrant per row of probabilities (columns S, W, O, T)."""
    return (
        np.array(QUADRANTS, dtype=object)[np.argmax(proba, axis=1)]
        if len(proba)
        else np.array([], dtype=object)
    )
