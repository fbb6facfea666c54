"""Step ``train_swot``: the SWOT classifier from labelled SVID statements."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.embed.encoder import SentenceEncoder
from pipeline.params import EmbedParams, SwotParams
from pipeline.swot.classifier import SwotClassifier
from pipeline.swot.cues import CueMatcher
from pipeline.swot.train import train_swot as fit_swot


def train_swot(
    labelled: pd.DataFrame,
    encoder: SentenceEncoder,
    matcher: CueMatcher,
    params: SwotParams,
    embed: EmbedParams,
    seed: int,
) -> tuple[SwotClassifier, dict[str, Any]]:
    """The fitted classifier and its cross-validation report.

    Args:
        labelled: Statements with their quadrant (``data/reference/svid_labelled.csv``).
        encoder: The sentence model of ``embed.model``.
        params: The ``swot`` section; ``embed`` gives the prompt and batch size.
    """
    return fit_swot(
        labelled,
        encoder,
        params,
        seed,
        matcher=matcher,
        prompt_name=embed.prompt_name,
        batch_size=embed.batch_size,
    )
