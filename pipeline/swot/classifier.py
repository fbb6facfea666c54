"""The SWOT classifier: logistic regression on the sentence embedding plus the cue features.

Trained by :func:`pipeline.swot.train.train_swot` on the labelled statements
(``data/reference/svid_labelled.csv``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from pipeline.swot.base import argmax_labels, check_inputs
from pipeline.swot.quadrants import QUADRANTS

logger = logging.getLogger(__name__)


class SwotClassifier(BaseEstimator):
    """Logistic regression on [sentence embedding, cue_weight x cue features].

    Logistic regression because the labelled set is small (hundreds of statements) against 384
    embedding dimensions: a linear model with L2 regularisation does not overfit it the way
    trees or an MLP would, trains in a second, and its weights stay readable per cue.

    The probabilities are calibrated by temperature scaling: one temperature fitted on
    out-of-fold scores. It never changes the most probable quadrant, but
    :func:`~pipeline.swot.priors.reweight_to_corpus_prior` trusts the probabilities, and an
    over-regularised model's are too flat for it.

    Args:
        C: Inverse L2 regularisation strength (scikit-learn's ``C``).
        class_weight: None or "balanced" (scikit-learn's ``class_weight``).
        cue_weight: Scale of the 0/1 cue features against the unit-length embedding; below 1
            the cues are regularised harder than the embedding.
        max_iter: Solver iterations.
        calibrate: Fit the temperature (else 1).
        calibration_folds: Folds for the out-of-fold scores of the temperature.
        random_state: Seed of the calibration folds.
    """

    def __init__(
        self,
        C: float = 10.0,
        class_weight: str | None = None,
        cue_weight: float = 1.0,
        max_iter: int = 5000,
        calibrate: bool = True,
        calibration_folds: int = 5,
        random_state: int | None = None,
    ) -> None:
        self.C = C
        self.class_weight = class_weight
        self.cue_weight = cue_weight
        self.max_iter = max_iter
        self.calibrate = calibrate
        self.calibration_folds = calibration_folds
        self.random_state = random_state

    def _design(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        return np.hstack([embeddings, self.cue_weight * cue_features])

    def _logistic(self) -> Any:
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(
            C=self.C,
            class_weight=self.class_weight,
            max_iter=self.max_iter,
            random_state=self.random_state,
        )

    def _fit_temperature(
        self, design: np.ndarray, labels: np.ndarray, sample_weight: np.ndarray | None
    ) -> float:
        """The temperature that minimises the out-of-fold log loss (1.0 if too few data)."""
        from scipy.optimize import minimize_scalar
        from scipy.special import log_softmax
        from sklearn.model_selection import StratifiedKFold

        counts = pd.Series(labels).value_counts()
        if len(counts) < 2 or counts.min() < self.calibration_folds:
            logger.debug("SwotClassifier: too few statements per quadrant to calibrate")
            return 1.0
        weights = np.ones(len(labels)) if sample_weight is None else np.asarray(sample_weight)
        classes = np.array(sorted(counts.index), dtype=object)
        scores = np.zeros((len(labels), len(classes)))
        folds = StratifiedKFold(
            n_splits=self.calibration_folds, shuffle=True, random_state=self.random_state
        )
        for train, test in folds.split(design, labels):
            model = self._logistic().fit(design[train], labels[train], sample_weight=weights[train])
            columns = [list(model.classes_).index(c) for c in classes]
            scores[test] = _class_scores(model, design[test])[:, columns]
        truth = np.searchsorted(classes, labels)

        def loss(log_temperature: float) -> float:
            log_p = log_softmax(scores / np.exp(log_temperature), axis=1)
            return float(-np.average(log_p[np.arange(len(labels)), truth], weights=weights))

        found = minimize_scalar(loss, bounds=(-4.0, 4.0), method="bounded")
        return float(np.exp(found.x))

    def fit(
        self,
        embeddings: np.ndarray,
        cue_features: np.ndarray,
        labels: Sequence[str],
        sample_weight: np.ndarray | None = None,
    ) -> SwotClassifier:
        """Fit on labelled statements.

        Args:
            embeddings: One unit vector per statement.
            cue_features: One cue vector per statement
                (:meth:`~pipeline.swot.cues.CueMatcher.features`).
            labels: Quadrant per statement: S, W, O or T.
            sample_weight: Optional weight per statement.

        Returns:
            self, fitted.
        """
        embeddings, cue_features = check_inputs(embeddings, cue_features)
        labels = np.asarray([str(label) for label in labels], dtype=object)
        unknown = sorted(set(labels) - set(QUADRANTS))
        if unknown:
            raise ValueError(f"unknown quadrant label(s) {unknown}; expected S, W, O, T")
        if len(labels) != len(embeddings):
            raise ValueError(f"{len(labels)} labels for {len(embeddings)} statements")
        design = self._design(embeddings, cue_features)
        self.model_ = self._logistic().fit(design, labels, sample_weight=sample_weight)
        self.temperature_ = (
            self._fit_temperature(design, labels, sample_weight) if self.calibrate else 1.0
        )
        self.classes_ = np.array(QUADRANTS, dtype=object)
        # The prior the probabilities are relative to: what reweight_to_corpus_prior corrects.
        if self.class_weight == "balanced":
            self.class_prior_ = np.full(len(QUADRANTS), 1 / len(QUADRANTS))
        else:
            weights = np.ones(len(labels)) if sample_weight is None else np.asarray(sample_weight)
            self.class_prior_ = np.array([weights[labels == q].sum() for q in QUADRANTS])
            self.class_prior_ = self.class_prior_ / self.class_prior_.sum()
        self.n_embedding_features_ = embeddings.shape[1]
        self.n_cue_features_ = cue_features.shape[1]
        return self

    def predict_proba(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        """Probabilities, columns in :data:`QUADRANTS` order (S, W, O, T)."""
        if not hasattr(self, "model_"):
            raise RuntimeError("SwotClassifier is not fitted: call fit() or load a saved model")
        embeddings, cue_features = check_inputs(embeddings, cue_features)
        if embeddings.shape[1] != self.n_embedding_features_:
            raise ValueError(
                f"embeddings have {embeddings.shape[1]} dimensions, the classifier was trained "
                f"on {self.n_embedding_features_}: embed with the model it was trained with"
            )
        if cue_features.shape[1] != self.n_cue_features_:
            raise ValueError(
                f"{cue_features.shape[1]} cue features, the classifier was trained on "
                f"{self.n_cue_features_}: the cue file changed, retrain (train_swot)"
            )
        if len(embeddings) == 0:
            return np.zeros((0, len(QUADRANTS)))
        from scipy.special import softmax

        scores = _class_scores(self.model_, self._design(embeddings, cue_features))
        raw = softmax(scores / self.temperature_, axis=1)
        proba = np.zeros((len(embeddings), len(QUADRANTS)))
        for column, label in enumerate(self.model_.classes_):
            proba[:, QUADRANTS.index(label)] = raw[:, column]
        return proba

    def predict(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        """The most probable quadrant per row."""
        return argmax_labels(self.predict_proba(embeddings, cue_features))


def _class_scores(model: Any, design: np.ndarray) -> np.ndarray:
    """Per-class scores whose softmax is the model's probability (columns: model.classes_)."""
    scores = model.decision_function(design)
    if scores.ndim == 1:  # two classes: scikit-learn gives the score of the second
        scores = np.column_stack([np.zeros_like(scores), scores])
    return scores
