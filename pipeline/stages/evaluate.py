"""DVC stage ``evaluate``: metrics against the sample's gold labels, and stability over seeds.

The gold file is read here and nowhere else in the pipeline.
"""

from __future__ import annotations

import argparse
import sys

from pipeline.evaluate import (
    align_gold,
    language_accuracy,
    load_gold,
    non_answer_scores,
    split_accuracy,
    stability,
    swot_scores,
    theme_metrics,
)
from pipeline.io.artefacts import read_npy, read_parquet, write_json
from pipeline.params import load_params
from pipeline.stages import stage_main
from pipeline.topics.fit import fit_clusters
from pipeline.topics.taxonomy import DEFAULT_TAXONOMY, load_taxonomy


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ideas", required=True)
    parser.add_argument("--embeddings", required=True)
    parser.add_argument("--idea-themes", required=True)
    parser.add_argument("--gold", required=True)
    parser.add_argument("--idea-swot", required=True)
    parser.add_argument("--swot-out", required=True, help="SWOT metrics (.json)")
    parser.add_argument("--normalise-out", required=True, help="normalisation metrics (.json)")
    parser.add_argument("--themes-out", required=True, help="theme metrics (.json)")


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    ideas = read_parquet(args.ideas)
    embeddings = read_npy(args.embeddings)
    gold = load_gold(args.gold)
    taxonomy = load_taxonomy(DEFAULT_TAXONOMY)  # the reduce stage's, guiding the refits

    def labels_for(seed: int):  # noqa: ANN202 - a numpy array
        fitted = fit_clusters(ideas, embeddings, params, taxonomy=taxonomy, seed=seed)
        return fitted.clusters["cluster"].to_numpy()

    seeds = (params.seed, params.seed + 1, params.seed + 2)
    write_json(
        theme_metrics(
            ideas,
            read_parquet(args.idea_themes),
            gold,
            stability_ari=stability(labels_for, seeds),
        ),
        args.themes_out,
    )
    aligned = align_gold(ideas, gold).merge(read_parquet(args.idea_swot), on="idea_id")
    scored = aligned[(aligned["gold_swot"] != "") & (aligned["swot"].fillna("") != "")]
    swot = swot_scores(scored["swot"].tolist(), scored["gold_swot"].tolist())
    swot.pop("confusion", None)  # DVC metrics are flat numbers
    write_json(swot, args.swot_out)
    write_json(
        {
            "language": language_accuracy(ideas, gold),
            "splitting": split_accuracy(ideas, gold),
            "non_answers": non_answer_scores(ideas, gold),
        },
        args.normalise_out,
    )


def main(argv: list[str] | None = None) -> int:
    return stage_main("evaluate", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
