"""The report of a run: redact the inputs, then write the HTML page and the workbook."""

from __future__ import annotations

from pathlib import Path

from pipeline.publish.report.excel import write_excel
from pipeline.publish.report.html import render_html, write_html
from pipeline.publish.report.inputs import ReportInputs, publishable


def write_report(
    inputs: ReportInputs, html_path: str | Path, excel_path: str | Path, lang: str = "lv"
) -> dict[str, int]:
    """Redact, then write the HTML report and the workbook; returns the redaction counts."""
    public, redactions = publishable(inputs)
    write_html(render_html(public, lang, redactions=redactions), html_path)
    write_excel(public, excel_path, lang)
    return redactions
