"""The reduce step: ideas centred by language, with guidance columns, reduced with UMAP.

Only unique answers are fitted on (:func:`pipeline.topics.duplicates.cluster_mask`); a
duplicate gets its original's coordinates.

Typical use (``ideas`` is the table of :mod:`pipeline.normalise`, ``taxonomy`` the themes of
:func:`pipeline.topics.taxonomy.load_taxonomy`)::

    duplicates = duplicate_positions(ideas["idea_id"], ideas["duplicate_of"])
    centred, reduced = reduce_ideas(
        embeddings, ideas["language"], ideas["non_answer"], duplicates,
        centering=make_centering(params.crosslingual),
        reducer=make_reducer(params.reduce, params.seed),
        guidance=make_guidance(params.guidance, taxonomy).fit_transform(ideas["content_lemmas"]),
    )

(:func:`~pipeline.topics.crosslingual.make_centering`,
:func:`~pipeline.topics.guidance.make_guidance`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from pipeline.params import ReduceParams
from pipeline.topics.crosslingual import LanguageCentering
from pipeline.topics.duplicates import cluster_mask, idea_weights
from pipeline.topics.table import as_strings

logger = logging.getLogger(__name__)


class Reducer(BaseEstimator):
    """UMAP with Balsis' parameters: ``umap.UMAP(**umap_params, random_state=random_state)``.

    UMAP's time grows faster than the rows: above ``fit_sample`` rows it is fitted on a random
    ``fit_sample`` of them and the rest are placed in that layout (``umap.UMAP.transform``), in
    batches of ``fit_sample``.

    Args:
        umap_params: UMAP constructor arguments (the ``reduce`` section of ``params.yaml``
            without ``fit_sample``).
        random_state: Seed; makes UMAP single-threaded but reproducible (and picks the sample).
        fit_sample: Rows UMAP is fitted on at most; None: all of them.
    """

    def __init__(
        self,
        umap_params: Mapping[str, Any] | None = None,
        random_state: int | None = None,
        fit_sample: int | None = None,
    ) -> None:
        self.umap_params = umap_params
        self.random_state = random_state
        self.fit_sample = fit_sample

    def fit(self, X: np.ndarray, y: None = None) -> Reducer:
        """Fit UMAP on ``X`` or a sample of it; ``embedding_`` holds every row of ``X`` reduced."""
        X = np.asarray(X, dtype=np.float32)
        if self.fit_sample is None or len(X) <= self.fit_sample:
            self.sample_ = np.arange(len(X))
            self.embedding_ = self._fit_umap(X)
            return self
        rng = np.random.default_rng(self.random_state)
        self.sample_ = np.sort(rng.choice(len(X), size=self.fit_sample, replace=False))
        fitted = self._fit_umap(X[self.sample_])
        embedding = np.empty((len(X), fitted.shape[1]), dtype=np.float32)
        embedding[self.sample_] = fitted
        rest = np.setdiff1d(np.arange(len(X)), self.sample_)
        logger.info(
            "UMAP fitted on %d of %d ideas; placing the other %d",
            self.fit_sample,
            len(X),
            len(rest),
        )
        for start in range(0, len(rest), self.fit_sample):
            rows = rest[start : start + self.fit_sample]
            embedding[rows] = self.transform(X[rows])
        self.embedding_ = embedding
        return self

    def _fit_umap(self, X: np.ndarray) -> np.ndarray:
        import umap  # numba compiles on import: only pay for it when reducing

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
        return np.asarray(self.umap_.fit_transform(X), dtype=np.float32)

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
    guidance: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Centre and reduce the ideas to cluster, returning arrays aligned with all ideas.

    ``centering`` (skipped if None) and ``reducer`` are fitted on the rows of
    :func:`~pipeline.topics.duplicates.cluster_mask`; the centring is weighted by
    :func:`~pipeline.topics.duplicates.idea_weights`. UMAP sees the centred rows with the
    ``guidance`` columns appended.

    Args:
        embeddings: Unit-length embeddings of every idea, shape (n, dim).
        languages: Language code of every idea.
        non_answer: Non-answer flag of every idea.
        duplicates: Row of each idea's original, -1 where none
            (:func:`~pipeline.topics.duplicates.duplicate_positions`).
        centering: A :class:`~pipeline.topics.crosslingual.LanguageCentering`, fitted here.
        reducer: A :class:`Reducer`, fitted here.
        guidance: Extra columns per idea, e.g.
            :meth:`~pipeline.topics.guidance.TaxonomyGuidance.transform`; None or zero
            columns: UMAP sees the centred embeddings alone.

    Returns:
        ``centred`` (n, dim) float32: every idea centred (equal to ``embeddings`` without a
        centering); ``reduced`` (n, n_components) float32: UMAP coordinates, a duplicate has its
        original's, NaN for rows that are not clustered (non-answers).
    """
    embeddings = np.asarray(embeddings, dtype=np.float32)
    languages = as_strings(languages)
    mask = cluster_mask(non_answer, duplicates)
    weights = idea_weights(mask, duplicates)
    if centering is not None:
        centering.fit(embeddings[mask], languages[mask], sample_weight=weights[mask])
        centred = centering.transform(embeddings, languages)
    else:
        centred = embeddings.copy()
    features = centred
    if guidance is not None and np.asarray(guidance).shape[-1] > 0:
        guidance = np.asarray(guidance, dtype=np.float32)
        if len(guidance) != len(embeddings):
            raise ValueError(f"{len(embeddings)} embeddings but {len(guidance)} guidance rows")
        features = np.hstack([centred, guidance])
    reducer.fit(features[mask])
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


def make_reducer(params: ReduceParams, seed: int | None) -> Reducer:
    """A :class:`Reducer` with the ``reduce`` section as UMAP arguments (``fit_sample`` apart)."""
    umap_params = dataclasses.asdict(params)
    fit_sample = umap_params.pop("fit_sample")
    return Reducer(umap_params, random_state=seed, fit_sample=fit_sample)
