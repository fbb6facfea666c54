"""``embed.backend``: the int8 ONNX Runtime model against the float32 torch one."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from pipeline.embed.encoder import load_embedding_model
from pipeline.embed.onnx_encoder import INT8_FILE, ONNX_DIR, OnnxEncoder, mean_pool
from pipeline.errors import BalsisError
from pipeline.params import EmbedParams, params_from_dict

SENTENCES = [
    "Pilsētas centrā vajadzētu vairāk velosipēdu novietņu.",
    "Ziemā ietves netiek notīrītas, un vecākiem cilvēkiem ir grūti pārvietoties.",
    "Skolas sporta zāle ir novecojusi, un tai nepieciešams remonts.",
    "Autobusi uz Rīgu kursē pārāk reti, it īpaši brīvdienās.",
    "Нужно отремонтировать дорогу к больнице.",
    "Please add more benches and shade in the central park.",
    "Jā",
]


def test_an_unknown_backend_is_refused_with_the_known_ones() -> None:
    with pytest.raises(BalsisError, match=r"embed\.backend .*torch, onnx-int8.*'int4'"):
        EmbedParams(backend="int4")
    with pytest.raises(BalsisError, match=r"embed\.backend"):
        params_from_dict({"embed": {"backend": "onnx"}})
    assert params_from_dict({"embed": {"backend": "onnx-int8"}}).embed.backend == "onnx-int8"


def test_a_model_directory_without_the_int8_file_says_to_run_the_model_stage(
    tmp_path: Path,
) -> None:
    (tmp_path / "config.json").write_text('{"hidden_size": 384}', encoding="utf-8")
    with pytest.raises(BalsisError, match=r"model_qint8\.onnx.*model stage"):
        OnnxEncoder(tmp_path)
    params = EmbedParams(model=str(tmp_path), backend="onnx-int8")
    with pytest.raises(BalsisError, match="model stage"):
        load_embedding_model(params)


def test_a_model_that_pools_otherwise_is_refused(tmp_path: Path) -> None:
    (tmp_path / ONNX_DIR).mkdir()
    (tmp_path / ONNX_DIR / INT8_FILE).write_bytes(b"not read: the pooling is checked first")
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(
        '{"embedding_dimension": 384, "pooling_mode": "cls"}', encoding="utf-8"
    )
    with pytest.raises(BalsisError, match="pooling"):
        OnnxEncoder(tmp_path)


def test_mean_pool_leaves_padding_out_and_gives_unit_rows() -> None:
    hidden = np.array([[[1.0, 0.0], [3.0, 0.0], [100.0, 100.0]], [[0.0, 2.0], [0.0, 4.0], [0, 6]]])
    mask = np.array([[1, 1, 0], [1, 1, 1]])
    pooled = mean_pool(hidden.astype(np.float32), mask)
    np.testing.assert_allclose(pooled, [[1.0, 0.0], [0.0, 1.0]], atol=1e-6)


@pytest.fixture(scope="session")
def e5_int8_dir(e5_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's converted model plus its int8 ONNX file (exported once, about 30 s)."""
    from pipeline.embed.e5.int8 import write_int8_onnx

    model_dir = tmp_path_factory.mktemp("e5-int8") / "multilingual-e5-small"
    model_dir.mkdir()
    for item in e5_model_dir.iterdir():  # links: the float32 directory stays as it is
        (model_dir / item.name).symlink_to(item)
    write_int8_onnx(model_dir)
    return model_dir


@pytest.mark.slow  # converts the model and exports it to ONNX
def test_int8_onnx_vectors_match_torch(e5_int8_dir: Path) -> None:
    from pipeline.embed.encoder import load_sentence_model

    assert (e5_int8_dir / ONNX_DIR / INT8_FILE).is_file()
    torch_model = load_sentence_model(e5_int8_dir, progress=False)
    onnx_model = OnnxEncoder(e5_int8_dir, threads=2)
    expected = torch_model.encode(SENTENCES, prompt_name="query", normalize_embeddings=True)
    got = onnx_model.encode(SENTENCES, prompt_name="query", batch_size=4)

    cosines = (np.asarray(expected) * got).sum(axis=1)
    assert cosines.min() >= 0.99, cosines
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    # the prompt is the model's "query: ", as in the torch path, and makes a difference
    prefixed = onnx_model.encode(["query: " + s for s in SENTENCES], batch_size=4)
    np.testing.assert_allclose(got, prefixed, atol=1e-6)
    assert (onnx_model.encode(SENTENCES, batch_size=4) * got).sum(axis=1).min() < 0.999
    # padding is masked; int8 activations are scaled per batch, so batch-mates move a vector
    # a little (the embedding cache keeps whole batches for that reason)
    alone = onnx_model.encode(SENTENCES[-1:], prompt_name="query")
    assert float(alone[0] @ got[-1]) > 0.995


@pytest.mark.slow  # converts the model and exports it to ONNX
def test_the_embed_step_runs_on_the_chosen_backend_with_its_own_cache(
    e5_int8_dir: Path, tmp_path: Path
) -> None:
    import pandas as pd

    from pipeline.steps.embed import embed

    ideas = pd.DataFrame(
        {"text_normalised": SENTENCES + ["-"], "non_answer": [False] * len(SENTENCES) + [True]}
    )
    params = EmbedParams(model=str(e5_int8_dir), backend="onnx-int8")
    int8, sidecar = embed(ideas, params, 2000, cache_dir=tmp_path, progress=False)
    fp32, torch_sidecar = embed(
        ideas, dataclasses.replace(params, backend="torch"), 2000, cache_dir=tmp_path,
        progress=False,
    )  # fmt: skip

    assert sidecar["backend"] == "onnx-int8" and torch_sidecar["backend"] == "torch"
    assert sidecar["model_fingerprint"] != torch_sidecar["model_fingerprint"]
    assert not np.any(int8[-1]) and not np.any(fp32[-1])
    assert (int8[:-1] * fp32[:-1]).sum(axis=1).min() >= 0.99
    assert not np.array_equal(int8, fp32)  # the cache did not hand float32 vectors to int8


def test_the_int8_ceiling_times_each_weight_shape_of_a_layer() -> None:
    from benchmarks.onnx import gemm_ceiling

    ceiling = gemm_ceiling(hidden=32, intermediate=128, rows=8, repeats=1)
    shapes = {(int(s["k"]), int(s["n"])): s for s in ceiling["shapes"]}
    assert set(shapes) == {(32, 32), (32, 128), (128, 32)}
    assert shapes[(32, 32)]["per_layer"] == 4
    for s in shapes.values():
        assert s["fp32_s"] > 0 and s["int8_s"] > 0
        assert s["speed_ratio"] == pytest.approx(s["fp32_s"] / s["int8_s"])
    fp32 = sum(s["per_layer"] * s["fp32_s"] for s in shapes.values())
    int8 = sum(s["per_layer"] * s["int8_s"] for s in shapes.values())
    assert ceiling["layer_speed_ratio"] == pytest.approx(fp32 / int8)


@pytest.mark.parametrize(("ratio", "says"), [(1.5, "cannot reach"), (2.4, "within reach")])
def test_the_ceiling_says_whether_quantisation_can_reach_the_target(
    ratio: float, says: str
) -> None:
    from benchmarks.onnx import render_ceiling

    shape = {"k": 384.0, "n": 384.0, "per_layer": 4.0, "fp32_gflops": 150.0}
    shape.update(int8_gops=150.0 * ratio, speed_ratio=ratio)
    ceiling = {
        "rows": 1024.0,
        "repeats": 7.0,
        "cpu_int8_flags": [],
        "shapes": [shape],
        "layer_speed_ratio": ratio,
    }
    text = " ".join(render_ceiling(ceiling))
    assert says in text
    assert "none (AVX2 only)" in text
    assert f"{ratio:.2f}x" in text
