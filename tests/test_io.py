"""Tests for reading users' input tables (:func:`pipeline.io.tables.read_table`)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from pipeline.errors import InputError
from pipeline.io.tables import ROW_COLUMN, read_table

LATVIAN = "Ceļš uz Dzērvju skolu ir šausmīgs"
RUSSIAN = "Нужно отремонтировать дороги"


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    if isinstance(content, str):
        content = content.encode(encoding)
    path.write_bytes(content)
    return path


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    workbook.save(path)
    return path


def read_error(path: Path, **kwargs: object) -> str:
    with pytest.raises(InputError) as caught:
        read_table(path, **kwargs)  # type: ignore[arg-type]
    message = str(caught.value)
    assert path.name in message
    return message


# -- delimited text ---------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters_are_sniffed(tmp_path: Path, delimiter: str) -> None:
    # The text holds the other candidate delimiters, which must stay inside the cell.
    text = "Ceļi, soliņi; parks | skola"
    other = text if delimiter not in text else '"' + text + '"'
    rows = ["id", "text", "votes"], ["1", other, "3"], ["2", "Vairāk apgaismojuma", ""]
    path = write(tmp_path / "proposals.csv", "\n".join(delimiter.join(r) for r in rows) + "\n")

    table = read_table(path)

    assert list(table.columns) == ["id", "text", "votes", ROW_COLUMN]
    assert table["text"].tolist() == [text, "Vairāk apgaismojuma"]
    assert table["votes"].tolist() == ["3", ""]
    assert table[ROW_COLUMN].tolist() == [2, 3]
    assert table.attrs["source"]["delimiter"] == delimiter


def test_tsv_extension_means_tab(tmp_path: Path) -> None:
    path = write(tmp_path / "proposals.tsv", "id\ttext\n1\tCeļi, soliņi; parks\n")
    assert read_table(path)["text"].tolist() == ["Ceļi, soliņi; parks"]


def test_single_column_file_keeps_commas_in_text(tmp_path: Path) -> None:
    path = write(tmp_path / "answers.csv", 'text\nLabāki ceļi, vairāk soliņu\n"Parks, skola"\n')
    table = read_table(path)
    assert table["text"].tolist() == ["Labāki ceļi, vairāk soliņu", "Parks, skola"]


@pytest.mark.parametrize(
    ("encoding", "text", "expected"),
    [
        ("utf-8", LATVIAN, "utf-8"),
        ("utf-8-sig", LATVIAN, "utf-8-sig"),
        ("cp1257", LATVIAN, "cp1257"),
        ("cp1257", "Ļoti labi, paldies", "cp1257"),
        ("cp1251", RUSSIAN, "cp1251"),
        ("cp1251", "Да", "cp1251"),
        ("utf-16", LATVIAN, "utf-16"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, encoding: str, text: str, expected: str) -> None:
    path = write(tmp_path / "proposals.csv", f"id;text\n1;{text}\n2;nav\n", encoding=encoding)

    table = read_table(path)

    assert list(table.columns) == ["id", "text", ROW_COLUMN]  # no BOM left in the header
    assert table["text"].tolist() == [text, "nav"]
    assert table.attrs["source"]["encoding"] == expected


def test_cp1257_and_cp1251_are_told_apart_on_a_mixed_survey(tmp_path: Path) -> None:
    latvian = ["Jāuzlabo ceļi uz pagastu", "Vajag bērnu laukumu", "Nav"]
    russian = ["Нужно отремонтировать дороги", "Больше фонарей", "Нет"]
    for encoding, texts in (("cp1257", latvian), ("cp1251", russian)):
        body = "".join(f"{i},{t}\n" for i, t in enumerate(texts, start=1))
        path = write(tmp_path / f"{encoding}.csv", "id,text\n" + body, encoding=encoding)
        assert read_table(path)["text"].tolist() == texts


def test_quoted_multiline_cells_and_row_numbers(tmp_path: Path) -> None:
    content = 'id,text\n1,"1. ceļi\n2. apgaismojums\n3. parks"\n2,"Saka ""labi"""\n3,beigas\n'
    table = read_table(write(tmp_path / "multi.csv", content))

    assert table["text"].tolist() == [
        "1. ceļi\n2. apgaismojums\n3. parks",
        'Saka "labi"',
        "beigas",
    ]
    # The row a person sees in a spreadsheet, not the line in the file.
    assert table[ROW_COLUMN].tolist() == [2, 3, 4]


def test_cells_are_text_without_type_guessing(tmp_path: Path) -> None:
    path = write(tmp_path / "types.csv", "id,text,votes,date\n007,  x  ,3.0,01.05.2024\n010,,,\n")
    table = read_table(path)

    assert table["id"].tolist() == ["007", "010"]
    assert table["text"].tolist() == ["  x  ", ""]
    assert table["votes"].tolist() == ["3.0", ""]
    assert table["date"].tolist() == ["01.05.2024", ""]
    assert table["votes"].isna().sum() == 0


def test_blank_rows_are_skipped_but_numbering_follows_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "gaps.csv", "\nid,text\n1,a\n\n,\n2,b\n")
    table = read_table(path)
    assert table["id"].tolist() == ["1", "2"]
    assert table[ROW_COLUMN].tolist() == [3, 6]


def test_short_rows_are_padded_and_trailing_empty_cells_allowed(tmp_path: Path) -> None:
    path = write(tmp_path / "ragged.csv", "id;text;votes\n1;a\n2;b;4;;\n")
    table = read_table(path)
    assert table.drop(columns=ROW_COLUMN).values.tolist() == [["1", "a", ""], ["2", "b", "4"]]


def test_header_names_are_stripped_unnamed_and_deduplicated(tmp_path: Path) -> None:
    path = write(tmp_path / "header.csv", " id , text ,,text\n1,a,x,b\n")
    table = read_table(path)
    assert list(table.columns) == ["id", "text", "column_C", "text.1", ROW_COLUMN]


def test_one_megabyte_cell_is_read_whole(tmp_path: Path) -> None:
    big = "ļ" * 1_000_000
    path = write(tmp_path / "big.csv", f'id,text\n1,"{big}"\n2,small\n')
    table = read_table(path)
    assert table["text"].str.len().tolist() == [1_000_000, 5]


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    csv_path = write(tmp_path / "export.dat", "id;text\n1;ceļi\n")
    jsonl_path = write(tmp_path / "export.log", '{"id": "1", "text": "ceļi"}\n')
    xlsx_path = write_xlsx(tmp_path / "export", {"Sheet": [["id", "text"], ["1", "ceļi"]]})

    for path, fmt in ((csv_path, "delimited"), (jsonl_path, "jsonl"), (xlsx_path, "xlsx")):
        table = read_table(path)
        assert table["text"].tolist() == ["ceļi"], path
        assert table.attrs["source"]["format"] == fmt


# -- XLSX -------------------------------------------------------------------------------------


def test_xlsx_first_sheet_as_text(tmp_path: Path) -> None:
    rows = [
        ["id", "text", "votes", "date"],
        ["007", LATVIAN, 3, dt.datetime(2024, 5, 1)],
        [None, None, None, None],
        ["008", "Apgaismojums", 2.5, None],
    ]
    path = write_xlsx(tmp_path / "survey.xlsx", {"Atbildes": rows, "Other": [["x"], ["y"]]})

    table = read_table(path)

    assert table["id"].tolist() == ["007", "008"]
    assert table["text"].tolist() == [LATVIAN, "Apgaismojums"]
    assert table["votes"].tolist() == ["3", "2.5"]
    assert table["date"].tolist() == ["2024-05-01", ""]
    assert table[ROW_COLUMN].tolist() == [2, 4]
    assert table.attrs["source"]["sheet"] == "Atbildes"


def test_xlsx_named_sheet(tmp_path: Path) -> None:
    sheets = {"Kopsavilkums": [["total"], [2]], "Atbildes": [["id", "text"], ["1", RUSSIAN]]}
    path = write_xlsx(tmp_path / "survey.xlsx", sheets)

    assert read_table(path, sheet="Atbildes")["text"].tolist() == [RUSSIAN]
    assert read_table(path, sheet=" atbildes ")["text"].tolist() == [RUSSIAN]


def test_xlsx_missing_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "survey.xlsx", {"Atbildes": [["text"], ["a"]], "Lapa2": [["x"]]})
    message = read_error(path, sheet="Responses")
    assert "Responses" in message
    assert "'Atbildes'" in message and "'Lapa2'" in message


def test_xlsx_header_only_and_empty_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "survey.xlsx", {"Tukša": [], "Galva": [["id", "text"]]})
    assert "empty" in read_error(path)
    assert "no data rows" in read_error(path, sheet="Galva")


# -- JSON -------------------------------------------------------------------------------------


@pytest.mark.parametrize("wrap", [None, "records", "data"])
def test_json_list_of_objects(tmp_path: Path, wrap: str | None) -> None:
    records = [
        {"id": "007", "text": LATVIAN, "votes": 3},
        {"id": "008", "text": RUSSIAN, "territory": "Līvāni", "votes": None},
    ]
    document = records if wrap is None else {wrap: records, "meta": {"n": 2}}
    path = write(tmp_path / "survey.json", json.dumps(document, ensure_ascii=False))

    table = read_table(path)

    assert list(table.columns) == ["id", "text", "votes", "territory", ROW_COLUMN]
    assert table["id"].tolist() == ["007", "008"]
    assert table["text"].tolist() == [LATVIAN, RUSSIAN]
    assert table["votes"].tolist() == ["3", ""]
    assert table["territory"].tolist() == ["", "Līvāni"]
    assert table[ROW_COLUMN].tolist() == [1, 2]


def test_jsonl_rows_are_line_numbers(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "1", "text": LATVIAN}, ensure_ascii=False),
        "",
        json.dumps({"id": "2", "text": "a\nb"}),
    ]
    table = read_table(write(tmp_path / "survey.jsonl", "\n".join(lines) + "\n"))
    assert table["text"].tolist() == [LATVIAN, "a\nb"]
    assert table[ROW_COLUMN].tolist() == [1, 3]


# -- errors -----------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert "not found" in read_error(tmp_path / "nav.csv")


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n ", b"\xef\xbb\xbf\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    assert "empty" in read_error(write(tmp_path / "empty.csv", content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("header.csv", "id;text\n"),
        ("header.csv", "id;text\n\n;\n"),
        ("header.json", "[]"),
        ("header.jsonl", "\n\n"),
    ],
)
def test_header_only(tmp_path: Path, name: str, content: str) -> None:
    message = read_error(write(tmp_path / name, content))
    assert "no data rows" in message or "no records" in message or "empty" in message


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        ("report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        ("dump.txt", b"id,text\n1,a" + b"\x00\x01\x02\x00" * 64 + b"\n", "NUL bytes"),
        ("old.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".xls"),
        ("photo.json", b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    ],
)
def test_binary_files_are_refused(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    message = read_error(write(tmp_path / name, content))
    assert "binary" in message and expected in message


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "archive.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "ZIP archive" in read_error(path)

    renamed = tmp_path / "archive.xlsx"
    path.rename(renamed)
    assert "not an XLSX workbook" in read_error(renamed)


def _rewrite_member(workbook: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """The workbook with one ZIP member's bytes changed (written as a new file beside it)."""
    damaged = workbook.with_name(f"damaged_{workbook.name}")
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, change(data) if info.filename == member else data)
    return damaged


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("member", "change", "expected"),
    [
        ("[Content_Types].xml", _half, "is not a readable XLSX workbook (ParseError"),
        ("xl/workbook.xml", _half, "is not a readable XLSX workbook (ParseError"),
        ("xl/styles.xml", lambda data: b"<styleSheet", "is not a readable XLSX workbook"),
        ("xl/worksheets/sheet1.xml", _half, "row 1: sheet 'Atbildes' is damaged"),
    ],
)
def test_damaged_workbook_parts_are_input_errors(
    tmp_path: Path, member: str, change: Callable[[bytes], bytes], expected: str
) -> None:
    # Each of these ended in an xml.etree ParseError traceback (exit 1).
    workbook = write_xlsx(
        tmp_path / "survey.xlsx", {"Atbildes": [["id", "text"], ["1", LATVIAN], ["2", "nav"]]}
    )
    message = read_error(_rewrite_member(workbook, member, change))
    assert expected in message
    assert "save it as .xlsx" in message and "\n" not in message


def test_sheet_cut_in_half_names_the_row_where_reading_stops(tmp_path: Path) -> None:
    rows = [["id", "text"], *([str(i), f"{LATVIAN} {i}"] for i in range(2, 3000))]
    workbook = write_xlsx(tmp_path / "survey.xlsx", {"Atbildes": rows})
    message = read_error(_rewrite_member(workbook, "xl/worksheets/sheet1.xml", _half))
    row = int(message.split(", row ")[1].split(":")[0])
    assert 2 < row < 3000  # the rows before the cut were read
    assert "sheet 'Atbildes' is damaged: reading stops at this row" in message


def test_workbook_with_a_corrupt_compressed_member_is_an_input_error(tmp_path: Path) -> None:
    # zlib.error from inside openpyxl was a traceback.
    workbook = write_xlsx(tmp_path / "survey.xlsx", {"S": [["text"], [LATVIAN]]})
    data = bytearray(workbook.read_bytes())
    with zipfile.ZipFile(workbook) as archive:
        info = archive.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start, start + min(info.compress_size, 40)):
        data[offset] ^= 0xFF
    message = read_error(write(tmp_path / "corrupt.xlsx", bytes(data)))
    assert "is not a readable XLSX workbook" in message


def test_workbook_with_csv_extension_and_text_with_xlsx_extension(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "survey.csv", {"S": [["text"], ["a"]]})
    assert "rename it to .xlsx" in read_error(workbook)

    text = write(tmp_path / "survey.xlsx", "id,text\n1,a\n")
    assert "contains text" in read_error(text)


def test_undecodable_bytes_name_encodings_and_offset(tmp_path: Path) -> None:
    # 0x98 is invalid UTF-8 and undefined in both Windows-1257 and Windows-1251.
    path = write(tmp_path / "broken.csv", b"id,text\n1,ok\n2,bad\x98byte\n")
    message = read_error(path)
    assert "UTF-8" in message and "Windows-1257" in message and "Windows-1251" in message
    assert "byte offset 18" in message and "line 3" in message


def test_file_mixing_utf8_and_cp1257_is_refused(tmp_path: Path) -> None:
    content = f"id,text\n1,{LATVIAN}\n".encode() + f"2,{LATVIAN}\n".encode("cp1257")
    message = read_error(write(tmp_path / "glued.csv", content))
    assert "mostly UTF-8" in message and "line 3" in message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(tmp_path: Path, encoding: str) -> None:
    # It was refused as "binary data (it contains NUL bytes)".
    content = f"id;text\n1;{LATVIAN}\n2;{RUSSIAN}\n3;Ārkārtīgi labi\n".encode(encoding)
    table = read_table(write(tmp_path / "proposals.csv", content))
    assert table["text"].tolist() == [LATVIAN, RUSSIAN, "Ārkārtīgi labi"]
    assert table.attrs["source"]["encoding"] == encoding


def test_utf8_text_with_a_stray_nul_is_not_taken_for_utf16(tmp_path: Path) -> None:
    table = read_table(write(tmp_path / "p.csv", "id,text\n1,ab\x00\n2,cd\n"))
    assert table["text"].tolist() == ["ab", "cd"]
    assert table.attrs["source"]["encoding"] == "utf-8"


@pytest.mark.parametrize(
    ("name", "content", "cells"),
    [
        ("survey.csv", "id,text\n1,ceļi\n2,sko\x00la\n", ["ceļi", "skola"]),
        ("survey.csv", "text\nceļi\nsko\x00la\n", ["ceļi", "skola"]),  # one column
        ("survey.json", '[{"text": "ceļi"}, {"text": "sko\\u0000la"}]', ["ceļi", "skola"]),
        ("survey.jsonl", '{"text": "ceļi"}\n{"text": "sko\\u0000la"}\n', ["ceļi", "skola"]),
    ],
)
def test_nul_characters_are_removed_with_a_warning_naming_row_and_column(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, content: str, cells: list[str]
) -> None:
    # A CSV with one NUL was refused as "binary" without naming the row; from JSON the NUL
    # went raw into every output.
    with caplog.at_level(logging.WARNING, logger="pipeline.io.tables"):
        table = read_table(write(tmp_path / name, content))
    assert table["text"].tolist() == cells
    assert "removed NUL" in caplog.text
    row = table[ROW_COLUMN].iloc[1]
    assert f"row {row}, column 'text'" in caplog.text


def test_nul_in_a_column_name_is_removed(tmp_path: Path) -> None:
    table = read_table(write(tmp_path / "survey.json", '[{"te\\u0000xt": "a"}]'))
    assert list(table.columns) == ["text", ROW_COLUMN]


def test_lone_surrogates_from_json_are_replaced(tmp_path: Path) -> None:
    # "\ud800" alone is valid JSON but cannot be written as UTF-8 (parquet, CSV, HTML).
    table = read_table(write(tmp_path / "survey.json", '[{"text": "a\\ud800b"}]'))
    assert table["text"].tolist() == ["a\ufffdb"]
    table["text"].iloc[0].encode("utf-8")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("survey.json", '[{"text": "a", "votes": 1' + "0" * 5000 + "}]", "number too long"),
        ("survey.jsonl", '{"text": "a"}\n{"votes": ' + "9" * 5000 + "}\n", "row 2"),
        ("survey.json", '[{"text": ' + "[" * 5000 + "]" * 5000 + "}]", "too deeply"),
        ("survey.export", '{"text": ' + "[" * 5000 + "]" * 5000 + "}", "too deeply"),
    ],
)
def test_json_python_cannot_hold_is_an_input_error(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    # ValueError (int of over 4,300 digits) and RecursionError were tracebacks.
    assert expected in read_error(write(tmp_path / name, content))


def test_malformed_json_gives_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "survey.json", '[\n  {"id": "1", "text": "a"},\n  {"id": "2" "text"}\n]'
    )
    message = read_error(path)
    assert "not valid JSON" in message and "line 3" in message


def test_malformed_jsonl_gives_row(tmp_path: Path) -> None:
    path = write(tmp_path / "survey.jsonl", '{"id": "1", "text": "a"}\n{"id": "2", "text": \n')
    message = read_error(path)
    assert "row 2" in message and "not valid JSON" in message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"responses": []}', "found an object with keys 'responses'"),
        ("42", "found a number"),
        ('[{"text": "a"}, "b"]', "row 2: record 2 is a string"),
    ],
)
def test_json_of_the_wrong_shape(tmp_path: Path, content: str, expected: str) -> None:
    assert expected in read_error(write(tmp_path / "survey.json", content))


def test_csv_row_with_more_fields_than_header(tmp_path: Path) -> None:
    path = write(tmp_path / "survey.csv", "id,text\n1,ceļi\n2,ceļi, skolas\n3,parks\n")
    message = read_error(path)
    assert "row 3" in message and "3 cells" in message and "has 2" in message
    assert "comma delimiter" in message


def test_unclosed_quote_gives_row(tmp_path: Path) -> None:
    path = write(tmp_path / "survey.csv", 'id,text\n1,ceļi\n2,"skola\n3,parks\n')
    message = read_error(path)
    assert "row 3" in message and "never closed" in message


def test_written_files_get_the_usual_permissions_not_owner_only(tmp_path: Path) -> None:
    import stat

    from pipeline.io.artefacts import write_json
    from pipeline.io.files import UMASK

    target = tmp_path / "report.json"
    write_json({"a": 1}, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~UMASK
