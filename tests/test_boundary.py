"""pipeline.publish.boundary: every text column of what is published, redacted and inert."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from report_data import report_inputs

from pipeline.publish.boundary import (
    KEY_COLUMNS,
    defuse_formula,
    public_frame,
    public_text,
    write_public_csv,
)
from pipeline.publish.redact import leaked_identifiers
from pipeline.publish.report.excel import write_excel
from pipeline.publish.report.html import render_html
from pipeline.publish.report.inputs import publishable

FORMULA_CHARACTERS = ("=", "+", "-", "@")
# Identifiers a respondent put into the metadata columns (defect 1 of the hostile run).
TERRITORY_PHONE = "29123456"
GROUP_PHONE = "+37129123456"
GROUP_EMAIL = "peteris@gmail.com"
SOURCE_CODE = "120395-12345"
KEYWORD_EMAIL = "anna(at)inbox.lv"
IDENTIFIERS = [TERRITORY_PHONE, GROUP_PHONE, GROUP_EMAIL, SOURCE_CODE, KEYWORD_EMAIL]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+37129123456", "'+37129123456"),
        ("-vairāk soliņu", "'-vairāk soliņu"),
        ("@cmd|' /C calc'!A0", "'@cmd|' /C calc'!A0"),
        ("@everyone", "'@everyone"),
        (" =1+1", "' =1+1"),
        ("\t=1+1", "'\t=1+1"),
        ("\r\n@SUM(A1)", "'\r\n@SUM(A1)"),
        ("\tteksts", "'\tteksts"),
        ("Ceļš = bedres", "Ceļš = bedres"),
        ("", ""),
    ],
)
def test_defuse_formula(text: str, expected: str) -> None:
    assert defuse_formula(text) == expected


@pytest.mark.parametrize("value", [3, -2.5, None, True])
def test_defuse_formula_leaves_values_that_are_not_text(value: object) -> None:
    assert defuse_formula(value) is value


def _ideas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "response_id": ["-1", "2"],
            "idea_id": ["-1-1", "2-1"],
            "text": ["@cmd|' /C calc'!A0", "Zvaniet 26718493"],
            "territory": [TERRITORY_PHONE, "Rudzupe"],
            "group": [GROUP_PHONE, '=HYPERLINK("http://evil","x")'],
            "source": [SOURCE_CODE, "aptauja\x00"],
            "date": ["2026-03-14", "-"],
            "votes": [-3, 2],
            "score": [-0.5, 1.25],
            "outlier": [False, True],
            "keywords": [[KEYWORD_EMAIL, "=1+1"], np.array(["parks"], dtype=object)],
            "kind": pd.Series([GROUP_EMAIL, "+1"], dtype="category"),
        }
    )


def test_every_text_column_is_redacted_and_numbers_stay_numbers() -> None:
    ideas = _ideas()
    public, counts = public_frame(ideas)
    assert public["territory"].tolist() == ["[tālrunis]", "Rudzupe"]
    # redacted first: the "+371..." phone is a placeholder, no longer something to neutralise
    assert public["group"].tolist() == ["[tālrunis]", '\'=HYPERLINK("http://evil","x")']
    assert public["source"].tolist() == ["[personas kods]", "aptauja"]  # NUL removed
    assert public["keywords"].iloc[0] == ["[e-pasts]", "'=1+1"]
    assert list(public["keywords"].iloc[1]) == ["parks"]
    assert public["kind"].tolist() == ["[e-pasts]", "'+1"]
    assert public["text"].tolist() == ["'@cmd|' /C calc'!A0", "Zvaniet [tālrunis]"]
    assert public["date"].tolist() == ["2026-03-14", "'-"]
    pd.testing.assert_frame_equal(public[["votes", "score", "outlier"]],
                                  ideas[["votes", "score", "outlier"]])  # fmt: skip
    assert counts == {"phone": 3, "personal_code": 1, "email": 2}
    assert ideas["territory"].iloc[0] == TERRITORY_PHONE  # the input is not modified


def test_ids_are_neutralised_but_never_redacted() -> None:
    assert {"response_id", "idea_id", "duplicate_of"} <= KEY_COLUMNS
    frame = pd.DataFrame({"response_id": ["29123456", "=1"], "idea_id": ["29123456-1", "=1-1"]})
    public, counts = public_frame(frame)
    assert public["response_id"].tolist() == ["29123456", "'=1"]
    assert public["idea_id"].tolist() == ["29123456-1", "'=1-1"]
    assert counts == {}


def test_without_formulas_only_the_redaction_applies() -> None:
    public, _ = public_frame(_ideas(), formulas=False)
    assert public["group"].tolist() == ["[tālrunis]", '=HYPERLINK("http://evil","x")']
    assert public["text"].iloc[0] == "@cmd|' /C calc'!A0"


def test_counts_only_the_columns_asked_for() -> None:
    _, counts = public_frame(_ideas(), count=["text"])
    assert counts == {"phone": 1}


def test_public_text_handles_nested_values() -> None:
    entry = {"kind": "rename", "detail": ["Zvaniet 26718493", 3]}
    assert public_text(entry) == (
        {"kind": "rename", "detail": ["Zvaniet [tālrunis]", 3]},
        {"phone": 1},
    )


def _csv_cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_published_csv_has_no_formula_and_no_identifier(tmp_path: Path) -> None:
    """Defect 2: a quote, a group name and a proposal that a spreadsheet would run."""
    svid = pd.DataFrame(
        {
            "quadrant": ["W"],
            "theme_name": ["Ceļi"],
            "n_ideas": [2],
            "share_of_theme": [-0.0],
            "quotes": [["=1+1 bedres visur", "Zvaniet 29123456"]],
        }
    )
    write_public_csv(svid, tmp_path / "svid.csv")
    write_public_csv(_ideas(), tmp_path / "ideas.csv")
    cells = [
        cell
        for name in ("svid.csv", "ideas.csv")
        for row in _csv_cells(tmp_path / name)[1:]
        for cell in row
    ]
    assert not [cell for cell in cells if cell.lstrip().startswith(FORMULA_CHARACTERS)
                and not _is_number(cell)]  # fmt: skip
    assert leaked_identifiers("\n".join(cells), [*IDENTIFIERS, "26718493"]) == []
    assert "'=1+1 bedres visur; Zvaniet [tālrunis]" in cells
    ideas = pd.read_csv(tmp_path / "ideas.csv")
    assert ideas["votes"].tolist() == [-3, 2]  # numbers stay numbers
    assert ideas["score"].tolist() == [-0.5, 1.25]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _hostile_report_inputs() -> object:
    inputs = report_inputs()
    ideas = inputs.ideas.copy()
    ideas.loc[0, "territory"] = TERRITORY_PHONE
    ideas.loc[1, "group"] = GROUP_PHONE
    ideas.loc[2, "group"] = GROUP_EMAIL
    ideas.loc[4, "source"] = SOURCE_CODE
    themes = inputs.themes.copy()
    themes.at[0, "keywords"] = ["ceļš", KEYWORD_EMAIL]
    return dataclasses.replace(inputs, ideas=ideas, themes=themes)


def test_report_and_workbook_redact_territory_group_source_and_keywords(tmp_path: Path) -> None:
    """Defect 1: personal data in the metadata columns reached the report and the workbook."""
    public, counts = publishable(_hostile_report_inputs())  # type: ignore[arg-type]
    page = render_html(public, "lv", redactions=counts)
    assert leaked_identifiers(page, IDENTIFIERS) == []
    write_excel(public, tmp_path / "balsis.xlsx", "lv")
    book = openpyxl.load_workbook(tmp_path / "balsis.xlsx")
    cells = [str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r
             if c.value is not None]  # fmt: skip
    assert leaked_identifiers("\n".join(cells), IDENTIFIERS) == []
    assert "[tālrunis]" in cells  # the territory, now a placeholder, is still shown
    # the fixture's own phone and e-mail in the text, plus one per metadata cell and keyword
    assert counts == {"phone": 3, "email": 3, "personal_code": 1}


def test_metadata_is_counted_once_per_response() -> None:
    inputs = report_inputs()
    ideas = pd.concat([inputs.ideas.head(1)] * 3, ignore_index=True)
    ideas["idea_id"] = ["1-1", "1-2", "1-3"]
    ideas["text"] = ["Ceļš", "Tilts", "Soliņi"]
    ideas["territory"] = TERRITORY_PHONE
    _, counts = publishable(dataclasses.replace(inputs, ideas=ideas))
    assert counts == {"phone": 1}
