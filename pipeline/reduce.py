"""Preparing idea embeddings for clustering: language centring and UMAP reduction.

Only the ideas that will be clustered are fitted on: answers (not non-answers) that are not
duplicates of an earlier idea (see :func:`cluster_mask`). A duplicate adds to its original's
weight (:func:`idea_weights`) instead of being a point of its own: identical points piled on
top of each other would be their own UMAP neighbourhood and, 10 copies on, an HDBSCAN cluster.

Typical use (``ideas`` is the table of :mod:`pipeline.normalise`)::

    duplicates = duplicate_positions(ideas["idea_id"], ideas["duplicate_of"])
    centred, reduced = reduce_ideas(
        embeddings, ideas["language"], ideas["non_answer"], duplicates,
        centering=make_centering(params.crosslingual),
        reducer=make_reducer(params.reduce, params.seed),
    )
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from pipeline.params import CrossLingualParams, ReduceParams

logger = logging.getLogger(__name__)


def _as_strings(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """An object array of ``str`` (pandas' Arrow strings do not index like NumPy arrays)."""
    return np.array(["" if v is None or pd.isna(v) else str(v) for v in values], dtype=object)


def duplicate_positions(
    idea_ids: Sequence[Any] | np.ndarray, duplicate_of: Sequence[Any] | np.ndarray
) -> np.ndarray:
    """Row of each idea's original (``duplicate_of`` holds idea ids), -1 where none.

    Chains (a duplicate of a duplicate) are followed to the first idea.

    Raises:
        ValueError: A ``duplicate_of`` names an idea id that is not in ``idea_ids``.
    """
    ids = _as_strings(idea_ids)
    originals = _as_strings(duplicate_of)
    row_of = {idea_id: row for row, idea_id in enumerate(ids)}
    positions = np.full(len(ids), -1, dtype=np.int64)
    for row, original in enumerate(originals):
        if not original:
            continue
        if original not in row_of:
            raise ValueError(f"idea {ids[row]}: duplicate_of {original!r} is not an idea id")
        positions[row] = row_of[original]
    for row in range(len(positions)):
        seen = {row}
        while positions[row] >= 0 and positions[positions[row]] >= 0:
            positions[row] = positions[positions[row]]
            if positions[row] in seen:
                raise ValueError(f"idea {ids[row]}: duplicate_of forms a cycle")
            seen.add(int(positions[row]))
    return positions


def cluster_mask(non_answer: Sequence[bool] | np.ndarray, duplicates: np.ndarray) -> np.ndarray:
    """Rows to cluster: answers that are not duplicates of a clustered idea.

    Args:
        non_answer: Whether each idea is a non-answer.
        duplicates: Row of each idea's original, -1 where none (:func:`duplicate_positions`).
    """
    non_answer = np.asarray(non_answer, dtype=bool)
    duplicates = np.asarray(duplicates, dtype=np.int64)
    answer = ~non_answer
    # A duplicate of a non-answer that is itself an answer has no clustered original to copy.
    has_original = duplicates >= 0
    original_clustered = np.zeros_like(answer)
    original_clustered[has_original] = answer[duplicates[has_original]]
    return answer & ~original_clustered


def idea_weights(mask: np.ndarray, duplicates: np.ndarray) -> np.ndarray:
    """1 + number of duplicates of each clustered idea (0 for rows not clustered)."""
    mask = np.asarray(mask, dtype=bool)
    duplicates = np.asarray(duplicates, dtype=np.int64)
    weights = mask.astype(np.float64)
    inherit = ~mask & (duplicates >= 0)
    inherit &= mask[np.where(duplicates >= 0, duplicates, 0)]
    np.add.at(weights, duplicates[inherit], 1.0)
    return weights


def _unit(X: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(norms > 0, norms, 1.0)


class LanguageCentering(BaseEstimator):
    """Remove each language's mean direction so that ideas group by theme, not language.

    In a mixed corpus E5 places a Russian idea nearer to other Russian ideas on any theme than to
    a Latvian idea on the same theme; subtracting the per-language mean removes that offset.

    Args:
        min_language_size: Languages with fewer fitted ideas (weighted) are centred with the
            global mean, i.e. left where they are relative to the corpus.
        restore_global_mean: Add the global mean back after subtracting the language mean (the
            vectors stay comparable with uncentred ones). Without it the result is the
            corpus-centred direction, which spreads E5's compressed cosines.
    """

    def __init__(self, min_language_size: int = 5, restore_global_mean: bool = True) -> None:
        self.min_language_size = min_language_size
        self.restore_global_mean = restore_global_mean

    def fit(
        self,
        X: np.ndarray,
        languages: Sequence[str] | np.ndarray,
        sample_weight: np.ndarray | None = None,
    ) -> LanguageCentering:
        """Learn the global and per-language mean vectors.

        Args:
            X: Unit-length embeddings, shape (n, dim).
            languages: Language code of each row.
            sample_weight: Weight of each row (e.g. 1 + its number of duplicates).
        """
        X = np.asarray(X, dtype=np.float64)
        languages = _as_strings(languages)
        if len(languages) != len(X):
            raise ValueError(f"{len(X)} embeddings but {len(languages)} languages")
        weights = np.ones(len(X)) if sample_weight is None else np.asarray(sample_weight, float)
        self.mean_ = np.average(X, axis=0, weights=weights).astype(np.float32)
        self.language_means_: dict[str, np.ndarray] = {}
        self.language_sizes_: dict[str, float] = {}
        for language in sorted(set(languages)):
            rows = languages == language
            size = float(weights[rows].sum())
            self.language_sizes_[language] = size
            if size >= self.min_language_size:
                mean = np.average(X[rows], axis=0, weights=weights[rows])
                self.language_means_[language] = mean.astype(np.float32)
        small = sorted(set(self.language_sizes_) - set(self.language_means_))
        if small:
            logger.info("languages centred with the global mean (too few ideas): %s", small)
        return self

    def transform(self, X: np.ndarray, languages: Sequence[str] | np.ndarray) -> np.ndarray:
        """Centre each row on its language and re-normalise to unit length (float32)."""
        X = np.asarray(X, dtype=np.float64)
        languages = _as_strings(languages)
        if len(languages) != len(X):
            raise ValueError(f"{len(X)} embeddings but {len(languages)} languages")
        means = np.tile(self.mean_.astype(np.float64), (len(X), 1))
        for language, mean in self.language_means_.items():
            means[languages == language] = mean
        centred = X - means
        if self.restore_global_mean:
            centred += self.mean_
        return _unit(centred).astype(np.float32)

    def fit_transform(
        self,
        X: np.ndarray,
        languages: Sequence[str] | np.ndarray,
        sample_weight: np.ndarray | None = None,
    ) -> np.ndarray:
        """:meth:`fit`, then :meth:`transform` the same rows."""
        return self.fit(X, languages, sample_weight).transform(X, languages)


class Reducer(BaseEstimator):
    """UMAP with Balsis' parameters: ``umap.UMAP(**umap_params, random_state=random_state)``.

    Args:
        umap_params: UMAP constructor arguments (the ``reduce`` section of ``params.yaml``).
        random_state: Seed; makes UMAP single-threaded but reproducible.
    """

    def __init__(
        self, umap_params: Mapping[str, Any] | None = None, random_state: int | None = None
    ) -> None:
        self.umap_params = umap_params
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: None = None) -> Reducer:
        """Fit UMAP on ``X``; the reduced training rows are in ``embedding_``."""
        import umap  # numba compiles on import: only pay for it when reducing

        X = np.asarray(X, dtype=np.float32)
        params = dict(self.umap_params or {})
        # UMAP's spectral initialisation needs more points than dimensions.
        n_components = int(params.get("n_components", 2))
        if len(X) <= n_components + 1:
            raise ValueError(
                f"cannot reduce {len(X)} ideas to {n_components} dimensions; "
                "lower reduce.n_components or cluster more ideas"
            )
        n_neighbors = int(params.get("n_neighbors", 15))
        if n_neighbors >= len(X):
            logger.warning("n_neighbors %d >= %d ideas; using %d", n_neighbors, len(X), len(X) - 1)
            params["n_neighbors"] = len(X) - 1
        if self.random_state is not None:
            params.setdefault("n_jobs", 1)  # UMAP forces it anyway, with a warning
        self.umap_ = umap.UMAP(**params, random_state=self.random_state)
        self.embedding_ = np.asarray(self.umap_.fit_transform(X), dtype=np.float32)
        return self

    def fit_transform(self, X: np.ndarray, y: None = None) -> np.ndarray:
        """:meth:`fit` and return ``embedding_``."""
        return self.fit(X).embedding_

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Place new rows in the fitted space (float32)."""
        return np.asarray(self.umap_.transform(np.asarray(X, dtype=np.float32)), dtype=np.float32)


def reduce_ideas(
    embeddings: np.ndarray,
    languages: Sequence[str] | np.ndarray,
    non_answer: Sequence[bool] | np.ndarray,
    duplicates: np.ndarray,
    *,
    centering: LanguageCentering | None,
    reducer: Reducer,
) -> tuple[np.ndarray, np.ndarray]:
    """Centre and reduce the ideas to cluster, returning arrays aligned with all ideas.

    ``centering`` (skipped if None) and ``reducer`` are fitted on the rows of
    :func:`cluster_mask`; the centring is weighted by :func:`idea_weights`.

    Args:
        embeddings: Unit-length embeddings of every idea, shape (n, dim).
        languages: Language code of every idea.
        non_answer: Non-answer flag of every idea.
        duplicates: Row of each idea's original, -1 where none (:func:`duplicate_positions`).
        centering: A :class:`LanguageCentering`, fitted here.
        reducer: A :class:`Reducer`, fitted here.

    Returns:
        ``centred`` (n, dim) float32: every idea centred (equal to ``embeddings`` without a
        centering); ``reduced`` (n, n_components) float32: UMAP coordinates, a duplicate has its
        original's, NaN for rows that are not clustered (non-answers).
    """
    embeddings = np.asarray(embeddings, dtype=np.float32)
    languages = _as_strings(languages)
    mask = cluster_mask(non_answer, duplicates)
    weights = idea_weights(mask, duplicates)
    if centering is not None:
        centering.fit(embeddings[mask], languages[mask], sample_weight=weights[mask])
        centred = centering.transform(embeddings, languages)
    else:
        centred = embeddings.copy()
    reducer.fit(centred[mask])
    reduced = np.full((len(embeddings), reducer.embedding_.shape[1]), np.nan, dtype=np.float32)
    reduced[mask] = reducer.embedding_
    inherit = ~mask & (np.asarray(duplicates) >= 0)
    reduced[inherit] = reduced[np.asarray(duplicates)[inherit]]
    logger.info(
        "reduced %d ideas (%d duplicates, %d not clustered) to %d dimensions",
        int(mask.sum()),
        int(inherit.sum()),
        int((~mask & ~inherit).sum()),
        reduced.shape[1],
    )
    return centred, reduced


def make_centering(params: CrossLingualParams) -> LanguageCentering | None:
    """The centring the ``crosslingual`` section asks for (None if switched off)."""
    if not params.centre_languages:
        return None
    return LanguageCentering(
        min_language_size=params.min_language_size,
        restore_global_mean=params.restore_global_mean,
    )


def make_reducer(params: ReduceParams, seed: int | None) -> Reducer:
    """A :class:`Reducer` with the ``reduce`` section as UMAP arguments."""
    return Reducer(dataclasses.asdict(params), random_state=seed)
