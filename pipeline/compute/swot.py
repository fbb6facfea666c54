"""The SWOT step on a Dask cluster: cues and classifier scores per partition on the workers.

The fitted model (the classifier or the prototype fallback) and the cue matcher are sent to
every worker once; each partition of the ideas table and its embedding rows gets its cues,
cue features and the model's probabilities there (:func:`~pipeline.swot.assign.idea_scores`,
which needs no other idea). The client joins them in order and does the corpus-level rest
(:func:`~pipeline.swot.assign.assign_swot`: the corpus' quadrant shares, the question frames),
so the quadrants equal the one-process run's.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from pipeline.compute.cluster import gather_in_order, partitions, spread_size
from pipeline.swot.assign import IdeaScores, idea_scores, join_scores
from pipeline.swot.base import SwotModel
from pipeline.swot.cues import CueMatcher

logger = logging.getLogger(__name__)

SCORE_COLUMNS = ("idea_id", "text_normalised", "language", "lemmas", "non_answer")
"""The columns of the ideas table the workers need."""


def scores_on_cluster(
    client: Any,
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    model: SwotModel,
    matcher: CueMatcher,
    partition_size: int,
) -> IdeaScores:
    """:func:`~pipeline.swot.assign.idea_scores` of ``ideas``, computed by the workers.

    Pass the result to :func:`~pipeline.swot.assign.assign_swot` (``scores``) with the same
    ``ideas``, ``embeddings``, ``model`` and ``matcher``.
    """
    columns = [c for c in SCORE_COLUMNS if c in ideas.columns]
    slices = partitions(len(ideas), spread_size(client, len(ideas), partition_size))
    logger.info("SVID: %d ideas in %d partitions", len(ideas), len(slices))
    [shared_model, shared_matcher] = client.scatter([model, matcher], broadcast=True)
    futures = [
        client.submit(
            _scores,
            ideas.iloc[rows][columns].reset_index(drop=True),
            np.asarray(embeddings[rows]),
            shared_model,
            shared_matcher,
            pure=False,
        )
        for rows in slices
    ]
    return join_scores(gather_in_order(client, futures, "SVID"))


def _scores(
    part: pd.DataFrame, embeddings: np.ndarray, model: SwotModel, matcher: CueMatcher
) -> IdeaScores:
    """Cues, features and probabilities of one partition (on a worker)."""
    return idea_scores(part, embeddings, model, matcher)
