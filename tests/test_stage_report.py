"""The ``report`` stage: reviewed tables in, redacted report, workbook and metrics out."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from report_data import report_inputs

from pipeline.io.artefacts import write_json, write_parquet
from pipeline.stages import report as report_stage


def _write_inputs(tmp_path: Path) -> list[str]:
    inputs = report_inputs()
    paths = {}
    for name in ("ideas", "themes", "priorities", "svid", "theme_swot"):
        paths[name] = tmp_path / f"{name}.parquet"
        write_parquet(getattr(inputs, name), paths[name])
    write_json(dict(inputs.review_log), tmp_path / "review_log.json")
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "svid_matrix.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 16)
    return [
        "--ideas", str(paths["ideas"]), "--themes", str(paths["themes"]),
        "--priorities", str(paths["priorities"]), "--svid", str(paths["svid"]),
        "--theme-swot", str(paths["theme_swot"]),
        "--review-log", str(tmp_path / "review_log.json"), "--figures-dir", str(figures),
        "--source", "data/raw/aptauja.csv",
        "--html-out", str(tmp_path / "out" / "report.html"),
        "--excel-out", str(tmp_path / "out" / "balsis.xlsx"),
        "--metrics-out", str(tmp_path / "out" / "report.json"),
    ]  # fmt: skip


def test_report_stage_writes_report_workbook_and_redaction_counts(tmp_path: Path) -> None:
    assert report_stage.main(_write_inputs(tmp_path)) == 0
    out = tmp_path / "out"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "aptauja.csv" in html and "data:image/png;base64," in html
    assert "29 123 456" not in html
    metrics = json.loads((out / "report.json").read_text())
    assert metrics["redacted_phone"] == 1 and metrics["redacted_email"] == 1
    assert metrics["redacted_personal_code"] == 0  # every kind is listed, for metrics diff
    assert metrics["redacted_total"] == 2
    sheets = pd.read_excel(out / "balsis.xlsx", sheet_name=None)
    assert list(sheets) == ["Prioritātes", "SVID", "Tēmas", "Idejas"]


def test_report_stage_in_english(tmp_path: Path) -> None:
    params = tmp_path / "params.yaml"
    params.write_text("report:\n  lang: en\n", encoding="utf-8")
    assert report_stage.main([*_write_inputs(tmp_path), "--params", str(params)]) == 0
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert ">Summary</h2>" in html and 'lang="en"' in html
    assert list(pd.read_excel(tmp_path / "out" / "balsis.xlsx", sheet_name=None)) == [
        "Priorities", "SWOT", "Themes", "Ideas",
    ]  # fmt: skip


def test_report_stage_rejects_a_bad_language_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    params = tmp_path / "params.yaml"
    params.write_text("report:\n  lang: de\n", encoding="utf-8")
    assert report_stage.main([*_write_inputs(tmp_path), "--params", str(params)]) == 2
    error = capsys.readouterr().err
    assert "report.lang" in error and "Traceback" not in error
    assert not (tmp_path / "out" / "report.html").exists()
