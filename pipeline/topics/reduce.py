"""Preparing idea embeddings for clustering: language centring, taxonomy guidance and UMAP.

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
        guidance=make_guidance(params.guidance, taxonomy).fit_transform(ideas["content_lemmas"]),
    )

Taxonomy guidance (:class:`TaxonomyGuidance`) is the seeded part of BERTopic's guided topic
modelling: centred E5 alone groups ideas by place names and phrasing as much as by theme, so
each idea's vector gets a few extra columns saying which taxonomy themes' seed words it uses.
Ideas on one theme then pull together across languages (the seeds are Latvian and Russian)
while E5 still decides everything the seeds do not cover (new themes, ideas without a seed).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from pipeline.params import CrossLingualParams, GuidanceParams, ReduceParams
from pipeline.topics.themes import Seed, Theme, _mentions, _seed_lemma_sets

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
            corpus-centred direction, which spreads E5's compressed cosines. A number in 0..1
            adds that share of the global mean back (True is 1, False is 0).
    """

    def __init__(
        self, min_language_size: int = 5, restore_global_mean: bool | float = True
    ) -> None:
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
        if not 0.0 <= float(self.restore_global_mean) <= 1.0:
            raise ValueError(
                f"restore_global_mean must be true, false or within 0..1, "
                f"got {self.restore_global_mean}"
            )
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
            centred += float(self.restore_global_mean) * self.mean_
        return _unit(centred).astype(np.float32)

    def fit_transform(
        self,
        X: np.ndarray,
        languages: Sequence[str] | np.ndarray,
        sample_weight: np.ndarray | None = None,
    ) -> np.ndarray:
        """:meth:`fit`, then :meth:`transform` the same rows."""
        return self.fit(X, languages, sample_weight).transform(X, languages)


class TaxonomyGuidance(BaseEstimator):
    """Which taxonomy themes' seed words each idea uses, as extra features for clustering.

    Row ``i`` holds, per theme, 1 if idea ``i``'s content lemmas contain one of the theme's
    seeds (every word of a phrase seed, lemmatised and diacritics folded, as in naming), then
    the row is scaled to length ``weight``: an idea naming two themes sits between them, an
    idea naming none gets zeros and is placed by its embedding alone. Appended to unit-length
    embeddings, ``weight`` is the pull of the seeds relative to the embedding (about 1: two
    ideas naming the same theme are as close as a typical same-theme pair in E5).

    Args:
        taxonomy: The themes (:func:`pipeline.topics.themes.load_taxonomy`).
        weight: Length of a row with any seed (0 switches the guidance off: zero columns).
    """

    def __init__(self, taxonomy: Sequence[Theme] | None = None, weight: float = 1.0) -> None:
        self.taxonomy = taxonomy
        self.weight = weight

    def fit(self, lemmas: Sequence[Any] | None = None, y: None = None) -> TaxonomyGuidance:
        """Lemmatise every theme's seeds (``lemmas`` is not needed; accepted for pipelines)."""
        if self.weight < 0:
            raise ValueError(f"guidance weight must be >= 0, got {self.weight}")
        themes = list(self.taxonomy or [])
        self.theme_ids_ = [theme.id for theme in themes]
        self.seed_lemmas_: list[list[Seed]] = [_seed_lemma_sets(theme) for theme in themes]
        return self

    def transform(self, lemmas: Sequence[Any]) -> np.ndarray:
        """Seed-theme rows of the ideas, shape (n, n_themes), float32.

        Args:
            lemmas: Content lemmas of each idea (the ideas table's ``content_lemmas``: lists,
                arrays or missing values).
        """
        from pipeline.lang import lv as latvian

        rows = np.zeros((len(lemmas), len(self.seed_lemmas_)), dtype=np.float64)
        if self.weight == 0:
            return rows[:, :0].astype(np.float32)
        for i, value in enumerate(lemmas):
            if value is None or isinstance(value, float | str):
                continue
            words = {latvian.fold(str(word)) for word in value}
            for j, seeds in enumerate(self.seed_lemmas_):
                rows[i, j] = any(_mentions(seed, words) for seed in seeds)
        return (self.weight * _unit(rows)).astype(np.float32)

    def fit_transform(self, lemmas: Sequence[Any], y: None = None) -> np.ndarray:
        """:meth:`fit`, then :meth:`transform`."""
        return self.fit(lemmas).transform(lemmas)


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
    guidance: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Centre and reduce the ideas to cluster, returning arrays aligned with all ideas.

    ``centering`` (skipped if None) and ``reducer`` are fitted on the rows of
    :func:`cluster_mask`; the centring is weighted by :func:`idea_weights`. UMAP sees the
    centred rows with the ``guidance`` columns appended.

    Args:
        embeddings: Unit-length embeddings of every idea, shape (n, dim).
        languages: Language code of every idea.
        non_answer: Non-answer flag of every idea.
        duplicates: Row of each idea's original, -1 where none (:func:`duplicate_positions`).
        centering: A :class:`LanguageCentering`, fitted here.
        reducer: A :class:`Reducer`, fitted here.
        guidance: Extra columns per idea, e.g. :meth:`TaxonomyGuidance.transform`; None or
            zero columns: UMAP sees the centred embeddings alone.

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


def make_centering(params: CrossLingualParams) -> LanguageCentering | None:
    """The centring the ``crosslingual`` section asks for (None if switched off)."""
    if not params.centre_languages:
        return None
    return LanguageCentering(
        min_language_size=params.min_language_size,
        restore_global_mean=params.restore_global_mean,
    )


def make_guidance(params: GuidanceParams, taxonomy: Sequence[Theme] | None) -> TaxonomyGuidance:
    """The taxonomy guidance the ``guidance`` section asks for (weight 0 or no taxonomy: off)."""
    weight = params.seed_weight if taxonomy else 0.0
    return TaxonomyGuidance(list(taxonomy or []), weight=weight)


def make_reducer(params: ReduceParams, seed: int | None) -> Reducer:
    """A :class:`Reducer` with the ``reduce`` section as UMAP arguments."""
    return Reducer(dataclasses.asdict(params), random_state=seed)
