"""``make bench-sizes``: the themes and outliers the cluster size rule gives from 50 ideas up.

``cluster.min_cluster_size: auto`` (:mod:`pipeline.topics.sizing`) sets HDBSCAN's smallest
theme from the number of ideas. This benchmark runs Balsis' reduce and cluster steps on
random subsamples of two corpora and writes, per size, the resolved ``min_cluster_size``, the
number of themes found, the outlier share (ideas no theme took, after reassignment), the
largest theme's share and, where the corpus has topic labels, the ARI against them:

- the bench corpus: the bundled sample scaled to 10,000 responses with small edits
  (:func:`benchmarks.corpus.scaled_responses`), the same one ``make bench`` times;
- SIB-200 Latvian, Russian and Latgalian together (2,400 sentences, 7 topics) from
  ``../shared/realdata/`` beside the checkout, when it is there (measured only).

Writes ``docs/bench_sizes.md`` and ``docs/bench_sizes.json``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from benchmarks.bench import SAMPLE, machine
from benchmarks.corpus import scaled_responses
from pipeline.embed.encoder import load_sentence_model, resolve_model
from pipeline.ingest.responses import ingest_file
from pipeline.normalise.ideas import normalise_responses
from pipeline.params import Params, clustering_sections, load_params
from pipeline.steps.embed import embed
from pipeline.topics.duplicates import distinct_ideas
from pipeline.topics.fit import fit_clusters
from pipeline.topics.sizing import min_cluster_size
from pipeline.topics.taxonomy import DEFAULT_TAXONOMY, load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "embeddings"
BENCH_SIZES = (50, 200, 1_000, 3_000, 10_000)
SIB_SIZES = (50, 100, 200, 400, 800, 1_600, 2_400)

logger = logging.getLogger(__name__)


def clustered(
    ideas: pd.DataFrame, embeddings: np.ndarray, params: Params, topics: np.ndarray | None
) -> dict[str, Any]:
    """Reduce and cluster ``ideas`` with the project's params; the figures of one size."""
    taxonomy = load_taxonomy(DEFAULT_TAXONOMY)
    clusters = fit_clusters(ideas, embeddings, taxonomy, **clustering_sections(params)).clusters
    labels = clusters["cluster"].to_numpy()
    answers = ~ideas["non_answer"].to_numpy(bool)
    counts = pd.Series(labels[labels >= 0]).value_counts()
    figures: dict[str, Any] = {
        "ideas": len(ideas),
        "min_cluster_size": min_cluster_size(
            params.cluster.min_cluster_size, distinct_ideas(ideas)
        ),
        "themes": int(len(counts)),
        "outlier_share": float((labels[answers] < 0).mean()) if answers.any() else 0.0,
        "largest_share": float(counts.iloc[0] / answers.sum()) if len(counts) else 0.0,
    }
    if topics is not None:
        figures["ari"] = float(adjusted_rand_score(topics, labels))
    return figures


def subsamples(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    sizes: tuple[int, ...],
    params: Params,
    topics: np.ndarray | None = None,
) -> list[dict[str, Any]]:
    """:func:`clustered` on a random subsample of each size (the whole corpus at most)."""
    rng = np.random.default_rng(params.seed)
    rows = []
    for size in sizes:
        if size > len(ideas):
            continue
        pick = np.sort(rng.choice(len(ideas), size=size, replace=False))
        subset = ideas.iloc[pick].reset_index(drop=True)
        kept = set(subset["idea_id"])
        # a duplicate whose original was not drawn stands on its own
        subset["duplicate_of"] = subset["duplicate_of"].where(subset["duplicate_of"].isin(kept))
        figures = clustered(
            subset, embeddings[pick], params, None if topics is None else topics[pick]
        )
        logger.info("%d ideas: %s", size, figures)
        rows.append(figures)
    return rows


def bench_corpus(params: Params, model: Any) -> tuple[pd.DataFrame, np.ndarray]:
    """The bundled sample scaled to 10,000 responses, normalised and embedded."""
    responses = scaled_responses(ingest_file(SAMPLE, params.ingest), 10_000)
    ideas = normalise_responses(responses, params.normalise)
    embeddings, _ = embed(
        ideas, params.embed, params.ingest.max_embed_chars, cache_dir=CACHE, model=model
    )
    return ideas, embeddings


def sib_corpus(params: Params, model: Any) -> tuple[pd.DataFrame, np.ndarray, np.ndarray] | None:
    """SIB-200 lv, ru and ltg together, or None without ``../shared/realdata``."""
    from benchmarks.real import LANGUAGES, SIB, ideas_of, load_sib

    if not SIB.is_dir():
        return None
    frame = pd.concat([load_sib(language) for language in LANGUAGES], ignore_index=True)
    ideas = ideas_of(frame, params)
    embeddings, _ = embed(
        ideas, params.embed, params.ingest.max_embed_chars, cache_dir=CACHE, model=model
    )
    return ideas, embeddings, frame["topic"].to_numpy()


def measure() -> dict[str, Any]:
    """Every figure of the benchmark."""
    params = load_params()
    model = load_sentence_model(resolve_model(params.embed.model))
    ideas, embeddings = bench_corpus(params, model)
    results: dict[str, Any] = {
        "rule": str(params.cluster.min_cluster_size),
        "max_cluster_share": params.cluster.max_cluster_share,
        "bench": subsamples(ideas, embeddings, BENCH_SIZES, params),
        "machine": machine(),
    }
    sib = sib_corpus(params, model)
    if sib is not None:
        results["sib"] = subsamples(sib[0], sib[1], SIB_SIZES, params, sib[2])
    return results


def _table(rows: list[dict[str, Any]], with_ari: bool) -> list[str]:
    header = "| ideas | min_cluster_size | themes | outliers | largest theme |"
    lines = [header + (" ARI |" if with_ari else ""), "| ---" * (6 if with_ari else 5) + " |"]
    for r in rows:
        line = (
            f"| {r['ideas']:,} | {r['min_cluster_size']} | {r['themes']} | "
            f"{r['outlier_share']:.1%} | {r['largest_share']:.1%} |"
        )
        lines.append(line + (f" {r['ari']:.3f} |" if with_ari else ""))
    return lines


def render(results: dict[str, Any]) -> str:
    """The Markdown page."""
    m = results["machine"]
    lines = [
        "# Theme sizes that follow the corpus size",
        "",
        "Written by `make bench-sizes` (`python -m benchmarks.sizes`): Balsis' reduce and cluster",
        f"steps on random subsamples, with `cluster.min_cluster_size: {results['rule']}` and",
        f"`cluster.max_cluster_share: {results['max_cluster_share']}` (params.yaml).",
        "Outliers: ideas no theme took after reassignment. "
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, Python {m['python']}.",
        "",
        "## The bench corpus (the sample scaled to 10,000 responses with small edits)",
        "",
        *_table(results["bench"], with_ari=False),
        "",
    ]
    if "sib" in results:
        lines += [
            "## SIB-200 lv + ru + ltg (real sentences, 7 topics; ../shared/realdata)",
            "",
            *_table(results["sib"], with_ari=True),
            "",
        ]
    else:
        lines += ["SIB-200: skipped (no ../shared/realdata).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sizes")
    parser.add_argument("--out", default="docs/bench_sizes.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[bench-sizes] %(message)s")
    results = measure()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(results), encoding="utf-8")
    out.with_suffix(".json").write_text(
        json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8"
    )
    print(f"wrote {out} and {out.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
