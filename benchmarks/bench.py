"""``make bench``: measured quality and speed figures, written to ``docs/benchmarks.md``.

Quality is measured on the bundled sample against its gold file; the SWOT, question-frame and
non-answer targets come from the DVC outputs of both bundled samples (run ``dvc repro`` first)
and the hand-written non-answer forms (:mod:`benchmarks.targets`); speed on the sample scaled up
to 10,000 ideas. Timings are medians of several runs on this machine, whose description is
written beside them.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from benchmarks import targets
from benchmarks.corpus import scaled_responses
from pipeline import __version__
from pipeline.evaluate import (
    diacritics_cross_validation,
    language_accuracy,
    lemma_accuracy,
    load_gold,
    non_answer_scores,
    split_accuracy,
)
from pipeline.ingest.responses import ingest_file
from pipeline.lang.lv.diacritics.restorer import DiacriticsRestorer
from pipeline.lang.lv.lemmatizer import lemmatize
from pipeline.lang.script import CYRILLIC
from pipeline.normalise.ideas import normalise_responses
from pipeline.params import load_params

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "raw" / "proposals.csv"
GOLD = ROOT / "data" / "reference" / "proposals_gold.csv"
LEMMA_FORMS = ROOT / "tests" / "data" / "lemma_forms.tsv"

logger = logging.getLogger(__name__)


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 1024**2:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": mem,
        "python": platform.python_version(),
        "balsis": __version__,
    }


def time_normalise(n_ideas: int, repeats: int) -> dict[str, float]:
    """Median seconds for ingest + normalise of ``n_ideas`` responses, from a CSV file."""
    params = load_params()
    sample = ingest_file(SAMPLE, params.ingest)
    big = scaled_responses(sample, n_ideas)
    path = ROOT / ".cache" / "bench" / "scaled.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    big.rename(columns={"response_id": "id"}).drop(
        columns=["source_row", "text_too_long", "formula_like"]
    ).to_csv(path, index=False)
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        responses = ingest_file(path, params.ingest)
        normalise_responses(responses, params.normalise)
        seconds.append(time.perf_counter() - start)
    return {
        "n_responses": float(len(big)),
        "median_s": statistics.median(seconds),
        "min_s": min(seconds),
        "max_s": max(seconds),
        "repeats": float(repeats),
    }


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _embedding_worker(n_texts: int, batch_size: int, repeats: int) -> dict[str, float]:
    """Runs in a fresh process: embed ``n_texts`` distinct sample ideas, no cache."""
    import torch

    from pipeline.embed.encoder import load_sentence_model, resolve_model
    from pipeline.embed.texts import embed_texts

    params = load_params()
    ideas = normalise_responses(ingest_file(SAMPLE, params.ingest), params.normalise)
    base = ideas.loc[~ideas["non_answer"], "text_normalised"].drop_duplicates().tolist()
    # Distinct texts, so that nothing is deduplicated away: repeats get a number.
    texts = [
        base[i % len(base)] + (f" ({i // len(base)})" if i >= len(base) else "")
        for i in range(n_texts)
    ]
    model = load_sentence_model(resolve_model(params.embed.model))
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        embed_texts(
            texts,
            model,
            prompt_name=params.embed.prompt_name,
            batch_size=batch_size,
            progress=False,
        )
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    return {
        "batch_size": float(batch_size),
        "texts": float(n_texts),
        "median_s": median,
        "texts_per_s": n_texts / median,
        "peak_rss_mib": _peak_rss_mib(),
        "threads": float(torch.get_num_threads()),
    }


def in_fresh_process(function: object, *args: object) -> dict[str, float]:
    """Run ``function(*args)`` in a new interpreter, so its peak memory is its own."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)  # type: ignore[arg-type]


def _pipeline_worker(csv_path: str, out_dir: str, cache_dir: str) -> dict[str, float]:
    """Runs in a fresh process: the whole ``balsis run`` on ``csv_path``."""
    from pipeline.workflow import run_pipeline

    start = time.perf_counter()
    summary = run_pipeline(csv_path, out_dir, load_params(), cache_dir=cache_dir)
    return {
        "seconds": time.perf_counter() - start,
        "peak_rss_mib": _peak_rss_mib(),
        "ideas": float(summary.ideas),
        "themes": float(summary.themes),
    }


def pipeline_speed(n_ideas: int, repeats: int) -> dict[str, object]:
    """The whole pipeline on the sample scaled to ``n_ideas``: cold, then warm.

    Cold: empty numba cache and empty embedding cache (a first run on a new machine). Warm:
    both caches filled by the cold run (a rerun after changing a clustering parameter).
    """
    import tempfile

    params = load_params()
    big = scaled_responses(ingest_file(SAMPLE, params.ingest), n_ideas)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "scaled.csv"
        big.rename(columns={"response_id": "id"}).drop(
            columns=["source_row", "text_too_long", "formula_like"]
        ).to_csv(csv_path, index=False)
        previous = os.environ.get("NUMBA_CACHE_DIR")
        os.environ["NUMBA_CACHE_DIR"] = str(Path(tmp) / "numba")
        try:
            args = (str(csv_path), str(Path(tmp) / "out"), str(Path(tmp) / "emb"))
            cold = in_fresh_process(_pipeline_worker, *args)
            warm = [in_fresh_process(_pipeline_worker, *args) for _ in range(repeats)]
        finally:
            if previous is None:
                os.environ.pop("NUMBA_CACHE_DIR", None)
            else:
                os.environ["NUMBA_CACHE_DIR"] = previous
    return {
        "responses": len(big),
        "ideas": cold["ideas"],
        "cold_s": cold["seconds"],
        "cold_peak_rss_mib": cold["peak_rss_mib"],
        "warm_median_s": statistics.median(w["seconds"] for w in warm),
        "warm_peak_rss_mib": max(w["peak_rss_mib"] for w in warm),
        "warm_runs": len(warm),
        "themes": cold["themes"],
    }


def embedding_speed(n_texts: int, repeats: int) -> list[dict[str, float]]:
    """Embedding throughput of the default model at a few batch sizes."""
    return [in_fresh_process(_embedding_worker, n_texts, b, repeats) for b in (16, 32, 64)]


def quality() -> dict[str, dict[str, object]]:
    """Language, splitting, non-answer, diacritics and lemma figures on the sample."""
    params = load_params()
    gold = load_gold(GOLD)
    responses = ingest_file(SAMPLE, params.ingest)
    ideas = normalise_responses(responses, params.normalise)

    lv_ids = set(
        gold.loc[
            (gold["language"] == "lv")
            & (gold["n_ideas"] > 0)
            & (gold["typed_without_diacritics"].astype(str).str.lower() == "false"),
            "id",
        ]
    )
    lv_texts = ideas.loc[
        ideas["response_id"].isin(lv_ids) & ~ideas["non_answer"], "text_clean"
    ].tolist()
    with LEMMA_FORMS.open(encoding="utf-8") as handle:
        pairs = [
            (row[0], row[1])
            for row in csv.reader(handle, delimiter="\t")
            if row and not row[0].startswith("#")
        ]
    lemma_acc, misses = lemma_accuracy(
        pairs, lambda form: lemmatize(form, "ru" if CYRILLIC.search(form) else "lv")
    )
    return {
        "language": language_accuracy(ideas, gold),
        "splitting": split_accuracy(ideas, gold),
        "non_answers": non_answer_scores(ideas, gold),
        "diacritics_lexicon_only": diacritics_cross_validation(
            lv_texts, DiacriticsRestorer, folds=0
        ),
        "diacritics_5fold": diacritics_cross_validation(lv_texts, DiacriticsRestorer, folds=5),
        "lemmas": {
            "accuracy": lemma_acc,
            "n": len(pairs),
            "misses": [f"{form} -> {got} (expected {lemma})" for form, lemma, got in misses],
        },
    }


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def render(figures: dict[str, object]) -> str:
    """The Markdown page."""
    m = figures["machine"]
    q = figures["quality"]
    t = figures["normalise_speed"]
    p = figures["pipeline_speed"]
    lang = q["language"]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m benchmarks.bench`); every figure below comes from",
        "that run. Do not edit by hand.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, Python {m['python']};",
        f"balsis {m['balsis']}; measured {figures['date']}.",
        "",
        "## Normalisation quality on the bundled sample",
        "",
        f"Sample: `data/raw/proposals.csv`, {lang['n']} responses; truth:",
        "`data/reference/proposals_gold.csv`.",
        "",
        "| measure | value | target |",
        "| --- | --- | --- |",
        f"| language identification, all responses | {_pct(lang['accuracy'])} | >= 97% |",
    ]
    for code in ("lv", "ru", "en", "ltg", "und"):
        if f"accuracy_{code}" in lang:
            lines.append(
                f"| language identification, {code} (n={lang[f'n_{code}']}) | "
                f"{_pct(lang[f'accuracy_{code}'])} | >= 97% |"
            )
    s = q["splitting"]
    na = q["non_answers"]
    dl = q["diacritics_lexicon_only"]
    dc = q["diacritics_5fold"]
    lem = q["lemmas"]
    lines += [
        f"| ideas per response equal to gold (n={s['n']}) | {_pct(s['accuracy'])} | >= 90% |",
        f"| ... of multi-idea responses only (n={s['n_multi_idea']}) | "
        f"{_pct(s['accuracy_multi_idea'])} | |",
        f"| non-answers: precision / recall (n={na['n']}) | {_pct(na['precision'])} / "
        f"{_pct(na['recall'])} | |",
        f"| diacritics restored, word accuracy, 5-fold (corpus + lexicons) | "
        f"{_pct(dc['word_accuracy'])} | >= 97% |",
        f"| diacritics restored, words that had diacritics, 5-fold | "
        f"{_pct(dc['diacritic_word_recall'])} | >= 90% |",
        f"| diacritics restored, word accuracy, lexicons only | {_pct(dl['word_accuracy'])} | |",
        f"| diacritics restored, words that had diacritics, lexicons only | "
        f"{_pct(dl['diacritic_word_recall'])} | |",
        f"| lemma accuracy, `tests/data/lemma_forms.tsv` (n={lem['n']}) | "
        f"{_pct(lem['accuracy'])} | >= 95% |",
        "",
        f"Diacritics: every Latvian idea of the sample typed with diacritics ({dc['words']} words,",
        f'{dc["words_with_diacritics"]} with diacritics) was stripped and restored. "5-fold":',
        "the restorer learnt word forms from the other four fifths of the corpus (as it learns",
        'from the corpus it normalises); "lexicons only": it learnt nothing from the corpus.',
        "Lemma misses: " + ("; ".join(lem["misses"]) or "none") + ".",
        "",
        targets.render(figures["targets"]).rstrip("\n"),
        "",
        "## Speed of ingest + normalise",
        "",
        f"{int(t['n_responses'])} responses (the sample repeated with small edits), read from",
        f"CSV and normalised: median {t['median_s']:.1f} s over {int(t['repeats'])} runs",
        f"(min {t['min_s']:.1f} s, max {t['max_s']:.1f} s), "
        f"{t['n_responses'] / t['median_s']:.0f} responses/s.",
        "",
        "## Embedding speed (multilingual-e5-small, fp32, CPU)",
        "",
        f"{int(figures['embedding_speed'][0]['texts'])} distinct short Latvian ideas from the",
        "sample, no cache, each batch size in a fresh process (peak RSS is that process's).",
        "",
        "| batch size | median s | texts/s | peak RSS MiB | torch threads |",
        "| --- | --- | --- | --- | --- |",
        *[
            f"| {int(e['batch_size'])} | {e['median_s']:.1f} | {e['texts_per_s']:.0f} | "
            f"{e['peak_rss_mib']:.0f} | {int(e['threads'])} |"
            for e in figures["embedding_speed"]
        ],
        "",
        "## The whole pipeline on 10,000 responses",
        "",
        f"The sample scaled to {p['responses']} responses ({int(p['ideas'])} ideas, "
        f"{int(p['themes'])} themes found),",
        "`balsis run` in a fresh process each time (ingest to the report, workbook and charts).",
        "",
        "| run | seconds | peak RSS MiB |",
        "| --- | --- | --- |",
        f"| cold: empty numba and embedding caches | {p['cold_s']:.0f} | "
        f"{p['cold_peak_rss_mib']:.0f} |",
        f"| warm: both caches filled (median of {p['warm_runs']}) | {p['warm_median_s']:.0f} | "
        f"{p['warm_peak_rss_mib']:.0f} |",
        "",
        "The cold run's extra time is embedding every text (about 100 texts/s) and numba",
        "compiling UMAP; `make` keeps a persistent numba cache in `.cache/numba`.",
        "",
    ]
    if "onnx" in figures:
        lines.append(render_onnx(figures["onnx"]))
    if "dask" in figures:
        from benchmarks.dask_run import render as render_dask

        lines.append(render_dask(figures["dask"]))
    if "scale" in figures:
        from benchmarks.scale import render as render_scale

        lines.append(render_scale(figures["scale"]))
    return "\n".join(lines)


def onnx_figures(repeats: int) -> dict[str, object]:
    """float32 torch against int8 ONNX (:mod:`benchmarks.onnx`, imported here: it uses this)."""
    from benchmarks.onnx import onnx_figures as measure

    return measure(repeats)


def render_onnx(figures: dict[str, object]) -> str:
    """The int8 section of the page."""
    from benchmarks.onnx import render as render_section

    return render_section(figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench")
    parser.add_argument("--out", default="docs/benchmarks.md")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n-ideas", type=int, default=10_000)
    parser.add_argument("--embed-texts", type=int, default=1000)
    parser.add_argument(
        "--scale-ideas", type=int, default=100_000, help="ideas of the large run (0: none)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    figures: dict[str, object] = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "quality": quality(),
        "targets": targets.measure(),
        "normalise_speed": time_normalise(args.n_ideas, args.repeats),
        "embedding_speed": embedding_speed(args.embed_texts, args.repeats),
        "pipeline_speed": pipeline_speed(args.n_ideas, args.repeats),
        "onnx": in_fresh_process(onnx_figures, args.repeats),
    }
    from benchmarks.dask_run import dask_figures

    figures["dask"] = dask_figures(args.n_ideas, workers=(1, 2), cold=True)
    if args.scale_ideas:
        from benchmarks.scale import measure as measure_scale

        figures["scale"] = measure_scale(args.scale_ideas, warm_repeats=2)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(figures), encoding="utf-8")
    out.with_suffix(".json").write_text(
        json.dumps(figures, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    print(f"wrote {out} and {out.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
