"""DVC stage ``choices``: a survey's tick-box columns -> ``choices.parquet``."""

from __future__ import annotations

import argparse
import sys

from pipeline.io.artefacts import write_parquet
from pipeline.io.files import atomic_outputs
from pipeline.params import load_params
from pipeline.stages import stage_main
from pipeline.steps.choices import choices
from pipeline.topics.taxonomy import load_taxonomy


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", required=True, help="CSV, XLSX, JSON or JSONL file")
    parser.add_argument("--taxonomy", required=True, help="themes.yaml")
    parser.add_argument("--out", required=True, help="choices table (.parquet)")


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    table = choices(args.input, params.ingest, load_taxonomy(args.taxonomy))
    with atomic_outputs(args.out) as (out,):
        write_parquet(table, out)


def main(argv: list[str] | None = None) -> int:
    return stage_main("choices", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
