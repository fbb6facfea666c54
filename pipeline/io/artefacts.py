"""Every read and write of an artefact (tables, arrays, JSON): the formats live here.

Writes are atomic (see :func:`pipeline.io.files.atomic_path`), so a failed stage never leaves a
half-written artefact.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.io.files import atomic_path


def write_parquet(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a table as Parquet (types, lists and UTF-8 survive)."""
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)


def read_parquet(path: str | Path) -> pd.DataFrame:
    """Read a table written by :func:`write_parquet`."""
    return pd.read_parquet(path)


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write a table as UTF-8 CSV for people (lists joined with '; ').

    Every text cell is quoted, numbers and booleans are not: a line break, a bare CR, a quote, a
    tab or a delimiter inside a text never splits a record, and the file reads back (with
    ``csv`` or pandas) to the same rows and cells. This writes what it is given; files meant for
    publication go through :func:`pipeline.publish.boundary.write_public_csv` first.
    """
    out = frame.copy()
    for column in out.columns:
        if any(isinstance(v, list | tuple | np.ndarray) for v in out[column]):
            out[column] = out[column].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple | np.ndarray) else v
            )
    with atomic_path(path) as tmp:
        # pandas quotes only fields holding the delimiter, a quote or its line terminator (LF),
        # so a bare CR would end a record for Excel and the csv module.
        out.to_csv(tmp, index=False, encoding="utf-8", quoting=csv.QUOTE_NONNUMERIC)


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
