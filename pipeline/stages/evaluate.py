"""DVC stage ``evaluate``: metrics against the sample's gold labels, and stability over seeds.

The gold file is read here and nowhere else in the pipeline.
"""

from __future__ import annotations

import argparse
import sys

from pipeline.evaluate import load_gold
from pipeline.io.artefacts import read_npy, read_parquet, write_json
from pipeline.io.files import atomic_outputs
from pipeline.params import load_params
from pipeline.stages import stage_main
from pipeline.steps.evaluate import evaluate
from pipeline.topics.taxonomy import load_taxonomy


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ideas", required=True)
    parser.add_argument("--embeddings", required=True)
    parser.add_argument("--idea-themes", required=True)
    parser.add_argument("--gold", required=True)
    parser.add_argument("--taxonomy", required=True, help="themes.yaml the clusters were guided by")
    parser.add_argument("--idea-swot", required=True)
    parser.add_argument("--swot-out", required=True, help="SWOT metrics (.json)")
    parser.add_argument("--normalise-out", required=True, help="normalisation metrics (.json)")
    parser.add_argument("--themes-out", required=True, help="theme metrics (.json)")


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    metrics = evaluate(
        read_parquet(args.ideas),
        read_npy(args.embeddings),
        read_parquet(args.idea_themes),
        read_parquet(args.idea_swot),
        load_gold(args.gold),
        load_taxonomy(args.taxonomy),
        crosslingual=params.crosslingual,
        guidance=params.guidance,
        reduce=params.reduce,
        cluster=params.cluster,
        outliers=params.outliers,
        seed=params.seed,
    )
    outputs = (args.themes_out, args.swot_out, args.normalise_out)
    with atomic_outputs(*outputs) as (themes_out, swot_out, normalise_out):
        write_json(metrics.themes, themes_out)
        write_json(metrics.swot, swot_out)
        write_json(metrics.normalise, normalise_out)


def main(argv: list[str] | None = None) -> int:
    return stage_main("evaluate", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
