"""The ``balsis`` command: the pipeline for people who do not use DVC."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from pipeline import __version__
from pipeline.errors import BalsisError
from pipeline.ingest.roles import describe, guess_roles, ingest_snippet
from pipeline.io.tables import read_table
from pipeline.params import load_params
from pipeline.workflow import run_pipeline

RUN_EPILOG = """\
input:
  one row per response; the proposal text in a column named "text" (or --text-column),
  optional columns id, territory, group, votes, date, source (see params.yaml "ingest").
  Surveys: one row per respondent with ingest.questions (the free-text columns) and
  ingest.choice_columns (tick boxes), or one row per answer with --question-column.

published outputs in --out (personal data replaced in every text column of every file,
spreadsheet formulas neutralised in the workbook and the CSVs):
  report.html                  the planner's report (open in any browser)
  balsis.xlsx                  the same as a workbook: priorities, SVID, themes, ideas
  figures/                     the charts as PNG and SVG
  ideas.csv                    one row per idea, with its theme and SVID quadrant
  themes.csv                   one row per theme: names, keywords, counts, priority
  svid.csv                     the SVID table, with quotes
  priorities.csv               the priority of each theme
  priorities_by_territory.csv  the same per territory
  priorities_by_group.csv      the same per group
  choices.csv                  tick boxes: respondents per option (ingest.choice_columns)

internal outputs in --out (raw text, not for publication):
  review.json                  the corrections applied and unmatched
  interim/                     the internal tables and embeddings
  .balsis-outputs.json         the list of files the run wrote (to tell them from yours)

all or nothing: a run writes beside --out and replaces the folder only at the end, so after
an error or a kill it holds the previous run's complete outputs. A folder holding files that
balsis did not write is refused (the file is named).

examples:
  balsis run aptauja.xlsx --out rezultati/
  balsis run proposals.csv --out out/ --text-column answer --no-id --lang en
  balsis run proposals.csv --out out/ --overrides data/review/overrides.yaml
  balsis run answers.csv --out out/ --question-column Jautājums
  balsis run proposals.csv --out out/ --scheduler local   (a Dask cluster on this machine)
  balsis inspect aptauja.xlsx      (guesses the columns of a survey; prints an ingest snippet)
"""


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line (what is wrong and where to read more)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="balsis",
        description="Turn residents' free-text proposals into themes, an SVID table and "
        "priorities for a development programme.",
    )
    parser.add_argument("--version", action="version", version=f"balsis {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    run = commands.add_parser(
        "run",
        help="run the whole pipeline on a CSV, XLSX, JSON or JSONL file",
        description="Run the whole pipeline on INPUT and write every output to --out.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=RUN_EPILOG,
    )
    run.add_argument("input", help="proposals file: CSV/TSV, XLSX, JSON or JSONL")
    run.add_argument(
        "--out",
        required=True,
        help="output folder: created if missing, replaced as a whole at the end of the run",
    )
    run.add_argument("--params", default=None, help="parameter file (default: params.yaml)")
    run.add_argument(
        "--text-column",
        action="append",
        default=None,
        help="column holding the proposal text (repeat to join several columns)",
    )
    run.add_argument("--id-column", default=None, help="column holding the response id")
    run.add_argument(
        "--question-column",
        default=None,
        metavar="COL",
        help="a survey with one row per answer: the column naming the question answered",
    )
    run.add_argument(
        "--no-id", action="store_true", help="the file has no id column: number the rows"
    )
    run.add_argument(
        "--lang",
        choices=("lv", "en"),
        default=None,
        help="language of the report, workbook and charts (default: report.lang, lv)",
    )
    run.add_argument(
        "--overrides",
        default=None,
        metavar="FILE",
        help="a planner's corrections (YAML, like data/review/overrides.yaml) to apply",
    )
    cache = run.add_mutually_exclusive_group()
    cache.add_argument(
        "--cache-dir",
        default=None,
        metavar="DIR",
        help="keep embeddings here between runs (default: $BALSIS_CACHE_DIR, else "
        "~/.cache/balsis/embeddings)",
    )
    cache.add_argument(
        "--no-cache", action="store_true", help="embed everything afresh and keep nothing"
    )
    run.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="run normalise, embed and SVID in partitions on a Dask cluster: 'local' starts "
        "one on this machine (compute.workers processes), or the address of a running "
        "scheduler, e.g. tcp://10.0.0.5:8786 (default: compute.scheduler, null = one process)",
    )
    run.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bars; only errors and the summary"
    )

    inspect = commands.add_parser(
        "inspect",
        help="guess what each column of a survey export holds; print an ingest snippet",
        description="Print each column of INPUT with a guess of its role (free text, tick box, "
        "single choice, id, date, territory, empty), a few of its values, and an 'ingest:' "
        "section to paste into a params file (--params for balsis run).",
    )
    inspect.add_argument("input", help="survey or proposals file: CSV/TSV, XLSX, JSON or JSONL")
    inspect.add_argument("--sheet", default=None, help="XLSX: the sheet (default: the first)")
    return parser


def _cmd_inspect(args: argparse.Namespace) -> int:
    table = read_table(args.input, sheet=args.sheet)
    guesses = guess_roles(table)
    print("\n".join(describe(guesses, len(table), args.input)))
    print("\nPaste into a params file (balsis run INPUT --params FILE), then check it:\n")
    print(ingest_snippet(guesses, args.sheet), end="")
    return 0


def _cmd_run(args: argparse.Namespace) -> int:
    params = load_params(args.params)
    ingest = params.ingest
    if args.text_column:
        ingest = dataclasses.replace(ingest, text_columns=tuple(args.text_column))
    if args.id_column:
        ingest = dataclasses.replace(ingest, id_column=args.id_column)
    if args.question_column:
        ingest = dataclasses.replace(ingest, question_column=args.question_column)
    if args.no_id:
        ingest = dataclasses.replace(ingest, id_column=None)
    params = dataclasses.replace(params, ingest=ingest)
    if args.lang:
        params = dataclasses.replace(
            params, report=dataclasses.replace(params.report, lang=args.lang)
        )
    if args.scheduler:
        params = dataclasses.replace(
            params, compute=dataclasses.replace(params.compute, scheduler=args.scheduler)
        )
    summary = run_pipeline(
        args.input,
        args.out,
        params,
        overrides_path=args.overrides,
        cache_dir=None if args.no_cache else (args.cache_dir or True),
        progress=not args.quiet and sys.stderr.isatty(),
    )
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
        if args.command == "inspect":
            return _cmd_inspect(args)
    except BalsisError as exc:
        print(f"balsis: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a file or directory the system refused (permissions, disk full)
        print(f"balsis: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)  # fmt: skip
        return 1
    except KeyboardInterrupt:
        print("balsis: interrupted", file=sys.stderr)
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
