"""A survey in the report and the workbook: sections by question, ticked against written."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from report_data import NAMES, report_inputs

from pipeline.publish.report.excel import excel_sheets, write_excel
from pipeline.publish.report.html import render_html
from pipeline.publish.report.inputs import publishable, visible_ideas
from pipeline.publish.report.survey import choice_comparison, question_table

LACK = "Kas jūsu ciemā pietrūkst?"
WISH = "Ko vajadzētu uzlabot?"
PRIDE = "Kas jums patīk?"
# idea number -> (question, respondent); idea 12-1 is a non-answer, 13-1 hidden
ANSWERS = {
    1: (LACK, "A"), 2: (LACK, "B"), 3: (LACK, "C"), 4: (LACK, "D"), 5: (LACK, "E"),
    6: (WISH, "A"), 7: (WISH, "B"), 8: (WISH, "C"),
    9: (PRIDE, "A"), 10: (PRIDE, "B"), 11: (PRIDE, "C"), 12: (LACK, "F"), 13: (PRIDE, "G"),
}  # fmt: skip
AREAS = "Kas jāuzlabo pirmām kārtām?"
OTHER = "Cits: zvaniet +371 29 123 456"


def _survey_inputs():
    plain = report_inputs()
    numbers = plain.ideas["response_id"].astype(int)
    ideas = plain.ideas.assign(
        question=[ANSWERS[n][0] for n in numbers],
        respondent=[ANSWERS[n][1] for n in numbers],
    )
    choices = pd.DataFrame(
        {
            "column": [AREAS] * 3,
            "option": ["Ceļi un ielas", "Autobusi", OTHER],
            "n_ticked": [4, 2, 1],
            "n_answered": [6, 6, 6],
            "n_respondents": [10, 10, 10],
            "share_answered": [4 / 6, 2 / 6, 1 / 6],
            "share_all": [0.4, 0.2, 0.1],
            "theme": ["roads", "transport", ""],
            "theme_evidence": ["ceļš", "autobuss", ""],
        }
    )
    return report_inputs(ideas=ideas, choices=choices)


@pytest.fixture(scope="module")
def survey_html() -> str:
    public, counts = publishable(_survey_inputs())
    return render_html(public, "lv", generated="2026-11-22", redactions=counts)


def _section(html: str, name: str) -> str:
    return html.split(f'<section id="{name}">')[1].split("\n</section>")[0]


def test_without_questions_or_tick_boxes_the_report_and_workbook_are_as_before() -> None:
    public, counts = publishable(report_inputs())
    html = render_html(public, "lv", generated="2026-11-22", redactions=counts)
    assert 'id="questions"' not in html and 'id="choices"' not in html
    assert "Atbildes pa jautājumiem" not in html
    assert list(excel_sheets(public, "lv")) == ["Prioritātes", "SVID", "Tēmas", "Idejas"]


def test_question_table_counts_themes_and_quadrants_per_question() -> None:
    ideas = visible_ideas(_survey_inputs().ideas)
    table = question_table(ideas, NAMES)
    assert table["question"].drop_duplicates().tolist() == [LACK, WISH, PRIDE]
    lack = table[table["question"] == LACK].set_index("theme")
    assert lack.loc["roads", ["n_ideas", "n_S", "n_W", "n_O", "n_T"]].tolist() == [5, 1, 3, 0, 1]
    assert lack.loc["roads", "share_of_question"] == 1.0
    pride = table[table["question"] == PRIDE].set_index("theme")
    # the hidden idea 13-1 is not counted
    assert pride.loc["parks", ["n_ideas", "n_W", "n_O"]].tolist() == [2 + 1, 2, 1]
    wish = table[table["question"] == WISH].set_index("theme")
    assert wish.loc["transport", "n_responses"] == 3


def test_report_has_a_section_per_question_with_its_svid(survey_html: str) -> None:
    section = _section(survey_html, "questions")
    assert re.findall(r"<h3>([^<]+)</h3>", section) == [LACK, WISH, PRIDE]
    lack = section.split(f"<h3>{LACK}</h3>")[1].split("<h3>")[0]
    assert "5 atbildes, 5 idejas." in lack  # the non-answer of F is left out
    assert '<td>Ceļi un ielas</td><td class="num">5</td><td class="num">100\u00a0%</td>' in lack
    # SVID of the question: roads in S (1), W (3), T (1), nothing in O
    cells = re.findall(r'<td class="([SWOT])">\s*(.*?)\s*</td>', lack, flags=re.S)
    content = {q: re.sub(r"\s+", " ", c) for q, c in cells}
    assert "Ceļi un ielas (1)" in content["S"] and "Ceļi un ielas (3)" in content["W"]
    assert "nav" in content["O"] and "Ceļi un ielas (1)" in content["T"]
    assert '<a href="#questions">' in survey_html


def test_ticked_against_written_per_option() -> None:
    inputs = _survey_inputs()
    comparison = choice_comparison(inputs.choices, visible_ideas(inputs.ideas), NAMES)
    rows = comparison.set_index("option")
    # roads: ticked by 4 of 10; A, B, C, D, E wrote about it
    assert rows.loc["Ceļi un ielas", ["n_ticked", "n_wrote"]].tolist() == [4, 5]
    assert rows.loc["Ceļi un ielas", "share_ticked"] == pytest.approx(0.4)
    assert rows.loc["Ceļi un ielas", "share_wrote"] == pytest.approx(0.5)
    assert rows.loc["Ceļi un ielas", "difference"] == pytest.approx(-0.1)
    assert rows.loc["Autobusi", ["n_ticked", "n_wrote"]].tolist() == [2, 3]
    assert pd.isna(rows.loc[OTHER, "n_wrote"]) and pd.isna(rows.loc[OTHER, "share_wrote"])


def test_report_shows_ticked_against_written_and_themes_no_option_names(
    survey_html: str,
) -> None:
    section = _section(survey_html, "choices")
    assert f"<h3>{AREAS}</h3>" in section
    assert (
        '<td>Ceļi un ielas</td><td>Ceļi un ielas</td><td class="num">40\u00a0% (4)</td>'
        '<td class="num">50\u00a0% (5)</td><td class="num">−10</td>'
    ) in section
    # residents wrote about parks (A, B, C), which no option names
    assert "Parki (3)" in section
    # an "other" option is what a respondent typed: personal data replaced, and counted
    assert "29 123 456" not in survey_html and "Cits: zvaniet [tālrunis]" in section
    _, counts = publishable(_survey_inputs())
    assert counts["phone"] == 2  # the proposal of idea 4-1 and the option


def test_workbook_has_the_question_and_the_tick_box_sheets(tmp_path: Path) -> None:
    public, _ = publishable(_survey_inputs())
    path = tmp_path / "survey.xlsx"
    write_excel(public, path, "lv")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [
        "Prioritātes", "SVID", "Tēmas", "Idejas", "Jautājumi", "Atzīmēts un uzrakstīts"
    ]  # fmt: skip
    sheet = workbook["Atzīmēts un uzrakstīts"]
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert first["Atbilžu variants"] == "Ceļi un ielas"
    assert first["Atzīmēja"] == 4 and first["Rakstīja par tēmu"] == 5
    assert first["Atzīmēja (daļa)"] == pytest.approx(0.4)
    assert sheet.cell(2, header.index("Atzīmēja (daļa)") + 1).number_format == "0%"
    questions = workbook["Jautājumi"]
    names = [c.value for c in questions[1]]
    assert names[:3] == ["Jautājums", "Tēmas kods", "Tēma"]
    assert questions.cell(2, 1).value == LACK and questions.cell(2, 4).value == 5
