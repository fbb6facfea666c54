"""``make bench-compare``: Balsis against BERTopic with its defaults, on the same embeddings.

Both run on the bundled sample's answers (non-answers left out), embedded once with the
pipeline's model. Scores against the gold themes: ARI, NMI, outlier share, keyword quality
(share of keywords that are stop words or repeat a lemma; lower is better) and wall time.
The figures are written to ``docs/bench_compare.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from benchmarks.bench import GOLD, SAMPLE, machine
from pipeline.embed.encoder import load_sentence_model, resolve_model
from pipeline.evaluate import align_gold, load_gold, theme_name_accuracy
from pipeline.ingest.responses import ingest_file
from pipeline.normalise.ideas import normalise_responses
from pipeline.params import clustering_sections, load_params
from pipeline.steps.embed import embed
from pipeline.topics.fit import fit_clusters
from pipeline.topics.keyword_quality import keyword_quality
from pipeline.topics.taxonomy import load_taxonomy
from pipeline.topics.themes import name_themes

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY = ROOT / "data" / "reference" / "themes.yaml"


def _scores(labels: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    scored = gold != ""
    return {
        "ari": float(adjusted_rand_score(gold[scored], labels[scored])),
        "nmi": float(normalized_mutual_info_score(gold[scored], labels[scored])),
        "outlier_share": float((labels < 0).mean()),
    }


def run_bertopic(docs: list[str], embeddings: np.ndarray, seed: int) -> dict[str, object]:
    """BERTopic with its defaults (its own UMAP and HDBSCAN settings), given our embeddings.

    Only UMAP's random_state is fixed, so the comparison is repeatable.
    """
    from bertopic import BERTopic
    from umap import UMAP

    start = time.perf_counter()
    model = BERTopic(
        umap_model=UMAP(
            n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed
        )
    )
    topics, _ = model.fit_transform(docs, embeddings)
    seconds = time.perf_counter() - start
    keywords = {
        topic: [word for word, _ in model.get_topic(topic) or []]
        for topic in set(topics)
        if topic >= 0
    }
    return {"labels": np.asarray(topics), "keywords": keywords, "seconds": seconds}


def run_balsis(
    ideas: pd.DataFrame, embeddings: np.ndarray, model: object, seed: int
) -> dict[str, object]:
    """Balsis' reduce, cluster and themes steps."""
    params = load_params()
    taxonomy = load_taxonomy(TAXONOMY)
    start = time.perf_counter()
    sections = clustering_sections(dataclasses.replace(params, seed=seed))
    clusters = fit_clusters(ideas, embeddings, taxonomy, **sections).clusters
    themes, idea_themes = name_themes(
        ideas,
        embeddings,
        clusters,
        taxonomy,
        model,
        params.themes,
        prompt_name=params.embed.prompt_name,
    )
    seconds = time.perf_counter() - start
    keywords = dict(zip(themes["theme"], themes["keywords"], strict=True))
    return {
        "labels": clusters["cluster"].to_numpy(),
        "outlier": idea_themes["outlier"].to_numpy(dtype=bool),
        "themes": idea_themes["theme"].fillna("").to_numpy(),
        "keywords": {k: list(v) for k, v in keywords.items()},
        "seconds": seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare")
    parser.add_argument("--out", default="docs/bench_compare.md")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    params = load_params()
    ideas = normalise_responses(ingest_file(SAMPLE, params.ingest), params.normalise)
    model = load_sentence_model(resolve_model(params.embed.model))
    embeddings, _ = embed(
        ideas,
        params.embed,
        params.ingest.max_embed_chars,
        cache_dir=ROOT / ".cache" / "embeddings",
        model=model,
        progress=False,
    )
    gold = align_gold(ideas, load_gold(GOLD)).set_index("idea_id").loc[ideas["idea_id"]]
    answers = ~ideas["non_answer"].to_numpy(dtype=bool)
    gold_themes = gold["gold_theme"].to_numpy()[answers]

    balsis = run_balsis(ideas, embeddings, model, params.seed)
    bertopic = run_bertopic(
        ideas.loc[answers, "text_normalised"].tolist(), embeddings[answers], params.seed
    )
    rows = []
    for name, result, labels in (
        ("Balsis", balsis, np.asarray(balsis["labels"])[answers]),
        ("BERTopic (defaults)", bertopic, np.asarray(bertopic["labels"])),
    ):
        scores = _scores(labels, gold_themes)
        if "outlier" in result:
            # an answer Balsis leaves without a theme (ideas.csv's ``outlier``); HDBSCAN noise
            # that joined a theme, or was named on its own, is not one
            scores["outlier_share"] = float(np.asarray(result["outlier"])[answers].mean())
        rows.append(
            {
                "method": name,
                **scores,
                "clusters": int(len(set(labels.tolist()) - {-1})),
                "keyword_quality": keyword_quality(result["keywords"]),  # type: ignore[arg-type]
                "seconds": float(result["seconds"]),  # type: ignore[arg-type]
            }
        )
    name_accuracy = theme_name_accuracy(list(np.asarray(balsis["themes"])[answers]), gold_themes)
    table = pd.DataFrame(rows)
    m = machine()
    lines = [
        "# Balsis and BERTopic on the sample",
        "",
        "Written by `make bench-compare` (`python -m benchmarks.compare`).",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, Python {m['python']}.",
        "",
        f"{int(answers.sum())} answers of the bundled sample, the same E5 embeddings for both;",
        "BERTopic with its default UMAP, HDBSCAN and vectoriser (only UMAP's seed fixed).",
        "Keyword quality is the share of keywords that are stop words or repeat a lemma",
        "(lower is better). Balsis' outlier share counts the answers it leaves without a",
        "theme (`outlier` in ideas.csv); BERTopic's, its topic -1. Wall time excludes embedding.",
        "",
        "| method | ARI | NMI | outlier share | clusters | keyword quality | seconds |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *[
            f"| {r.method} | {r.ari:.3f} | {r.nmi:.3f} | {r.outlier_share:.1%} | {r.clusters} | "
            f"{r.keyword_quality:.1%} | {r.seconds:.1f} |"
            for r in table.itertuples()
        ],
        "",
        f"Balsis also names its themes from the taxonomy: {name_accuracy:.1%} of answers get",
        "their gold theme name.",
        "",
        "Keywords of the three largest themes:",
        "",
    ]
    for name, result in (("Balsis", balsis), ("BERTopic", bertopic)):
        labels = np.asarray(result["labels"])
        labels = labels[answers] if len(labels) == len(ideas) else labels
        keywords = result["keywords"]
        assert isinstance(keywords, dict)
        for key in list(keywords)[:3]:
            lines.append(f"- {name} `{key}`: {', '.join(map(str, keywords[key][:8]))}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(table.to_string(index=False))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
