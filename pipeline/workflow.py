"""The whole pipeline in one process, for `balsis run` and notebooks (DVC runs it per stage)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import io
from pipeline.ingest import ingest_file
from pipeline.normalise import normalise_responses
from pipeline.params import Params

logger = logging.getLogger(__name__)

# The public columns of DIR/ideas.csv, in order. Later steps append theirs.
IDEAS_CSV_COLUMNS = (
    "response_id",
    "idea_id",
    "text",
    "text_normalised",
    "language",
    "language_confidence",
    "non_answer",
    "duplicate_of",
    "duplicate_kind",
    "territory",
    "group",
    "source",
    "date",
    "votes",
)


@dataclass(frozen=True)
class RunSummary:
    """What a run produced, for the closing summary."""

    out_dir: Path
    responses: int
    ideas: int
    non_answers: int
    duplicates: int
    languages: dict[str, int]

    def lines(self) -> list[str]:
        """Human-readable summary lines."""
        langs = ", ".join(f"{lang} {n}" for lang, n in self.languages.items())
        return [
            f"{self.responses} responses -> {self.ideas} ideas "
            f"({self.non_answers} non-answers, {self.duplicates} duplicates)",
            f"languages: {langs}",
            f"ideas table: {self.out_dir / 'ideas.csv'}",
        ]


def ideas_for_people(ideas: pd.DataFrame) -> pd.DataFrame:
    """The columns of the ideas table that go into ``ideas.csv``."""
    return ideas[[c for c in IDEAS_CSV_COLUMNS if c in ideas.columns]]


def run_pipeline(input_path: str | Path, out_dir: str | Path, params: Params) -> RunSummary:
    """Run every step on ``input_path`` and write the outputs to ``out_dir``.

    Internal artefacts go to ``out_dir/interim``; files for people to ``out_dir`` itself.
    """
    out = Path(out_dir)
    responses = ingest_file(input_path, params.ingest)
    ideas = normalise_responses(responses, params.normalise)
    io.write_parquet(responses, out / "interim" / "responses.parquet")
    io.write_parquet(ideas, out / "interim" / "ideas.parquet")
    io.write_csv(ideas_for_people(ideas), out / "ideas.csv")
    return RunSummary(
        out_dir=out,
        responses=len(responses),
        ideas=len(ideas),
        non_answers=int(ideas["non_answer"].sum()),
        duplicates=int(ideas["duplicate_of"].notna().sum()),
        languages=ideas["language"].value_counts().to_dict(),
    )
