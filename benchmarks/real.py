"""``make bench-real``: Balsis on real text nobody here wrote, side by side with BERTopic.

The text is ``../shared/realdata/sib200/`` beside the checkout: SIB-200 (Adelani et al., 2024;
FLORES-200 sentences, CC BY-SA 4.0; annotations Apache-2.0), 800 aligned sentences each in
Latvian, Russian and Latgalian with one of 7 topics, none of them a municipal theme. Without the
folder the benchmark says "skipped: no ../shared/realdata" and exits 0: it is not part of
``make test``. Nothing of it enters the project; only the figures are written, to
``docs/bench_real.md`` and ``docs/bench_real.json``.

Measured, each on the same embeddings for every method:

- cluster quality against the topics (ARI, NMI; noise counts as one more label), the largest
  cluster's share, the outlier share and the number of clusters, per language and for the three
  languages together;
- how many ideas get a taxonomy name (a municipal theme) they can hardly deserve;
- cross-lingual themes: the share of sentence triples (lv, ru, ltg) that land in one theme;
- diacritics restoration on real sentences: the Latvian file stripped and restored (lexicons
  only: no SIB-200 text is given to the restorer);
- BERTopic with its defaults, and the best of a small grid of its settings.

``--check FLOORS`` compares the figures with a YAML file of floors (a metric: the least it may
be; ``max_`` metrics: the most) and exits 1 naming every figure that fell below.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from benchmarks.bench import machine
from pipeline.embed.encoder import load_sentence_model, resolve_model
from pipeline.evaluate import diacritics_cross_validation
from pipeline.lang.lv.diacritics.restorer import DiacriticsRestorer
from pipeline.params import IngestParams, Params, clustering_sections, load_params
from pipeline.steps.embed import embed
from pipeline.steps.ingest import ingest
from pipeline.steps.normalise import normalise
from pipeline.steps.themes import themes as name_themes
from pipeline.topics.fit import fit_clusters
from pipeline.topics.taxonomy import DEFAULT_TAXONOMY, load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT.parent / "shared" / "realdata"
SIB = REALDATA / "sib200"
LANGUAGES = ("lv", "ru", "ltg")
CACHE = ROOT / ".cache" / "embeddings"

logger = logging.getLogger(__name__)


def load_sib(language: str) -> pd.DataFrame:
    """One language's sentences: ``id``, ``index_id``, ``text``, ``topic``."""
    frame = pd.read_csv(SIB / f"sib200_{language}_traindev.csv", dtype=str)
    return frame[["id", "index_id", "text", "topic"]].assign(language_file=language)


def ideas_of(sentences: pd.DataFrame, params: Params) -> pd.DataFrame:
    """The sentences through Balsis' ingest and normalise steps (one idea per sentence)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sentences.csv"
        sentences[["id", "text"]].to_csv(path, index=False)
        mapping = IngestParams(
            text_columns=("text",),
            id_column="id",
            territory_column=None,
            group_column=None,
            votes_column=None,
            date_column=None,
            source_column=None,
        )
        responses = ingest(path, mapping)
    # a sentence is one idea: the benchmark measures themes, not the splitting of answers
    return normalise(responses, replace(params.normalise, split_ideas=False))


def run_balsis(
    ideas: pd.DataFrame, embeddings: np.ndarray, model: Any, params: Params
) -> dict[str, Any]:
    """Balsis' reduce, cluster and themes steps with the project's params."""
    taxonomy = load_taxonomy(DEFAULT_TAXONOMY)
    start = time.perf_counter()
    clusters = fit_clusters(ideas, embeddings, taxonomy, **clustering_sections(params)).clusters
    themes, idea_themes = name_themes(
        ideas, embeddings, clusters, taxonomy, model, params.themes, params.embed.prompt_name
    )
    taxonomy_keys = {t.id for t in taxonomy}
    theme = idea_themes["theme"].fillna("").astype(str).to_numpy()
    return {
        "labels": clusters["cluster"].to_numpy(),
        "themes": theme,
        "taxonomy_named": np.isin(theme, list(taxonomy_keys)),
        "n_themes": int(len(themes)),
        "seconds": time.perf_counter() - start,
    }


def cluster_scores(labels: np.ndarray, topics: np.ndarray) -> dict[str, float]:
    """ARI and NMI against the topics (noise, -1, is one more label), sizes and noise share."""
    counts = pd.Series(labels[labels >= 0]).value_counts()
    return {
        "ari": float(adjusted_rand_score(topics, labels)),
        "nmi": float(normalized_mutual_info_score(topics, labels)),
        "largest_cluster_share": float(counts.iloc[0] / len(labels)) if len(counts) else 0.0,
        "outlier_share": float((labels < 0).mean()),
        "clusters": int(len(counts)),
    }


def centred(embeddings: np.ndarray, languages: np.ndarray) -> np.ndarray:
    """Each language's mean subtracted, rows re-normalised (a common trick, for the grid)."""
    out = np.array(embeddings, dtype=np.float64)
    for language in np.unique(languages):
        rows = languages == language
        out[rows] -= out[rows].mean(axis=0)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def run_bertopic(
    docs: list[str],
    embeddings: np.ndarray,
    seed: int,
    *,
    min_topic_size: int = 10,
    n_neighbors: int = 15,
) -> tuple[np.ndarray, np.ndarray]:
    """BERTopic's topics (its defaults unless set; UMAP's seed fixed), without and with its
    outliers reassigned to the nearest topic by embedding."""
    from bertopic import BERTopic
    from umap import UMAP

    model = BERTopic(
        min_topic_size=min_topic_size,
        umap_model=UMAP(
            n_neighbors=n_neighbors,
            n_components=5,
            min_dist=0.0,
            metric="cosine",
            random_state=seed,
        ),
    )
    topics, _ = model.fit_transform(docs, embeddings)
    reduced = topics
    if -1 in topics and len(set(topics)) > 1:
        reduced = model.reduce_outliers(docs, topics, strategy="embeddings", embeddings=embeddings)
    return np.asarray(topics), np.asarray(reduced)


GRID = {
    "min_topic_size": (5, 10, 20, 40),
    "n_neighbors": (10, 15, 30),
    "centred": (False, True),
    "reduce_outliers": (False, True),
}


def bertopic_grid(
    docs: list[str], embeddings: np.ndarray, languages: np.ndarray, topics: np.ndarray, seed: int
) -> tuple[dict[str, Any], dict[str, float], int]:
    """The best setting of :data:`GRID` by ARI, its scores, and how many settings were tried."""
    best: tuple[dict[str, Any], dict[str, float]] | None = None
    tried = 0
    for size, neighbours, centre in itertools.product(
        GRID["min_topic_size"], GRID["n_neighbors"], GRID["centred"]
    ):
        vectors = centred(embeddings, languages) if centre else embeddings
        labelled = run_bertopic(docs, vectors, seed, min_topic_size=size, n_neighbors=neighbours)
        for reassign, labels in zip(GRID["reduce_outliers"], labelled, strict=True):
            scores = cluster_scores(labels, topics)
            tried += 1
            setting = {
                "min_topic_size": size,
                "n_neighbors": neighbours,
                "centred": centre,
                "reduce_outliers": reassign,
            }
            if best is None or scores["ari"] > best[1]["ari"]:
                best = (setting, scores)
    assert best is not None
    return best[0], best[1], tried


def crosslingual_share(sentences: pd.DataFrame, theme: np.ndarray) -> float:
    """Share of ``index_id`` triples whose three sentences got one and the same theme."""
    frame = sentences.assign(theme=theme)
    frame = frame[frame["theme"] != ""]
    per_triple = frame.groupby("index_id")["theme"].agg(["nunique", "size"])
    together = ((per_triple["nunique"] == 1) & (per_triple["size"] == len(LANGUAGES))).sum()
    return float(together / sentences["index_id"].nunique())


def measure(grid: bool) -> dict[str, Any]:
    """Every figure of the benchmark."""
    params = load_params()
    model = load_sentence_model(resolve_model(params.embed.model))
    sentences = {language: load_sib(language) for language in LANGUAGES}
    corpora = {**sentences, "all": pd.concat(sentences.values(), ignore_index=True)}
    results: dict[str, Any] = {"corpora": {}}
    for name, frame in corpora.items():
        ideas = ideas_of(frame, params)
        embeddings, _ = embed(
            ideas,
            params.embed,
            params.ingest.max_embed_chars,
            cache_dir=CACHE,
            model=model,
            progress=False,
        )
        topics = frame["topic"].to_numpy()
        balsis = run_balsis(ideas, embeddings, model, params)
        entry: dict[str, Any] = {
            "n": len(frame),
            "balsis": {
                **cluster_scores(balsis["labels"], topics),
                "theme_ari": float(adjusted_rand_score(topics, balsis["themes"])),
                "taxonomy_name_share": float(balsis["taxonomy_named"].mean()),
                "themes": balsis["n_themes"],
                "seconds": balsis["seconds"],
            },
        }
        docs = ideas["text_normalised"].tolist()
        entry["bertopic_defaults"] = cluster_scores(
            run_bertopic(docs, embeddings, params.seed)[0], topics
        )
        if grid and name == "lv":
            languages = ideas["language"].astype(str).to_numpy()
            setting, scores, tried = bertopic_grid(docs, embeddings, languages, topics, params.seed)
            entry["bertopic_best"] = {**scores, "setting": setting, "tried": tried}
        if name == "all":
            entry["balsis"]["crosslingual_triples"] = crosslingual_share(frame, balsis["themes"])
        results["corpora"][name] = entry
        logger.info("%s: %s", name, entry["balsis"])
    lv_texts = sentences["lv"]["text"].tolist()
    results["diacritics_lv"] = {
        **diacritics_cross_validation(lv_texts, DiacriticsRestorer, folds=0),
        "texts": len(lv_texts),
    }
    results["machine"] = machine()
    return results


def _row(name: str, s: dict[str, Any]) -> str:
    extra = f" | {s['taxonomy_name_share']:.1%}" if "taxonomy_name_share" in s else " | "
    return (
        f"| {name} | {s['ari']:.3f} | {s['nmi']:.3f} | {s['largest_cluster_share']:.1%} | "
        f"{s['outlier_share']:.1%} | {s['clusters']}{extra} |"
    )


def render(results: dict[str, Any]) -> str:
    """The Markdown page."""
    m = results["machine"]
    lines = [
        "# Balsis on real text: SIB-200 (Latvian, Russian, Latgalian)",
        "",
        "Written by `make bench-real` (`python -m benchmarks.real`) from `../shared/realdata/`",
        "(not part of the project). SIB-200 (Adelani et al., 2024): FLORES-200 sentences",
        "(CC BY-SA 4.0) with topic labels (Apache-2.0); the 800 train+dev sentences of each",
        "language, 7 topics, none a municipal theme. Every method gets the same embeddings",
        "(multilingual-e5-small, `query: `). Noise counts as one more label in ARI and NMI.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, Python {m['python']}.",
        "",
    ]
    for name, entry in results["corpora"].items():
        title = "lv + ru + ltg together" if name == "all" else name
        lines += [
            f"## {title} ({entry['n']} sentences)",
            "",
            "| method | ARI | NMI | largest cluster | outliers | clusters | taxonomy-named |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            _row("Balsis", entry["balsis"]),
            _row("BERTopic, defaults", entry["bertopic_defaults"]),
        ]
        if "bertopic_best" in entry:
            best = entry["bertopic_best"]
            shown = ", ".join(f"{k} {v}" for k, v in best["setting"].items())
            lines.append(_row(f"BERTopic, best of grid ({shown})", best))
        b = entry["balsis"]
        lines += ["", f"Balsis themes: {b['themes']}; theme ARI {b['theme_ari']:.3f}."]
        if "crosslingual_triples" in b:
            lines.append(f"Triples (lv, ru, ltg) in one theme: {b['crosslingual_triples']:.1%}.")
        lines.append("")
    grid = ", ".join(f"{k} {list(v)}" for k, v in GRID.items())
    d = results["diacritics_lv"]
    lines += [
        f"BERTopic grid ({grid}): the best setting by ARI.",
        "",
        "## Diacritics on real sentences",
        "",
        f"The {d['texts']} Latvian sentences stripped of diacritics and restored (lexicons only):",
        f"{d['word_accuracy']:.1%} of {d['words']} words right, "
        f"{d['diacritic_word_recall']:.1%} of the {d['words_with_diacritics']} words that had "
        "diacritics.",
    ]
    return "\n".join(lines) + "\n"


def check(results: dict[str, Any], floors_path: Path) -> list[str]:
    """Every figure below its floor (or above its ceiling, for ``max_`` keys)."""
    floors = yaml.safe_load(floors_path.read_text(encoding="utf-8")) or {}
    failed = []
    for dotted, bound in floors.items():
        key = dotted.rsplit(".", 1)
        value: Any = results
        for part in key[0].split("."):
            value = value[part]
        name = key[1]
        if name.startswith("max_"):
            actual = value[name[4:]]
            if actual > bound:
                failed.append(f"{dotted}: {actual:.4f} > {bound}")
        elif value[name] < bound:
            failed.append(f"{dotted}: {value[name]:.4f} < {bound}")
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.real")
    parser.add_argument("--out", default="docs/bench_real.md")
    parser.add_argument("--no-grid", action="store_true", help="leave out the BERTopic grid")
    parser.add_argument("--check", type=Path, default=None, help="floors (YAML) to hold")
    args = parser.parse_args(argv)
    if not SIB.is_dir():
        print("skipped: no ../shared/realdata")
        return 0
    logging.basicConfig(level=logging.INFO, format="[bench-real] %(message)s")
    results = measure(grid=not args.no_grid)
    out = Path(args.out)
    if args.check is None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render(results), encoding="utf-8")
        out.with_suffix(".json").write_text(
            json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8"
        )
        print(f"wrote {out} and {out.with_suffix('.json')}")
        return 0
    failed = check(results, args.check)
    for line in failed:
        print(f"bench-real: below the floor: {line}", file=sys.stderr)
    print(render(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
