"""``balsis run`` on the bench corpus in one process and on a Dask ``LocalCluster``.

``python -m benchmarks.dask_run --n-ideas 10000 --out docs/bench_dask.json``: the sample scaled
to ``--n-ideas`` responses (:func:`benchmarks.corpus.scaled_responses`), run once to fill an
embedding cache and the numba cache (the warm-up), then timed with that cache (``--cold``: an
empty one for each run) in one process (``compute.scheduler: null``) and with a
``LocalCluster`` of 1 and of 2 worker processes. Per run: total seconds, seconds per step (from
the steps' log lines) and, for the steps that ran on the cluster, when each partition was
done. Then the seconds of one partition of ``compute.partition_size`` ideas through
normalise, a cold embedding (no cache) and the SVID scores in one process
(:func:`partition_seconds`), and from it an estimate for 1,000,000 ideas: seconds per
partition x partitions / workers (:func:`estimate`). The estimate covers the per-idea work
only; the fitting on the client (UMAP, HDBSCAN, naming) is not in it.

:func:`dask_figures` returns everything as a dict (for ``benchmarks/bench.py``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import math
import re
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd

from benchmarks.bench import SAMPLE, machine
from benchmarks.corpus import scaled_responses
from pipeline.errors import BalsisError
from pipeline.ingest.responses import ingest_file
from pipeline.params import ComputeParams, Params, load_params

STEP_LINE = re.compile(r"^(\S+) \.\.\.$")
PARTITION_LINE = re.compile(r"^(\w+): partition (\d+)/(\d+) done \((\d+\.\d) s since")
MILLION = 1_000_000


class _Lines(logging.Handler):
    """Keeps the pipeline's log lines with the time each was logged."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[tuple[float, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((time.perf_counter(), record.getMessage()))


@contextmanager
def _captured() -> Iterator[_Lines]:
    handler = _Lines()
    logger = logging.getLogger("pipeline")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _timed_run(csv_path: Path, out_dir: Path, cache_dir: Path, params: Params) -> dict[str, Any]:
    """One ``run_pipeline`` (what ``balsis run`` calls): total, per step, per partition."""
    from pipeline.workflow import run_pipeline

    with _captured() as log:
        start = time.perf_counter()
        summary = run_pipeline(csv_path, out_dir, params, cache_dir=cache_dir)
        end = time.perf_counter()
    starts = [(t, m.group(1)) for t, line in log.lines if (m := STEP_LINE.match(line))]
    steps = {
        name: round((starts[i + 1][0] if i + 1 < len(starts) else end) - t, 2)
        for i, (t, name) in enumerate(starts)
    }
    partitions: dict[str, list[float]] = {}
    for _, line in log.lines:
        if m := PARTITION_LINE.match(line):
            partitions.setdefault(m.group(1), []).append(float(m.group(4)))
    return {
        "scheduler": params.compute.scheduler,
        "workers": params.compute.workers if params.compute.scheduler else 0,
        "seconds": round(end - start, 2),
        # before the first step: starting the LocalCluster and its workers (0 in one process)
        "startup_s": round(starts[0][0] - start, 2) if starts else None,
        "steps_s": steps,
        # per step on the cluster: seconds from sending the partitions to each one's result
        "partitions_done_s": partitions,
        "ideas": summary.ideas,
        "themes": summary.themes,
    }


def partition_seconds(
    partition_size: int | None = None, models_dir: Path | None = None, threads: int = 1
) -> dict:
    """Seconds of one partition of ``partition_size`` ideas in one process, cold.

    The partition's texts are distinct (:func:`_distinct`). Normalise (with its own restorer),
    embed with no cache (the model loaded beforehand, as a worker holds it) and the SVID scores
    (:func:`~pipeline.swot.assign.idea_scores`; the trained classifier in ``models/swot``, else
    the prototype fallback), after what a worker does once (loading the language data, a first
    forward pass: ``first_use_s``), on ``threads`` torch threads: 1, as a worker of a
    ``LocalCluster`` (one thread per worker process) has, so that the estimate divides by
    workers = cores.
    """
    import torch

    from pipeline.embed.encoder import DEFAULT_MODELS_DIR, load_embedding_model
    from pipeline.embed.ideas import embed_ideas
    from pipeline.normalise.ideas import normalise_responses
    from pipeline.steps.swot import swot_model
    from pipeline.swot.assign import idea_scores
    from pipeline.swot.cues import CueMatcher

    params = load_params()
    size = partition_size or params.compute.partition_size
    responses = _distinct(scaled_responses(ingest_file(SAMPLE, params.ingest), size, seed=1))
    model = load_embedding_model(params.embed, models_dir, progress=False)
    matcher = CueMatcher()
    directory = Path(models_dir or DEFAULT_MODELS_DIR) / "swot"
    try:
        classifier = swot_model(
            matcher, params.swot, params.embed.prompt_name, classifier_dir=directory, encoder=model
        )
    except BalsisError:
        fallback = dataclasses.replace(params.swot, use_classifier=False)
        classifier = swot_model(
            matcher, fallback, params.embed.prompt_name, classifier_dir=directory, encoder=model
        )
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(threads)
    # What a worker does once, at its first partition: the language data, a first forward pass.
    warm_up = time.perf_counter()
    few = normalise_responses(responses.head(20), params.normalise)
    embed_ideas(few, params.embed.model, prompt_name=params.embed.prompt_name,
                batch_size=params.embed.batch_size, max_chars=params.ingest.max_embed_chars,
                cache_dir=None, model=model, progress=False)  # fmt: skip
    start = time.perf_counter()
    ideas = normalise_responses(responses, params.normalise).head(size)
    normalised = time.perf_counter()
    embeddings, _ = embed_ideas(
        ideas,
        params.embed.model,
        prompt_name=params.embed.prompt_name,
        batch_size=params.embed.batch_size,
        max_chars=params.ingest.max_embed_chars,
        cache_dir=None,
        models_dir=models_dir,
        model=model,
        progress=False,
        backend=params.embed.backend,
    )
    embedded = time.perf_counter()
    idea_scores(ideas, embeddings, classifier, matcher)
    done = time.perf_counter()
    torch.set_num_threads(previous_threads)
    return {
        "threads": threads,
        "ideas": len(ideas),
        "first_use_s": round(start - warm_up, 2),  # once per worker process, not per partition
        "embedded_texts": len(set(ideas.loc[~ideas["non_answer"], "text_normalised"])),
        "normalise_s": round(normalised - start, 2),
        "embed_s": round(embedded - normalised, 2),
        "assign_s": round(done - embedded, 2),
        "total_s": round(done - start, 2),
        "swot_model": type(classifier).__name__,
    }


def _distinct(responses: pd.DataFrame) -> pd.DataFrame:
    """The responses with a number added to each text that repeats an earlier one.

    The bench corpus repeats the sample, and the embedding computes each distinct text once;
    a real corpus of a million proposals repeats few, so the partition's texts are made
    distinct (as the embedding speed figures of ``benchmarks/bench.py`` do).
    """
    seen: set[str] = set()
    texts = []
    for i, text in enumerate(responses["text"].astype(str)):
        texts.append(text if text not in seen else f"{text} ({i})")
        seen.add(texts[-1])
    return responses.assign(text=texts)


def estimate(
    seconds_per_partition: float,
    partition_size: int,
    workers: int,
    n_ideas: int = MILLION,
) -> dict[str, float]:
    """Seconds for ``n_ideas``: seconds per partition x partitions / workers (an estimate).

    >>> estimate(60.0, 2000, 10)["seconds"]
    3000.0
    """
    partitions = math.ceil(n_ideas / partition_size)
    seconds = seconds_per_partition * partitions / workers
    return {
        "ideas": n_ideas,
        "partitions": partitions,
        "workers": workers,
        "seconds": round(seconds, 1),
        "hours": round(seconds / 3600, 2),
    }


def dask_figures(
    n_ideas: int = 10_000,
    workers: Sequence[int] = (1, 2),
    partition_size: int | None = None,
    estimate_workers: Sequence[int] = (1, 2, 8, 32),
    cold: bool = False,
) -> dict[str, Any]:
    """The timed runs, the partition time and the 1,000,000-idea estimates, as one dict.

    ``cold``: each timed run starts with an empty embedding cache of its own (the warm-up still
    fills the numba cache), so that the embedding is timed too, on the cluster's workers.
    """
    params = load_params()
    if partition_size is not None:
        params = dataclasses.replace(
            params, compute=dataclasses.replace(params.compute, partition_size=partition_size)
        )
    size = params.compute.partition_size
    big = scaled_responses(ingest_file(SAMPLE, params.ingest), n_ideas)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "scaled.csv"
        big.rename(columns={"response_id": "id"}).drop(
            columns=["source_row", "text_too_long", "formula_like"]
        ).to_csv(csv_path, index=False)
        cache_dir = Path(tmp) / "embeddings"
        warm_up = _timed_run(csv_path, Path(tmp) / "out", cache_dir, params)
        settings = [ComputeParams(None, size)] + [ComputeParams("local", size, n) for n in workers]
        for i, compute in enumerate(settings):
            run_params = dataclasses.replace(params, compute=compute)
            run_cache = Path(tmp) / f"embeddings-{i}" if cold else cache_dir
            runs.append(_timed_run(csv_path, Path(tmp) / "out", run_cache, run_params))
    partition = partition_seconds(size)
    return {
        "machine": machine(),
        "responses": len(big),
        "partition_size": size,
        "embedding_cache": "empty per run" if cold else "warmed by the warm-up run",
        "warm_up": warm_up,
        "runs": runs,
        "partition": partition,
        "estimate_1m": [estimate(partition["total_s"], size, n) for n in estimate_workers],
    }


def render(figures: dict[str, Any]) -> str:
    """The Dask section of ``docs/benchmarks.md``."""
    m = figures["machine"]
    part = figures["partition"]
    lines = [
        "## A Dask LocalCluster",
        "",
        f"{m['cpu']}, {m['cores']} cores. The sample scaled to {figures['responses']:,} responses "
        f"({figures['runs'][0]['ideas']:,} ideas), `balsis run` in one process and on a",
        f"`LocalCluster` (one thread per worker); embedding cache: {figures['embedding_cache']};",
        f"partitions of {figures['partition_size']:,} ideas.",
        "",
        "| run | seconds | start-up s | normalise s | embed s | SVID s |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for run in figures["runs"]:
        plural = "s" if run["workers"] != 1 else ""
        name = f"{run['workers']} worker{plural}" if run["scheduler"] else "one process"
        steps = run["steps_s"]
        lines.append(
            f"| {name} | {run['seconds']:.0f} | {run['startup_s'] or 0:.0f} | "
            f"{steps.get('normalise', 0):.0f} | {steps.get('embed', 0):.0f} | "
            f"{steps.get('SVID', 0):.0f} |"
        )
    lines += [
        "",
        f"One partition of {part['ideas']:,} distinct ideas in one process on {part['threads']} "
        f"thread, cold (no embedding cache): normalise {part['normalise_s']:.0f} s, embed "
        f"{part['embed_s']:.0f} s, SVID {part['assign_s']:.0f} s, {part['total_s']:.0f} s in all "
        f"(plus {part['first_use_s']:.1f} s once per worker).",
        "",
        "Estimate for 1,000,000 ideas (seconds per partition x partitions / workers; the per-idea",
        "work only, not the fitting on the client):",
        "",
        "| workers | partitions | hours |",
        "| --- | --- | --- |",
        *[
            f"| {e['workers']} | {e['partitions']} | {e['hours']:.1f} |"
            for e in figures["estimate_1m"]
        ],
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-ideas", type=int, default=10_000, help="responses of the corpus")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--partition-size", type=int, default=None, help="default: compute.partition_size"
    )
    parser.add_argument(
        "--cold", action="store_true", help="an empty embedding cache for each timed run"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="write the figures as JSON, and as Markdown beside"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    figures = dask_figures(args.n_ideas, args.workers, args.partition_size, cold=args.cold)
    text = json.dumps(figures, indent=2, ensure_ascii=False)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
        args.out.with_suffix(".md").write_text(
            "# Dask\n\nWritten by `python -m benchmarks.dask_run` (also part of `make bench`).\n\n"
            + render(figures),
            encoding="utf-8",
        )
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
