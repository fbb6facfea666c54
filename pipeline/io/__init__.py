"""Every read and write of an artefact. The only module that knows file formats.

Writes are atomic: data goes to a temporary file in the target directory which is then
renamed over the target, so a failed stage never leaves a half-written artefact.

:func:`read_table` reads a user's input file (CSV/TSV/TXT, XLSX, JSON, JSONL) into a table of
text cells plus a ``__row__`` column with the row number a person would see in the file.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import itertools
import json
import logging
import os
import re
import tempfile
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from pipeline.errors import InputError

logger = logging.getLogger(__name__)

_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        # mkstemp creates the file readable by its owner only; give it the usual permissions.
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_parquet(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a table as Parquet (types, lists and UTF-8 survive)."""
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)


def read_parquet(path: str | Path) -> pd.DataFrame:
    """Read a table written by :func:`write_parquet`."""
    return pd.read_parquet(path)


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a table as UTF-8 CSV for people (lists joined with '; ')."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, list | tuple | np.ndarray)).any():
            out[column] = out[column].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple | np.ndarray) else v
            )
    with atomic_path(path) as tmp:
        out.to_csv(tmp, index=False, encoding="utf-8")


def write_json(data: Any, path: str | Path) -> None:
    """Write JSON (UTF-8, indented, keys in insertion order)."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_json(path: str | Path) -> Any:
    """Read a JSON file."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_npy(array: np.ndarray, path: str | Path) -> None:
    """Write an array as float32 ``.npy``."""
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        np.save(handle, np.asarray(array, dtype=np.float32))


def read_npy(path: str | Path) -> np.ndarray:
    """Read an array written by :func:`write_npy`."""
    return np.load(path)


# --------------------------------------------------------------------------------------------
# Reading a user's input table
# --------------------------------------------------------------------------------------------

ROW_COLUMN = "__row__"
"""Column added by :func:`read_table`: the row number a person sees in the file."""

_DELIMITED_SUFFIXES = {".csv", ".tsv", ".txt"}
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_JSON_SUFFIXES = {".json"}
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_SNIFF_CHARS = 65_536
_SNIFF_RECORDS = 200
_SUPPORTED = "CSV, TSV, TXT, XLSX, JSON or JSONL"
_SAVE_AS_UTF8 = "save the file as 'CSV UTF-8' (Excel) or 'Text CSV' with UTF-8 (LibreOffice)"

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old-style Office file (.xls/.doc) or a password-protected workbook",
    ),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"PAR1", "a Parquet file"),
    (b"{\\rtf", "an RTF document"),
)

_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "cp1257": "Windows-1257 (Baltic)",
    "cp1251": "Windows-1251 (Cyrillic)",
}
# Letters a Latvian or Latgalian text in Windows-1257 can contain beyond ASCII.
_LATVIAN_LETTERS = frozenset("āčēģīķļņšūžōŗĀČĒĢĪĶĻŅŠŪŽŌŖ")
_WORD = re.compile(r"[^\W\d_]+")


def read_table(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a user's table of responses; every cell as text.

    The format is chosen by extension (``.csv``/``.tsv``/``.txt``, ``.xlsx``/``.xlsm``,
    ``.json``, ``.jsonl``/``.ndjson``) and sniffed from the content otherwise. Delimited text
    may use ``,`` ``;`` tab or ``|`` and be UTF-8 (with or without BOM), UTF-16 with BOM,
    Windows-1257 or Windows-1251. No type guessing: ``"007"`` stays ``"007"`` and empty cells
    are ``""``. Rows whose cells are all empty are skipped; nothing else is dropped.

    Args:
        path: The input file.
        sheet: XLSX sheet name; None reads the first visible sheet. Ignored for other formats.

    Returns:
        One column per input column (names stripped of surrounding spaces) plus ``__row__``
        (int64): the row a person sees (CSV/XLSX: header is row 1, so data starts at 2;
        JSON: 1-based record number; JSONL: 1-based line number). ``attrs`` records the
        format, encoding, delimiter and sheet that were used.

    Raises:
        InputError: The file is missing, empty, binary, undecodable, malformed or has no data.
    """
    file = Path(path)
    data = _read_bytes(file)
    if not data.strip():
        raise InputError(file, "the file is empty", hint="export the responses again")
    fmt = _choose_format(file, data)
    details: dict[str, Any] = {"format": fmt}
    if sheet is not None and fmt != "xlsx":
        logger.warning("%s: sheet '%s' ignored: the file is %s, not XLSX", file, sheet, fmt)

    if fmt == "xlsx":
        sheet_name, header_row, header, rows = _xlsx_rows(file, data, sheet)
        details["sheet"] = sheet_name
        table = _build_table(file, header_row, header, rows, extra_cells="name")
    else:
        text, encoding = _decode(file, data)
        details["encoding"] = encoding
        if fmt == "sniff":
            fmt = _sniff_text_format(text)
            details["format"] = fmt
        if fmt == "json":
            header, rows = _json_rows(file, text)
            table = _build_table(file, None, header, rows, extra_cells="name")
        elif fmt == "jsonl":
            header, rows = _jsonl_rows(file, text)
            table = _build_table(file, None, header, rows, extra_cells="name")
        else:
            delimiter, header_row, header, rows = _delimited_rows(file, text)
            details["delimiter"] = delimiter
            table = _build_table(
                file, header_row, header, rows, extra_cells="error", delimiter=delimiter
            )
    table.attrs["source"] = {"path": str(file), **details}
    logger.info(
        "%s: read %d rows x %d columns (%s)",
        file,
        len(table),
        table.shape[1] - 1,
        ", ".join(f"{k} {v!r}" for k, v in details.items()),
    )
    return table


def _read_bytes(file: Path) -> bytes:
    if not file.exists():
        raise InputError(file, "file not found", hint="check the path and the file name")
    if file.is_dir():
        raise InputError(file, "is a directory, not a file")
    try:
        return file.read_bytes()
    except OSError as exc:
        raise InputError(file, f"cannot read the file: {exc.strerror or exc}") from exc


# -- format -----------------------------------------------------------------------------------


def _choose_format(file: Path, data: bytes) -> str:
    """Return 'xlsx', 'delimited', 'json', 'jsonl' or 'sniff' (text of unknown kind)."""
    suffix = file.suffix.lower()
    kind = _binary_kind(data)
    if suffix in _XLSX_SUFFIXES:
        if kind == "xlsx":
            return "xlsx"
        if kind is None:
            raise InputError(
                file,
                "has an Excel extension but contains text, not an XLSX workbook",
                hint="if it is CSV, rename it to .csv",
            )
        raise InputError(
            file, f"is not an XLSX workbook: it looks like {kind}", hint=_open_and_save_hint()
        )
    if kind == "xlsx":
        if suffix in _DELIMITED_SUFFIXES | _JSON_SUFFIXES | _JSONL_SUFFIXES:
            raise InputError(
                file,
                f"is an Excel (XLSX) workbook, not {suffix} text",
                hint="rename it to .xlsx",
            )
        return "xlsx"
    if kind is not None:
        raise InputError(
            file,
            f"is a binary file, not a supported table: it looks like {kind}",
            hint=f"supported formats: {_SUPPORTED}; {_open_and_save_hint()}",
        )
    if suffix in _DELIMITED_SUFFIXES:
        return "delimited"
    if suffix in _JSON_SUFFIXES:
        return "json"
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    return "sniff"


def _open_and_save_hint() -> str:
    return "open it in Excel or LibreOffice and save it as .xlsx or 'CSV UTF-8'"


def _binary_kind(data: bytes) -> str | None:
    """Describe what a non-text file looks like ('xlsx' for a workbook); None for text."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in data:
        return "binary data (it contains NUL bytes)"
    return None


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = (
                archive.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
            )
    except (zipfile.BadZipFile, OSError, ValueError):
        return "a damaged ZIP archive"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "a Word document (.docx)"
    if "opendocument.spreadsheet" in mimetype:
        return "an OpenDocument spreadsheet (.ods)"
    return "a ZIP archive"


def _sniff_text_format(text: str) -> str:
    start = text.lstrip()
    if start.startswith("["):
        return "json"
    if start.startswith("{"):
        try:
            document = json.loads(text)
        except json.JSONDecodeError:
            return "jsonl"
        return "json" if isinstance(document, dict) and _records_key(document) else "jsonl"
    return "delimited"


# -- encoding ---------------------------------------------------------------------------------


def _decode(file: Path, data: bytes) -> tuple[str, str]:
    """Decode text; return it with the encoding used (see module docs for the choice)."""
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
        try:
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            offset = exc.start + len(codecs.BOM_UTF8)
            raise InputError(
                file,
                f"starts with a UTF-8 byte order mark but has an invalid byte "
                f"0x{data[offset]:02x} at byte offset {offset} (line {_line_at(data, offset)})",
                hint=_SAVE_AS_UTF8,
            ) from exc
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(
                file, f"is not valid UTF-16 text at byte offset {exc.start}", hint=_SAVE_AS_UTF8
            ) from exc
    else:
        text, encoding = _decode_without_bom(file, data)
    if not text.strip():
        raise InputError(file, "the file is empty", hint="export the responses again")
    logger.debug("%s: decoded as %s", file, _ENCODING_NAMES[encoding])
    return text, encoding


def _decode_without_bom(file: Path, data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc

    # A file that is mostly valid UTF-8 (e.g. two exports glued together) would turn into
    # mojibake under an 8-bit code page; better to stop and say where the bad bytes are.
    lenient = data.decode("utf-8", errors="replace")
    invalid = lenient.count("\ufffd")
    non_ascii = len(lenient) - len(lenient.encode("ascii", errors="ignore"))
    valid_non_ascii = non_ascii - invalid
    if valid_non_ascii >= max(invalid, 1):
        offset = utf8_error.start
        raise InputError(
            file,
            f"is mostly UTF-8 but has {invalid} invalid byte sequence(s), the first "
            f"(0x{data[offset]:02x}) at byte offset {offset} (line {_line_at(data, offset)})",
            hint=f"parts of the file use another encoding; {_SAVE_AS_UTF8}",
        )

    decoded: dict[str, str] = {}
    failures = [f"UTF-8 ({_describe_decode_error(data, utf8_error)})"]
    for encoding in ("cp1257", "cp1251"):
        try:
            decoded[encoding] = data.decode(encoding)
        except UnicodeDecodeError as exc:
            failures.append(f"{_ENCODING_NAMES[encoding]} ({_describe_decode_error(data, exc)})")
    if not decoded:
        raise InputError(
            file, "cannot be decoded as text; tried " + ", ".join(failures), hint=_SAVE_AS_UTF8
        )
    if len(decoded) == 1:
        (encoding,) = decoded
        return decoded[encoding], encoding
    # Both 8-bit code pages decode any byte, so judge by which gives real words.
    baltic = _latvian_plausibility(decoded["cp1257"])
    cyrillic = _russian_plausibility(decoded["cp1251"])
    encoding = "cp1251" if cyrillic > baltic else "cp1257"
    logger.info(
        "%s: not UTF-8; read as %s (plausibility Latvian %d, Russian %d)",
        file,
        _ENCODING_NAMES[encoding],
        baltic,
        cyrillic,
    )
    return decoded[encoding], encoding


def _describe_decode_error(data: bytes, exc: UnicodeDecodeError) -> str:
    return (
        f"byte 0x{data[exc.start]:02x} at byte offset {exc.start}, line {_line_at(data, exc.start)}"
    )


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _latvian_plausibility(text: str) -> int:
    """Score text decoded as Windows-1257: Latvian words mix ASCII and Latvian letters.

    Cyrillic bytes read as Windows-1257 turn into words made only of accented letters, many of
    them not Latvian (Ą, Ö, Ń ...), so those count against.
    """
    score = 0
    for word in _WORD.findall(text):
        accented = [ch for ch in word if ord(ch) > 127]
        if not accented:
            continue
        if len(accented) < len(word) and all(ch in _LATVIAN_LETTERS for ch in accented):
            score += len(accented)
        elif not all(ch in _LATVIAN_LETTERS for ch in accented):
            score -= len(accented)
    return score


def _russian_plausibility(text: str) -> int:
    """Score text decoded as Windows-1251: Russian words are all Cyrillic.

    Latvian bytes read as Windows-1251 give Cyrillic letters inside Latin words ("Ceпр"), which
    count against.
    """
    score = 0
    for word in _WORD.findall(text):
        accented = [ch for ch in word if ord(ch) > 127]
        if not accented:
            continue
        cyrillic = sum(1 for ch in accented if "\u0400" <= ch <= "\u04ff")
        if cyrillic == len(word):
            score += cyrillic
        else:
            score -= len(accented)
    return score


# -- delimited text ---------------------------------------------------------------------------

_Rows = list[tuple[int, list[str]]]


def _delimited_rows(file: Path, text: str) -> tuple[str, int, list[str], _Rows]:
    """Parse CSV/TSV/TXT; return delimiter, header row number, header and numbered rows."""
    if csv.field_size_limit() < len(text) + 1:
        csv.field_size_limit(len(text) + 1)  # one cell may legitimately be the whole file
    candidates = ("\t",) if file.suffix.lower() == ".tsv" else _DELIMITERS
    delimiter = _sniff_delimiter(text, candidates)

    records: list[list[str]] = []
    # A single-column file has no delimiter; NUL never occurs in text we accepted.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or "\x00", strict=True)
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
    header_index = next((i for i, (_, cells) in enumerate(numbered) if not _is_blank(cells)), None)
    if header_index is None:
        raise InputError(file, "the file is empty", hint="export the responses again")
    header_row, header = numbered[header_index]
    return delimiter or "", header_row, header, numbered[header_index + 1 :]


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
            records = [r for r in itertools.islice(reader, _SNIFF_RECORDS) if not _is_blank(r)]
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


def _is_blank(cells: Sequence[str]) -> bool:
    return all(not cell.strip() for cell in cells)


# -- XLSX -------------------------------------------------------------------------------------


def _xlsx_rows(file: Path, data: bytes, sheet: str | None) -> tuple[str, int, list[str], _Rows]:
    """Read one sheet; return its name, header row number, header and numbered rows."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(
            file, f"is not a readable XLSX workbook ({exc})", hint=_open_and_save_hint()
        ) from exc
    try:
        worksheet = _pick_sheet(file, workbook, sheet)
        worksheet.reset_dimensions()  # stored dimensions can claim a million empty rows
        rows: _Rows = [
            (number, [_xlsx_cell_text(value) for value in values])
            for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), 1)
        ]
    finally:
        workbook.close()
    header_index = next((i for i, (_, cells) in enumerate(rows) if not _is_blank(cells)), None)
    if header_index is None:
        raise InputError(file, f"sheet '{worksheet.title}' is empty", hint=_sheet_hint(workbook))
    header_row, header = rows[header_index]
    return worksheet.title, header_row, header, rows[header_index + 1 :]


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


def _records_key(document: dict[str, Any]) -> str | None:
    return next((k for k in ("records", "data") if isinstance(document.get(k), list)), None)


def _json_rows(file: Path, text: str) -> tuple[list[str], _Rows]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            file,
            f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            hint="fix the JSON, or use JSONL with one object per line",
        ) from exc
    if isinstance(document, dict):
        key = _records_key(document)
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


def _jsonl_rows(file: Path, text: str) -> tuple[list[str], _Rows]:
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
        if not isinstance(record, dict):
            raise InputError(
                file, f"line {number} is {_json_type(record)}, expected an object", row=number
            )
        records.append((number, record))
    if not records:
        raise InputError(file, "contains no records")
    return _records_to_rows(records)


def _json_type(value: Any) -> str:
    names = {list: "a list", dict: "an object", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def _records_to_rows(records: list[tuple[int, dict[str, Any]]]) -> tuple[list[str], _Rows]:
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


# -- common table building --------------------------------------------------------------------


def _build_table(
    file: Path,
    header_row: int | None,
    header: list[str],
    rows: _Rows,
    *,
    extra_cells: str,
    delimiter: str = "",
) -> pd.DataFrame:
    """Turn a header and numbered rows into the text table with ``__row__``.

    Args:
        extra_cells: "error" (CSV: a row wider than the header is an error unless the extra
            cells are empty) or "name" (XLSX/JSON: extra columns get names like ``column_F``).
        delimiter: The CSV delimiter, named in the hint when a row is too wide.
    """
    names = [name.strip().lstrip("\ufeff").strip() for name in header]
    width = len(names)
    kept: _Rows = []
    blank = 0
    for number, cells in rows:
        if _is_blank(cells):
            blank += 1
            continue
        if len(cells) > width and extra_cells == "error":
            if not _is_blank(cells[width:]):
                raise InputError(
                    file,
                    f"this row has {len(cells)} cells but the header (row {header_row}) has "
                    f"{width}",
                    row=number,
                    hint=f"a cell probably contains the {_DELIMITER_NAMES.get(delimiter, '')} "
                    "delimiter without quotes; put such cells in double quotes, or export the "
                    "file again from a spreadsheet",
                )
            cells = cells[:width]
        kept.append((number, cells))
    if blank:
        logger.info("%s: skipped %d empty row(s)", file, blank)
    if not kept:
        where = f" (row {header_row})" if header_row is not None else ""
        raise InputError(
            file,
            f"has a header{where} but no data rows",
            hint="add the responses below the header, or check the file/sheet",
        )

    width = max([width, *(len(cells) for _, cells in kept)])
    names += [""] * (width - len(names))
    columns = [[cells[j] if j < len(cells) else "" for _, cells in kept] for j in range(width)]

    table: dict[str, list[str]] = {}
    for j, (name, values) in enumerate(zip(names, columns, strict=True)):
        if not name:
            if all(not value.strip() for value in values):
                continue  # e.g. a trailing delimiter on every line
            name = f"column_{_column_letter(j + 1)}"
            logger.warning("%s: column %d has no header; named it '%s'", file, j + 1, name)
        if name == ROW_COLUMN:
            raise InputError(
                file,
                f"the column name '{ROW_COLUMN}' is reserved",
                column=name,
                hint="rename that column",
            )
        if name in table:
            base, k = name, 1
            while f"{base}.{k}" in table:
                k += 1
            name = f"{base}.{k}"
            logger.warning("%s: duplicate column name '%s'; renamed to '%s'", file, base, name)
        table[name] = values

    frame = pd.DataFrame({name: pd.Series(values, dtype="str") for name, values in table.items()})
    frame[ROW_COLUMN] = np.array([number for number, _ in kept], dtype=np.int64)
    return frame


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# --------------------------------------------------------------------------------------------
# Fitted models
# --------------------------------------------------------------------------------------------

MODEL_FILE = "model.joblib"
VERSIONS_FILE = "versions.json"
_MODEL_LIBRARIES = ("umap-learn", "hdbscan", "scikit-learn", "numpy")


def _library_versions() -> dict[str, str | None]:
    from importlib import metadata

    versions: dict[str, str | None] = {}
    for name in _MODEL_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def save_model(model: Any, directory: str | Path, params: dict[str, Any] | None = None) -> None:
    """Write a fitted model to ``directory/model.joblib`` and ``directory/versions.json``.

    ``versions.json`` names the class, the versions of the libraries a pickle depends on and
    the parameters (``params``, else the model's ``get_params()`` if it has one).
    """
    import joblib

    directory = Path(directory)
    if params is None and hasattr(model, "get_params"):
        params = model.get_params(deep=False)
    with atomic_path(directory / MODEL_FILE) as tmp:
        joblib.dump(model, tmp)
    write_json(
        {
            "class": f"{type(model).__module__}.{type(model).__qualname__}",
            "versions": _library_versions(),
            "params": json.loads(json.dumps(params or {}, default=str)),
        },
        directory / VERSIONS_FILE,
    )


def load_model(directory: str | Path) -> Any:
    """Read a model written by :func:`save_model`.

    Logs a warning when a library version differs from the one the model was saved with.

    Raises:
        FileNotFoundError: ``directory`` holds no saved model.
    """
    import joblib

    directory = Path(directory)
    path = directory / MODEL_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: no saved model; run the stage that fits it first")
    versions_path = directory / VERSIONS_FILE
    if versions_path.exists():
        saved = read_json(versions_path).get("versions", {})
        for name, version in _library_versions().items():
            if saved.get(name) != version:
                logger.warning(
                    "%s was saved with %s %s, loading with %s",
                    path,
                    name,
                    saved.get(name),
                    version,
                )
    return joblib.load(path)
