"""Where ``balsis run`` does its per-idea work: in this process, or on a Dask cluster.

:func:`compute_on` opens what ``compute.scheduler`` names (:mod:`pipeline.compute.cluster`)
for the length of a run; :class:`Compute` runs the normalise, embed and SVID steps there, with
the same arguments and results as :mod:`pipeline.steps.normalise`, :mod:`pipeline.steps.embed`
and :mod:`pipeline.steps.swot`. Everything else (and all fitting) stays in this process.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.compute.cluster import dask_client
from pipeline.compute.embed import cluster_encoder
from pipeline.compute.normalise import normalise_on_cluster
from pipeline.compute.swot import scores_on_cluster
from pipeline.embed.encoder import SentenceEncoder
from pipeline.params import ComputeParams, EmbedParams, NormaliseParams, SwotParams
from pipeline.steps.embed import embed
from pipeline.steps.normalise import normalise
from pipeline.steps.swot import swot
from pipeline.swot.base import SwotModel
from pipeline.swot.cues import CueMatcher


@dataclass(frozen=True)
class Compute:
    """The per-idea steps, run by ``client``'s workers in partitions (None: in this process)."""

    client: Any = None
    partition_size: int = ComputeParams.partition_size

    def normalise(self, responses: pd.DataFrame, params: NormaliseParams) -> pd.DataFrame:
        """:func:`pipeline.steps.normalise.normalise`."""
        if self.client is None:
            return normalise(responses, params)
        return normalise_on_cluster(self.client, responses, params, self.partition_size)

    def embed(
        self,
        ideas: pd.DataFrame,
        params: EmbedParams,
        max_chars: int,
        *,
        cache_dir: str | Path | None,
        models_dir: str | Path | None = None,
        model: SentenceEncoder | None = None,
        progress: bool = True,
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """:func:`pipeline.steps.embed.embed` (on a cluster, the bar is the log's partitions)."""
        encode_batches = None
        if self.client is not None:
            encode_batches = cluster_encoder(self.client, params, self.partition_size, models_dir)
        return embed(
            ideas,
            params,
            max_chars,
            cache_dir=cache_dir,
            models_dir=models_dir,
            model=model,
            progress=progress and encode_batches is None,
            encode_batches=encode_batches,
        )

    def swot(
        self,
        ideas: pd.DataFrame,
        embeddings: np.ndarray,
        model: SwotModel,
        matcher: CueMatcher,
        params: SwotParams,
    ) -> pd.DataFrame:
        """:func:`pipeline.steps.swot.swot`."""
        scores = None
        if self.client is not None:
            scores = scores_on_cluster(
                self.client, ideas, embeddings, model, matcher, self.partition_size
            )
        return swot(ideas, embeddings, model, matcher, params, scores=scores)


@contextlib.contextmanager
def compute_on(params: ComputeParams) -> Iterator[Compute]:
    """A :class:`Compute` for ``compute.scheduler``; a local cluster is closed afterwards."""
    with dask_client(params) as client:
        yield Compute(client, params.partition_size)
