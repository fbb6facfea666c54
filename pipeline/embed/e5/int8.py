"""The int8 ONNX Runtime twin of a converted model directory (``embed.backend: onnx-int8``).

Built offline from the float32 directory :mod:`~pipeline.embed.e5.convert` writes:

1. ``torch.onnx.export`` (TorchScript exporter, ``dynamo=False``) of a small wrapper around the
   BERT encoder, called with keyword arguments (positional ones collide with transformers 5's
   ``use_cache``), with dynamic batch and sequence axes and *eager* attention: with the default
   sdpa attention the exported graph ignored the padding mask (cosine 0.989 to torch).
2. A check of the float32 ONNX model against torch on a padded batch: every cosine >= 0.9999.
3. ``onnxruntime.quantization.quantize_dynamic``: int8 weights, one scale per output channel,
   7-bit range, except the feed-forward down-projections (``layer.N/output/dense``), which stay
   float32: their inputs (after GELU) have the widest range, and one 8-bit scale per tensor for
   those activations cost the most. Chosen on the sample's ideas (mean cosine to float32):
   per-tensor 0.988, per-channel 0.9936, per-channel + reduce_range 0.9957 (300 texts); on the
   660 distinct ideas, all MatMuls int8 0.9960 (min 0.990) against 0.9987 (min 0.9955) with the
   down-projections kept, at about a quarter less speed. Checked on SIB-200 Latvian (real text)
   by ``benchmarks/onnx.py`` (figures in ``docs/benchmarks.md``). ``reduce_range`` is what ONNX
   Runtime advises on CPUs without VNNI (AVX2 only, like this project's machines), whose
   u8 x s8 products can saturate with full-range weights.

No optimum: ``optimum-onnx`` pins ``transformers<5``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.embed.onnx_encoder import (
    INT8_INFO,
    int8_path,
    load_tokenizer,
    mean_pool,
    tokenize,
)
from pipeline.io.versions import library_version

logger = logging.getLogger(__name__)

MIN_FP32_COSINE = 0.9999
"""The float32 ONNX graph must reproduce torch to this cosine on every check text."""

QUANTISATION = {
    "weight_type": "QInt8",
    "per_channel": True,
    "reduce_range": True,
    "float32_nodes": "feed-forward down-projections (layer.N/output/dense/MatMul)",
}

# Texts of different lengths, so that the check batch is padded; prompt as in the embed stage.
CHECK_TEXTS = (
    "query: Vajag vairāk soliņu un apgaismojumu parkā pie upes.",
    "query: Ielas ir pilnas ar bedrēm, un ziemā trotuāri netiek tīrīti laikus.",
    "query: Bērnudārzā trūkst vietu.",
    "query: Нужно больше автобусных рейсов вечером до соседних посёлков.",
    "query: The library should stay open longer on weekends.",
    "query: Paldies!",
)


def write_int8_onnx(model_dir: str | Path, out: str | Path | None = None) -> Path:
    """Export, check and quantise ``model_dir``'s encoder into an int8 ONNX file.

    Args:
        model_dir: A sentence-transformers directory of a BERT encoder (multilingual-e5-small
            as the ``model`` stage writes it).
        out: The ONNX file; default ``model_dir/onnx/model_qint8.onnx``. A ``balsis_onnx.json``
            beside it records how it was made. Both are replaced only when complete.

    Returns:
        The path of the int8 model.

    Raises:
        RuntimeError: The float32 export does not reproduce torch (cosine below
            :data:`MIN_FP32_COSINE`).
    """
    started = time.perf_counter()
    model_dir = Path(model_dir)
    out = Path(out) if out is not None else int8_path(model_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".onnx.", suffix=".tmp", dir=out.parent))
    try:
        tokenizer = load_tokenizer(model_dir, 512)
        inputs = tokenize(tokenizer, CHECK_TEXTS)
        reference = _export_fp32(model_dir, inputs, staging / "model.onnx")
        fp32_cosine = _min_cosine(staging / "model.onnx", inputs, reference)
        if fp32_cosine < MIN_FP32_COSINE:
            raise RuntimeError(
                f"float32 ONNX export differs from torch (min cosine {fp32_cosine:.6f} < "
                f"{MIN_FP32_COSINE})"
            )
        _quantise(staging / "model.onnx", staging / out.name)
        int8_cosine = _min_cosine(staging / out.name, inputs, reference)
        info = _provenance(staging / out.name, fp32_cosine, int8_cosine)
        (staging / INT8_INFO).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        for name in (out.name, INT8_INFO):
            (staging / name).chmod(0o644)
            os.replace(staging / name, out.parent / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    logger.info(
        "wrote %s in %.1f s (min cosine to torch: fp32 %.6f, int8 %.4f)",
        out,
        time.perf_counter() - started,
        fp32_cosine,
        int8_cosine,
    )
    return out


def _export_fp32(model_dir: Path, inputs: dict[str, np.ndarray], path: Path) -> np.ndarray:
    """Write the float32 ONNX graph; return torch's sentence vectors of ``inputs``."""
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(
        model_dir, attn_implementation="eager", add_pooling_layer=False, local_files_only=True
    ).eval()

    class Encoder(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.inner(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state

    wrapper = Encoder(bert).eval()
    tensors = {name: torch.from_numpy(array) for name, array in inputs.items()}
    with torch.no_grad():
        hidden = wrapper(**tensors).numpy()
    axes = {0: "batch", 1: "sequence"}
    torch.onnx.export(
        wrapper,
        (),
        str(path),
        kwargs=tensors,
        input_names=["input_ids", "attention_mask"],
        output_names=["token_embeddings"],
        dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_embeddings": axes},
        opset_version=17,
        dynamo=False,
    )
    return mean_pool(hidden, inputs["attention_mask"])


def _quantise(source: Path, target: Path) -> None:
    """Dynamic int8 quantisation with :data:`QUANTISATION`."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(source), load_external_data=False).graph
    keep_float = [
        node.name
        for node in graph.node
        if node.op_type == "MatMul" and _is_down_projection(node.name)
    ]

    # the quantiser logs a line per tensor (and advice) on the root logger
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        quantize_dynamic(
            str(source),
            str(target),
            weight_type=QuantType.QInt8,
            per_channel=QUANTISATION["per_channel"],
            reduce_range=QUANTISATION["reduce_range"],
            nodes_to_exclude=keep_float,
        )
    finally:
        root.setLevel(level)


def _is_down_projection(name: str) -> bool:
    """Whether a node of the exported graph is a feed-forward block's output MatMul."""
    return "/output/dense/" in name and "/attention/" not in name


def _min_cosine(path: Path, inputs: dict[str, np.ndarray], reference: np.ndarray) -> float:
    """The smallest cosine between the ONNX model's vectors of ``inputs`` and ``reference``."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    vectors = mean_pool(session.run(None, inputs)[0], inputs["attention_mask"])
    return float((vectors * reference).sum(axis=1).min())


def _provenance(path: Path, fp32_cosine: float, int8_cosine: float) -> dict[str, Any]:
    """balsis_onnx.json: what the int8 file is and how it was made and checked."""
    return {
        "file": path.name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "made_by": "pipeline.embed.e5.int8.write_int8_onnx",
        "export": {"opset": 17, "attention": "eager", "exporter": "torchscript"},
        "quantisation": dict(QUANTISATION, method="onnxruntime.quantization.quantize_dynamic"),
        "check_min_cosine_to_torch": {"fp32": round(fp32_cosine, 6), "int8": round(int8_cosine, 6)},
        "libraries": {
            name: library_version(name) for name in ("torch", "transformers", "onnx", "onnxruntime")
        },
    }
