"""The embed step on a Dask cluster: the cache on the client, the model on the workers.

The client finds the content batches (:func:`~pipeline.embed.cache.content_batches`) the
embedding cache lacks, groups consecutive ones into partitions of about
``compute.partition_size`` texts and sends them to the workers. Each worker process loads the
model once (:func:`worker_model`, kept for the life of the process) and encodes every batch as
one forward pass, as the one-process run does, so the vectors are those of that run (to float
rounding of the worker's thread count). The client stores them in the cache and assembles the
embeddings.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.compute.cluster import gather_in_order, spread_size
from pipeline.embed.encoder import load_embedding_model, resolve_model
from pipeline.embed.texts import encode_batch
from pipeline.params import EmbedParams

logger = logging.getLogger(__name__)

_MODELS: dict[tuple[str, str], Any] = {}
_LOADS: list[tuple[str, str]] = []
_LOCK = threading.Lock()


def worker_model(location: str, backend: str) -> Any:
    """The model at ``location`` run by ``backend``, loaded once per process and then reused."""
    key = (location, backend)
    with _LOCK:
        if key not in _MODELS:
            settings = EmbedParams(model=location, backend=backend)
            _MODELS[key] = load_embedding_model(settings, progress=False)
            _LOADS.append(key)
        return _MODELS[key]


def model_loads() -> int:
    """How many times this process has loaded a model (one per model and backend)."""
    return len(_LOADS)


def cluster_encoder(
    client: Any,
    params: EmbedParams,
    partition_size: int,
    models_dir: str | Path | None = None,
) -> Callable[[list[list[str]]], Iterator[np.ndarray]]:
    """The ``encode_batches`` of :func:`pipeline.steps.embed.embed` that runs on ``client``.

    The batches the cache lacks go to the workers in partitions of about ``partition_size``
    texts; the vectors come back in order, one array per batch. The model directory
    (``embed.model`` resolved against ``models_dir``) must exist at the same path on every
    worker.
    """
    location = resolve_model(params.model, models_dir, backend=params.backend)

    def encode_batches(batches: list[list[str]]) -> Iterator[np.ndarray]:
        n_texts = sum(len(batch) for batch in batches)
        groups = _group(batches, spread_size(client, n_texts, partition_size))
        logger.info("embed: %d texts to compute in %d partitions", n_texts, len(groups))
        futures = client.map(
            _encode_partition,
            groups,
            location=location,
            backend=params.backend,
            prompt_name=params.prompt_name,
            pure=False,
        )
        for vectors in gather_in_order(client, futures, "embed"):
            yield from vectors

    return encode_batches


def _group(batches: list[list[str]], size: int) -> list[list[list[str]]]:
    """Consecutive batches in groups of at least ``size`` texts (the last may hold fewer)."""
    groups: list[list[list[str]]] = []
    group: list[list[str]] = []
    n_texts = 0
    for batch in batches:
        group.append(batch)
        n_texts += len(batch)
        if n_texts >= size:
            groups.append(group)
            group, n_texts = [], 0
    if group:
        groups.append(group)
    return groups


def _encode_partition(
    batches: list[list[str]], location: str, backend: str, prompt_name: str | None
) -> list[np.ndarray]:
    """The vectors of each batch (on a worker, with its once-loaded model)."""
    model = worker_model(location, backend)
    return [encode_batch(model, batch, prompt_name) for batch in batches]
