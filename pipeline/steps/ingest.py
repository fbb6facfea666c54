"""Step ``ingest``: a user's file -> the responses table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.ingest.responses import ingest_file
from pipeline.params import IngestParams


def ingest(path: str | Path, params: IngestParams) -> pd.DataFrame:
    """Read ``path`` (CSV, TSV, XLSX, JSON, JSONL), map its columns, keep every row."""
    return ingest_file(path, params)
