"""Models without a labelled set: prototype statements plus cue hints, and cues alone.

:class:`PrototypeSwot` is the fallback when no labelled set trains the classifier: relative
similarity to prototype statements per quadrant (``data/swot_prototypes.yaml``) combined with
the quadrant hints of the cue file. :class:`CueSwot` uses the hints alone (a baseline).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator

from pipeline.embed.encoder import SentenceEncoder
from pipeline.embed.texts import embed_texts
from pipeline.errors import BalsisError
from pipeline.swot.base import argmax_labels, check_inputs
from pipeline.swot.cues import CueMatcher
from pipeline.swot.files import PROTOTYPES_PATH, read_yaml
from pipeline.swot.quadrants import QUADRANTS


def cue_log_hints(hints: np.ndarray, smoothing: float) -> np.ndarray:
    """Per cue and quadrant, how much a fired cue shifts the log-odds of the quadrant.

    The hint is mixed with the uniform distribution (``smoothing`` in (0, 1]) so that one cue
    never rules a quadrant out, and expressed relative to uniform: log(4 q), 0 for no opinion.
    """
    if not 0 < smoothing <= 1:
        raise ValueError(f"hint smoothing must be in (0, 1], got {smoothing}")
    mixed = (1 - smoothing) * hints + smoothing / len(QUADRANTS)
    return np.log(mixed * len(QUADRANTS))


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def load_prototypes(path: str | Path | None = None) -> tuple[list[str], list[str]]:
    """Read prototype statements: ``(texts, quadrants)`` in file order.

    Raises:
        BalsisError: The file is missing, not YAML, or a quadrant is missing or empty.
    """
    path = Path(path) if path is not None else PROTOTYPES_PATH
    raw = read_yaml(path, "SWOT prototype file")
    texts: list[str] = []
    quadrants: list[str] = []
    for quadrant in QUADRANTS:
        statements = (raw or {}).get(quadrant)
        if not statements:
            raise BalsisError(f"{path}: no prototype statements for quadrant {quadrant}")
        texts.extend(str(s) for s in statements)
        quadrants.extend([quadrant] * len(statements))
    return texts, quadrants


class PrototypeSwot(BaseEstimator):
    """Quadrant probabilities from relative similarity to prototype statements plus cue hints.

    E5 cosines are compressed (nearly all pairs 0.80-0.95), so absolute similarity says little.
    Each idea's cosines to all prototypes are standardised (z-scores over the prototypes), a
    quadrant scores the mean of its ``top_k`` best z-scores, and the probabilities are a softmax
    of ``score / temperature`` plus ``cue_weight`` times the cue hints' log-odds shifts.

    Args:
        temperature: Softmax temperature of the similarity scores (lower: more decisive).
        top_k: Prototypes per quadrant that count.
        cue_weight: Weight of the cue hints (0 = similarity only).
        hint_smoothing: How much each cue hint is mixed with uniform (see :func:`cue_log_hints`).
        prototypes_path: The prototype file; default ``data/swot_prototypes.yaml``.
    """

    def __init__(
        self,
        temperature: float = 0.5,
        top_k: int = 5,
        cue_weight: float = 1.0,
        hint_smoothing: float = 0.5,
        prototypes_path: str | Path | None = None,
    ) -> None:
        self.temperature = temperature
        self.top_k = top_k
        self.cue_weight = cue_weight
        self.hint_smoothing = hint_smoothing
        self.prototypes_path = prototypes_path

    def fit(
        self,
        encoder: SentenceEncoder,
        matcher: CueMatcher,
        *,
        prompt_name: str | None = "query",
        batch_size: int = 32,
    ) -> PrototypeSwot:
        """Embed the prototype statements once and take the cue hints from ``matcher``.

        Args:
            encoder: The sentence model the ideas were embedded with.
            matcher: The cue matcher whose features :meth:`predict_proba` will get.
            prompt_name: The prompt the ideas were embedded with.
            batch_size: Texts per forward pass.
        """
        texts, quadrants = load_prototypes(self.prototypes_path)
        vectors, _ = embed_texts(
            texts, encoder, prompt_name=prompt_name, batch_size=batch_size, progress=False
        )
        return self.fit_vectors(vectors, quadrants, matcher.hint_matrix())

    def fit_vectors(
        self, prototype_embeddings: np.ndarray, quadrants: Sequence[str], cue_hints: np.ndarray
    ) -> PrototypeSwot:
        """Fit from already embedded prototypes (``quadrants`` per row) and a hint matrix."""
        if self.temperature <= 0 or self.top_k < 1:
            raise ValueError("temperature must be > 0 and top_k >= 1")
        vectors = np.asarray(prototype_embeddings, dtype=np.float64)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        quadrants = np.asarray(list(quadrants), dtype=object)
        missing = set(QUADRANTS) - set(quadrants)
        if missing:
            raise ValueError(f"no prototypes for quadrant(s) {sorted(missing)}")
        self.prototype_embeddings_ = vectors / norms
        self.prototype_quadrants_ = quadrants
        self.cue_log_hints_ = cue_log_hints(np.asarray(cue_hints), self.hint_smoothing)
        self.classes_ = np.array(QUADRANTS, dtype=object)
        return self

    def similarity_scores(self, embeddings: np.ndarray) -> np.ndarray:
        """Per idea and quadrant: mean of the top-k standardised similarities (columns S W O T)."""
        embeddings = np.asarray(embeddings, dtype=np.float64)
        similarity = embeddings @ self.prototype_embeddings_.T
        mean = similarity.mean(axis=1, keepdims=True)
        std = similarity.std(axis=1, keepdims=True)
        std[std == 0] = 1.0
        z = (similarity - mean) / std
        scores = np.zeros((len(embeddings), len(QUADRANTS)))
        for column, quadrant in enumerate(QUADRANTS):
            block = z[:, self.prototype_quadrants_ == quadrant]
            k = min(self.top_k, block.shape[1])
            scores[:, column] = np.sort(block, axis=1)[:, -k:].mean(axis=1)
        return scores

    def predict_proba(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        """Probabilities, columns in :data:`QUADRANTS` order (S, W, O, T)."""
        if not hasattr(self, "prototype_embeddings_"):
            raise RuntimeError("PrototypeSwot is not fitted: call fit(encoder, matcher) first")
        embeddings, cue_features = check_inputs(embeddings, cue_features)
        if cue_features.shape[1] != len(self.cue_log_hints_):
            raise ValueError(
                f"{cue_features.shape[1]} cue features, fitted with {len(self.cue_log_hints_)}"
            )
        if len(embeddings) == 0:
            return np.zeros((0, len(QUADRANTS)))
        logits = self.similarity_scores(embeddings) / self.temperature
        logits = logits + self.cue_weight * (cue_features @ self.cue_log_hints_)
        return _softmax(logits)

    def predict(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        """The most probable quadrant per row."""
        return argmax_labels(self.predict_proba(embeddings, cue_features))


class CueSwot(BaseEstimator):
    """Cues alone: the quadrant the fired cues' hints point to (a baseline; ignores embeddings).

    With no cue, or a tie, the ``default`` quadrant wins: needs are the most common kind of
    proposal (W).

    Args:
        hint_smoothing: How much each cue hint is mixed with uniform (see :func:`cue_log_hints`).
        default: Quadrant that wins ties.
    """

    def __init__(self, hint_smoothing: float = 0.5, default: str = "W") -> None:
        self.hint_smoothing = hint_smoothing
        self.default = default

    def fit(self, matcher: CueMatcher) -> CueSwot:
        """Take the hints of ``matcher``'s cues."""
        self.cue_log_hints_ = cue_log_hints(matcher.hint_matrix(), self.hint_smoothing)
        self.classes_ = np.array(QUADRANTS, dtype=object)
        return self

    def predict_proba(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        """Probabilities, columns in :data:`QUADRANTS` order (S, W, O, T)."""
        _, cue_features = check_inputs(np.zeros((len(cue_features), 1)), cue_features)
        logits = cue_features @ self.cue_log_hints_
        logits[:, QUADRANTS.index(self.default)] += 1e-6
        return _softmax(logits)

    def predict(self, embeddings: np.ndarray, cue_features: np.ndarray) -> np.ndarray:
        """The most probable quadrant per row."""
        return argmax_labels(self.predict_proba(embeddings, cue_features))
