"""Step ``choices``: a survey's tick-box columns -> respondents per option, with their themes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from pipeline.ingest.choices import choice_table, choices_frame
from pipeline.io.tables import read_table
from pipeline.params import IngestParams
from pipeline.topics.options import option_themes
from pipeline.topics.taxonomy import Theme


def choices(path: str | Path, params: IngestParams, taxonomy: Sequence[Theme]) -> pd.DataFrame:
    """The choices table (:mod:`pipeline.ingest.choices`) of ``params.choice_columns`` in the
    file at ``path``, each option matched to the taxonomy theme it clearly names; an empty
    table when no tick-box columns are listed."""
    if not params.choice_columns:
        return choices_frame()
    counts = choice_table(read_table(path, sheet=params.sheet), params, source_name=str(path))
    matches = option_themes(counts["option"].tolist(), taxonomy)
    counts["theme"] = pd.Series([theme for theme, _ in matches], dtype="string")
    counts["theme_evidence"] = pd.Series([seeds for _, seeds in matches], dtype="string")
    return counts
