"""Step ``report``: the planner's HTML report and the workbook, personal data replaced."""

from __future__ import annotations

from pathlib import Path

from pipeline.publish.report.build import write_report
from pipeline.publish.report.inputs import ReportInputs


def report(inputs: ReportInputs, html_path: str | Path, excel_path: str | Path) -> dict[str, int]:
    """Write both files in ``inputs.report.lang``; returns how many identifiers were replaced."""
    return write_report(inputs, html_path, excel_path, inputs.report.lang)
