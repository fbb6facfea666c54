"""Property tests: whatever file a person gives, ingest returns a responses table or an InputError.

Random bytes, random delimited text, random JSON documents and damaged XLSX workbooks go
through :func:`pipeline.steps.ingest.ingest`; a traceback of any other kind fails the test.
A table that comes back holds no NUL and nothing that cannot be written as UTF-8, and an
error is one line that names the file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.ingest.responses import RESPONSE_COLUMNS
from pipeline.params import IngestParams
from pipeline.steps.ingest import ingest

# BALSIS_FUZZ_EXAMPLES=5000 for a longer hunt; the default keeps `make test` fast.
FUZZ = settings(
    max_examples=int(os.environ.get("BALSIS_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PARAMS = st.sampled_from([IngestParams(), IngestParams(id_column=None)])
COLUMNS = ["id", "text", "votes", "date", "territory", "group", "source", "ID", "Text "]


def _check(directory: Path, name: str, data: bytes, params: IngestParams) -> None:
    """Ingest ``data`` saved as ``name``: a sound responses table or a one-line InputError."""
    path = directory / name
    path.write_bytes(data)
    try:
        responses = ingest(path, params)
    except InputError as exc:
        event("InputError")
        message = str(exc)
        assert message.startswith(str(path)), message
        assert "\n" not in message and "\r" not in message, message
        return
    event("responses table")
    assert tuple(responses.columns) == RESPONSE_COLUMNS
    assert len(responses) >= 1
    assert responses["response_id"].notna().all() and responses["response_id"].is_unique
    for column in ("response_id", "text", "territory", "group", "source", "date"):
        for value in responses[column].dropna():
            assert "\x00" not in value, (column, value)
            value.encode("utf-8")  # no lone surrogate reaches the outputs
    assert (responses["votes"].dropna() >= 0).all()


# -- random bytes ------------------------------------------------------------------------------


@FUZZ
@given(
    data=st.binary(max_size=2048),
    suffix=st.sampled_from([".csv", ".tsv", ".txt", ".json", ".jsonl", ".xlsx", ".dat", ""]),
    params=PARAMS,
)
def test_random_bytes(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str, params: IngestParams
) -> None:
    _check(tmp_path_factory.mktemp("bytes"), f"input{suffix}", data, params)


@FUZZ
@given(
    header=st.sampled_from(["", "text\n", "id;text;votes;date\n"]),
    text=st.text(max_size=500),
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe"]),
    encoding=st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "cp1257"]),
    params=PARAMS,
)
def test_random_text_in_any_encoding(
    tmp_path_factory: pytest.TempPathFactory,
    header: str,
    text: str,
    prefix: bytes,
    encoding: str,
    params: IngestParams,
) -> None:
    errors = "replace" if encoding == "cp1257" else "surrogatepass"
    data = prefix + (header + text).encode(encoding, errors=errors)
    _check(tmp_path_factory.mktemp("text"), "input.csv", data, params)


# -- random delimited text ---------------------------------------------------------------------

_CELL = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "3", "-1", "2.5", "1" * 25, "vakar", "31.02.2026", "16.02.2026", "=1+1"]),
)


@st.composite
def _delimited(draw: st.DrawFn) -> str:
    header = draw(st.lists(st.sampled_from(COLUMNS) | st.text(max_size=10), min_size=1))
    if draw(st.integers(0, 4)):  # mostly with the text column, to reach the later checks
        header.insert(draw(st.integers(0, len(header))), "text")
    rows = draw(st.lists(st.lists(_CELL, max_size=len(header) + 1), max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    if draw(st.booleans()):  # well-formed CSV
        buffer = io.StringIO()
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
        writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting)
        writer.writerows([header, *rows])
        return buffer.getvalue()
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))  # cells joined raw: quotes may break
    return newline.join(delimiter.join(cells) for cells in [header, *rows])


@FUZZ
@given(text=_delimited(), suffix=st.sampled_from([".csv", ".tsv", ".txt"]), params=PARAMS)
def test_random_delimited_text(
    tmp_path_factory: pytest.TempPathFactory, text: str, suffix: str, params: IngestParams
) -> None:
    _check(tmp_path_factory.mktemp("csv"), f"input{suffix}", text.encode("utf-8"), params)


# -- random JSON -------------------------------------------------------------------------------

_JSON_VALUE = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["\x00", "a\x00b", "\ud800", "16.02.2026", "vakar"]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=10,
)
_RECORD = st.builds(
    lambda text, record: {"text": text, **record},
    _JSON_VALUE,
    st.dictionaries(st.sampled_from(COLUMNS) | st.text(max_size=8), _JSON_VALUE, max_size=5),
)
_DOCUMENT = st.one_of(
    _JSON_VALUE,
    st.lists(_RECORD, max_size=6),
    st.builds(lambda records: {"records": records}, st.lists(_RECORD, max_size=6)),
    st.builds(lambda records: {"data": records}, st.lists(_JSON_VALUE, max_size=6)),
)


@FUZZ
@given(document=_DOCUMENT, ascii_only=st.booleans(), params=PARAMS)
def test_random_json(
    tmp_path_factory: pytest.TempPathFactory, document: Any, ascii_only: bool, params: IngestParams
) -> None:
    text = json.dumps(document, ensure_ascii=ascii_only)
    _check(
        tmp_path_factory.mktemp("json"), "input.json", text.encode("utf-8", "surrogatepass"), params
    )


@FUZZ
@given(lines=st.lists(_RECORD | _JSON_VALUE, max_size=6), params=PARAMS)
def test_random_jsonl(
    tmp_path_factory: pytest.TempPathFactory, lines: list[Any], params: IngestParams
) -> None:
    text = "\n".join(json.dumps(line) for line in lines)
    _check(tmp_path_factory.mktemp("jsonl"), "input.jsonl", text.encode("utf-8"), params)


# -- damaged workbooks -------------------------------------------------------------------------


@cache
def _workbook() -> bytes:
    """A small valid workbook: two sheets, ids, text, votes, dates."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Atbildes"
    sheet.append(["id", "text", "votes", "date", "territory"])
    for i in range(1, 30):
        sheet.append(
            [f"{i:03d}", f"Ceļš uz skolu Nr. {i} ir šausmīgs", i % 4, "16.02.2026", "Ogre"]
        )
    workbook.create_sheet("Piezīmes").append(["nekas"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _members() -> list[str]:
    with zipfile.ZipFile(io.BytesIO(_workbook())) as archive:
        return archive.namelist()


def _with_member(member: str, content: bytes | None) -> bytes:
    """The workbook with one member replaced (None: left out)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_workbook())) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                if content is None:
                    continue
                data = content
            target.writestr(info, data)
    return buffer.getvalue()


@st.composite
def _damaged_workbook(draw: st.DrawFn) -> bytes:
    good = _workbook()
    how = draw(st.sampled_from(["truncate", "flip", "member"]))
    if how == "truncate":
        return good[: draw(st.integers(0, len(good) - 1))]
    if how == "flip":
        data = bytearray(good)
        for _ in range(draw(st.integers(1, 8))):
            position = draw(st.integers(0, len(data) - 1))
            data[position] = draw(st.integers(0, 255))
        return bytes(data)
    member = draw(st.sampled_from(_members()))
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        original = archive.read(member)
    content = draw(
        st.one_of(
            st.none(),
            st.builds(lambda cut: original[:cut], st.integers(0, max(len(original) - 1, 0))),
            st.binary(max_size=200),
            st.sampled_from([b"", b"<x/>", b"<?xml version='1.0'?><worksheet/>", b"\x00" * 64]),
        )
    )
    return _with_member(member, content)


@FUZZ
@given(data=_damaged_workbook(), params=PARAMS)
def test_damaged_xlsx(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, params: IngestParams
) -> None:
    _check(tmp_path_factory.mktemp("xlsx"), "input.xlsx", data, params)


def test_the_undamaged_workbook_is_read(tmp_path: Path) -> None:
    """The workbook the damage starts from is itself good (else the test above proves little)."""
    path = tmp_path / "input.xlsx"
    path.write_bytes(_workbook())
    responses = ingest(path, IngestParams())
    assert len(responses) == 29
    assert responses["date"].unique().tolist() == ["2026-02-16"]
    assert isinstance(responses, pd.DataFrame)
