"""Embedding texts with a sentence model in content batches, reusing cached batches."""

from __future__ import annotations

from collections.abc import Sequence
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
) -> tuple[np.ndarray, int]:
    """Embed texts (unit vectors) in :func:`content_batches`, reusing cached batches.

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
        kwargs: dict[str, Any] = {
            "convert_to_numpy": True,
            "normalize_embeddings": True,
            "show_progress_bar": False,
        }
        if prompt_name:
            kwargs["prompt_name"] = prompt_name
        bar = tqdm(total=computed, desc="embedding", unit="text", disable=not progress, leave=False)
        for batch in todo:
            vectors = np.asarray(model.encode(batch, batch_size=len(batch), **kwargs))
            vectors = vectors.astype(np.float32)
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
