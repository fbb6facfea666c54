"""DVC stage ``normalise``: ``responses.parquet`` -> ``ideas.parquet`` (one row per idea)."""

from __future__ import annotations

import argparse
import sys

from pipeline.io.artefacts import read_parquet, write_parquet
from pipeline.io.files import atomic_outputs
from pipeline.params import load_params
from pipeline.stages import stage_main
from pipeline.steps.normalise import normalise


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--responses", required=True, help="output of the ingest stage")
    parser.add_argument("--out", required=True, help="ideas table (.parquet)")


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    ideas = normalise(read_parquet(args.responses), params.normalise)
    with atomic_outputs(args.out) as (out,):
        write_parquet(ideas, out)


def main(argv: list[str] | None = None) -> int:
    return stage_main("normalise", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
