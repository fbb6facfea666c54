"""Embedding texts with a sentence model in content batches, reusing cached batches."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from pipeline.embed.cache import EmbeddingCache, content_batches
from pipeline.embed.encoder import SentenceEncoder


def embed_texts(
    texts: Sequence[str],
    model: SentenceEncoder,
    *,
    prompt_name: str | None = "query",
    batch_size: int = 32,
    cache: EmbeddingCache | None = None,
    progress: bool = True,
    encode_batches: Callable[[list[list[str]]], Iterable[np.ndarray]] | None = None,
) -> tuple[np.ndarray, int]:
    """Embed texts (unit vectors) in :func:`content_batches`, reusing cached batches.

    ``encode_batches`` computes the batches the cache lacks elsewhere (e.g. on a Dask cluster,
    :mod:`pipeline.compute.embed`): it gets them in order and yields one array per batch, each
    encoded as one forward pass (as here, so that the vectors do not depend on where they are
    computed); ``model`` then only names the model. The cache stays in this process.

    Returns:
        ``(vectors, n_computed)``: float32 array with one row per text, and how many distinct
        texts had to be run through the model.
    """
    batches = content_batches(texts, batch_size)
    found: dict[str, np.ndarray] = {}
    todo: list[list[str]] = []
    for batch in batches:
        vectors = cache.get(batch) if cache is not None else None
        if vectors is None:
            todo.append(batch)
        else:
            found.update(zip(batch, vectors, strict=True))
    computed = sum(len(batch) for batch in todo)
    if todo:
        bar = tqdm(total=computed, desc="embedding", unit="text", disable=not progress, leave=False)
        if encode_batches is None:
            computed_batches: Iterable[np.ndarray] = (
                encode_batch(model, batch, prompt_name) for batch in todo
            )
        else:
            computed_batches = encode_batches(todo)
        for batch, vectors in zip(todo, computed_batches, strict=True):
            vectors = np.asarray(vectors).astype(np.float32)
            found.update(zip(batch, vectors, strict=True))
            if cache is not None:
                cache.put(batch, vectors)
            bar.update(len(batch))
        bar.close()
        if cache is not None:
            cache.save()
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0
    return np.stack([found[t] for t in texts]).astype(np.float32), computed


def encode_batch(model: SentenceEncoder, batch: list[str], prompt_name: str | None) -> np.ndarray:
    """Unit vectors of ``batch`` as one forward pass (float32)."""
    kwargs: dict[str, Any] = {
        "convert_to_numpy": True,
        "normalize_embeddings": True,
        "show_progress_bar": False,
    }
    if prompt_name:
        kwargs["prompt_name"] = prompt_name
    vectors = np.asarray(model.encode(batch, batch_size=len(batch), **kwargs))
    return vectors.astype(np.float32)
