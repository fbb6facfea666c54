"""pipeline.io.artefacts: CSV tables for people read back to the same rows and cells."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.io.artefacts import write_csv

# Any text (hypothesis leaves out lone surrogates, which UTF-8 cannot hold), with the characters
# that break naive CSV drawn more often. NUL is included: it round-trips too (published files
# never hold one, the publication boundary removes it; see pipeline.publish.boundary).
HOSTILE = st.sampled_from(["\r", "\n", "\r\n", '"', ",", ";", "\t", "\x00", " ", "'", "="])
TEXT = st.lists(st.one_of(st.text(max_size=8), HOSTILE), max_size=6).map("".join)


def _read_with_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _read_with_pandas(path: Path) -> list[list[str]]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return [list(frame.columns), *frame.to_numpy().tolist()]


@settings(max_examples=300, deadline=None)
@example(rows=[["Vajag soliņus\rparkā", "a"]])  # the bare CR that split ideas.csv
@example(rows=[['"', "\r\n"], ["\t", "\x00"]])
@example(rows=[[""]])
@given(
    rows=st.integers(min_value=1, max_value=4).flatmap(
        lambda width: st.lists(st.lists(TEXT, min_size=width, max_size=width), max_size=6)
    )
)
def test_any_text_reads_back_to_the_same_rows_and_cells(rows: list[list[str]]) -> None:
    width = len(rows[0]) if rows else 1
    columns = [f"c{i}" for i in range(width)]
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "table.csv"
        write_csv(frame, path)
        expected = [columns, *rows]
        assert _read_with_csv(path) == expected
        assert _read_with_pandas(path) == expected


def test_text_headers_are_kept(tmp_path: Path) -> None:
    frame = pd.DataFrame({"Piezīme\r": ["a"], "Nr.\t": ["b"]})
    write_csv(frame, tmp_path / "t.csv")
    assert _read_with_csv(tmp_path / "t.csv") == [["Piezīme\r", "Nr.\t"], ["a", "b"]]


def test_a_bare_cr_in_a_proposal_keeps_one_record_per_idea(tmp_path: Path) -> None:
    ideas = pd.DataFrame(
        {"idea_id": ["1-1", "2-1", "3-1"], "text": ["Soliņi\rparkā", "Ceļš\nuz skolu", "Tilts"]}
    )
    write_csv(ideas, tmp_path / "ideas.csv")
    records = _read_with_csv(tmp_path / "ideas.csv")[1:]
    assert [record[0] for record in records] == ["1-1", "2-1", "3-1"]
    assert records[0][1] == "Soliņi\rparkā"


def test_numbers_and_booleans_stay_unquoted_and_typed(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "votes": pd.array([3, None], dtype="Int64"),
            "score": [-0.25, 1.5],
            "outlier": [True, False],
            "text": ["-0.25", "x"],
        }
    )
    write_csv(frame, tmp_path / "t.csv")
    lines = (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1] == '3,-0.25,True,"-0.25"'
    back = pd.read_csv(tmp_path / "t.csv")
    assert back["score"].tolist() == [-0.25, 1.5]
    assert back["outlier"].tolist() == [True, False]
    assert back["votes"].iloc[0] == 3 and pd.isna(back["votes"].iloc[1])


def test_lists_are_joined(tmp_path: Path) -> None:
    frame = pd.DataFrame({"keywords": [["ceļš", "bedre"], np.array(["parks"], dtype=object)]})
    write_csv(frame, tmp_path / "t.csv")
    assert _read_with_csv(tmp_path / "t.csv")[1:] == [["ceļš; bedre"], ["parks"]]
