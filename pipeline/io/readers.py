"""Parsers of the input formats: each turns a file's content into a header and numbered rows.

A row number is the one a person sees: the line or spreadsheet row for CSV and XLSX (header
included), the record number for JSON and the line number for JSONL.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

from pipeline.errors import BalsisError, InputError
from pipeline.io.sniff import empty_file_error, open_and_save_hint, records_key

Rows = list[tuple[int, list[str]]]
"""Numbered rows: (row number a person sees, the row's cells as text)."""

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_SNIFF_CHARS = 65_536
_SNIFF_RECORDS = 200
_MAX_DETAIL = 120


def is_blank(cells: Sequence[str]) -> bool:
    """Whether every cell of a row is empty or whitespace."""
    return all(not cell.strip() for cell in cells)


# -- delimited text ---------------------------------------------------------------------------


def delimited_rows(file: Path, text: str) -> tuple[str, int, list[str], Rows]:
    """Parse CSV/TSV/TXT; return delimiter, header row number, header and numbered rows."""
    if csv.field_size_limit() < len(text) + 1:
        csv.field_size_limit(len(text) + 1)  # one cell may legitimately be the whole file
    candidates = ("\t",) if file.suffix.lower() == ".tsv" else DELIMITERS
    delimiter = _sniff_delimiter(text, candidates)

    records: list[list[str]] = []
    # A single-column file has no delimiter: split on a character the text does not hold.
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter or _absent_char(text), strict=True
    )
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        row = len(records) + 1
        if "unexpected end of data" in str(exc):
            raise InputError(
                file,
                "a quoted cell starting in this row is never closed (its closing double quote "
                "is missing), so the rest of the file would become one cell",
                row=row,
                hint='add the missing " or remove the stray one',
            ) from exc
        raise InputError(
            file,
            f"a quoted cell has text after its closing double quote ({exc})",
            row=row,
            hint='inside a quoted cell write a double quote as ""',
        ) from exc

    numbered = [(number, record) for number, record in enumerate(records, start=1)]
    header_index = next((i for i, (_, cells) in enumerate(numbered) if not is_blank(cells)), None)
    if header_index is None:
        raise empty_file_error(file)
    header_row, header = numbered[header_index]
    return delimiter or "", header_row, header, numbered[header_index + 1 :]


def _absent_char(text: str) -> str:
    """A character (from the private use area) that does not occur in ``text``."""
    return next(ch for ch in map(chr, itertools.count(0xE000)) if ch not in text)


def _sniff_delimiter(text: str, candidates: Sequence[str]) -> str | None:
    """Pick the delimiter that splits the header into most columns consistently with the data.

    Returns None for a single-column file (no candidate splits the header).
    """
    sample = text[:_SNIFF_CHARS]
    best: tuple[int, int, int] | None = None
    chosen = None
    for preference, delimiter in enumerate(candidates):
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
        try:
            records = [r for r in itertools.islice(reader, _SNIFF_RECORDS) if not is_blank(r)]
        except csv.Error:
            continue
        if len(sample) < len(text) and len(records) > 2:
            records = records[:-1]  # the sample may have cut the last record short
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        consistent = sum(1 for r in records[1:] if len(r) == width)
        score = (consistent, width, -preference)
        if best is None or score > best:
            best, chosen = score, delimiter
    return chosen


# -- XLSX -------------------------------------------------------------------------------------


def xlsx_rows(file: Path, data: bytes, sheet: str | None) -> tuple[str, int, list[str], Rows]:
    """Read one sheet; return its name, header row number, header and numbered rows.

    Raises:
        InputError: The workbook or the sheet is damaged (named with the row where the sheet's
            data breaks off), or the sheet is missing or empty.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except BalsisError:
        raise
    except Exception as exc:  # any failure of a damaged part: see _damaged_workbook
        raise _damaged_workbook(file, "is not a readable XLSX workbook", exc) from exc
    rows: Rows = []
    worksheet = None
    try:
        worksheet = _pick_sheet(file, workbook, sheet)
        worksheet.reset_dimensions()  # stored dimensions can claim a million empty rows
        values = worksheet.iter_rows(min_row=1, values_only=True)
        for number, cells in enumerate(values, 1):
            rows.append((number, [_xlsx_cell_text(value) for value in cells]))
    except BalsisError:
        raise
    except Exception as exc:  # any failure of a damaged part: see _damaged_workbook
        if worksheet is None:
            raise _damaged_workbook(file, "is a damaged XLSX workbook", exc) from exc
        raise _damaged_workbook(
            file,
            f"sheet '{worksheet.title}' is damaged: reading stops at this row",
            exc,
            row=len(rows) + 1,
        ) from exc
    finally:
        workbook.close()
    header_index = next((i for i, (_, cells) in enumerate(rows) if not is_blank(cells)), None)
    if header_index is None:
        raise InputError(file, f"sheet '{worksheet.title}' is empty", hint=_sheet_hint(workbook))
    header_row, header = rows[header_index]
    return worksheet.title, header_row, header, rows[header_index + 1 :]


def _damaged_workbook(
    file: Path, problem: str, exc: Exception, *, row: int | None = None
) -> InputError:
    """The error for a workbook openpyxl cannot read.

    openpyxl lets through whatever its ZIP, zlib and XML layers and its own readers raise on a
    damaged part (BadZipFile, zlib.error, ParseError, KeyError, TypeError, ...), so every
    exception while reading counts as damage; the technical detail is kept short, on one line.
    """
    detail = " ".join(f"{type(exc).__name__}: {exc}".split())
    if len(detail) > _MAX_DETAIL:
        detail = detail[: _MAX_DETAIL - 3] + "..."
    return InputError(file, f"{problem} ({detail})", row=row, hint=open_and_save_hint())


def _pick_sheet(file: Path, workbook: Any, sheet: str | None) -> Any:
    worksheets = workbook.worksheets
    if not worksheets:
        raise InputError(file, "the workbook has no worksheets")
    if sheet is None:
        return next((ws for ws in worksheets if ws.sheet_state == "visible"), worksheets[0])
    for worksheet in worksheets:
        if worksheet.title == sheet:
            return worksheet
    loose = [ws for ws in worksheets if ws.title.strip().casefold() == sheet.strip().casefold()]
    if len(loose) == 1:
        return loose[0]
    raise InputError(file, f"no sheet named '{sheet}'", hint=_sheet_hint(workbook))


def _sheet_hint(workbook: Any) -> str:
    names = ", ".join(f"'{ws.title}'" for ws in workbook.worksheets)
    return f"the workbook has sheets {names}; set ingest.sheet to one of them"


def _xlsx_cell_text(value: Any) -> str:
    """Render a cell value as the text a person sees in it (without number formats)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# -- JSON / JSONL -----------------------------------------------------------------------------


def json_rows(file: Path, text: str) -> tuple[list[str], Rows]:
    """Parse a JSON list of objects (or ``{"records": [...]}``); return header and rows."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            file,
            f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            hint="fix the JSON, or use JSONL with one object per line",
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise _unreadable_json(file, exc) from exc
    if isinstance(document, dict):
        key = records_key(document)
        if key is None:
            keys = ", ".join(f"'{k}'" for k in list(document)[:10]) or "none"
            raise InputError(
                file,
                f'expected a list of objects or {{"records": [...]}} / {{"data": [...]}}, '
                f"found an object with keys {keys}",
            )
        document = document[key]
    if not isinstance(document, list):
        raise InputError(file, f"expected a list of objects, found {_json_type(document)}")
    records = []
    for number, record in enumerate(document, start=1):
        if not isinstance(record, dict):
            raise InputError(
                file, f"record {number} is {_json_type(record)}, expected an object", row=number
            )
        records.append((number, record))
    if not records:
        raise InputError(file, "contains no records", hint="the list of responses is empty")
    return _records_to_rows(records)


def jsonl_rows(file: Path, text: str) -> tuple[list[str], Rows]:
    """Parse JSON Lines, one object per line; return header and rows numbered by line."""
    records = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                file,
                f"line {number} is not valid JSON: {exc.msg} at column {exc.colno}",
                row=number,
                hint="JSONL needs one complete JSON object per line",
            ) from exc
        except (ValueError, RecursionError) as exc:
            raise _unreadable_json(file, exc, row=number) from exc
        if not isinstance(record, dict):
            raise InputError(
                file, f"line {number} is {_json_type(record)}, expected an object", row=number
            )
        records.append((number, record))
    if not records:
        raise InputError(file, "contains no records")
    return _records_to_rows(records)


def _unreadable_json(file: Path, exc: Exception, *, row: int | None = None) -> InputError:
    """The error for JSON that parses but cannot be held: a huge number or deep nesting."""
    if isinstance(exc, RecursionError):
        problem = "nests lists or objects too deeply to read"
    else:  # Python refuses to turn a number of more than 4,300 digits into an int
        problem = "holds a number too long to read"
    return InputError(file, problem, row=row, hint="a response is a flat object of text cells")


def _json_type(value: Any) -> str:
    names = {list: "a list", dict: "an object", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _records_to_rows(records: list[tuple[int, dict[str, Any]]]) -> tuple[list[str], Rows]:
    keys: dict[str, None] = {}
    for _, record in records:
        keys.update(dict.fromkeys(record))
    header = list(keys)
    rows = [
        (number, [_json_cell_text(record.get(key)) for key in header]) for number, record in records
    ]
    return header, rows


def _json_cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
