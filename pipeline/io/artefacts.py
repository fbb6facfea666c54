"""Every read and write of an artefact (tables, arrays, JSON): the formats live here.

Writes are atomic (see :func:`pipeline.io.files.atomic_path`), so a failed stage never leaves a
half-written artefact.
"""

from __future__ import annotations

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
