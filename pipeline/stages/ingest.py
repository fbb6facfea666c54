"""DVC stage ``ingest``: a user's file -> ``responses.parquet``."""

from __future__ import annotations

import argparse
import sys

from pipeline.io.artefacts import write_parquet
from pipeline.io.files import atomic_outputs
from pipeline.params import load_params
from pipeline.stages import stage_main
from pipeline.steps.ingest import ingest


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--input", required=True, help="CSV, XLSX, JSON or JSONL file")
    parser.add_argument("--out", required=True, help="responses table (.parquet)")


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    responses = ingest(args.input, params.ingest)
    with atomic_outputs(args.out) as (out,):
        write_parquet(responses, out)


def main(argv: list[str] | None = None) -> int:
    return stage_main("ingest", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
