"""Survey exports: answers per question (wide and long files), tick boxes, column roles."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline.errors import BalsisError, InputError
from pipeline.ingest.choices import CHOICE_COLUMNS, choice_table, count_choices, split_column
from pipeline.ingest.responses import RESPONDENT_COLUMN, ingest_file
from pipeline.ingest.roles import (
    DATE,
    EMPTY,
    FREE_TEXT,
    ID,
    SINGLE_CHOICE,
    TERRITORY,
    TICK_BOX,
    guess_roles,
    ingest_snippet,
)
from pipeline.io.tables import read_table
from pipeline.normalise.ideas import normalise_responses
from pipeline.params import IngestParams, NormaliseParams, params_from_dict
from pipeline.stages import choices as choices_stage
from pipeline.steps.choices import choices
from pipeline.topics.options import option_themes
from pipeline.topics.taxonomy import DEFAULT_TAXONOMY, load_taxonomy

LACK = "Kas ciemā visvairāk pietrūkst?"
WISH = "Ko vēlaties ciemā nākotnē?"
EVENTS = "Kādos pasākumos piedalītos?"  # tick boxes joined by ", " (Google Forms)
NEEDS = "Kas jums svarīgs?"  # tick boxes joined by ";", an option holds a comma
AGE = "Vecuma grupa"
PLACE = "Dzīvesvieta"

# Ten respondents, written for these tests. Counts by hand:
# EVENTS (8 answered): Koncerti 5 (rows 1 2 4 8 10; row 4 repeats it as "koncerti"),
#   Sporta spēles 3 (1 4 6), "Kultūra, māksla" 3 (5 6 10), Amatu darbnīcas 2 (7 8).
# NEEDS (7 answered): "Ceļi, ietves" 4 (1 3 6 8), Apgaismojums 4 (1 2 6 9),
#   Sabiedriskais transports 2 (2 5; row 5 ticks it twice).
SURVEY = [
    ("1", "2026-03-02", "Darba vietas", "Lai atver kafejnīcu", "Koncerti, Sporta spēles",
     "Ceļi, ietves;Apgaismojums", "18-25", "Ozolmuiža"),
    ("2", "2026-03-02", "Ārsts", "", "Koncerti", "Apgaismojums; Sabiedriskais transports",
     "26-40", "Ozolmuiža"),
    ("3", "2026-03-03", "", "", "", "ceļi, ietves", "41-60", "Liepiņi"),
    ("4", "2026-03-03", "Veikals tuvāk", "Sakopts ezera krasts",
     " koncerti ,  Sporta  spēles, Koncerti", "", "60+", "Liepiņi"),
    ("5", "2026-03-04", "Nav ideju", "Vairāk pasākumu jauniešiem", "Kultūra, māksla",
     "Sabiedriskais transports;Sabiedriskais transports", "18-25", "Rūķi"),
    ("6", "2026-03-04", "Apgaismojums pie mājām", "", "Sporta spēles, Kultūra, māksla",
     "Ceļi, ietves; apgaismojums;", "26-40", "Rūķi"),
    ("7", "2026-03-05", "", "Labs ceļš uz pilsētu", "Amatu darbnīcas", "", "41-60", "Ozolmuiža"),
    ("8", "2026-03-05", "Bērnu laukums", "Jauns stadions", "Koncerti, Amatu darbnīcas",
     "Ceļi,  ietves", "60+", "Liepiņi"),
    ("9", "2026-03-06", "", "", "", "Apgaismojums", "18-25", "Rūķi"),
    ("10", "2026-03-06", "Autobuss vakarā", "Peldvieta", "Kultūra, māksla, Koncerti", "",
     "26-40", "Ozolmuiža"),
]  # fmt: skip
HEADER = ["Nr.", "Datums", LACK, WISH, EVENTS, NEEDS, AGE, PLACE]
WIDE = IngestParams(
    questions=(LACK, WISH),
    id_column="Nr.",
    date_column="Datums",
    group_column=AGE,
    territory_column=PLACE,
    choice_columns=(EVENTS, NEEDS),
)


@pytest.fixture
def survey(tmp_path: Path) -> Path:
    path = tmp_path / "aptauja.csv"
    pd.DataFrame(SURVEY, columns=HEADER, dtype=str).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def taxonomy() -> list:
    return load_taxonomy(DEFAULT_TAXONOMY)


def counts_of(table: pd.DataFrame, column: str) -> dict[str, int]:
    rows = table[table["column"] == column]
    return dict(zip(rows["option"], rows["n_ticked"], strict=True))


# ---------------------------------------------------------------------------------------------
# Wide files: one response per non-empty answer


def test_a_wide_file_gives_one_response_per_non_empty_answer(survey: Path) -> None:
    responses = ingest_file(survey, WIDE)

    answered = sum(bool(row[2].strip()) + bool(row[3].strip()) for row in SURVEY)
    assert len(responses) == answered == 13
    assert responses.columns[1] == RESPONDENT_COLUMN
    first = responses[responses["respondent"] == "1"]
    assert first["response_id"].tolist() == ["1-q1", "1-q2"]
    assert first["question"].tolist() == [LACK, WISH]
    assert first["text"].tolist() == ["Darba vietas", "Lai atver kafejnīcu"]
    # Respondent 7 answered only the second question; 3 and 9 answered none.
    assert responses.loc[responses["respondent"] == "7", "response_id"].tolist() == ["7-q2"]
    assert not responses["respondent"].isin(["3", "9"]).any()
    assert responses["response_id"].is_unique


def test_a_wide_file_copies_the_respondents_columns_to_each_answer(survey: Path) -> None:
    responses = ingest_file(survey, WIDE).set_index("response_id")

    for response_id in ("10-q1", "10-q2"):
        row = responses.loc[response_id]
        assert (row["territory"], row["group"], row["date"]) == ("Ozolmuiža", "26-40", "2026-03-06")
        assert row["source_row"] == 11


def test_the_question_is_the_header_as_written_in_the_file(survey: Path) -> None:
    params = IngestParams(questions=(LACK.upper(), "ko  vēlaties ciemā nākotnē?"), id_column="Nr.")
    responses = ingest_file(survey, params)
    assert set(responses["question"]) == {LACK, WISH}


def test_a_wide_file_without_an_id_column_uses_row_ids(survey: Path) -> None:
    params = IngestParams(questions=(LACK, WISH), id_column=None)
    responses = ingest_file(survey, params)
    assert responses["response_id"].iloc[:2].tolist() == ["r0002-q1", "r0002-q2"]
    assert responses["respondent"].iloc[0] == "r0002"


def test_the_question_reaches_every_idea(survey: Path) -> None:
    responses = ingest_file(survey, WIDE)
    ideas = normalise_responses(responses, NormaliseParams(restore_diacritics=False))
    assert ideas["question"].notna().all()
    by_response = responses.set_index("response_id")["question"]
    assert (ideas["question"].to_numpy() == by_response[ideas["response_id"]].to_numpy()).all()
    assert (ideas["respondent"] == ideas["response_id"].str.rsplit("-q", n=1).str[0]).all()


def test_a_plain_file_has_an_empty_question_and_no_respondent(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    pd.DataFrame({"id": ["1", "2"], "text": ["Soliņi parkā", "Ceļš"]}).to_csv(path, index=False)
    responses = ingest_file(path, IngestParams())
    assert responses["question"].tolist() == ["", ""]
    assert RESPONDENT_COLUMN not in responses.columns
    ideas = normalise_responses(responses, NormaliseParams(restore_diacritics=False))
    assert ideas["question"].tolist() == ["", ""]
    assert RESPONDENT_COLUMN not in ideas.columns


def test_a_missing_question_column_names_the_columns_there_are(survey: Path) -> None:
    params = IngestParams(questions=(LACK, "Ko vēlaties ciemā nākotne?"), id_column="Nr.")
    with pytest.raises(InputError) as caught:
        ingest_file(survey, params)
    message = str(caught.value)
    assert "column 'Ko vēlaties ciemā nākotne?': question column not found" in message
    assert f"the columns are 'Nr.', 'Datums', '{LACK}'" in message
    assert f"did you mean '{WISH}'" in message


def test_question_columns_without_any_answer_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "tukša.csv"
    pd.DataFrame({"Nr.": ["1", "2"], LACK: ["", " "]}).to_csv(path, index=False)
    with pytest.raises(InputError, match="none of the question columns holds an answer"):
        ingest_file(path, IngestParams(questions=(LACK,), id_column="Nr."))


# ---------------------------------------------------------------------------------------------
# Long files: one row per answer, a column naming the question


def write_long(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    pd.DataFrame(rows, columns=["Respondents", "Jautājums", "Atbilde"]).to_csv(path, index=False)
    return path


LONG_PARAMS = IngestParams(
    text_columns=("Atbilde",), id_column="Respondents", question_column="Jautājums"
)


def test_a_long_file_with_repeated_respondents_numbers_the_questions(tmp_path: Path) -> None:
    path = write_long(
        tmp_path / "garā.csv",
        [
            ("a1", LACK, "Darba vietas"),
            ("a1", WISH, "Kafejnīca"),
            ("b2", WISH, "Stadions"),
            ("b2", LACK, " "),
            ("c3", LACK, "Ārsts"),
        ],  # fmt: skip
    )
    responses = ingest_file(path, LONG_PARAMS)
    assert responses["response_id"].tolist() == ["a1-q1", "a1-q2", "b2-q2", "b2-q1", "c3-q1"]
    assert responses["respondent"].tolist() == ["a1", "a1", "b2", "b2", "c3"]
    assert responses["question"].tolist() == [LACK, WISH, WISH, LACK, LACK]
    assert responses["text"].tolist()[3] == " "  # every row of a long file is kept


def test_a_long_file_with_unique_ids_keeps_them(tmp_path: Path) -> None:
    path = write_long(tmp_path / "garā.csv", [("1", LACK, "Darba vietas"), ("2", WISH, "Parks")])
    responses = ingest_file(path, LONG_PARAMS)
    assert responses["response_id"].tolist() == ["1", "2"]
    assert responses["question"].tolist() == [LACK, WISH]


def test_one_respondent_answering_one_question_twice_names_both_rows(tmp_path: Path) -> None:
    path = write_long(tmp_path / "garā.csv", [("a1", LACK, "Darba vietas"), ("a1", LACK, "Ārsts")])
    with pytest.raises(InputError, match=r"row 3.*'a1' answers the question .* rows 2 and 3"):
        ingest_file(path, LONG_PARAMS)


def test_a_missing_question_column_of_a_long_file_names_the_columns(tmp_path: Path) -> None:
    path = write_long(tmp_path / "garā.csv", [("1", LACK, "Darba vietas")])
    params = IngestParams(text_columns=("Atbilde",), id_column=None, question_column="Jautajums")
    with pytest.raises(InputError) as caught:
        ingest_file(path, params)
    message = str(caught.value)
    assert "question column not found; the columns are 'Respondents', 'Jautājums'" in message
    assert "did you mean 'Jautājums'" in message and "--question-column" in message


# ---------------------------------------------------------------------------------------------
# Params that contradict each other


@pytest.mark.parametrize(
    ("ingest", "expected"),
    [
        ({"questions": [LACK], "question_column": "Jautājums"}, "exclude each other"),
        ({"questions": [LACK], "text_columns": ["Atbilde"]}, "name different columns"),
        ({"questions": [LACK], "choice_columns": [LACK]}, "either free text or tick boxes"),
        ({"text_columns": ["Atbilde"], "choice_columns": ["Atbilde"]}, "either free text"),
        ({"question_column": "Atbilde", "text_columns": ["Atbilde"]}, "also a text column"),
        ({"choice_separator": " "}, "must not be empty"),
        ({"questions": [LACK, WISH, LACK]}, re.escape(f"ingest.questions lists '{LACK}' twice")),
        ({"choice_columns": [EVENTS, EVENTS]}, "ingest.choice_columns lists"),
    ],
)
def test_contradicting_survey_params_are_refused(ingest: dict, expected: str) -> None:
    with pytest.raises(BalsisError, match=expected):
        params_from_dict({"ingest": ingest})


def test_questions_with_the_same_text_columns_are_accepted() -> None:
    params = params_from_dict({"ingest": {"questions": [LACK, WISH], "text_columns": [LACK, WISH]}})
    assert params.ingest.questions == (LACK, WISH)


# ---------------------------------------------------------------------------------------------
# Tick boxes


def test_tick_boxes_are_counted_exactly(survey: Path) -> None:
    table = count_choices(read_table(survey), [EVENTS, NEEDS])

    assert tuple(table.columns) == CHOICE_COLUMNS
    assert list(counts_of(table, EVENTS).items()) == [
        ("Koncerti", 5), ("Sporta spēles", 3), ("Kultūra, māksla", 3), ("Amatu darbnīcas", 2),
    ]  # fmt: skip
    assert list(counts_of(table, NEEDS).items()) == [
        ("Ceļi, ietves", 4), ("Apgaismojums", 4), ("Sabiedriskais transports", 2),
    ]  # fmt: skip
    events = table[table["column"] == EVENTS]
    assert set(events["n_answered"]) == {8} and set(events["n_respondents"]) == {10}
    needs = table[table["column"] == NEEDS]
    assert set(needs["n_answered"]) == {7}
    concerts = events.iloc[0]
    assert concerts["share_answered"] == pytest.approx(5 / 8)
    assert concerts["share_all"] == pytest.approx(5 / 10)
    assert needs.iloc[2]["share_answered"] == pytest.approx(2 / 7)


def test_a_forced_separator_keeps_commas_inside_options(survey: Path) -> None:
    table = count_choices(read_table(survey), [EVENTS], separator=";")
    counts = counts_of(table, EVENTS)
    assert counts["Koncerti, Sporta spēles"] == 1
    assert counts["Koncerti"] == 1
    assert sum(counts.values()) == 8  # each answered cell is one option


def test_a_lower_case_piece_that_also_stands_alone_is_an_option_of_its_own() -> None:
    cells = ["Kultūra, māksla", "māksla", "Koncerti, māksla", ""]
    assert split_column(cells) == [["Kultūra", "māksla"], ["māksla"], ["Koncerti", "māksla"], []]
    assert split_column(["Kultūra, māksla", "Koncerti"]) == [["Kultūra, māksla"], ["Koncerti"]]


def test_a_semicolon_anywhere_in_the_column_makes_it_the_separator() -> None:
    cells = ["Ceļi, ietves", "Ceļi, ietves;Parks"]
    assert split_column(cells) == [["Ceļi, ietves"], ["Ceļi, ietves", "Parks"]]


def test_options_get_a_theme_only_when_one_theme_clearly_fits(taxonomy: list) -> None:
    options = ["Sporta laukumi", "Ceļi, ietves", "Koncerti", "Sabiedriskais transports",
               "Sporta aktivitātes", "Amatu darbnīcas", "Детская площадка"]  # fmt: skip
    themes = [theme for theme, _ in option_themes(options, taxonomy)]
    assert themes == ["recreation_sport", "roads", "culture", "public_transport", "", "",
                      "families_children"]  # fmt: skip
    # "Sporta aktivitātes": sport ("sports") and youth ("aktivitāte") match equally: no theme.


def test_the_choices_step_adds_themes_and_their_evidence(survey: Path, taxonomy: list) -> None:
    table = choices(survey, WIDE, taxonomy).set_index("option")
    assert table.loc["Ceļi, ietves", "theme"] == "roads"
    assert table.loc["Ceļi, ietves", "theme_evidence"] == "ceļš; ietve"
    assert table.loc["Apgaismojums", "theme"] == "safety"
    assert table.loc["Amatu darbnīcas", "theme"] == ""
    assert table.loc["Koncerti", "n_ticked"] == 5


def test_no_tick_box_columns_give_an_empty_table(survey: Path, taxonomy: list) -> None:
    table = choices(survey, IngestParams(), taxonomy)
    assert table.empty and tuple(table.columns) == CHOICE_COLUMNS


def test_a_missing_tick_box_column_names_the_columns_there_are(
    survey: Path, taxonomy: list
) -> None:
    params = IngestParams(choice_columns=("Kādos pasākumos piedalītos",))
    with pytest.raises(InputError) as caught:
        choices(survey, params, taxonomy)
    message = str(caught.value)
    assert "tick-box column not found; the columns are 'Nr.'" in message
    assert f"did you mean '{EVENTS}'" in message


# ---------------------------------------------------------------------------------------------
# Column roles (balsis inspect)


def test_column_roles_are_guessed_from_cells_and_headers(survey: Path) -> None:
    roles = {guess.column: guess.role for guess in guess_roles(read_table(survey))}
    assert roles == {
        "Nr.": ID,
        "Datums": DATE,
        LACK: FREE_TEXT,
        WISH: FREE_TEXT,
        EVENTS: TICK_BOX,
        NEEDS: TICK_BOX,
        AGE: SINGLE_CHOICE,
        PLACE: TERRITORY,
    }


def test_free_text_with_commas_is_not_taken_for_tick_boxes(tmp_path: Path) -> None:
    answers = [
        "Vajag sakārtot ceļu, jo pavasarī tas ir dubļains",
        "Ielas apgaismojums, soliņi un miskastes parkā",
        "Vairāk pasākumu bērniem, jauniešiem un senioriem",
        "Autobuss uz pilsētu vakarā, arī brīvdienās",
        "Kafejnīca",
        "Sporta laukums ar segumu, basketbola grozi",
    ]
    path = tmp_path / "t.csv"
    pd.DataFrame({"Atbilde": answers, "Tukša": [""] * 6}).to_csv(path, index=False)
    roles = [guess.role for guess in guess_roles(read_table(path))]
    assert roles == [FREE_TEXT, EMPTY]


def test_the_snippet_is_valid_params_that_ingest_the_survey(survey: Path) -> None:
    snippet = ingest_snippet(guess_roles(read_table(survey)))
    params = params_from_dict(yaml.safe_load(snippet))
    assert params.ingest.questions == (LACK, WISH)
    assert params.ingest.choice_columns == (EVENTS, NEEDS)
    assert (params.ingest.id_column, params.ingest.group_column) == ("Nr.", AGE)
    assert (params.ingest.territory_column, params.ingest.date_column) == (PLACE, "Datums")
    assert len(ingest_file(survey, params.ingest)) == 13


def test_one_free_text_column_is_a_plain_text_column(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    pd.DataFrame(
        {"id": ["1", "2", "3"], "Priekšlikums": ["Soliņi parkā", "Jauns ceļš", "Vairāk koku"]}
    ).to_csv(path, index=False)
    section = yaml.safe_load(ingest_snippet(guess_roles(read_table(path))))["ingest"]
    assert section["text_columns"] == ["Priekšlikums"] and "questions" not in section
    assert section["id_column"] == "id"


def test_a_timestamp_balsis_cannot_read_is_a_date_left_out_of_the_snippet(tmp_path: Path) -> None:
    path = tmp_path / "forms.csv"
    pd.DataFrame(
        {
            "Timestamp": [
                "2026/03/02 10:15:00 PM EET",
                "2026/03/02 11:02:41 PM EET",
                "2026/03/03 9:00:12 AM EET",
            ],  # fmt: skip
            "What is missing most?": ["A shop", "Street lights by the school", "A doctor"],
        }
    ).to_csv(path, index=False)
    guesses = guess_roles(read_table(path))
    assert [g.role for g in guesses] == [DATE, FREE_TEXT]
    assert "date_column left null" in guesses[0].note
    section = yaml.safe_load(ingest_snippet(guesses))["ingest"]
    assert section["date_column"] is None
    assert section["text_columns"] == ["What is missing most?"]
    assert len(ingest_file(path, params_from_dict({"ingest": section}).ingest)) == 3


# ---------------------------------------------------------------------------------------------
# The DVC stage


def test_the_choices_stage_writes_the_table(survey: Path, tmp_path: Path) -> None:
    params = tmp_path / "params.yaml"
    params.write_text(
        yaml.safe_dump({"ingest": {"choice_columns": [EVENTS, NEEDS]}}, allow_unicode=True),
        encoding="utf-8",
    )
    out = tmp_path / "choices.parquet"
    argv = ["--params", str(params), "--input", str(survey), "--taxonomy", str(DEFAULT_TAXONOMY),
            "--out", str(out)]  # fmt: skip
    assert choices_stage.main(argv) == 0
    table = pd.read_parquet(out)
    assert counts_of(table, NEEDS) == {
        "Ceļi, ietves": 4, "Apgaismojums": 4, "Sabiedriskais transports": 2,
    }  # fmt: skip
    assert table.loc[table["option"] == "Koncerti", "theme"].tolist() == ["culture"]


def test_the_choices_stage_stops_on_a_missing_column_and_writes_nothing(
    survey: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    params = tmp_path / "params.yaml"
    params.write_text("ingest:\n  choice_columns: [Pasākumi]\n", encoding="utf-8")
    out = tmp_path / "choices.parquet"
    argv = ["--params", str(params), "--input", str(survey), "--taxonomy", str(DEFAULT_TAXONOMY),
            "--out", str(out)]  # fmt: skip
    assert choices_stage.main(argv) == 2
    assert "tick-box column not found" in capsys.readouterr().err
    assert not out.exists()


def test_a_long_files_tick_boxes_count_each_respondent_once(tmp_path: Path) -> None:
    path = tmp_path / "garā.csv"
    pd.DataFrame(
        {
            "Respondents": ["a1", "a1", "b2", "b2", "c3"],
            "Jautājums": [LACK, WISH, LACK, WISH, LACK],
            "Atbilde": ["Darba vietas", "Kafejnīca", "Ārsts", "Parks", "Ceļš"],
            EVENTS: ["Koncerti, Sporta spēles"] * 2 + ["Koncerti"] * 2 + [""],
        }
    ).to_csv(path, index=False)
    params = dataclasses.replace(LONG_PARAMS, choice_columns=(EVENTS,))
    table = count_choices_of(path, params)
    assert counts_of(table, EVENTS) == {"Koncerti": 2, "Sporta spēles": 1}
    assert set(table["n_respondents"]) == {3} and set(table["n_answered"]) == {2}


def count_choices_of(path: Path, params: IngestParams) -> pd.DataFrame:
    return choice_table(read_table(path), params, source_name=path.name)
