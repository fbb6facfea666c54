"""The embedding cache: batches of vectors on disk, and the batches themselves.

Texts are embedded in batches that depend only on the texts (:func:`content_batches`), so the
vectors of a corpus are the same bit for bit whatever the order of its rows or the state of the
cache. The cache is keyed on (model fingerprint, prompt, batch): adding one proposal to a corpus
re-embeds one batch (about ``embed.batch_size`` texts), and changing a normalisation parameter
that leaves the embedded text alone embeds nothing.

Runs may share a cache directory at the same time: :meth:`EmbeddingCache.save` merges what the
run computed into what is on disk at that moment, under an exclusive lock on a ``.lock`` file
beside the cache file, so no run loses another's entries. The file format and name are those
of the single-writer cache before it, so older code reads (and writes) the same files.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from pipeline.io.files import atomic_path

try:  # POSIX; elsewhere save() still merges, just without the lock around it
    import fcntl
except ImportError:  # pragma: no cover - not on the platforms the project runs on
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)


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
    run leaves the old cache intact, and it merges with what other runs saved meanwhile.
    """

    def __init__(self, directory: str | Path, model_key: str, prompt: str | None) -> None:
        self.directory = Path(directory)
        self.model_key = model_key
        self.prompt = prompt
        self._batches: dict[str, np.ndarray] = self._read()
        self._new: dict[str, np.ndarray] = {}

    @property
    def path(self) -> Path:
        """The cache file."""
        return self.directory / f"{self.model_key}-{self.prompt or 'none'}-batches.npz"

    @property
    def lock_path(self) -> Path:
        """The file locked while a run merges its batches into :attr:`path`."""
        return self.path.with_name(self.path.name + ".lock")

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
        key = self.key(texts)
        self._batches[key] = self._new[key] = np.asarray(vectors, dtype=np.float32)

    def save(self) -> None:
        """Merge the batches added since the last save into the cache file.

        Under the lock, the file is read again and this run's batches are added to what it
        holds now, so runs that save in turn keep each other's batches. A batch already on
        disk is kept as it is: an entry, once stored, never changes under a run reading it.
        """
        if not self._new:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        with self._locked():
            merged = self._read()
            for key, vectors in self._new.items():
                merged.setdefault(key, vectors)
            self._write(merged)
        self._batches = merged
        self._new = {}

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold an exclusive lock on :attr:`lock_path` (released when the file is closed)."""
        with open(self.lock_path, "a") as handle:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            yield

    def _read(self) -> dict[str, np.ndarray]:
        """The batches in the cache file now (none if it is missing or unreadable)."""
        if not self.path.exists():
            return {}
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys = data["batch_keys"].tolist()
                ends = data["batch_ends"]
                vectors = data["vectors"]
            starts = np.concatenate([[0], ends[:-1]]) if len(ends) else ends
            return {
                key: vectors[start:end] for key, start, end in zip(keys, starts, ends, strict=True)
            }
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            logger.warning("ignoring unreadable embedding cache %s (%s)", self.path, exc)
            return {}

    def _write(self, batches: dict[str, np.ndarray]) -> None:
        """Replace the cache file with ``batches`` (atomically)."""
        keys = np.array(list(batches), dtype="U64")
        blocks = list(batches.values())
        ends = np.cumsum([len(block) for block in blocks]).astype(np.int64)
        vectors = np.concatenate(blocks).astype(np.float32)
        with atomic_path(self.path) as tmp, open(tmp, "wb") as handle:
            np.savez(handle, batch_keys=keys, batch_ends=ends, vectors=vectors)


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
