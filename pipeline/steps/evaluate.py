"""Step ``evaluate``: metrics against the sample's gold labels, and stability over seeds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pipeline.evaluate import (
    align_gold,
    language_accuracy,
    non_answer_scores,
    split_accuracy,
    stability,
    swot_scores,
    theme_metrics,
)
from pipeline.params import (
    ClusterParams,
    CrossLingualParams,
    GuidanceParams,
    OutlierParams,
    ReduceParams,
)
from pipeline.topics.fit import fit_clusters
from pipeline.topics.taxonomy import Theme


@dataclass(frozen=True)
class Metrics:
    """The flat metrics DVC tracks, per concern."""

    themes: dict[str, Any]
    swot: dict[str, Any]
    normalise: dict[str, Any]


def evaluate(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    idea_themes: pd.DataFrame,
    idea_swot: pd.DataFrame,
    gold: pd.DataFrame,
    taxonomy: Sequence[Theme] | None,
    *,
    crosslingual: CrossLingualParams,
    guidance: GuidanceParams,
    reduce: ReduceParams,
    cluster: ClusterParams,
    outliers: OutlierParams,
    seed: int,
) -> Metrics:
    """Theme, SWOT and normalisation metrics; stability is the ARI of refits with 3 seeds.

    The keyword arguments are the sections the clustering was made with; ``taxonomy`` is the
    one that guided it.
    """

    def labels_for(refit_seed: int) -> np.ndarray:
        fitted = fit_clusters(
            ideas,
            embeddings,
            taxonomy,
            crosslingual=crosslingual,
            guidance=guidance,
            reduce=reduce,
            cluster=cluster,
            outliers=outliers,
            seed=refit_seed,
        )
        return fitted.clusters["cluster"].to_numpy()

    themes = theme_metrics(
        ideas, idea_themes, gold, stability_ari=stability(labels_for, (seed, seed + 1, seed + 2))
    )
    aligned = align_gold(ideas, gold).merge(idea_swot, on="idea_id")
    scored = aligned[(aligned["gold_swot"] != "") & (aligned["swot"].fillna("") != "")]
    swot = swot_scores(scored["swot"].tolist(), scored["gold_swot"].tolist())
    swot.pop("confusion", None)  # DVC metrics are flat numbers
    normalise = {
        "language": language_accuracy(ideas, gold),
        "splitting": split_accuracy(ideas, gold),
        "non_answers": non_answer_scores(ideas, gold),
    }
    return Metrics(themes=themes, swot=swot, normalise=normalise)
