"""Tests for building the responses table (:mod:`pipeline.ingest.responses`)."""

from __future__ import annotations

import csv
import logging
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import cli
from pipeline.errors import InputError
from pipeline.ingest.responses import (
    RESPONSE_COLUMNS,
    ingest,
    ingest_file,
    looks_like_formula,
    stable_ids,
)
from pipeline.params import IngestParams

LATVIAN = "Ceļš uz Dzērvju skolu ir šausmīgs"
RUSSIAN = "Нужно отремонтировать дороги"


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    pd.DataFrame(rows, dtype=str).to_csv(path, index=False)
    return path


def ingest_error(path: Path, params: IngestParams) -> str:
    with pytest.raises(InputError) as caught:
        ingest_file(path, params)
    message = str(caught.value)
    assert path.name in message
    return message


def test_responses_table_has_exactly_the_documented_columns(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "survey.csv",
        [
            {
                "id": " 007 ",
                "text": LATVIAN,
                "territory": " Dzērve ",
                "group": "jaunieši",
                "votes": "3",
                "date": "2024-05-01",
                "source": "darbnīca",
                "e-mail": "a@b.lv",
            },
            {
                "id": "008",
                "text": RUSSIAN,
                "territory": "",
                "group": "",
                "votes": "",
                "date": "",
                "source": "",
                "e-mail": "",
            },
        ],
    )

    responses = ingest_file(path, IngestParams())

    assert tuple(responses.columns) == RESPONSE_COLUMNS
    assert responses.dtypes.astype(str).to_dict() == {
        "response_id": "string",
        "source_row": "int64",
        "question": "string",
        "text": "string",
        "territory": "string",
        "group": "string",
        "source": "string",
        "date": "string",
        "votes": "Int64",
        "text_too_long": "bool",
        "formula_like": "bool",
    }
    first, second = responses.to_dict("records")
    assert first["response_id"] == "007"
    assert first["source_row"] == 2
    assert first["text"] == LATVIAN
    assert first["territory"] == "Dzērve"
    assert (first["group"], first["source"], first["date"]) == (
        "jaunieši",
        "darbnīca",
        "2024-05-01",
    )
    assert first["votes"] == 3
    assert not first["text_too_long"] and not first["formula_like"]
    assert second["text"] == RUSSIAN
    assert responses["question"].tolist() == ["", ""]
    for field in ("territory", "group", "source", "date", "votes"):
        assert responses[field].iloc[1] is pd.NA, field


def test_missing_optional_columns_are_all_na(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "survey.csv", [{"id": "1", "text": "a"}, {"id": "2", "text": "b"}])
    responses = ingest_file(path, IngestParams())
    for field in ("territory", "group", "source", "date", "votes"):
        assert responses[field].isna().all(), field
    assert responses["text"].tolist() == ["a", "b"]


def test_column_names_match_ignoring_case_and_spaces(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "survey.csv", [{" ID ": "1", "Text": "a", "Territory  Name": "Rēzekne"}]
    )
    params = IngestParams(territory_column="territory name")
    responses = ingest_file(path, params)
    assert responses[["response_id", "text", "territory"]].values.tolist() == [
        ["1", "a", "Rēzekne"]
    ]


def test_two_text_columns_are_joined_skipping_empty_parts(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "survey.csv",
        [
            {"id": "1", "problem": "Bedrains ceļš", "idea": "Noasfaltēt"},
            {"id": "2", "problem": "", "idea": "Vairāk soliņu"},
            {"id": "3", "problem": "Nav", "idea": ""},
            {"id": "4", "problem": "", "idea": ""},
        ],
    )
    responses = ingest_file(path, IngestParams(text_columns=("problem", "idea")))
    assert responses["text"].tolist() == [
        "Bedrains ceļš\nNoasfaltēt",
        "Vairāk soliņu",
        "Nav",
        "",
    ]


def test_text_is_kept_as_written_and_empty_text_is_kept(tmp_path: Path) -> None:
    texts = ["  1) ceļi\n2) parks  ", "", "-", "nezinu"]
    path = write_csv(
        tmp_path / "survey.csv", [{"id": str(i), "text": t} for i, t in enumerate(texts)]
    )
    responses = ingest_file(path, IngestParams())
    assert responses["text"].tolist() == texts
    assert responses["source_row"].tolist() == [2, 3, 4, 5]


def test_missing_text_column_lists_columns_and_suggests(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "survey.csv", [{"id": "1", "priekšlikums": "a", "votes": "2"}])
    message = ingest_error(path, IngestParams(text_columns=("priekslikums",)))
    assert "column 'priekslikums'" in message
    assert "'id', 'priekšlikums', 'votes'" in message
    assert "did you mean 'priekšlikums'" in message


def test_error_messages_are_one_line_whatever_the_file_holds(tmp_path: Path) -> None:
    # A header cell may hold a line break; the message listing it must stay one line.
    path = tmp_path / "survey.csv"
    path.write_text('id,"Priekšlikums\n(brīvi)"\n1,a\n', encoding="utf-8")
    message = ingest_error(path, IngestParams())
    assert "\n" not in message and "'Priekšlikums\\n(brīvi)'" in message


def test_file_without_the_default_id_column_gives_stable_ids_and_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_csv(tmp_path / "survey.csv", [{"text": t} for t in ["a", "b", "c"]])
    params = IngestParams()  # id_column "id", which this file lacks

    with caplog.at_level(logging.WARNING, logger="pipeline.ingest.responses"):
        first = ingest_file(path, params)
    second = ingest_file(path, params)

    assert first["response_id"].tolist() == ["r0002", "r0003", "r0004"]
    assert first["response_id"].tolist() == second["response_id"].tolist()
    assert "'id'" in caplog.text and "row numbers" in caplog.text


def test_a_named_id_column_that_is_missing_stops_with_did_you_mean(tmp_path: Path) -> None:
    # Numbering the rows instead gave ids matching neither the file nor an overrides file.
    path = write_csv(
        tmp_path / "survey.csv",
        [{"Nr.": "17", "Nr. p.k.": "1", "text": "a", "Datums": "2026-02-16"}],
    )
    message = ingest_error(path, IngestParams(id_column="Nr"))
    assert "column 'Nr'" in message and "id column not found" in message
    assert "'Nr.', 'Nr. p.k.', 'text', 'Datums'" in message
    assert "did you mean 'Nr.'" in message
    assert "--no-id" in message


def test_no_id_column_configured(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write_csv(tmp_path / "survey.csv", [{"id": "x", "text": "a"}])
    with caplog.at_level(logging.WARNING, logger="pipeline.ingest.responses"):
        responses = ingest_file(path, IngestParams(id_column=None))
    assert responses["response_id"].tolist() == ["r0002"]
    assert caplog.text == ""


def test_stable_ids_widen_to_sort() -> None:
    ids = stable_ids([2, 9, 10, 99_999, 100_000])
    assert ids == ["r000002", "r000009", "r000010", "r099999", "r100000"]
    assert sorted(ids) == ids


def test_duplicate_ids_name_the_id_and_both_rows(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "survey.csv",
        [{"id": "A1", "text": "a"}, {"id": "B2", "text": "b"}, {"id": " A1", "text": "c"}],
    )
    message = ingest_error(path, IngestParams())
    assert "'A1'" in message and "rows 2 and 4" in message and "column 'id'" in message


def test_empty_id_gives_the_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "survey.csv", [{"id": "1", "text": "a"}, {"id": " ", "text": "b"}])
    message = ingest_error(path, IngestParams())
    assert "row 3" in message and "column 'id'" in message and "empty" in message


def test_votes_parse_to_nullable_integers(tmp_path: Path) -> None:
    votes = ["3", "3.0", " 3 ", "", "0", "+12", "4,0"]
    path = write_csv(tmp_path / "survey.csv", [{"text": "a", "votes": v} for v in votes])
    responses = ingest_file(path, IngestParams())
    assert responses["votes"].tolist() == [3, 3, 3, pd.NA, 0, 12, 4]


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("-2", "negative"),
        ("daudz", "not a whole number"),
        ("2.5", "not a whole number"),
        ("12345678901234567890123", "too large"),
        ("9223372036854775808", "too large"),  # one more than Int64 holds
    ],
)
def test_bad_votes_name_row_column_and_value(tmp_path: Path, bad: str, why: str) -> None:
    path = write_csv(
        tmp_path / "survey.csv", [{"text": "a", "balsis": "1"}, {"text": "b", "balsis": bad}]
    )
    message = ingest_error(path, IngestParams(votes_column="balsis"))
    assert "row 3" in message and "column 'balsis'" in message
    assert f"'{bad}'" in message and why in message


def test_the_largest_int64_vote_count_is_kept(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "survey.csv", [{"text": "a", "votes": "9223372036854775807"}])
    assert ingest_file(path, IngestParams())["votes"].tolist() == [2**63 - 1]


def test_a_vote_count_of_5000_digits_is_an_input_error(tmp_path: Path) -> None:
    # Python refuses int() of more than 4,300 digits with a ValueError (a traceback before).
    path = write_csv(tmp_path / "survey.csv", [{"text": "a", "votes": "7" * 5000}])
    message = ingest_error(path, IngestParams())
    assert "row 2" in message and "too large" in message
    assert len(message) < 400  # the value is shortened in the message


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2026-02-16", "2026-02-16"),
        ("16.02.2026", "2026-02-16"),
        ("16.02.2026.", "2026-02-16"),
        ("6.2.2026", "2026-02-06"),
        ("2026.02.16", "2026-02-16"),
        ("2026-02-16 14:05:00", "2026-02-16"),
        ("2026-02-16T14:05", "2026-02-16"),
        ("16.02.2026 9:30", "2026-02-16"),
        (" 29.02.2024 ", "2024-02-29"),
    ],
)
def test_dates_are_read_as_the_day(tmp_path: Path, written: str, day: str) -> None:
    path = write_csv(tmp_path / "survey.csv", [{"text": "a", "date": written}])
    assert ingest_file(path, IngestParams())["date"].tolist() == [day]


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("vakar", "not a date"),
        ("31.02.2026", "not a day of the calendar"),
        ("29.02.2026", "not a day of the calendar"),
        ("2026-13-01", "not a day of the calendar"),
        ("02/03/2026", "not a date"),  # 2 March or 3 February: not guessed
        ("16.02.26", "not a date"),
        ("16.02.2026 25:00", "not a date"),
        ("0026-02-16", "outside the years"),
    ],
)
def test_a_date_that_is_no_day_stops_naming_row_column_and_value(
    tmp_path: Path, bad: str, why: str
) -> None:
    path = write_csv(
        tmp_path / "survey.csv",
        [{"text": "a", "Datums": "16.02.2026"}, {"text": "b", "Datums": bad}],
    )
    message = ingest_error(path, IngestParams(date_column="datums"))
    assert "row 3" in message and "column 'Datums'" in message
    assert f"'{bad}' is {why}" in message
    assert "2026-02-16 or 16.02.2026" in message


def test_every_row_with_a_bad_date_is_named(tmp_path: Path) -> None:
    dates = ["vakar", "2026-02-16", "31.02.2026", "", "rīt"]
    path = write_csv(tmp_path / "survey.csv", [{"text": "a", "date": d} for d in dates])
    message = ingest_error(path, IngestParams())
    assert "row 2" in message and "'vakar'" in message and "also rows 4, 6" in message


def test_one_megabyte_text_is_kept_whole_and_flagged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    big = "Ceļi ir slikti. " * 65_536  # 1 MiB of characters
    path = write_csv(
        tmp_path / "survey.csv", [{"id": "long", "text": big}, {"id": "ok", "text": "a"}]
    )

    with caplog.at_level(logging.WARNING, logger="pipeline.ingest.responses"):
        responses = ingest_file(path, IngestParams(max_embed_chars=2000))

    assert responses["text"].iloc[0] == big
    assert responses["text_too_long"].tolist() == [True, False]
    assert "1 text(s)" in caplog.text and "long" in caplog.text


def test_formula_text_is_kept_and_flagged(tmp_path: Path) -> None:
    texts = ['=HYPERLINK("http://x.lv","klikšķini")', "+371 29999999", "- bullet", "Parks"]
    path = write_csv(tmp_path / "survey.csv", [{"text": t} for t in texts])
    responses = ingest_file(path, IngestParams())
    assert responses["text"].tolist() == texts
    assert responses["formula_like"].tolist() == [True, False, False, False]


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "=HYPERLINK(A1)",
        "  =A1",
        "@SUM(A1:A3)",
        "+SUM(1)",
        "-1+1",
        "+A1",
        "-2+3+cmd|' /C calc'!A0",
        "= 1+1",
    ],
)
def test_formulas(text: str) -> None:
    assert looks_like_formula(text)


@pytest.mark.parametrize(
    "text",
    [
        "+371 29999999",
        "+37129999999",
        "+371-2999-9999",
        "- ceļi jāremontē",
        "-",
        "=",
        "",
        "-5 grādi ziemā",
        "@dome lūdzu",
        "==== Svarīgi ====",
        "=)",
        "Ceļi = problēma",
        "-nav-",
    ],
)
def test_not_formulas(text: str) -> None:
    assert not looks_like_formula(text)


def test_row_accounting_on_500_generated_rows(tmp_path: Path) -> None:
    rows = []
    for i in range(500):
        text = ["", f"Priekšlikums {i}", f"1) ceļi\n2) parks {i}", "=1+1", "nav"][i % 5]
        votes = "" if i % 7 == 0 else str(i % 11)
        rows.append({"id": f"{i:04d}", "text": text, "votes": votes, "territory": f"P{i % 9}"})
    path = write_csv(tmp_path / "survey.csv", rows)

    responses = ingest_file(path, IngestParams())

    assert len(responses) == 500
    assert responses["response_id"].tolist() == [r["id"] for r in rows]
    assert responses["source_row"].tolist() == list(range(2, 502))
    assert responses["text"].tolist() == [r["text"] for r in rows]
    assert responses["votes"].isna().sum() == sum(1 for r in rows if r["votes"] == "")
    assert responses["formula_like"].sum() == 100


def test_xlsx_named_sheet_through_params(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Kopsavilkums"
    sheet = workbook.create_sheet("Atbildes")
    for row in (["Nr", "Teksts", "Balsis"], ["007", LATVIAN, 5], ["008", RUSSIAN, None]):
        sheet.append(row)
    path = tmp_path / "survey.xlsx"
    workbook.save(path)

    params = IngestParams(
        text_columns=("teksts",), id_column="nr", votes_column="balsis", sheet="Atbildes"
    )
    responses = ingest_file(path, params)

    assert responses["response_id"].tolist() == ["007", "008"]
    assert responses["text"].tolist() == [LATVIAN, RUSSIAN]
    assert responses["votes"].tolist() == [5, pd.NA]


def test_table_without_row_column_is_numbered_like_a_spreadsheet() -> None:
    table = pd.DataFrame({"id": ["a", "b"], "text": ["x", None]})
    responses = ingest(table, IngestParams(), source_name="notebook")
    assert responses["source_row"].tolist() == [2, 3]
    assert responses["text"].tolist() == ["x", ""]


_CSV_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00\r"), min_size=1
)
_ANY_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1
)


def _round_trip(directory: Path, texts: list[str], quoting: int) -> None:
    ids = [f"{i:03d}" for i in range(len(texts))]
    path = directory / "round_trip.csv"
    pd.DataFrame({"id": ids, "text": texts}).to_csv(path, index=False, quoting=quoting)

    responses = ingest_file(path, IngestParams())

    assert responses["response_id"].tolist() == ids
    assert responses["text"].tolist() == texts
    assert responses["source_row"].tolist() == list(range(2, len(texts) + 2))


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(_CSV_TEXT, min_size=1, max_size=20))
def test_round_trip_through_pandas_csv(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    _round_trip(tmp_path_factory.mktemp("csv"), texts, csv.QUOTE_MINIMAL)


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(_ANY_TEXT, min_size=1, max_size=20))
def test_round_trip_with_quoted_cells_keeps_carriage_returns(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    # pandas leaves a lone "\r" unquoted under QUOTE_MINIMAL, which every CSV reader (pandas'
    # own included) takes as a line break; quoted, any text must survive.
    _round_trip(tmp_path_factory.mktemp("csv"), texts, csv.QUOTE_ALL)


def test_a_single_text_column_name_given_as_a_string() -> None:
    table = pd.DataFrame({"id": ["1"], "Atbilde": ["Vairāk soliņu"]})
    params = IngestParams(text_columns="Atbilde")  # type: ignore[arg-type]
    assert ingest(table, params)["text"].tolist() == ["Vairāk soliņu"]


def _balsis_run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["run", *argv])
    return code, capsys.readouterr().err


def test_a_wrong_id_column_on_the_command_line_exits_2_before_any_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It was a warning: rows were numbered, exit 0, and the ids matched nothing.
    path = write_csv(tmp_path / "aptauja.csv", [{"Nr.": "1", "text": LATVIAN}])
    out = tmp_path / "rezultati"

    code, err = _balsis_run([str(path), "--out", str(out), "--id-column", "Nr"], capsys)

    assert code == 2
    assert err.startswith("balsis: error: ") and len(err.splitlines()) == 1, err
    assert "column 'Nr': id column not found" in err and "did you mean 'Nr.'" in err
    assert not out.exists() or not any(out.iterdir())


def test_a_damaged_workbook_on_the_command_line_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A [Content_Types].xml cut short ended in an xml.etree ParseError traceback, exit 1.
    workbook = openpyxl.Workbook()
    workbook.active.append(["text"])
    workbook.active.append([LATVIAN])
    good = tmp_path / "good.xlsx"
    workbook.save(good)
    damaged = tmp_path / "aptauja.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data[: len(data) // 2]
            target.writestr(info, data)

    code, err = _balsis_run([str(damaged), "--out", str(tmp_path / "out")], capsys)

    assert code == 2
    assert err.startswith(f"balsis: error: {damaged}: is not a readable XLSX workbook"), err
    assert len(err.splitlines()) == 1
