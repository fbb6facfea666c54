"""float32 torch against int8 ONNX Runtime embeddings, in one run on 2 threads.

Part of ``make bench`` (its section of ``docs/benchmarks.md``); on its own,
``python -m benchmarks.onnx --update docs/benchmarks.md`` replaces only that section (and the
``onnx`` entry of ``docs/benchmarks.json``).

Measured, both backends in the same process, their repeats interleaved (the machine is shared):

- texts/s, median of 3 repeats, with the embed stage's own batching (:func:`embed_texts`: content
  batches sorted by length, no cache) on the sample's distinct ideas and on SIB-200 Latvian
  (``../shared/realdata/sib200``; skipped with a message when that folder is missing);
- mean cosine of the int8 vector of each text to its float32 vector (target >= 0.99);
- the themes of the bundled sample (reduce, cluster, name) from int8 embeddings and the int8
  model against those from float32: ARI of the ideas' themes (target >= 0.9) and the change of
  theme-name accuracy against the gold file (target: within 1 point);
- the ceiling: one matrix product of each of the model's weight shapes in ONNX Runtime, float32
  against the same product quantised as the model's are (dynamic int8, per channel, 7-bit
  weights). No whole model can gain more from int8 than its products do, and the CPU's
  instruction set (VNNI or not) decides how much that is.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT.parent / "shared" / "realdata"
THREADS = 2
SECTION = "## int8 ONNX Runtime against float32 torch embeddings"
TARGETS = {"cosine": 0.99, "themes_ari": 0.9, "name_accuracy_points": 1.0, "speed_ratio": 2.0}

logger = logging.getLogger(__name__)


def _sample_ideas() -> tuple[pd.DataFrame, Any]:
    """The bundled sample's ideas and the params."""
    from benchmarks.bench import SAMPLE
    from pipeline.ingest.responses import ingest_file
    from pipeline.normalise.ideas import normalise_responses
    from pipeline.params import load_params

    params = load_params()
    return normalise_responses(ingest_file(SAMPLE, params.ingest), params.normalise), params


def _models(params: Any) -> dict[str, Any]:
    """Both backends of ``embed.model``, each on :data:`THREADS` threads."""
    import torch

    from pipeline.embed.encoder import load_embedding_model

    torch.set_num_threads(THREADS)
    return {
        backend: load_embedding_model(
            dataclasses.replace(params.embed, backend=backend), progress=False, threads=THREADS
        )
        for backend in ("torch", "onnx-int8")
    }


def speed_and_cosine(
    texts: list[str], models: dict[str, Any], params: Any, repeats: int
) -> dict[str, float]:
    """texts/s of each backend (median of ``repeats``) and the mean int8-to-float32 cosine."""
    from pipeline.embed.texts import embed_texts

    seconds: dict[str, list[float]] = {name: [] for name in models}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(repeats):
        for name, model in models.items():  # interleaved: load on the machine hits both
            start = time.perf_counter()
            vectors[name], _ = embed_texts(
                texts,
                model,
                prompt_name=params.embed.prompt_name,
                batch_size=params.embed.batch_size,
                progress=False,
            )
            seconds[name].append(time.perf_counter() - start)
    cosine = (vectors["torch"] * vectors["onnx-int8"]).sum(axis=1)
    result = {"texts": float(len(texts)), "repeats": float(repeats)}
    for name in models:
        result[f"{name}_texts_per_s"] = len(texts) / statistics.median(seconds[name])
    result["speed_ratio"] = result["onnx-int8_texts_per_s"] / result["torch_texts_per_s"]
    result["cosine_mean"] = float(cosine.mean())
    result["cosine_min"] = float(cosine.min())
    return result


def themes_agreement(ideas: pd.DataFrame, models: dict[str, Any], params: Any) -> dict[str, float]:
    """The sample's themes from int8 against float32: ARI and theme-name accuracy."""
    from sklearn.metrics import adjusted_rand_score

    from benchmarks.bench import GOLD
    from benchmarks.compare import run_balsis
    from pipeline.evaluate import align_gold, load_gold, theme_name_accuracy
    from pipeline.steps.embed import embed

    gold = align_gold(ideas, load_gold(GOLD)).set_index("idea_id").loc[ideas["idea_id"]]
    answers = ~ideas["non_answer"].to_numpy(dtype=bool)
    gold_themes = gold["gold_theme"].to_numpy()[answers]
    runs = {}
    for name, model in models.items():
        section = dataclasses.replace(params.embed, backend=name)
        embeddings, _ = embed(
            ideas, section, params.ingest.max_embed_chars, cache_dir=None, model=model,
            progress=False,
        )  # fmt: skip
        runs[name] = run_balsis(ideas, embeddings, model, params.seed)
    themes = {name: np.asarray(run["themes"])[answers] for name, run in runs.items()}
    clusters = {name: np.asarray(run["labels"])[answers] for name, run in runs.items()}
    accuracy = {name: theme_name_accuracy(list(t), list(gold_themes)) for name, t in themes.items()}
    return {
        "answers": float(answers.sum()),
        "themes_ari": float(adjusted_rand_score(themes["torch"], themes["onnx-int8"])),
        "clusters_ari": float(adjusted_rand_score(clusters["torch"], clusters["onnx-int8"])),
        "torch_name_accuracy": accuracy["torch"],
        "onnx-int8_name_accuracy": accuracy["onnx-int8"],
        "torch_themes": float(len(set(themes["torch"]) - {""})),
        "onnx-int8_themes": float(len(set(themes["onnx-int8"]) - {""})),
    }


VNNI_FLAGS = ("avx512_vnni", "avx_vnni", "amx_int8")


def cpu_int8_flags() -> list[str]:
    """The CPU's int8 dot-product extensions (empty: AVX2 only, or not Linux)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return []
    flags = next((line.split(":", 1)[1].split() for line in text.splitlines()
                  if line.startswith("flags")), [])  # fmt: skip
    return [flag for flag in VNNI_FLAGS if flag in flags]


def gemm_ceiling(
    hidden: int = 384, intermediate: int = 1536, rows: int = 1024, repeats: int = 15
) -> dict[str, Any]:
    """float32 against dynamic-int8 matrix products of the encoder's weight shapes.

    ``rows`` stands for a batch's tokens (32 texts of about 32 tokens). Each product is one
    ONNX graph with a single MatMul, quantised with :mod:`pipeline.embed.e5.int8`'s settings;
    the time of one product is the median of ``repeats`` means of 20 calls on
    :data:`THREADS` threads, float32 and int8 interleaved. Returns the seconds per shape and
    the speed-up of a layer's mix (the four attention projections, the feed-forward up- and
    down-projection, weighted by their operations).
    """
    import tempfile

    import onnx
    import onnxruntime
    from onnx import TensorProto, helper, numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from pipeline.embed.e5.int8 import QUANTISATION

    rng = np.random.default_rng(0)
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = THREADS
    options.inter_op_num_threads = 1
    # products per layer: query, key, value and attention output; feed-forward up and down
    layer = {(hidden, hidden): 4, (hidden, intermediate): 1, (intermediate, hidden): 1}
    shapes: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, n in layer:
            weight = numpy_helper.from_array(
                (0.05 * rng.standard_normal((k, n))).astype(np.float32), "w"
            )
            graph = helper.make_graph(
                [helper.make_node("MatMul", ["x", "w"], ["y"], name="product")],
                "product",
                [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["rows", k])],
                [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["rows", n])],
                [weight],
            )
            model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
            model.ir_version = 8
            fp32, int8 = Path(tmp) / f"fp32_{k}_{n}.onnx", Path(tmp) / f"int8_{k}_{n}.onnx"
            onnx.save(model, str(fp32))
            root = logging.getLogger()
            level = root.level
            root.setLevel(logging.ERROR)  # the quantiser's advice lines
            try:
                quantize_dynamic(
                    str(fp32), str(int8), weight_type=QuantType.QInt8,
                    per_channel=QUANTISATION["per_channel"],
                    reduce_range=QUANTISATION["reduce_range"],
                )  # fmt: skip
            finally:
                root.setLevel(level)
            x = {"x": rng.standard_normal((rows, k)).astype(np.float32)}
            sessions = {
                name: onnxruntime.InferenceSession(
                    str(path), options, providers=["CPUExecutionProvider"]
                )
                for name, path in (("fp32", fp32), ("int8", int8))
            }
            means: dict[str, list[float]] = {name: [] for name in sessions}
            for _ in range(5):
                for session in sessions.values():
                    session.run(None, x)
            for _ in range(repeats):  # interleaved: load on the machine hits both
                for name, session in sessions.items():
                    start = time.perf_counter()
                    for _ in range(20):
                        session.run(None, x)
                    means[name].append((time.perf_counter() - start) / 20)
            seconds = {name: statistics.median(values) for name, values in means.items()}
            shapes.append({
                "k": float(k), "n": float(n), "per_layer": float(layer[(k, n)]),
                "fp32_gflops": 2 * rows * k * n / seconds["fp32"] / 1e9,
                "int8_gops": 2 * rows * k * n / seconds["int8"] / 1e9,
                "speed_ratio": seconds["fp32"] / seconds["int8"],
                "fp32_s": seconds["fp32"], "int8_s": seconds["int8"],
            })  # fmt: skip
    total = {
        name: sum(s["per_layer"] * s[f"{name}_s"] for s in shapes) for name in ("fp32", "int8")
    }
    return {
        "rows": float(rows),
        "repeats": float(repeats),
        "cpu_int8_flags": cpu_int8_flags(),
        "shapes": shapes,
        "layer_speed_ratio": total["fp32"] / total["int8"],
    }


def sib200_lv(realdata: Path) -> list[str] | None:
    """SIB-200's Latvian sentences (train + dev), or None when the folder is missing."""
    path = realdata / "sib200" / "sib200_lv_traindev.csv"
    if not path.is_file():
        return None
    return pd.read_csv(path, dtype=str)["text"].dropna().drop_duplicates().tolist()


def onnx_figures(repeats: int = 3, realdata: Path = REALDATA) -> dict[str, Any]:
    """Every figure of the section."""
    from benchmarks.bench import machine
    from pipeline.embed.ideas import texts_to_embed

    ideas, params = _sample_ideas()
    models = _models(params)
    answers = ideas.loc[~ideas["non_answer"].to_numpy(dtype=bool)]
    sample_texts = list(dict.fromkeys(texts_to_embed(answers, params.ingest.max_embed_chars)))
    figures: dict[str, Any] = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "threads": THREADS,
        "sample": speed_and_cosine(sample_texts, models, params, repeats),
    }
    real = sib200_lv(realdata)
    if real is None:
        print(f"skipped the real data: no {realdata}")
        figures["sib200_lv"] = None
    else:
        figures["sib200_lv"] = speed_and_cosine(real, models, params, repeats)
    figures["themes"] = themes_agreement(ideas, models, params)
    config = json.loads((models["onnx-int8"].model_dir / "config.json").read_text("utf-8"))
    figures["ceiling"] = gemm_ceiling(config["hidden_size"], config["intermediate_size"])
    return figures


def meets_targets(figures: dict[str, Any]) -> dict[str, bool]:
    """Whether each quality target of int8 holds (cosine on every corpus measured)."""
    corpora = [f for f in (figures["sample"], figures.get("sib200_lv")) if f]
    t = figures["themes"]
    points = 100 * abs(t["onnx-int8_name_accuracy"] - t["torch_name_accuracy"])
    return {
        "cosine": all(c["cosine_mean"] >= TARGETS["cosine"] for c in corpora),
        "themes_ari": t["themes_ari"] >= TARGETS["themes_ari"],
        "name_accuracy_points": points <= TARGETS["name_accuracy_points"],
        "speed_ratio": all(c["speed_ratio"] >= TARGETS["speed_ratio"] for c in corpora),
    }


def render(figures: dict[str, Any]) -> str:
    """The Markdown section (starting with :data:`SECTION`)."""
    m = figures["machine"]
    held = meets_targets(figures)
    rows = []
    for label, f in (
        ("bundled sample, distinct ideas", figures["sample"]),
        ("SIB-200 Latvian (real text)", figures.get("sib200_lv")),
    ):
        if f is None:
            rows.append(f"| {label} | skipped: no ../shared/realdata | | | | |")
            continue
        rows.append(
            f"| {label} | {int(f['texts'])} | {f['torch_texts_per_s']:.0f} | "
            f"{f['onnx-int8_texts_per_s']:.0f} | {f['speed_ratio']:.2f}x | "
            f"{f['cosine_mean']:.4f} (min {f['cosine_min']:.3f}) |"
        )
    t = figures["themes"]
    points = 100 * (t["onnx-int8_name_accuracy"] - t["torch_name_accuracy"])
    lines = [
        SECTION,
        "",
        f"Measured on a shared 2-core machine ({m['cpu']}, {m['cores']} cores) while other work",
        f"ran on it, so absolute speeds vary; {figures['date']}. Both backends in one process on",
        f"{figures['threads']} threads, their repeats interleaved; texts/s is the median of",
        f"{int(figures['sample']['repeats'])} repeats of the embed stage's batching (no cache).",
        "int8: `models/multilingual-e5-small/onnx/model_qint8.onnx` from the `model` stage.",
        "",
        "| texts | n | fp32 torch texts/s | int8 ONNX texts/s | speed-up | "
        "mean cosine int8 vs fp32 |",
        "| --- | --- | --- | --- | --- | --- |",
        *rows,
        "",
        f"Themes of the bundled sample ({int(t['answers'])} answers) from int8 embeddings and the",
        "int8 model (naming included) against float32:",
        "",
        "| measure | value | target |",
        "| --- | --- | --- |",
        f"| ARI of the answers' themes, int8 vs fp32 | {t['themes_ari']:.3f} | >= 0.9 |",
        f"| ARI of the clusters, int8 vs fp32 | {t['clusters_ari']:.3f} | |",
        f"| theme-name accuracy fp32 / int8 | {100 * t['torch_name_accuracy']:.1f}% / "
        f"{100 * t['onnx-int8_name_accuracy']:.1f}% ({points:+.1f} points) | within 1 point |",
        f"| themes named fp32 / int8 | {int(t['torch_themes'])} / {int(t['onnx-int8_themes'])} | |",
        "",
        "Targets held: "
        + ", ".join(f"{name} {'yes' if ok else 'NO'}" for name, ok in held.items())
        + ".",
        "",
    ]
    if figures.get("ceiling"):
        lines += render_ceiling(figures["ceiling"])
    return "\n".join(lines)


_CEILING_SHORT = [
    "No model gains more from int8 than its products do. Against torch the int8 file also",
    "gains ONNX Runtime's own lead over torch, but a third of a layer's operations stay",
    "float32 (the down-projections, for accuracy: `pipeline/embed/e5/int8.py`), as does the",
    "rest of the time (layer norms, softmax, GELU, tokenising, quantising the activations).",
    "With int8 products less than twice as fast as float32 ones on this CPU (no VNNI),",
    "quantisation cannot reach the 2x target here.",
]
_CEILING_MET = [
    "On this CPU int8 products are at least twice as fast as float32 ones, so the 2x",
    "target is within reach of quantisation; the speed-up above says whether it is reached.",
]


def render_ceiling(c: dict[str, Any]) -> list[str]:
    """The lines of the int8 ceiling: the model's matrix products alone."""
    flags = ", ".join(c["cpu_int8_flags"]) or "none (AVX2 only)"
    rows = [
        f"| {int(s['k'])} x {int(s['n'])} ({int(s['per_layer'])} per layer) | "
        f"{s['fp32_gflops']:.0f} | {s['int8_gops']:.0f} | {s['speed_ratio']:.2f}x |"
        for s in c["shapes"]
    ]
    return [
        "The ceiling: each weight shape of the encoder as one ONNX Runtime matrix product of",
        f"{int(c['rows'])} rows (a batch's tokens), float32 against the model's dynamic int8",
        f"(median of {int(c['repeats'])} means of 20 calls). The CPU's int8 dot-product",
        f"extensions: {flags}.",
        "",
        "| product (in x out) | fp32 GFLOP/s | int8 GOP/s | speed-up |",
        "| --- | --- | --- | --- |",
        *rows,
        f"| a layer's products, weighted by their operations | | | {c['layer_speed_ratio']:.2f}x |",
        "",
        *(_CEILING_SHORT if c["layer_speed_ratio"] < TARGETS["speed_ratio"] else _CEILING_MET),
        "",
    ]


def update_page(page: Path, section: str) -> str:
    """``page``'s text with :data:`SECTION` replaced by ``section`` (appended if absent)."""
    text = page.read_text(encoding="utf-8") if page.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        return pattern.sub(lambda _: section, text, count=1)
    return text.rstrip("\n") + "\n\n" + section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.onnx")
    parser.add_argument("--update", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--realdata", type=Path, default=REALDATA)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    figures = onnx_figures(args.repeats, args.realdata)
    section = render(figures)
    print(section)
    args.update.write_text(update_page(args.update, section), encoding="utf-8")
    figures_path = args.update.with_suffix(".json")
    stored = json.loads(figures_path.read_text(encoding="utf-8")) if figures_path.exists() else {}
    stored["onnx"] = figures
    figures_path.write_text(json.dumps(stored, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"updated {args.update} and {figures_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
