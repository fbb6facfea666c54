"""Prior shift: re-weight quadrant probabilities to the quadrant shares of the corpus at hand.

The labelled set is balanced while residents' proposals are mostly needs, so the classifier's
(calibrated) probabilities are re-weighted to the corpus' shares, estimated without labels.
"""

from __future__ import annotations

import numpy as np

from pipeline.swot.quadrants import QUADRANTS


def reweight_to_corpus_prior(
    proba: np.ndarray,
    train_prior: np.ndarray | None = None,
    *,
    max_iter: int = 100,
    tol: float = 1e-6,
) -> tuple[np.ndarray, np.ndarray]:
    """Re-weight probabilities to the quadrant shares of the corpus at hand (no labels needed).

    A model trained on a balanced set gives every quadrant a 25% prior, while residents'
    proposals are mostly needs: the model then over-calls the rarer quadrants. The EM
    procedure of Saerens, Latinne and Decaestecker (2002, "Adjusting the outputs of a
    classifier to new a priori probabilities") estimates the corpus' shares from the
    probabilities themselves and rescales each row by new prior / training prior.

    Args:
        proba: Probabilities, one row per idea, columns S, W, O, T.
        train_prior: The prior the probabilities are relative to (default uniform).
        max_iter: EM iterations at most.
        tol: Stop when no share moves more than this.

    Returns:
        ``(adapted, prior)``: the re-weighted probabilities and the estimated corpus shares.
    """
    proba = np.asarray(proba, dtype=np.float64)
    k = proba.shape[1] if proba.ndim == 2 else len(QUADRANTS)
    train_prior = (
        np.full(k, 1 / k) if train_prior is None else np.asarray(train_prior, dtype=np.float64)
    )
    if len(proba) == 0:
        return proba.copy(), train_prior.copy()
    # A quadrant absent from training has prior 0; keep it at 0 rather than divide by it.
    safe_train = np.where(train_prior > 0, train_prior, 1.0)
    prior = train_prior.copy()
    adapted = proba
    for _ in range(max_iter):
        weighted = proba * (prior / safe_train)
        adapted = weighted / np.clip(weighted.sum(axis=1, keepdims=True), 1e-300, None)
        new_prior = adapted.mean(axis=0)
        converged = np.abs(new_prior - prior).max() < tol
        prior = new_prior
        if converged:
            break
    return adapted, prior
