"""Reading a user's input table (CSV/TSV/TXT, XLSX, JSON, JSONL) into a table of text cells.

:func:`read_table` adds a ``__row__`` column with the row number a person would see in the file.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.errors import InputError
from pipeline.io.readers import (
    DELIMITER_NAMES,
    Rows,
    delimited_rows,
    is_blank,
    json_rows,
    jsonl_rows,
    xlsx_rows,
)
from pipeline.io.sniff import choose_format, decode, empty_file_error, sniff_text_format

logger = logging.getLogger(__name__)

_SURROGATE = re.compile("[\ud800-\udfff]")
_UNFIT = re.compile("[\x00\ud800-\udfff]")
_SHOW_CELLS = 20

ROW_COLUMN = "__row__"
"""Column added by :func:`read_table`: the row number a person sees in the file."""


def read_table(path: str | Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a user's table of responses; every cell as text.

    The format is chosen by extension (``.csv``/``.tsv``/``.txt``, ``.xlsx``/``.xlsm``,
    ``.json``, ``.jsonl``/``.ndjson``) and sniffed from the content otherwise. Delimited text
    may use ``,`` ``;`` tab or ``|`` and be UTF-8 (with or without BOM), UTF-16 (with or
    without BOM), Windows-1257 or Windows-1251. No type guessing: ``"007"`` stays ``"007"`` and
    empty cells are ``""``. Rows whose cells are all empty are skipped; nothing else is dropped.
    NUL characters are removed from every cell and column name (a warning names the cells).

    Args:
        path: The input file.
        sheet: XLSX sheet name; None reads the first visible sheet. Ignored for other formats.

    Returns:
        One column per input column (names stripped of surrounding spaces) plus ``__row__``
        (int64): the row a person sees (CSV/XLSX: header is row 1, so data starts at 2;
        JSON: 1-based record number; JSONL: 1-based line number). ``attrs`` records the
        format, encoding, delimiter and sheet that were used.

    Raises:
        InputError: The file is missing, empty, binary, undecodable, malformed, damaged (XLSX)
            or has no data; every reader failure is one of these.
    """
    file = Path(path)
    data = _read_bytes(file)
    if not data.strip():
        raise empty_file_error(file)
    fmt = choose_format(file, data)
    details: dict[str, Any] = {"format": fmt}
    if sheet is not None and fmt != "xlsx":
        logger.warning("%s: sheet '%s' ignored: the file is %s, not XLSX", file, sheet, fmt)

    if fmt == "xlsx":
        sheet_name, header_row, header, rows = xlsx_rows(file, data, sheet)
        details["sheet"] = sheet_name
        table = _build_table(file, header_row, header, rows, extra_cells="name")
    else:
        text, encoding = decode(file, data)
        details["encoding"] = encoding
        if fmt == "sniff":
            fmt = sniff_text_format(text)
            details["format"] = fmt
        if fmt == "json":
            header, rows = json_rows(file, text)
            table = _build_table(file, None, header, rows, extra_cells="name")
        elif fmt == "jsonl":
            header, rows = jsonl_rows(file, text)
            table = _build_table(file, None, header, rows, extra_cells="name")
        else:
            delimiter, header_row, header, rows = delimited_rows(file, text)
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


# -- common table building --------------------------------------------------------------------


def _build_table(
    file: Path,
    header_row: int | None,
    header: list[str],
    rows: Rows,
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
    header, rows = _clean_cells(file, header_row, header, rows)
    names = [name.strip().lstrip("\ufeff").strip() for name in header]
    width = len(names)
    kept: Rows = []
    blank = 0
    for number, cells in rows:
        if is_blank(cells):
            blank += 1
            continue
        if len(cells) > width and extra_cells == "error":
            if not is_blank(cells[width:]):
                raise InputError(
                    file,
                    f"this row has {len(cells)} cells but the header (row {header_row}) has "
                    f"{width}",
                    row=number,
                    hint=f"a cell probably contains the {DELIMITER_NAMES.get(delimiter, '')} "
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
            if is_blank(values):
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


def _clean_cells(
    file: Path, header_row: int | None, header: list[str], rows: Rows
) -> tuple[list[str], Rows]:
    """Remove NUL characters and replace lone surrogates (U+FFFD); warn naming the cells.

    NUL is no part of any text (a stray byte from an export or a ``\\u0000`` in JSON) and
    would travel raw into every output; a lone surrogate (only JSON can hold one) cannot be
    written as UTF-8 at all.
    """
    found: list[str] = []

    def clean(cells: list[str], row: int | None, names: list[str]) -> list[str]:
        if not any(_UNFIT.search(cell) for cell in cells):
            return cells
        cleaned = []
        for j, cell in enumerate(cells):
            if _UNFIT.search(cell):
                name = names[j].strip() if j < len(names) else ""
                column = f"column '{_UNFIT.sub('', name) or _column_letter(j + 1)}'"
                found.append(f"row {row}, {column}" if row is not None else column)
                cell = _SURROGATE.sub("\ufffd", cell.replace("\x00", ""))
            cleaned.append(cell)
        return cleaned

    header = clean(header, header_row, header)
    rows = [(number, clean(cells, number, header)) for number, cells in rows]
    if found:
        shown = "; ".join(found[:_SHOW_CELLS]) + ("; ..." if len(found) > _SHOW_CELLS else "")
        logger.warning(
            "%s: removed NUL characters (or replaced broken characters) in %d cell(s): %s",
            file,
            len(found),
            shown,
        )
    return header, rows


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
