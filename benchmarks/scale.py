"""Scale figures for ``make bench``: the whole pipeline on 100,000 ideas, and what fitting UMAP
on a sample costs in quality.

- :func:`large_run`: ``balsis run`` on the bundled sample scaled to 100,000 ideas with edits
  (:func:`benchmarks.corpus.varied_responses`, so that near-duplicate detection keeps most
  apart), in a fresh process: cold (empty embedding cache) and warm (cache filled), seconds
  per step and peak RSS.
- :func:`fit_sample_cost`: at 10,000 ideas of the same kind, themes with UMAP fitted on all
  distinct ideas against fitted on a sample of ``reduce.fit_sample`` (ARI of the clusters and
  of the named themes).

Run alone: ``make bench-scale`` (``python -m benchmarks.scale --out docs/bench_scale.json``,
which also writes ``docs/bench_scale.md``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import adjusted_rand_score

from benchmarks.bench import ROOT, SAMPLE, in_fresh_process, machine
from benchmarks.corpus import varied_responses
from pipeline.ingest.responses import ingest_file
from pipeline.params import Params, load_params

IDEAS_PER_RESPONSE = 1.075  # of the varied corpus (98,901 ideas from 92,000 responses)
FIT_SAMPLES = (2_500, 5_000)

logger = logging.getLogger(__name__)


def write_corpus(n_ideas: int, path: Path) -> int:
    """The varied corpus of about ``n_ideas`` ideas as a CSV at ``path``; its responses."""
    params = load_params()
    n_responses = math.ceil(n_ideas / IDEAS_PER_RESPONSE)
    big = varied_responses(ingest_file(SAMPLE, params.ingest), n_responses)
    big.rename(columns={"response_id": "id"}).drop(
        columns=["source_row", "text_too_long", "formula_like"], errors="ignore"
    ).to_csv(path, index=False)
    return n_responses


def _run_worker(csv_path: str, out_dir: str, cache_dir: str) -> dict[str, Any]:
    """Runs in a fresh process: ``balsis run`` on ``csv_path``; seconds, steps, peak RSS."""
    import resource

    from pipeline.workflow import run_pipeline

    # a long run: its steps and their times on stderr as they end
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s")
    logging.getLogger("pipeline.workflow").setLevel(logging.INFO)

    start = time.perf_counter()
    summary = run_pipeline(csv_path, out_dir, load_params(), cache_dir=cache_dir)
    seconds = time.perf_counter() - start
    xlsx = Path(out_dir) / "balsis.xlsx"
    report = Path(out_dir) / "report.html"
    return {
        "seconds": seconds,
        "steps": dict(summary.step_seconds),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "responses": summary.responses,
        "ideas": summary.ideas,
        "duplicates": summary.duplicates,
        "themes": summary.themes,
        "outliers": summary.outliers,
        "report_mib": report.stat().st_size / 2**20,
        "workbook_mib": xlsx.stat().st_size / 2**20,
    }


def large_run(n_ideas: int, warm_repeats: int, cache_dir: Path | None = None) -> dict[str, Any]:
    """Cold then warm ``balsis run`` on the varied corpus of ``n_ideas`` ideas.

    Args:
        cache_dir: Embedding cache to use; None: a new empty one (the cold run fills it).
            Given, the first run is cold only for the texts it lacks.
    """
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "large.csv"
        write_corpus(n_ideas, csv_path)
        cache = cache_dir or Path(tmp) / "embeddings"
        args = (str(csv_path), str(Path(tmp) / "out"), str(cache))
        first = in_fresh_process(_run_worker, *args)
        warm = [in_fresh_process(_run_worker, *args) for _ in range(warm_repeats)]
    steps = {
        name: statistics.median(run["steps"][name] for run in warm) for name in warm[0]["steps"]
    }
    return {
        "n_ideas_asked": n_ideas,
        "first": first,
        "first_cold": cache_dir is None,
        "warm_runs": warm,
        "warm_median_s": statistics.median(run["seconds"] for run in warm),
        "warm_peak_rss_mib": max(run["peak_rss_mib"] for run in warm),
        "warm_steps_median_s": steps,
    }


def _themes_at(
    ideas: Any, embeddings: np.ndarray, params: Params, model: Any
) -> tuple[np.ndarray, np.ndarray, float]:
    """Cluster labels, theme keys and seconds of reduce + cluster + naming with ``params``."""
    from pipeline.steps.cluster import cluster
    from pipeline.steps.reduce import reduce, seed_rows
    from pipeline.steps.themes import themes as name_themes
    from pipeline.topics.taxonomy import DEFAULT_TAXONOMY, load_taxonomy

    taxonomy = load_taxonomy(DEFAULT_TAXONOMY)
    start = time.perf_counter()
    reduction = reduce(
        ideas,
        embeddings,
        taxonomy,
        params.reduce,
        params.crosslingual,
        params.guidance,
        params.seed,
        params.cluster.min_cluster_size,
    )
    seconds = time.perf_counter() - start
    _, clusters = cluster(
        ideas,
        reduction.centred,
        reduction.reduced,
        params.cluster,
        params.outliers,
        seed_rows(reduction, ideas),
    )
    _, idea_themes = name_themes(
        ideas, embeddings, clusters, taxonomy, model, params.themes, params.embed.prompt_name
    )
    return clusters["cluster"].to_numpy(), idea_themes["theme"].astype(str).to_numpy(), seconds


def fit_sample_cost(n_ideas: int, cache_dir: Path) -> dict[str, Any]:
    """Themes of the varied corpus of ``n_ideas`` with UMAP fitted on all distinct ideas and on
    samples of :data:`FIT_SAMPLES`: ARI against the full fit, and the reduce step's seconds."""
    from pipeline.embed.encoder import load_embedding_model
    from pipeline.normalise.ideas import normalise_responses
    from pipeline.steps.embed import embed

    params = load_params()
    responses = varied_responses(
        ingest_file(SAMPLE, params.ingest), math.ceil(n_ideas / IDEAS_PER_RESPONSE)
    )
    ideas = normalise_responses(responses, params.normalise)
    model = load_embedding_model(params.embed, None)
    embeddings, _ = embed(
        ideas, params.embed, params.ingest.max_embed_chars, cache_dir=cache_dir, model=model
    )
    answers = ~ideas["non_answer"].to_numpy(bool)
    distinct = int((answers & ideas["duplicate_of"].isna().to_numpy()).sum())
    full = dataclasses.replace(params, reduce=dataclasses.replace(params.reduce, fit_sample=None))
    clusters, themes, seconds = _themes_at(ideas, embeddings, full, model)
    rows = [{"fit_sample": None, "reduce_s": seconds, "cluster_ari": 1.0, "theme_ari": 1.0}]
    # the yardstick: the full fit with the next seed differs from the full fit this much
    reseeded = dataclasses.replace(full, seed=params.seed + 1)
    got_clusters, got_themes, got_seconds = _themes_at(ideas, embeddings, reseeded, model)
    rows.append(
        {
            "fit_sample": None,
            "seed": reseeded.seed,
            "reduce_s": got_seconds,
            "cluster_ari": float(adjusted_rand_score(clusters[answers], got_clusters[answers])),
            "theme_ari": float(adjusted_rand_score(themes[answers], got_themes[answers])),
        }
    )
    for size in FIT_SAMPLES:
        sampled = dataclasses.replace(
            params, reduce=dataclasses.replace(params.reduce, fit_sample=size)
        )
        got_clusters, got_themes, got_seconds = _themes_at(ideas, embeddings, sampled, model)
        rows.append(
            {
                "fit_sample": size,
                "reduce_s": got_seconds,
                "cluster_ari": float(adjusted_rand_score(clusters[answers], got_clusters[answers])),
                "theme_ari": float(adjusted_rand_score(themes[answers], got_themes[answers])),
            }
        )
    return {"ideas": len(ideas), "distinct_answers": distinct, "rows": rows}


def measure(
    n_ideas: int = 100_000,
    warm_repeats: int = 2,
    cost_ideas: int = 10_000,
    cache_dir: Path | None = None,
) -> dict[str, Any]:
    """Every figure of the scale section (see the module docstring)."""
    return {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "fit_sample_cost": in_fresh_process(
            fit_sample_cost, cost_ideas, cache_dir or ROOT / ".cache" / "embeddings"
        ),
        "large_run": large_run(n_ideas, warm_repeats, cache_dir),
    }


def render(figures: dict[str, Any]) -> str:
    """The scale section of ``docs/benchmarks.md`` (also ``docs/bench_scale.md``)."""
    m = figures["machine"]
    run = figures["large_run"]
    first = run["first"]
    warm = run["warm_runs"][0]
    cost = figures["fit_sample_cost"]
    first_kind = "cold: empty embedding cache" if run["first_cold"] else "first: cache given"
    steps = run["warm_steps_median_s"]
    lines = [
        "## 100,000 ideas on one machine",
        "",
        f"Measured {figures['date']} on {m['cpu']}, {m['cores']} cores, {m['memory']}.",
        f"The bundled sample scaled to {warm['responses']:,} responses with edits (a lead-in and a",
        "closing phrase of the answer's language, a cut, a dropped or swapped word; "
        "`benchmarks/corpus.py`):",
        f"{warm['ideas']:,} ideas, {warm['duplicates']:,} of them exact or near duplicates; "
        f"{warm['themes']} themes, {warm['outliers']:,} outliers.",
        "`balsis run` in a fresh process each time, default params (`reduce.fit_sample` "
        "10,000, `themes.keyword_max_ideas` 2,000).",
        "",
        "| run | seconds | peak RSS MiB |",
        "| --- | --- | --- |",
        f"| {first_kind} | {first['seconds']:.0f} | {first['peak_rss_mib']:.0f} |",
        f"| warm: embeddings cached (median of {len(run['warm_runs'])}) | "
        f"{run['warm_median_s']:.0f} | {run['warm_peak_rss_mib']:.0f} |",
        "",
        "Warm run by step (median seconds):",
        "",
        "| " + " | ".join(steps) + " |",
        "| " + " | ".join("---" for _ in steps) + " |",
        "| " + " | ".join(f"{v:.0f}" for v in steps.values()) + " |",
        "",
        f"Outputs of the warm run: report {warm['report_mib']:.1f} MiB, workbook "
        f"{warm['workbook_mib']:.1f} MiB.",
        "",
        "### Fitting UMAP on a sample: the quality cost",
        "",
        f"{cost['ideas']:,} ideas of the same corpus ({cost['distinct_answers']:,} distinct "
        "answers): themes with UMAP fitted on every distinct answer against fitted on a sample",
        "(`reduce.fit_sample`) and the rest placed by `UMAP.transform`; ARI over the answers.",
        "",
        "| fit_sample | reduce s | ARI of clusters vs full fit | ARI of themes vs full fit |",
        "| --- | --- | --- | --- |",
        *[
            f"| {row['fit_sample'] or 'all'}{_seed_note(row)} | {row['reduce_s']:.0f} | "
            f"{row['cluster_ari']:.3f} | {row['theme_ari']:.3f} |"
            for row in cost["rows"]
        ],
        "",
        "The row with another seed is the yardstick: two full fits that differ only in UMAP's",
        "seed agree this much.",
        "",
        *(f"- {note}" for note in figures.get("notes", [])),
    ]
    return "\n".join(lines)


def _seed_note(row: dict[str, Any]) -> str:
    return f" (seed {row['seed']})" if "seed" in row else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale")
    parser.add_argument("--n-ideas", type=int, default=100_000)
    parser.add_argument("--warm-repeats", type=int, default=2)
    parser.add_argument("--cache-dir", type=Path, default=None, help="embedding cache to reuse")
    parser.add_argument("--cost-ideas", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("docs/bench_scale.json"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    figures = measure(args.n_ideas, args.warm_repeats, args.cost_ideas, args.cache_dir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    args.out.with_suffix(".md").write_text(
        "# Scale\n\nWritten by `make bench-scale` (`python -m benchmarks.scale`).\n\n"
        + render(figures),
        encoding="utf-8",
    )
    print(f"wrote {args.out} and {args.out.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
