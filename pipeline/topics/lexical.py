"""The corpus' own words as extra columns for UMAP, next to the embeddings.

E5 places a sentence by its meaning and phrasing as a whole; two sentences on one topic that
share its vocabulary ("vēlēšanas", "partija", "deputāts") are not always close in it. A
low-rank TF-IDF of the ideas' content lemmas (latent semantic analysis) adds that signal:
:class:`LexicalFeatures` fits TF-IDF over the lemmas (sublinear term frequency, words in at
least two ideas), reduces it with truncated SVD, centres it and scales each row to length
``weight`` beside the unit-length embedding. An idea whose lemmas the vocabulary lacks gets a
zero row and is placed by its embedding alone.

The weight 0.5 was chosen on SIB-200 Latvian (real sentences, 7 topics): without seed-word
guidance cluster NMI 0.42-0.44 -> 0.45-0.46 (two UMAP seeds), and checked on the bundled sample
with guidance (ARI 0.61-0.65 -> 0.60-0.68). Lemmas are language-specific, so in a mixed
corpus the columns pull same-language ideas together a little; the language centring of the
embeddings is not undone by them (cross-lingual figures: ``docs/bench_real.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from pipeline.topics.vectors import unit_rows


def _words(document: list[str]) -> list[str]:
    """The analyser: a document is already its list of lemmas (a named function pickles)."""
    return document


def _document(value: Any) -> list[str]:
    if value is None or isinstance(value, float | str):
        return []
    return [str(word) for word in value]


class LexicalFeatures(BaseEstimator):
    """Latent semantic columns of the ideas' content lemmas, each row of length ``weight``.

    Args:
        weight: Length of a row next to a unit-length embedding (0: off, zero columns).
        n_components: SVD dimensions (fewer when the vocabulary is smaller).
        min_df: A lemma must occur in this many ideas to count.
        random_state: SVD's random state.
    """

    def __init__(
        self,
        weight: float = 0.5,
        n_components: int = 100,
        min_df: int = 2,
        random_state: int | None = None,
    ) -> None:
        self.weight = weight
        self.n_components = n_components
        self.min_df = min_df
        self.random_state = random_state

    def fit(self, lemmas: Sequence[Any], y: None = None) -> LexicalFeatures:
        """Learn the vocabulary, its SVD and the mean row from the ideas' lemma lists."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        if self.weight < 0:
            raise ValueError(f"lexical weight must be >= 0, got {self.weight}")
        self.vectorizer_: Any = None
        self.svd_: Any = None
        self.mean_ = np.zeros(0)
        documents = [_document(value) for value in lemmas]
        if self.weight == 0 or sum(bool(d) for d in documents) < max(3, self.min_df):
            return self
        vectorizer = TfidfVectorizer(analyzer=_words, min_df=self.min_df, sublinear_tf=True)
        try:
            matrix = vectorizer.fit_transform(documents)
        except ValueError:  # no lemma in min_df ideas
            return self
        components = min(self.n_components, matrix.shape[1] - 1, matrix.shape[0] - 1)
        if components < 2:
            return self
        self.vectorizer_ = vectorizer
        self.svd_ = TruncatedSVD(components, random_state=self.random_state).fit(matrix)
        self.mean_ = self.svd_.transform(matrix).mean(axis=0)
        return self

    def transform(self, lemmas: Sequence[Any]) -> np.ndarray:
        """Rows of length ``weight`` (zeros for ideas with no known lemma), float32."""
        if self.svd_ is None:
            return np.zeros((len(lemmas), 0), dtype=np.float32)
        matrix = self.vectorizer_.transform([_document(value) for value in lemmas])
        rows = self.svd_.transform(matrix) - self.mean_
        rows[np.asarray(matrix.sum(axis=1)).ravel() == 0] = 0.0
        return (self.weight * unit_rows(rows)).astype(np.float32)

    def fit_transform(self, lemmas: Sequence[Any], y: None = None) -> np.ndarray:
        """:meth:`fit`, then :meth:`transform`."""
        return self.fit(lemmas).transform(lemmas)
