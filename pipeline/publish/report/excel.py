"""The workbook: priorities, SVID, themes and ideas as typed sheets with people's headers.

Every text cell is written as text, and text a spreadsheet would read as a formula gets a
leading apostrophe (:func:`pipeline.publish.boundary.defuse_formula`, the one definition the CSVs
use too).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.io.files import atomic_path
from pipeline.publish.boundary import defuse_formula
from pipeline.publish.format import missing
from pipeline.publish.report.inputs import ReportInputs, theme_overview, visible_ideas
from pipeline.publish.report.survey import (
    COMPARISON_COLUMNS,
    QUESTION_COLUMNS,
    choice_comparison,
    question_table,
)
from pipeline.publish.tables import as_list
from pipeline.publish.text import quadrant_names, ui_text
from pipeline.summary.counting import data_dimensions

SHARE_COLUMNS = {"swot_share_S", "swot_share_W", "swot_share_O", "swot_share_T",
                 "share_of_theme", "theme_confidence", "swot_confidence", "share_of_question",
                 "share_ticked", "share_wrote", "difference"}  # fmt: skip
WIDE_TEXT_COLUMNS = {"text", "question", "quotes", "keywords", "swot_evidence"}

# The columns of each sheet, in order (those a table lacks are left out).
THEME_COLUMNS = ["priority_rank", "name", "keywords", "n_ideas", "n_responses", "votes",
                 "priority_score", "n_territories", "n_groups", "swot_dominant",
                 "swot_share_S", "swot_share_W", "swot_share_O", "swot_share_T",
                 "renamed", "is_new", "theme"]  # fmt: skip
IDEA_COLUMNS = ["idea_id", "response_id", "respondent", "question", "text", "language",
                "territory", "group", "source", "date", "votes", "theme_name", "theme_confidence",
                "outlier", "swot", "swot_confidence", "swot_evidence", "duplicate_of",
                "theme_by_person", "swot_by_person", "theme"]  # fmt: skip
SVID_COLUMNS = ["quadrant_name", "name", "n_ideas", "share_of_theme", "quotes", "theme"]
PRIORITY_COLUMNS = ["priority_rank", "name", "priority_score", "part_ideas", "part_votes",
                    "part_breadth", "part_urgency", "part_weakness", "n_ideas", "votes",
                    "n_territories", "n_groups", "theme"]  # fmt: skip
# The columns that show a territory, a group or votes: left out when the data has none.
DIMENSION_COLUMNS = {
    "territory": {"territory", "n_territories"},
    "group": {"group", "n_groups"},
    "votes": {"votes", "part_votes"},
}


def excel_sheets(inputs: ReportInputs, lang: str = "lv") -> dict[str, pd.DataFrame]:
    """The workbook's sheets as typed frames with people's column headers, in sheet order.

    Hidden ideas are left out (a person chose not to publish them); text stays raw here, so pass
    :func:`pipeline.publish.report.inputs.publishable` inputs.
    """
    t = ui_text(lang, "report")
    headers = ui_text(lang, "excel_headers")
    quadrants = quadrant_names(lang)
    themes = theme_overview(inputs, lang)
    names = dict(zip(themes["theme"], themes["name"], strict=True))
    theme_sheet = themes.assign(
        keywords=[", ".join(map(str, as_list(k))) for k in themes["keywords"]],
        swot_dominant=themes["swot_dominant"].map(quadrants),
    )

    ideas = visible_ideas(inputs.ideas).assign(
        theme_name=lambda f: [names.get(k, "") for k in f["theme"]],
        swot=lambda f: [quadrants.get(q, "") for q in f["swot"]],
        date=lambda f: pd.to_datetime(f["date"], errors="coerce") if "date" in f else pd.NaT,
    )
    if "question" in ideas and not ideas["question"].fillna("").astype(str).str.strip().any():
        ideas = ideas.drop(columns="question")  # no questions: no empty column

    svid = inputs.svid.assign(
        quadrant_name=inputs.svid["quadrant"].map(quadrants),
        name=[
            names.get(k, n)
            for k, n in zip(inputs.svid["theme"], inputs.svid["theme_name"], strict=True)
        ],  # fmt: skip
        quotes=["\n".join(map(str, as_list(q))) for q in inputs.svid["quotes"]],
    )

    priorities = inputs.priorities.assign(name=inputs.priorities["theme"].map(names))
    dims = data_dimensions(inputs.ideas)
    absent = {c for dim, cols in DIMENSION_COLUMNS.items() if dim not in dims for c in cols}
    if not {"territory", "group"} & dims:
        absent.add("part_breadth")  # breadth is measured over territories and groups

    def sheet(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        present = [c for c in columns if c in frame.columns and c not in absent]
        return frame[present].rename(columns=headers).reset_index(drop=True)

    sheets = {
        t["sheet_priorities"]: sheet(priorities.sort_values("priority_rank"), PRIORITY_COLUMNS),
        t["sheet_svid"]: sheet(svid, SVID_COLUMNS),
        t["sheet_themes"]: sheet(theme_sheet, THEME_COLUMNS),
        t["sheet_ideas"]: sheet(ideas, IDEA_COLUMNS),
    }
    # a survey's: answers by question, and what residents ticked against what they wrote
    counted = visible_ideas(inputs.ideas)
    questions = question_table(counted, names)
    if len(questions):
        questions["name"] = questions["name"].where(questions["theme"] != "", t["no_theme"])
        sheets[t["sheet_questions"]] = sheet(questions, list(QUESTION_COLUMNS))
    comparison = choice_comparison(inputs.choices, counted, names)
    if len(comparison):
        sheets[t["sheet_choices"]] = sheet(comparison, list(COMPARISON_COLUMNS))
    return sheets


def write_excel(inputs: ReportInputs, path: str | Path, lang: str = "lv") -> None:
    """Write the workbook: typed columns, sensible widths, a frozen header and filters.

    Every text cell is written as text (never as a formula) and text a spreadsheet would read as
    a formula gets a leading apostrophe, so a proposal such as ``=HYPERLINK(...)`` stays inert
    even after a round trip through CSV.
    """
    import xlsxwriter  # only the report stage needs it

    sheets = excel_sheets(inputs, lang)
    reverse = {v: k for k, v in ui_text(lang, "excel_headers").items()}
    with atomic_path(path) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                                  "strings_to_urls": False,
                                                  "nan_inf_to_errors": False})  # fmt: skip
        formats = _formats(workbook)
        for name, frame in _sheet_parts(sheets):
            worksheet = workbook.add_worksheet(name)
            for col, title in enumerate(frame.columns):
                key = reverse.get(title, title)
                worksheet.write_string(0, col, title, formats["header"])
                series = frame[title]
                fmt = _column_format(key, series, formats)
                worksheet.set_column(col, col, _column_width(title, series, key), fmt)
                for row, value in enumerate(series.tolist(), start=1):
                    _write_cell(worksheet, row, col, value, fmt)
            worksheet.freeze_panes(1, 0)
            if len(frame.columns):
                worksheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
        workbook.close()


EXCEL_MAX_ROWS = 1_048_576  # rows of a worksheet, the header included


def _sheet_parts(sheets: dict[str, pd.DataFrame]) -> list[tuple[str, pd.DataFrame]]:
    """The worksheets to write: a table longer than a worksheet holds is split into parts
    named "Name (2)", "Name (3)", ... (every part with the header); names cut to Excel's 31."""
    per_sheet = EXCEL_MAX_ROWS - 1
    parts: list[tuple[str, pd.DataFrame]] = []
    for name, frame in sheets.items():
        if len(frame) <= per_sheet:
            parts.append((name[:31], frame))
            continue
        for k, start in enumerate(range(0, len(frame), per_sheet), start=1):
            suffix = f" ({k})" if k > 1 else ""
            parts.append((name[: 31 - len(suffix)] + suffix, frame.iloc[start : start + per_sheet]))
    return parts


def _formats(workbook: Any) -> dict[str, Any]:
    """The cell formats of the workbook, by what they are for."""
    return {
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#E8EEF4", "text_wrap": True, "valign": "top", "border": 1}
        ),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "top": workbook.add_format({"valign": "top"}),
        "percent": workbook.add_format({"num_format": "0%", "valign": "top"}),
        "decimal": workbook.add_format({"num_format": "0.00", "valign": "top"}),
        "integer": workbook.add_format({"num_format": "0", "valign": "top"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd", "valign": "top"}),
    }


def _column_format(key: str, series: pd.Series, formats: dict[str, Any]) -> Any:
    if key in SHARE_COLUMNS:
        return formats["percent"]
    if pd.api.types.is_datetime64_any_dtype(series):
        return formats["date"]
    if pd.api.types.is_bool_dtype(series):
        return formats["top"]
    if pd.api.types.is_integer_dtype(series) or key in {"votes", "n_ideas", "priority_rank"}:
        return formats["integer"]
    if pd.api.types.is_float_dtype(series):
        return formats["decimal"]
    return formats["wrap"] if key in WIDE_TEXT_COLUMNS else formats["top"]


def _column_width(title: str, series: pd.Series, key: str) -> float:
    if key in WIDE_TEXT_COLUMNS:
        return 70 if key in {"text", "quotes"} else 45
    lengths = [0 if missing(v) else len(str(v)) for v in series.tolist()]
    longest = int(pd.Series(lengths, dtype=float).quantile(0.95)) if lengths else 0
    return float(min(max(longest, len(title) * 0.9, 6) + 2, 40))


def _write_cell(worksheet: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if missing(value):
        worksheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        worksheet.write_number(row, col, value, fmt)
    elif isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        worksheet.write_datetime(row, col, pd.Timestamp(value).to_pydatetime(), fmt)
    else:
        worksheet.write_string(row, col, str(defuse_formula(str(value))), fmt)
