"""DVC stage ``train_swot``: the SWOT classifier from the labelled SVID statements."""

from __future__ import annotations

import argparse
import sys

from pipeline.embed.encoder import load_embedding_model
from pipeline.io.artefacts import write_json
from pipeline.io.files import atomic_outputs
from pipeline.io.tables import ROW_COLUMN, read_table
from pipeline.params import load_params
from pipeline.stages import stage_main
from pipeline.steps.train_swot import train_swot
from pipeline.swot.cues import CueMatcher
from pipeline.swot.persist import save_swot_model


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--labelled", required=True, help="svid_labelled.csv")
    parser.add_argument("--models-dir", required=True, help="where the default model lives")
    parser.add_argument("--out", required=True, help="classifier directory")
    parser.add_argument("--metrics-out", required=True, help="cross-validated scores (.json)")


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    classifier, report = train_swot(
        read_table(args.labelled).drop(columns=[ROW_COLUMN]),
        load_embedding_model(params.embed, args.models_dir),
        CueMatcher(),
        params.swot,
        params.embed,
        params.seed,
    )
    flat = {k: v for k, v in report["cv"].items() if isinstance(v, int | float)}
    with atomic_outputs(args.out, args.metrics_out) as (out, metrics_out):
        save_swot_model(classifier, report, out)
        write_json(flat, metrics_out)


def main(argv: list[str] | None = None) -> int:
    return stage_main("train_swot", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
