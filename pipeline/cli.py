"""The ``balsis`` command: the pipeline for people who do not use DVC."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from collections.abc import Sequence

from pipeline import __version__
from pipeline.errors import BalsisError
from pipeline.params import load_params
from pipeline.workflow import run_pipeline


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="balsis",
        description="Turn residents' free-text proposals into themes, an SVID table and "
        "priorities for a development programme.",
    )
    parser.add_argument("--version", action="version", version=f"balsis {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run",
        help="run the whole pipeline on a CSV, XLSX, JSON or JSONL file",
        description="Run the whole pipeline on INPUT and write every output to --out.",
    )
    run.add_argument("input", help="proposals file: CSV/TSV, XLSX, JSON or JSONL")
    run.add_argument("--out", required=True, help="output directory (created if missing)")
    run.add_argument("--params", default=None, help="parameter file (default: params.yaml)")
    run.add_argument(
        "--text-column",
        action="append",
        default=None,
        help="column holding the proposal text (repeat to join several columns)",
    )
    run.add_argument("--id-column", default=None, help="column holding the response id")
    run.add_argument(
        "--no-id", action="store_true", help="the file has no id column: number the rows"
    )
    run.add_argument("-q", "--quiet", action="store_true", help="only errors and the summary")
    return parser


def _cmd_run(args: argparse.Namespace) -> int:
    params = load_params(args.params)
    ingest = params.ingest
    if args.text_column:
        ingest = dataclasses.replace(ingest, text_columns=tuple(args.text_column))
    if args.id_column:
        ingest = dataclasses.replace(ingest, id_column=args.id_column)
    if args.no_id:
        ingest = dataclasses.replace(ingest, id_column=None)
    params = dataclasses.replace(params, ingest=ingest)
    summary = run_pipeline(args.input, args.out, params)
    print("\n".join(summary.lines()))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``balsis`` console script."""
    args = _build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if getattr(args, "quiet", False) else logging.INFO,
        format="%(message)s",
    )
    try:
        if args.command == "run":
            return _cmd_run(args)
    except BalsisError as exc:
        print(f"balsis: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("balsis: interrupted", file=sys.stderr)
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
