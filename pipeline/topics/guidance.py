"""Seed words: which taxonomy themes an idea's words name, for clustering and for naming.

A theme's seeds (:class:`pipeline.topics.taxonomy.Theme`) are words and phrases residents use
about it. :func:`seed_lemma_sets` turns them into lemma sets and :func:`mentions` tells
whether an idea's content lemmas contain one; naming (:mod:`pipeline.topics.naming`) mixes
that with the embedding match.

Taxonomy guidance (:class:`TaxonomyGuidance`) is the seeded part of BERTopic's guided topic
modelling: centred E5 alone groups ideas by place names and phrasing as much as by theme, so
each idea's vector gets a few extra columns saying which taxonomy themes' seed words it uses.
Ideas on one theme then pull together across languages (the seeds are Latvian and Russian)
while E5 still decides everything the seeds do not cover (new themes, ideas without a seed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from pipeline.lang.lv.alphabet import fold
from pipeline.lang.lv.lemmatizer import lemmatize
from pipeline.lang.lv.stopwords import is_stop
from pipeline.lang.lv.tokens import tokenize
from pipeline.params import GuidanceParams
from pipeline.topics.script import script_language
from pipeline.topics.taxonomy import Theme
from pipeline.topics.vectors import unit_rows

# A seed: per word, the lemmas (folded) that count as that word.
Seed = tuple[frozenset[str], ...]


def seed_lemma_sets(theme: Theme) -> list[Seed]:
    """Each seed as its content words, each word as its folded lemma or as written.

    Accepting the written form too keeps a seed usable when the lemmatiser mistakes it
    ("дорога" -> "дорогой") while texts give the right lemma for other forms.
    """
    seeds: list[Seed] = []
    for seed in theme.seeds:
        lang = script_language(seed)
        words = []
        for token in tokenize(seed, lang):
            lemma = lemmatize(token, lang)
            if len(lemma) > 1 and not is_stop(lemma, lang):
                words.append(frozenset({fold(lemma), fold(token)}))
        if words:
            seeds.append(tuple(words))
    return seeds


def mentions(seed: Seed, words: set[str]) -> bool:
    """Whether the folded ``words`` contain every word of ``seed``."""
    return all(not alternatives.isdisjoint(words) for alternatives in seed)


def lemma_lists(ideas: pd.DataFrame) -> list[Any]:
    """The ``content_lemmas`` of every idea (None each without the column): guidance input."""
    if "content_lemmas" not in ideas.columns:
        return [None] * len(ideas)
    return ideas["content_lemmas"].tolist()


class TaxonomyGuidance(BaseEstimator):
    """Which taxonomy themes' seed words each idea uses, as extra features for clustering.

    Row ``i`` holds, per theme, 1 if idea ``i``'s content lemmas contain one of the theme's
    seeds (every word of a phrase seed, lemmatised and diacritics folded, as in naming), then
    the row is scaled to length ``weight``: an idea naming two themes sits between them, an
    idea naming none gets zeros and is placed by its embedding alone. Appended to unit-length
    embeddings, ``weight`` is the pull of the seeds relative to the embedding (about 1: two
    ideas naming the same theme are as close as a typical same-theme pair in E5).

    With ``by_share`` the row length is ``weight`` times the share of the fitted ideas that
    name any seed (``seeded_share_``): the seeds guide as much as the corpus speaks the
    taxonomy's words. Residents' proposals mostly do (80% of the bundled sample's ideas name a
    seed), so they keep nearly all the pull that separates their themes; sentences on topics
    the taxonomy lacks mention a seed word in passing (14-29% of SIB-200's Latvian, Russian
    and Latgalian sentences), and a full-length row would drag those few into municipal
    themes away from their topic. Chosen on the sample and SIB-200 together: sample ARI
    0.61-0.65 at full weight, 0.67-0.68 scaled (with the lexical columns); SIB-200 lv NMI
    0.36-0.38 at full weight, 0.45-0.47 scaled.

    Args:
        taxonomy: The themes (:func:`pipeline.topics.taxonomy.load_taxonomy`).
        weight: Length of a row with any seed (0 switches the guidance off: zero columns).
        by_share: Scale ``weight`` by the share of fitted ideas that name a seed.
    """

    def __init__(
        self, taxonomy: Sequence[Theme] | None = None, weight: float = 1.0, by_share: bool = False
    ) -> None:
        self.taxonomy = taxonomy
        self.weight = weight
        self.by_share = by_share

    def fit(self, lemmas: Sequence[Any] | None = None, y: None = None) -> TaxonomyGuidance:
        """Lemmatise every theme's seeds; with ``by_share``, the seeded share of ``lemmas``."""
        if self.weight < 0:
            raise ValueError(f"guidance weight must be >= 0, got {self.weight}")
        themes = list(self.taxonomy or [])
        self.theme_ids_ = [theme.id for theme in themes]
        self.seed_lemmas_: list[list[Seed]] = [seed_lemma_sets(theme) for theme in themes]
        self.seeded_share_ = 1.0
        if lemmas is not None and len(lemmas) and self.seed_lemmas_:
            named = self._mentions(lemmas).any(axis=1)
            answered = np.array([_has_words(value) for value in lemmas])
            self.seeded_share_ = float(named[answered].mean()) if answered.any() else 0.0
        self.row_length_ = self.weight * (self.seeded_share_ if self.by_share else 1.0)
        return self

    def _mentions(self, lemmas: Sequence[Any]) -> np.ndarray:
        rows = np.zeros((len(lemmas), len(self.seed_lemmas_)), dtype=np.float64)
        for i, value in enumerate(lemmas):
            if not _has_words(value):
                continue
            words = {fold(str(word)) for word in value}
            for j, seeds in enumerate(self.seed_lemmas_):
                rows[i, j] = any(mentions(seed, words) for seed in seeds)
        return rows

    def transform(self, lemmas: Sequence[Any]) -> np.ndarray:
        """Seed-theme rows of the ideas, shape (n, n_themes), float32.

        Args:
            lemmas: Content lemmas of each idea (the ideas table's ``content_lemmas``: lists,
                arrays or missing values).
        """
        if self.weight == 0:
            return np.zeros((len(lemmas), 0), dtype=np.float32)
        rows = self._mentions(lemmas)
        return (getattr(self, "row_length_", self.weight) * unit_rows(rows)).astype(np.float32)

    def fit_transform(self, lemmas: Sequence[Any], y: None = None) -> np.ndarray:
        """:meth:`fit`, then :meth:`transform`."""
        return self.fit(lemmas).transform(lemmas)


def _has_words(value: Any) -> bool:
    return value is not None and not isinstance(value, float | str) and len(value) > 0


def make_guidance(params: GuidanceParams, taxonomy: Sequence[Theme] | None) -> TaxonomyGuidance:
    """The taxonomy guidance the ``guidance`` section asks for (weight 0 or no taxonomy: off)."""
    weight = params.seed_weight if taxonomy else 0.0
    return TaxonomyGuidance(list(taxonomy or []), weight=weight, by_share=params.by_share)
