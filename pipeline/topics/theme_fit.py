"""Whether a taxonomy theme fits an idea at all, not only better than the other themes.

Naming scores (:class:`pipeline.topics.naming.ThemeNamer`) are relative: standardised across
the themes, so an encyclopaedic sentence about planets still has a "best" municipal theme. A
theme *fits* an idea when its score reaches ``min_confidence`` and the idea's own embedding
(not centred, so the figure does not depend on the rest of the corpus) is at least
``min_similarity`` close to the theme in absolute terms: the mean cosine to the theme's
:data:`TOP_SEEDS` nearest seed words. Of the similarities tried on the bundled sample's gold
and SIB-200 (to the theme's description plus seeds, to its description, to the mean of its
seeds, to its nearest seed), this one told residents' proposals from encyclopaedic sentences
best (ROC AUC 0.93 against 0.87 for description plus seeds).

E5 puts a text in another language farther from the theme's words than a Latvian text on the
same theme; :data:`LANGUAGE_OFFSET` adds that distance back.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.lang.codes import ENGLISH, LATGALIAN, RUSSIAN
from pipeline.topics.vectors import unit_rows

# Seed words whose cosines to an idea are averaged: one seed word alone is often a homonym.
TOP_SEEDS = 3
# Cosine that E5 (multilingual-e5-small, "query: ") takes off a text's similarity to a theme's
# seed words (mostly Latvian) for being in another language: the difference of the median best
# similarity of Latvian ideas and of the others. Russian: 0.024 on the bundled sample, 0.020 on
# SIB-200 (the same sentences in both languages); Latgalian: 0.019 on the sample's 12 ideas,
# 0.011 on SIB-200; English is taken to be like Russian (0.051 on the sample's 10 ideas, too
# few to set it apart).
LANGUAGE_OFFSET = {RUSSIAN: 0.02, ENGLISH: 0.02, LATGALIAN: 0.01}


def theme_similarity(
    embeddings: np.ndarray, seed_embeddings: Sequence[np.ndarray], languages: Sequence[object]
) -> np.ndarray:
    """Similarity of every idea (row) to every theme (column), plus its language's offset.

    The similarity to a theme is the mean cosine to its :data:`TOP_SEEDS` nearest seed words.

    Args:
        embeddings: The ideas' embeddings as the model gave them (not language-centred).
        seed_embeddings: Per theme, one unit row per seed word, in the same space.
        languages: The language code of every idea.

    Returns:
        Array of shape (ideas, themes); rows of zeros or NaN (non-answers) are -1.
    """
    embeddings = np.asarray(embeddings, dtype=np.float32)
    if len(embeddings) != len(languages):
        raise ValueError(f"{len(embeddings)} embeddings but {len(languages)} languages")
    valid = np.isfinite(embeddings).all(axis=1) & (np.abs(embeddings).sum(axis=1) > 0)
    similarity = np.full((len(embeddings), len(seed_embeddings)), -1.0)
    if valid.any():
        rows = unit_rows(embeddings[valid], np.float32)
        for column, seeds in enumerate(seed_embeddings):
            cosines = np.sort(rows @ np.asarray(seeds, np.float32).T, axis=1)
            similarity[valid, column] = cosines[:, -TOP_SEEDS:].mean(axis=1)
        offset = np.array([LANGUAGE_OFFSET.get(str(code), 0.0) for code in languages])
        similarity[valid] += offset[valid, None]
    return similarity


def theme_fits(
    scores: np.ndarray,
    similarity: np.ndarray | None,
    min_confidence: float,
    min_similarity: float,
) -> np.ndarray:
    """Whether each theme (column) fits each idea (row): score and similarity both high enough.

    Args:
        scores: Naming scores (ideas, themes), 0..1.
        similarity: :func:`theme_similarity`; None: the score alone decides.
        min_confidence: The least score.
        min_similarity: The least similarity.
    """
    fits = np.asarray(scores, dtype=np.float64) >= min_confidence
    if similarity is not None:
        fits &= np.asarray(similarity) >= min_similarity
    return fits
