"""Step ``swot``: the SWOT (SVID) quadrant, probabilities and evidence of every idea."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.embed.encoder import SentenceEncoder
from pipeline.params import SwotParams
from pipeline.swot.assign import IdeaScores, assign_swot
from pipeline.swot.base import SwotModel
from pipeline.swot.cues import CueMatcher
from pipeline.swot.persist import swot_model_from_params


def swot_model(
    matcher: CueMatcher,
    params: SwotParams,
    prompt_name: str | None,
    *,
    classifier_dir: str | Path,
    encoder: SentenceEncoder | None,
) -> SwotModel:
    """The trained classifier in ``classifier_dir``, or the prototype fallback.

    ``encoder`` (the model of ``embed.model``, with ``prompt_name``) is needed by the fallback
    only.
    """
    return swot_model_from_params(
        params, matcher, model_dir=classifier_dir, encoder=encoder, prompt_name=prompt_name
    )


def swot(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    model: SwotModel,
    matcher: CueMatcher,
    params: SwotParams,
    scores: IdeaScores | None = None,
) -> pd.DataFrame:
    """One row per idea: quadrant, probabilities, confidence and the cues that fired.

    The question each idea answers (column ``question`` of ``ideas``, when there is one) is a
    prior for its quadrant (its frame, :mod:`pipeline.swot.frames`). ``scores``: the per-idea
    part computed elsewhere (:mod:`pipeline.compute.swot`); None: here.
    """
    idea_swot = assign_swot(
        ideas,
        embeddings,
        model,
        matcher,
        adapt_priors=params.adapt_priors,
        adapt_min_ideas=params.adapt_min_ideas,
        s_without_praise=params.s_without_praise,
        frame_overrides=params.question_frames,
        scores=scores,
    )
    idea_swot.attrs = {}  # the adapted priors are logged, not stored with the table
    return idea_swot
