"""multilingual-e5-small as int8 ONNX Runtime model: the ``onnx-int8`` value of ``embed.backend``.

The ``model`` stage writes ``onnx/model_qint8.onnx`` into the model directory
(:mod:`pipeline.embed.e5.int8`). :class:`OnnxEncoder` runs it with ONNX Runtime and answers
``encode`` like a sentence-transformers model: the same tokenizer file, the same prompts
(``query: `` in front of the text), mean pooling over every token (prompt, ``<s>`` and ``</s>``
included, as the model's ``1_Pooling/config.json`` says) and L2 normalisation. It needs neither
torch nor transformers. Activations are quantised with one scale per forward pass, so a text's
vector moves slightly with its batch-mates (cosine > 0.995 on the tests' sentences); the
embedding cache keeps whole batches (:func:`~pipeline.embed.cache.content_batches`) for that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.errors import BalsisError

ONNX_DIR = "onnx"
INT8_FILE = "model_qint8.onnx"
INT8_INFO = "balsis_onnx.json"


def int8_path(model_dir: str | Path) -> Path:
    """Where the int8 ONNX model of ``model_dir`` lives."""
    return Path(model_dir) / ONNX_DIR / INT8_FILE


def load_tokenizer(model_dir: str | Path, max_length: int) -> Any:
    """The model's ``tokenizer.json``, truncating to ``max_length`` tokens and padding a batch."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    pad_id = tokenizer.token_to_id("<pad>")
    tokenizer.enable_truncation(max_length)
    tokenizer.enable_padding(pad_id=1 if pad_id is None else pad_id, pad_token="<pad>")
    return tokenizer


def tokenize(tokenizer: Any, texts: Sequence[str]) -> dict[str, np.ndarray]:
    """``input_ids`` and ``attention_mask`` (int64, padded to the longest text) of ``texts``."""
    encodings = tokenizer.encode_batch(list(texts))
    return {
        "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
    }


def mean_pool(token_embeddings: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
    """Mean over the real (unpadded) tokens, then unit length: e5's sentence vector."""
    mask = attention_mask[..., None].astype(np.float32)
    summed = (token_embeddings * mask).sum(axis=1)
    vectors = summed / np.maximum(mask.sum(axis=1), 1e-9)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


class OnnxEncoder:
    """The int8 ONNX model of a model directory, with sentence-transformers' ``encode``.

    Args:
        model_dir: The model directory (``models/multilingual-e5-small``).
        threads: ONNX Runtime's intra-op threads; None: its default (one per core).

    Raises:
        BalsisError: The directory has no int8 ONNX model (run the ``model`` stage).
    """

    def __init__(self, model_dir: str | Path, *, threads: int | None = None) -> None:
        self.model_dir = Path(model_dir)
        self.path = int8_path(self.model_dir)
        if not self.path.is_file():
            raise BalsisError(
                f"{self.path}: no int8 ONNX model there; build it with the model stage "
                "(dvc repro model, or python -m pipeline.stages.model --out "
                f"{self.model_dir}), or set embed.backend: torch"
            )
        _check_pooling(_read_json(self.model_dir / "1_Pooling" / "config.json"), self.model_dir)
        import onnxruntime

        options = onnxruntime.SessionOptions()
        if threads is not None:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(self.path), options, providers=["CPUExecutionProvider"]
        )
        st_config = _read_json(self.model_dir / "config_sentence_transformers.json")
        self.prompts: dict[str, str] = dict(st_config.get("prompts") or {})
        self.max_seq_length = int(
            _read_json(self.model_dir / "sentence_bert_config.json").get("max_seq_length", 512)
        )
        self.dimension = int(_read_json(self.model_dir / "config.json")["hidden_size"])
        self.tokenizer = load_tokenizer(self.model_dir, self.max_seq_length)

    @property
    def fingerprint(self) -> str:
        """A short id for cache keys: the model's provenance and the int8 file's."""
        basis = "".join(
            (self.model_dir / name).read_text(encoding="utf-8")
            if (self.model_dir / name).exists()
            else name
            for name in ("balsis_model.json", f"{ONNX_DIR}/{INT8_INFO}")
        )
        return hashlib.sha256(("onnx-int8\n" + basis).encode("utf-8")).hexdigest()[:16]

    def get_embedding_dimension(self) -> int:
        """The length of the vectors."""
        return self.dimension

    def encode(
        self,
        sentences: Sequence[str],
        *,
        batch_size: int = 32,
        prompt_name: str | None = None,
        prompt: str | None = None,
        **_: Any,
    ) -> np.ndarray:
        """Unit-length float32 vectors of ``sentences`` (always normalised, always numpy).

        ``prompt_name`` picks a prompt of the model (``query``), ``prompt`` gives one; the
        other keywords of sentence-transformers' ``encode`` are accepted and ignored.
        """
        if prompt is None and prompt_name is not None:
            if prompt_name not in self.prompts:
                raise ValueError(f"the model has no prompt {prompt_name!r}")
            prompt = self.prompts[prompt_name]
        texts = [(prompt or "") + text for text in sentences]
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # longest first within the call, as sentence-transformers does: little padding
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), max(1, batch_size)):
            rows = order[start : start + max(1, batch_size)]
            inputs = tokenize(self.tokenizer, [texts[i] for i in rows])
            hidden = self.session.run(None, inputs)[0]
            out[rows] = mean_pool(hidden, inputs["attention_mask"])
        return out


def _check_pooling(config: dict[str, Any], model_dir: Path) -> None:
    """Refuse a model whose sentence-transformers pooling is not :func:`mean_pool`'s."""
    if not config:
        return  # no pooling module: sentence-transformers would mean-pool too
    mean = config.get("pooling_mode") == "mean" or (
        "pooling_mode" not in config and config.get("pooling_mode_mean_tokens", False)
    )
    if not mean or not config.get("include_prompt", True):
        raise BalsisError(
            f"{model_dir}: embed.backend onnx-int8 mean-pools over every token, but the model's "
            "1_Pooling/config.json asks for other pooling; use embed.backend: torch"
        )


def _read_json(path: Path) -> dict[str, Any]:
    """A JSON file of the model directory (empty if missing)."""
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))
