"""The reduce step: centre by language, append seed-word guidance, reduce with UMAP."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.params import CrossLingualParams, GuidanceParams, ReduceParams
from pipeline.topics.crosslingual import LanguageCentering, make_centering
from pipeline.topics.duplicates import distinct_ideas, duplicate_positions
from pipeline.topics.guidance import TaxonomyGuidance, lemma_lists, make_guidance
from pipeline.topics.lexical import LexicalFeatures
from pipeline.topics.reduce import Reducer, make_reducer, reduce_ideas
from pipeline.topics.small import min_ideas_to_cluster
from pipeline.topics.taxonomy import Theme

logger = logging.getLogger(__name__)


@dataclass
class Reduction:
    """What the reduce step produces: the fitted models and the arrays aligned with the ideas."""

    centering: LanguageCentering | None
    guidance: TaxonomyGuidance | None
    reducer: Reducer | None  # None: too few ideas to reduce
    centred: np.ndarray
    reduced: np.ndarray  # shape (n, 0) when not reduced
    lexical: LexicalFeatures | None = None


def reduce_corpus(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    taxonomy: Sequence[Theme] | None,
    *,
    crosslingual: CrossLingualParams,
    guidance: GuidanceParams,
    reduce: ReduceParams,
    seed: int,
    min_cluster_size: int | str | None = None,
) -> Reduction:
    """Centre by language, add the seed-word and the word columns, and reduce with UMAP.

    Args:
        ideas: The ideas table (``idea_id``, ``language``, ``non_answer``, ``duplicate_of``,
            ``content_lemmas``).
        embeddings: Rows aligned with ``ideas``.
        taxonomy: Themes whose seed words guide the reduction (``guidance``); None: no
            guidance. Pass the taxonomy the themes are named with.
        seed: UMAP's ``random_state``.
        min_cluster_size: ``cluster.min_cluster_size``: with fewer than twice as many distinct
            ideas nothing will be clustered (:mod:`pipeline.topics.small`), so nothing is reduced.
    """
    n_unique = distinct_ideas(ideas)
    needed = max(reduce.n_components + 2, reduce.n_neighbors + 1)
    if min_cluster_size is not None:
        needed = max(needed, min_ideas_to_cluster(min_cluster_size, n_unique))
    if n_unique < needed:
        logger.warning(
            "only %d distinct ideas: too few to reduce (at least %d are needed)", n_unique, needed
        )
        return Reduction(
            None,
            None,
            None,
            np.asarray(embeddings, dtype=np.float32),
            np.full((len(ideas), 0), np.nan, dtype=np.float32),
        )
    centering = make_centering(crosslingual)
    reducer = make_reducer(reduce, seed)
    fitted_guidance = make_guidance(guidance, taxonomy)
    lemmas = lemma_lists(ideas)
    answers = ~ideas["non_answer"].to_numpy(dtype=bool)
    answer_lemmas = [value for value, answer in zip(lemmas, answers, strict=True) if answer]
    seeded = fitted_guidance.fit(answer_lemmas).transform(lemmas)
    lexical = LexicalFeatures(
        lexical_weight(guidance, fitted_guidance),
        guidance.lexical_components,
        random_state=seed,
    ).fit(answer_lemmas)
    logger.info(
        "seed words: %.0f%% of the ideas name one; seed rows of length %.2f, word rows %.2f",
        100 * fitted_guidance.seeded_share_,
        fitted_guidance.row_length_,
        lexical.weight,
    )
    centred, reduced = reduce_ideas(
        embeddings,
        ideas["language"].astype(str).to_numpy(),
        ideas["non_answer"].to_numpy(dtype=bool),
        duplicate_positions(ideas["idea_id"], ideas["duplicate_of"]),
        centering=centering,
        reducer=reducer,
        guidance=np.hstack([seeded, lexical.transform(lemmas)]),
    )
    return Reduction(centering, fitted_guidance, reducer, centred, reduced, lexical)


def seed_rows(reduction: Reduction, ideas: pd.DataFrame) -> np.ndarray | None:
    """The seed-word rows of the ideas (:meth:`TaxonomyGuidance.transform`), as UMAP saw them
    beside the embeddings; None when nothing was reduced or no taxonomy guided."""
    if reduction.guidance is None:
        return None
    return reduction.guidance.transform(lemma_lists(ideas))


def lexical_weight(params: GuidanceParams, seeds: TaxonomyGuidance) -> float:
    """The length of the word columns' rows: ``lexical_weight``, with ``by_share`` times the
    share of ideas that name no seed word.

    The seed words and the corpus' own words share the guiding: proposals that speak the
    taxonomy's words (83% of the bundled sample's ideas name a seed) are pulled by its seeds and
    little by their vocabulary; text on topics the taxonomy lacks (14-29% of SIB-200's
    sentences name a seed) is pulled by its own words instead.
    """
    if seeds.by_share and seeds.weight:
        return params.lexical_weight * (1.0 - seeds.seeded_share_)
    return params.lexical_weight
