"""The planner's report (HTML) and workbook (Excel): contents, escaping, redaction, types."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from report_data import FORMULA, NAMES, report_inputs

from pipeline.params import ClusterParams, Params
from pipeline.publish.redact import leaked_identifiers
from pipeline.publish.report.excel import excel_sheets, write_excel
from pipeline.publish.report.html import render_html
from pipeline.publish.report.inputs import Method, publishable
from pipeline.summary.priority import priorities
from pipeline.summary.svid import svid_table, theme_swot


@pytest.fixture(scope="module")
def html() -> str:
    public, counts = publishable(report_inputs())
    return render_html(public, "lv", generated="2026-11-22", redactions=counts)


def test_report_has_every_section_a_planner_needs(html: str) -> None:
    for section in ("summary", "priorities", "svid", "charts", "themes", "review", "method"):
        assert f'id="{section}"' in html
    for heading in ("Kopsavilkums", "Prioritātes", "SVID tabula", "Tēmas", "Metode un parametri"):
        assert f">{heading}</h2>" in html
    # one section per theme, in priority order
    sections = re.findall(r'<section class="theme" id="theme-([a-z-]+)"', html)
    assert sorted(sections) == sorted(NAMES)


def test_summary_counts_leave_out_non_answers_and_hidden_ideas(html: str) -> None:
    summary = html.split('id="summary"')[1].split("</section>")[0]
    assert "<b>12</b>responses" not in summary
    assert "<b>13</b>atbildes" in summary  # every response that came in
    assert "<b>11</b>idejas" in summary  # 13 - one non-answer - one hidden
    assert "<b>1</b>bez satura" in summary
    assert "Šo ideju plānotājs paslēpa" not in html


def test_proposals_are_shown_as_text_never_as_markup(html: str) -> None:
    assert "<script>document" not in html
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=" in html
    # the page itself needs no script at all and forbids any
    assert "<script" not in html
    assert "default-src 'none'" in html


def test_personal_data_is_replaced_and_counted(html: str) -> None:
    assert "29 123 456" not in html and "janis.berzins" not in html
    assert "[tālrunis]" in html and "[e-pasts]" in html
    _, counts = publishable(report_inputs())
    assert counts == {"phone": 1, "email": 1}


def test_changes_by_a_person_are_marked(html: str) -> None:
    assert "nosaukumu mainījis cilvēks" in html  # the renamed theme
    assert "tēmu mainījis cilvēks" in html  # idea 8-1 moved
    assert "SVID mainījis cilvēks" in html  # idea 2-1's quadrant
    review = html.split('id="review"')[1].split("</section>")[0]
    assert "pārdēvēta tēma: roads" in review
    assert "99-1" in review and 'class="warn"' in review


def test_svid_table_is_two_by_two_with_quadrant_names(html: str) -> None:
    svid = html.split('id="svid"')[1].split("</section>")[0]
    headers = re.findall(r'<th class="([SWOT])">([^<]+)</th>', svid)
    assert headers == [
        ("S", "Stiprās puses"),
        ("W", "Vājās puses"),
        ("O", "Iespējas"),
        ("T", "Draudi"),
    ]
    weaknesses = svid.split('<td class="W">')[1].split("</td>")[0]
    assert "Ceļi un ielas" in weaknesses and "Parki" in weaknesses


def test_english_report_uses_english_labels_and_names() -> None:
    public, counts = publishable(report_inputs())
    english = render_html(public, "en", redactions=counts)
    assert ">Summary</h2>" in english and ">SWOT table</h2>" in english
    assert "Public transport" in english
    # a person's Latvian name (no English one given) is shown as written
    assert "Ceļi un ielas" in english and "Roads and streets" not in english
    assert 'lang="en"' in english


def test_figures_are_embedded_so_the_file_works_offline() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 32
    public, _ = publishable(report_inputs(figures={"svid_matrix": png, "priorities": png}))
    page = render_html(public, "lv")
    assert page.count("data:image/png;base64,") == 2
    assert "http://" not in page.replace("http://example.com", "")
    assert 'src="http' not in page


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    public, _ = publishable(report_inputs())
    path = tmp_path_factory.mktemp("xlsx") / "balsis.xlsx"
    write_excel(public, path, "lv")
    return path


def test_workbook_has_the_four_sheets_with_people_headers(workbook_path: Path) -> None:
    sheets = pd.read_excel(workbook_path, sheet_name=None)
    assert list(sheets) == ["Prioritātes", "SVID", "Tēmas", "Idejas"]
    ideas = sheets["Idejas"]
    assert len(ideas) == 11  # no non-answer, no hidden idea
    assert {"Priekšlikums", "Tēma", "SVID daļa", "Teritorija"} <= set(ideas.columns)
    assert set(ideas["SVID daļa"]) <= {"Stiprās puses", "Vājās puses", "Iespējas", "Draudi"}
    priorities_sheet = sheets["Prioritātes"]
    assert priorities_sheet["Vieta"].tolist() == sorted(priorities_sheet["Vieta"])
    assert set(priorities_sheet["Tēma"]) == set(NAMES.values())


def test_workbook_cells_have_proper_types(workbook_path: Path) -> None:
    book = openpyxl.load_workbook(workbook_path)
    ideas = book["Idejas"]
    header = [cell.value for cell in ideas[1]]
    row = [cell for cell in ideas[2]]
    by_name = dict(zip(header, row, strict=True))
    assert by_name["Balsis"].data_type == "n"
    assert by_name["Datums"].is_date
    assert by_name["Neiederas tēmā"].data_type == "b"
    assert by_name["Tēmas ticamība"].number_format == "0%"
    assert ideas.freeze_panes == "A2"
    assert ideas.column_dimensions["C"].width >= 60  # the proposal column is wide


def test_workbook_neutralises_formula_injection_and_redacts(workbook_path: Path) -> None:
    book = openpyxl.load_workbook(workbook_path)
    texts = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    assert "'" + FORMULA in texts
    assert all(cell.data_type != "f" for s in book.worksheets for r in s.iter_rows() for cell in r)
    joined = "\n".join(texts)
    assert "29 123 456" not in joined and "janis.berzins" not in joined
    assert "<script>document.title='pwned'</script> Vajag jaunu soliņu" in joined  # raw text


def test_a_table_longer_than_a_worksheet_is_split_into_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.publish.report import excel

    monkeypatch.setattr(excel, "EXCEL_MAX_ROWS", 5)  # 4 rows of data per worksheet
    public, _ = publishable(report_inputs())
    path = tmp_path / "balsis.xlsx"
    write_excel(public, path, "lv")
    sheets = pd.read_excel(path, sheet_name=None)
    parts = [name for name in sheets if name.startswith("Idejas")]
    assert parts == ["Idejas", "Idejas (2)", "Idejas (3)"]  # 11 ideas: 4 + 4 + 3
    assert [len(sheets[name]) for name in parts] == [4, 4, 3]
    joined = pd.concat([sheets[name] for name in parts], ignore_index=True)
    whole = excel_sheets(public, "lv")["Idejas"]
    assert joined["Idejas ID"].tolist() == whole["Idejas ID"].tolist()  # nothing lost


def test_english_workbook_sheet_names() -> None:
    sheets = excel_sheets(publishable(report_inputs())[0], "en")
    assert list(sheets) == ["Priorities", "SWOT", "Themes", "Ideas"]
    assert "Proposal" in sheets["Ideas"].columns


def _pii_inputs() -> tuple[object, list[str]]:
    """Report inputs whose proposals are the personal-data test corpus, and its identifiers."""
    corpus = pd.read_csv(Path(__file__).parent / "data" / "pii_corpus.csv", dtype=str)
    base = report_inputs()
    template = base.ideas.iloc[0]
    themes = list(NAMES)
    ideas = pd.DataFrame(
        [
            {
                **template.to_dict(),
                "idea_id": f"p{i}-1",
                "response_id": f"p{i}",
                "text": text,
                "text_clean": text,
                "text_normalised": text.lower(),
                "text_folded": text.lower().replace("@", " ").replace(".", " "),
                "non_answer": False,
                "hidden": False,
                "theme": themes[i % len(themes)],
                "swot": "WOST"[i % 4],
            }
            for i, text in enumerate(corpus["text"])
        ]
    )
    answered = ideas.copy()
    reps = [ideas.loc[ideas["theme"] == t, "idea_id"].tolist() for t in themes]
    inputs = dataclasses.replace(
        base,
        ideas=ideas,
        themes=base.themes.assign(representatives=reps),
        svid=svid_table(answered, NAMES, min_ideas=1, min_share=0.0, n_quotes=50),
        priorities=priorities(answered, Params().priority.weights),
        theme_swot=theme_swot(answered).reset_index(),
        report=dataclasses.replace(Params().report, n_quotes=100),
    )
    identifiers = [
        ident for cell in corpus["identifiers"].dropna() for ident in cell.split("|") if ident
    ]
    return inputs, identifiers


def test_personal_data_corpus_leaks_nothing_into_report_or_workbook(tmp_path: Path) -> None:
    inputs, identifiers = _pii_inputs()
    assert len(identifiers) >= 40
    public, counts = publishable(inputs)
    page = render_html(public, "lv", redactions=counts)
    assert leaked_identifiers(page, identifiers) == []
    # every corpus proposal is in the report (nothing dropped to avoid a leak)
    assert page.count("[e-pasts]") >= counts["email"]
    write_excel(public, tmp_path / "balsis.xlsx", "lv")
    book = openpyxl.load_workbook(tmp_path / "balsis.xlsx")
    cells = "\n".join(
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )
    assert leaked_identifiers(cells, identifiers) == []
    expected = pd.read_csv(Path(__file__).parent / "data" / "pii_corpus.csv", dtype=str)
    total = sum(
        int(part.split(":")[1]) for cell in expected["counts"].dropna() for part in cell.split(";")
    )
    assert sum(counts.values()) == total


def _inputs_without_territory_group_votes(*, drop: bool) -> object:
    """The test data as if it had no territory, group or votes: columns dropped, or empty."""
    ideas = report_inputs().ideas
    if drop:
        ideas = ideas.drop(columns=["territory", "group", "votes"])
    else:
        ideas = ideas.assign(territory=None, group="", votes=0.0)
    answered = ideas[~ideas["hidden"] & (ideas["theme"] != "")]
    return report_inputs(
        ideas=ideas,
        themes=report_inputs().themes.drop(columns="votes"),
        priorities=priorities(answered, Params().priority.weights),
        svid=svid_table(answered, NAMES, min_ideas=1, min_share=0.0),
        theme_swot=theme_swot(answered).reset_index(),
    )


def _priority_header(page: str) -> str:
    return page.split('id="priorities"')[1].split("</tr>")[0]


def test_report_with_territory_group_and_votes_shows_them(html: str, workbook_path: Path) -> None:
    header = _priority_header(html)
    for title in ("Balsis", "Teritorijas", "Grupas"):
        assert f">{title}</th>" in header
    assert "<b>Teritorijas:</b> Kalnāji (2)" in html
    assert "balsis." in html.split('id="themes"')[1]
    sheets = pd.read_excel(workbook_path, sheet_name=None)
    priority_columns = set(sheets["Prioritātes"].columns)
    assert {"Balsis", "Teritorijas", "Grupas", "Izplatība (punkti)"} <= priority_columns
    assert {"Teritorija", "Grupa", "Balsis"} <= set(sheets["Idejas"].columns)


@pytest.mark.parametrize("drop", [True, False], ids=["no-columns", "empty-columns"])
def test_report_without_territory_group_and_votes_leaves_them_out(
    drop: bool, tmp_path: Path
) -> None:
    public, counts = publishable(_inputs_without_territory_group_votes(drop=drop))
    page = render_html(public, "lv", generated="2026-11-22", redactions=counts)
    header = _priority_header(page)
    assert ">Idejas</th>" in header
    for title in ("Balsis", "Teritorijas", "Grupas"):
        assert f">{title}</th>" not in header
    themes = page.split('id="themes"')[1].split('id="review"')[0]
    assert "Teritorijas:" not in themes and "Grupas:" not in themes
    assert "balsis" not in themes.lower() and "Balsojuma datu nav" not in themes
    assert "(–, –;" not in themes  # a proposal's note holds only its quadrant
    assert "(Vājās puses)" in themes
    path = tmp_path / "balsis.xlsx"
    write_excel(public, path, "lv")
    sheets = pd.read_excel(path, sheet_name=None)
    for name, sheet in sheets.items():
        absent = ("Teritorija", "Teritorijas", "Grupa", "Grupas", "Balsis", "Balsis (punkti)",
                  "Izplatība (punkti)")  # fmt: skip
        for title in absent:
            assert title not in sheet.columns, (name, title)
    assert {"Idejas", "Idejas (punkti)"} <= set(sheets["Prioritātes"].columns)
    assert "Priekšlikums" in sheets["Idejas"].columns


def test_an_input_too_small_to_cluster_is_said_plainly() -> None:
    # 12 answers (one hidden) and one non-answer: fewer than 2 x min_cluster_size (16)
    small = dataclasses.replace(
        report_inputs(), method=Method(cluster=ClusterParams(min_cluster_size=8))
    )
    public, counts = publishable(small)
    html = render_html(public, "lv", generated="2026-11-22", redactions=counts)
    summary = html.split('id="summary"')[1].split("</section>")[0]
    assert (
        "12 idejas – par maz, lai atrastu tēmas (vajag vismaz 16), tāpēc idejas netika grupētas. "
        "12 idejām dota tēma no tēmu saraksta"
    ) in " ".join(summary.split())
    large_enough = dataclasses.replace(
        report_inputs(), method=Method(cluster=ClusterParams(min_cluster_size=5))
    )
    public, _ = publishable(large_enough)
    assert 'id="small-input"' not in render_html(public, "lv")
    # auto: the smallest theme of 12 ideas is 5, so 10 are enough to cluster
    public, _ = publishable(report_inputs())
    assert 'id="small-input"' not in render_html(public, "lv")
    english = render_html(publishable(small)[0], "en")
    assert "too few to find themes (at least 16 are needed)" in " ".join(english.split())


QUESTION = "Kas jūsu pagastā visvairāk pietrūkst?"


def _with_questions(question: str) -> object:
    inputs = report_inputs()
    ideas = inputs.ideas.assign(question=question)
    return dataclasses.replace(inputs, ideas=ideas)


def test_each_quoted_proposal_names_its_question_when_there_are_questions() -> None:
    public, _ = publishable(_with_questions(QUESTION))
    page = render_html(public, "lv")
    assert f"(jautājums: {QUESTION}; Kalnāji, iedzīvotājs; Vājās puses)" in page
    english = render_html(publishable(_with_questions(QUESTION))[0], "en")
    assert f"question: {QUESTION};" in english


def test_without_questions_the_report_and_workbook_show_no_question(tmp_path: Path) -> None:
    public, _ = publishable(_with_questions(""))
    assert "jautājums:" not in render_html(public, "lv")
    assert "Jautājums" not in excel_sheets(public, "lv")["Idejas"].columns


def test_the_workbook_ideas_sheet_has_the_question(tmp_path: Path) -> None:
    public, _ = publishable(_with_questions(QUESTION))
    ideas = excel_sheets(public, "lv")["Idejas"]
    assert list(ideas.columns[:4]) == ["Idejas ID", "Atbildes ID", "Jautājums", "Priekšlikums"]
    assert set(ideas["Jautājums"]) == {QUESTION}
