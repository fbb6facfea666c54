"""Language centring: ideas compared by theme across languages, not grouped by language.

In a mixed corpus E5 places a Russian idea nearer to other Russian ideas on any theme than to
a Latvian idea on the same theme. :class:`LanguageCentering` subtracts each language's mean
direction; the reduce step uses it before clustering (the ``crosslingual`` section), and
naming uses it through :func:`language_centred` to compare ideas with the theme texts.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from pipeline.params import CrossLingualParams
from pipeline.topics.table import as_strings, non_answer_mask
from pipeline.topics.vectors import unit_rows

logger = logging.getLogger(__name__)

# Share of the corpus mean added back when ideas are centred for naming. Keeping part of it
# keeps what all ideas share with the theme texts; half of it named the sample's Russian,
# English and Latgalian ideas better than all or none, Latvian ones alike.
NAMING_GLOBAL_MEAN = 0.5


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
        languages = as_strings(languages)
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
        languages = as_strings(languages)
        if len(languages) != len(X):
            raise ValueError(f"{len(X)} embeddings but {len(languages)} languages")
        means = np.tile(self.mean_.astype(np.float64), (len(X), 1))
        for language, mean in self.language_means_.items():
            means[languages == language] = mean
        centred = X - means
        if self.restore_global_mean:
            centred += float(self.restore_global_mean) * self.mean_
        return unit_rows(centred).astype(np.float32)

    def fit_transform(
        self,
        X: np.ndarray,
        languages: Sequence[str] | np.ndarray,
        sample_weight: np.ndarray | None = None,
    ) -> np.ndarray:
        """:meth:`fit`, then :meth:`transform` the same rows."""
        return self.fit(X, languages, sample_weight).transform(X, languages)


def make_centering(params: CrossLingualParams) -> LanguageCentering | None:
    """The centring the ``crosslingual`` section asks for (None if switched off)."""
    if not params.centre_languages:
        return None
    return LanguageCentering(
        min_language_size=params.min_language_size,
        restore_global_mean=params.restore_global_mean,
    )


def language_centred(
    embeddings: np.ndarray, ideas: pd.DataFrame, global_mean: float = NAMING_GLOBAL_MEAN
) -> np.ndarray:
    """Embeddings with each language's mean replaced by a share of the corpus mean.

    E5 puts a Russian idea nearer to Russian ideas on any theme than to the Latvian
    description of its own theme; taking each language's mean off (as the reduce step does
    before clustering) lets ideas be compared with the themes across languages. Part of the
    corpus mean is added back (:data:`NAMING_GLOBAL_MEAN` says why half).
    Without a ``language`` column, or with a single language, the rows are returned as they are.

    Args:
        embeddings: Unit rows aligned with ``ideas`` (NaN or zero rows are left alone).
        ideas: The ideas table (``language``; ``non_answer`` rows are not fitted on).
        global_mean: Share of the corpus mean added back (0..1).
    """
    embeddings = np.asarray(embeddings, dtype=np.float32)
    if "language" not in ideas.columns:
        return embeddings
    languages = ideas["language"].astype("string").fillna("und").to_numpy(dtype=object)
    fitted = ~non_answer_mask(ideas) & np.isfinite(embeddings).all(axis=1)
    fitted &= np.abs(np.nan_to_num(embeddings)).sum(axis=1) > 0
    if len(set(languages[fitted].tolist())) < 2:
        return embeddings
    centering = LanguageCentering(restore_global_mean=global_mean).fit(
        embeddings[fitted], languages[fitted]
    )
    centred = embeddings.copy()
    centred[fitted] = centering.transform(embeddings[fitted], languages[fitted])
    return centred
