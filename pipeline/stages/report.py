"""DVC stage ``report``: the planner's HTML report and Excel workbook, personal data redacted."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.io.artefacts import read_json, read_parquet, write_json
from pipeline.io.files import atomic_outputs
from pipeline.params import load_params
from pipeline.publish.redact import PLACEHOLDERS
from pipeline.publish.report.inputs import Method, ReportInputs, load_figures
from pipeline.stages import stage_main
from pipeline.steps.report import report


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ideas", required=True, help="reviewed ideas (.parquet)")
    parser.add_argument("--themes", required=True, help="reviewed themes (.parquet)")
    parser.add_argument("--priorities", required=True)
    parser.add_argument("--svid", required=True)
    parser.add_argument("--theme-swot", required=True)
    parser.add_argument("--review-log", required=True, help="applied and unmatched overrides")
    parser.add_argument("--figures-dir", required=True, help="PNG charts to embed")
    parser.add_argument("--source", required=True, help="the input file (its name is shown)")
    parser.add_argument("--choices", help="a survey's tick boxes per option (.parquet)")
    parser.add_argument("--html-out", required=True)
    parser.add_argument("--excel-out", required=True)
    parser.add_argument("--metrics-out", required=True, help="redaction counts (.json)")


def _run(args: argparse.Namespace) -> None:
    params = load_params(args.params)
    inputs = ReportInputs(
        ideas=read_parquet(args.ideas),
        themes=read_parquet(args.themes),
        priorities=read_parquet(args.priorities),
        svid=read_parquet(args.svid),
        theme_swot=read_parquet(args.theme_swot),
        review_log=read_json(args.review_log),
        figures=load_figures(args.figures_dir),
        report=params.report,
        method=Method(
            embed=params.embed,
            reduce=params.reduce,
            cluster=params.cluster,
            themes=params.themes,
            swot=params.swot,
            priority=params.priority,
            seed=params.seed,
        ),
        source_name=Path(args.source).name,
        choices=read_parquet(args.choices) if args.choices else None,
    )
    outputs = (args.html_out, args.excel_out, args.metrics_out)
    with atomic_outputs(*outputs) as (html_out, excel_out, metrics_out):
        redactions = report(inputs, html_out, excel_out)
        write_json(redaction_metrics(redactions), metrics_out)


def redaction_metrics(redactions: dict[str, int]) -> dict[str, int]:
    """Flat counts for ``dvc metrics``: every kind of identifier (0 when none) and the total."""
    kinds = sorted(set(PLACEHOLDERS) | set(redactions))
    metrics = {f"redacted_{kind}": int(redactions.get(kind, 0)) for kind in kinds}
    metrics["redacted_total"] = int(sum(redactions.values()))
    return metrics


def main(argv: list[str] | None = None) -> int:
    return stage_main("report", _configure, _run, argv)


if __name__ == "__main__":
    sys.exit(main())
