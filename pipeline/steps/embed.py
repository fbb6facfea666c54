"""Step ``embed``: every idea that is not a non-answer -> a sentence embedding (cached)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.embed.encoder import SentenceEncoder
from pipeline.embed.ideas import embed_ideas
from pipeline.params import EmbedParams


def embed(
    ideas: pd.DataFrame,
    params: EmbedParams,
    max_chars: int,
    *,
    cache_dir: str | Path | None,
    models_dir: str | Path | None = None,
    model: SentenceEncoder | None = None,
    progress: bool = True,
    encode_batches: Callable[[list[list[str]]], Iterable[np.ndarray]] | None = None,
) -> tuple[np.ndarray, dict[str, Any]]:
    """The embeddings (rows aligned with ``ideas``) and their sidecar.

    Args:
        params: The ``embed`` section (model, prompt, batch size, backend).
        max_chars: ``ingest.max_embed_chars``: longer texts are cut for embedding only.
        cache_dir: The embedding cache; None: no cache.
        models_dir: Where the default model lives.
        model: An already loaded model of ``params.model`` (saves loading it twice).
        encode_batches: Computes the batches the cache lacks elsewhere (a Dask cluster:
            :func:`pipeline.compute.embed.cluster_encoder`); None: ``model`` in this process.
    """
    return embed_ideas(
        ideas,
        params.model,
        prompt_name=params.prompt_name,
        batch_size=params.batch_size,
        max_chars=max_chars,
        cache_dir=cache_dir,
        models_dir=models_dir,
        model=model,
        progress=progress,
        backend=params.backend,
        encode_batches=encode_batches,
    )
