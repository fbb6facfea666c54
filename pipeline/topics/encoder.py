"""Sentence models as encoders: ``texts -> unit-length float32 rows``, each text embedded once.

Every function here that embeds takes ``model``: a sentence-transformers model (asked for a
prompt, by default the ``embed.prompt_name`` of ``params.yaml``, when it has that prompt),
any object with ``encode(texts)``, or a plain callable ``texts -> array``. Rows are
L2-normalised here, so a test can pass a tiny fake.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from pipeline.params import EmbedParams
from pipeline.topics.vectors import unit_rows

Encoder = Callable[[Sequence[str]], np.ndarray]
# The default of ``embed.prompt_name``: E5 clusters best with "query".
DEFAULT_PROMPT: str | None = EmbedParams.prompt_name


def as_encoder(model: Any, prompt_name: str | None = DEFAULT_PROMPT) -> Encoder:
    """Wrap a sentence model or a function as ``texts -> unit-length float32 rows``.

    Args:
        model: A sentence-transformers model (given ``prompt_name`` when it defines that
            prompt), any object with ``encode(texts)``, or a callable ``texts -> array``.
        prompt_name: Prompt of a sentence-transformers model (``embed.prompt_name``, the
            prompt the ideas were embedded with); E5 clusters best with "query".

    Returns:
        A function that embeds a list of texts into L2-normalised rows.

    Raises:
        TypeError: ``model`` can neither encode nor be called.
    """
    if isinstance(model, _CachedEncoder):
        return model
    if hasattr(model, "encode"):
        prompts = getattr(model, "prompts", None)
        kwargs: dict[str, Any] = {}
        if isinstance(prompts, Mapping) and prompt_name in prompts:
            kwargs = {"prompt_name": prompt_name, "show_progress_bar": False}

        def raw(texts: Sequence[str]) -> np.ndarray:
            return np.asarray(model.encode(list(texts), **kwargs))

    elif callable(model):

        def raw(texts: Sequence[str]) -> np.ndarray:
            return np.asarray(model(list(texts)))

    else:
        raise TypeError(
            f"model must be a sentence model, have encode(texts), or be callable; "
            f"got {type(model).__name__}"
        )
    return _CachedEncoder(raw)


class _CachedEncoder:
    """Embeds each distinct text once per run (keywords recur across clusters and themes)."""

    def __init__(self, raw: Callable[[Sequence[str]], np.ndarray]) -> None:
        self.raw = raw
        self.cache: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            # scikit-learn and torch each bring their own libgomp; with both loaded their
            # spinning threads fight over the cores and torch runs ~10x slower (measured on
            # 2 cores). One OpenMP thread avoids that and costs little for short texts.
            with threadpool_limits(limits=1, user_api="openmp"):
                rows = np.asarray(self.raw(missing), dtype=np.float32)
            if rows.ndim != 2 or len(rows) != len(missing):
                raise ValueError(
                    f"model returned an array of shape {rows.shape} for {len(missing)} texts"
                )
            self.cache.update(zip(missing, unit_rows(rows, np.float32), strict=True))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])
