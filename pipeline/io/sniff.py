"""Recognising an input file: its format (by extension and content) and its text encoding.

The format comes from the extension when there is one we know, checked against the content
(an ``.xlsx`` that is really CSV, a ``.csv`` that is really a workbook, a PDF or an image all
get a clear error). Text is UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when
its zero bytes fall on every other byte as UTF-16 text's do), Windows-1257 or Windows-1251: a
file that is not UTF-8 is read with the 8-bit code page whose decoding gives plausible Latvian or
Russian words, unless it is mostly UTF-8 with a few bad bytes, which is an error that says where
they are. A few stray NUL bytes in text do not make it binary (the table reader removes them and
names their rows); many do.
"""

from __future__ import annotations

import codecs
import io
import json
import logging
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.lang.lv.alphabet import MODERN_DIACRITIC_LETTERS, OLD_O, OLD_R
from pipeline.lang.script import CYRILLIC

logger = logging.getLogger(__name__)

_DELIMITED_SUFFIXES = {".csv", ".tsv", ".txt"}
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_JSON_SUFFIXES = {".json"}
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}
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
    "utf-16-le": "UTF-16 LE without BOM",
    "utf-16-be": "UTF-16 BE without BOM",
    "cp1257": "Windows-1257 (Baltic)",
    "cp1251": "Windows-1251 (Cyrillic)",
}
# Letters a Latvian or Latgalian text in Windows-1257 can contain beyond ASCII.
_LATVIAN_LOWER = MODERN_DIACRITIC_LETTERS + OLD_O + OLD_R
_LATVIAN_LETTERS = frozenset(_LATVIAN_LOWER + _LATVIAN_LOWER.upper())
_WORD = re.compile(r"[^\W\d_]+")
# Text may carry a few stray NUL bytes; a binary file has them throughout.
_MAX_STRAY_NULS = 8
_MAX_NUL_SHARE = 0.01
# Characters no text holds (C0 controls other than tab, LF, VT, FF, CR and ESC).
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# In UTF-16 text of the Latin, Latvian or Cyrillic alphabets the high byte of every ASCII
# character (spaces, digits, commas, line breaks) is zero.
_MIN_UTF16_ZERO_SHARE = 0.1
_BEYOND_CYRILLIC = re.compile("[^\x00-\u04ff\u2000-\u20ff]")


# -- format -----------------------------------------------------------------------------------


def choose_format(file: Path, data: bytes) -> str:
    """Return 'xlsx', 'delimited', 'json', 'jsonl' or 'sniff' (text of unknown kind).

    Raises:
        InputError: The extension and the content disagree, or the file is not a table at all.
    """
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
            file, f"is not an XLSX workbook: it looks like {kind}", hint=open_and_save_hint()
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
            hint=f"supported formats: {_SUPPORTED}; {open_and_save_hint()}",
        )
    if suffix in _DELIMITED_SUFFIXES:
        return "delimited"
    if suffix in _JSON_SUFFIXES:
        return "json"
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    return "sniff"


def empty_file_error(file: Path) -> InputError:
    """The error for a file (or text) with nothing in it."""
    return InputError(file, "the file is empty", hint="export the responses again")


def open_and_save_hint() -> str:
    """The hint for a file that a spreadsheet program can turn into a supported one."""
    return "open it in Excel or LibreOffice and save it as .xlsx or 'CSV UTF-8'"


def _binary_kind(data: bytes) -> str | None:
    """Describe what a non-text file looks like ('xlsx' for a workbook); None for text."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_without_bom(data):
        return None
    nuls = data.count(0)
    if nuls > max(_MAX_STRAY_NULS, _MAX_NUL_SHARE * len(data)):
        return f"binary data ({nuls} of its {len(data)} bytes are NUL bytes)"
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when ``data`` is UTF-16 text without a byte order mark.

    Its zero bytes sit on one side of the byte pairs (the high byte of ASCII characters), the
    bytes decode strictly, the text holds no control characters and at least half of it is
    Latin, Latvian or Cyrillic letters, digits or ASCII signs (UTF-8 bytes read in pairs give
    mostly CJK characters).
    """
    if len(data) < 2 or len(data) % 2:
        return None
    units = len(data) // 2
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if max(even, odd) < _MIN_UTF16_ZERO_SHARE * units or min(even, odd) * 4 > max(even, odd):
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if _CONTROL_CHARS.search(text):
        return None
    return encoding if len(_BEYOND_CYRILLIC.findall(text)) * 2 <= len(text) else None


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = (
                archive.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
            )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error):
        return "a damaged ZIP archive"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        return "a Word document (.docx)"
    if "opendocument.spreadsheet" in mimetype:
        return "an OpenDocument spreadsheet (.ods)"
    return "a ZIP archive"


def sniff_text_format(text: str) -> str:
    """Tell 'json', 'jsonl' or 'delimited' from the text of a file without a known extension."""
    start = text.lstrip()
    if start.startswith("["):
        return "json"
    if start.startswith("{"):
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):  # JSONDecodeError, a number too long, deep nesting
            return "jsonl"
        return "json" if isinstance(document, dict) and records_key(document) else "jsonl"
    return "delimited"


def records_key(document: dict[str, Any]) -> str | None:
    """The key of a JSON object that holds the list of records ("records" or "data"), if any."""
    return next((k for k in ("records", "data") if isinstance(document.get(k), list)), None)


# -- encoding ---------------------------------------------------------------------------------


def decode(file: Path, data: bytes) -> tuple[str, str]:
    """Decode text; return it with the encoding used (see the module docs for the choice).

    Raises:
        InputError: The bytes are not text in a supported encoding, or the text is empty.
    """
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
    elif utf16 := utf16_without_bom(data):
        encoding = utf16
        text = data.decode(utf16)
    else:
        text, encoding = _decode_without_bom(file, data)
    if not text.strip():
        raise empty_file_error(file)
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
        cyrillic = sum(1 for ch in accented if CYRILLIC.match(ch))
        if cyrillic == len(word):
            score += cyrillic
        else:
            score -= len(accented)
    return score
