"""The whole pipeline in one process, for `balsis run` and notebooks (DVC runs it per stage)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import io
from pipeline.clustering import fit_clusters, name_themes
from pipeline.embed import embed_ideas, load_sentence_model, resolve_model
from pipeline.ingest import ingest_file
from pipeline.normalise import normalise_responses
from pipeline.params import Params
from pipeline.themes import load_taxonomy

DEFAULT_TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "reference" / "themes.yaml"
DEFAULT_CACHE = Path.home() / ".cache" / "balsis" / "embeddings"

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
    "cluster",
    "theme",
    "theme_name",
    "subtheme_name",
    "theme_confidence",
    "outlier",
)

THEMES_CSV_COLUMNS = (
    "theme",
    "name_lv",
    "name_en",
    "keywords",
    "n_ideas",
    "n_responses",
    "votes",
    "confidence",
    "is_new",
    "subthemes",
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
    themes: int
    outliers: int

    def lines(self) -> list[str]:
        """Human-readable summary lines."""
        langs = ", ".join(f"{lang} {n}" for lang, n in self.languages.items())
        return [
            f"{self.responses} responses -> {self.ideas} ideas "
            f"({self.non_answers} non-answers, {self.duplicates} duplicates)",
            f"languages: {langs}",
            f"{self.themes} themes; {self.outliers} ideas fit no theme (outliers)",
            f"ideas table:  {self.out_dir / 'ideas.csv'}",
            f"themes table: {self.out_dir / 'themes.csv'}",
        ]


def ideas_for_people(ideas: pd.DataFrame) -> pd.DataFrame:
    """The columns of the ideas table that go into ``ideas.csv``."""
    return ideas[[c for c in IDEAS_CSV_COLUMNS if c in ideas.columns]]


def run_pipeline(
    input_path: str | Path,
    out_dir: str | Path,
    params: Params,
    *,
    taxonomy_path: str | Path = DEFAULT_TAXONOMY,
    cache_dir: str | Path | None = DEFAULT_CACHE,
    models_dir: str | Path | None = None,
) -> RunSummary:
    """Run every step on ``input_path`` and write the outputs to ``out_dir``.

    Internal artefacts go to ``out_dir/interim``; files for people to ``out_dir`` itself.
    """
    out = Path(out_dir)
    taxonomy = load_taxonomy(taxonomy_path)
    responses = ingest_file(input_path, params.ingest)
    ideas = normalise_responses(responses, params.normalise)
    model = load_sentence_model(resolve_model(params.embed.model, models_dir))
    embeddings, sidecar = embed_ideas(
        ideas,
        params.embed.model,
        prompt_name=params.embed.prompt_name,
        batch_size=params.embed.batch_size,
        max_chars=params.ingest.max_embed_chars,
        cache_dir=cache_dir,
        models_dir=models_dir,
        model=model,
    )
    clusters = fit_clusters(ideas, embeddings, params).clusters
    themes, idea_themes = name_themes(ideas, embeddings, clusters, taxonomy, model, params)

    io.write_parquet(responses, out / "interim" / "responses.parquet")
    io.write_parquet(ideas, out / "interim" / "ideas.parquet")
    io.write_npy(embeddings, out / "interim" / "embeddings.npy")
    io.write_json(sidecar, out / "interim" / "embeddings.json")
    io.write_parquet(themes, out / "interim" / "themes.parquet")
    io.write_parquet(idea_themes, out / "interim" / "idea_themes.parquet")
    names = dict(zip(themes["theme"], themes["name_lv"], strict=True))
    people = ideas.merge(idea_themes.drop(columns=["cluster"], errors="ignore"), on="idea_id")
    people = people.merge(clusters[["idea_id", "cluster"]], on="idea_id")
    people["theme_name"] = [names.get(theme, "") for theme in people["theme"]]
    io.write_csv(ideas_for_people(people), out / "ideas.csv")
    io.write_csv(themes[[c for c in THEMES_CSV_COLUMNS if c in themes]], out / "themes.csv")
    answers = ~ideas["non_answer"].astype(bool)
    return RunSummary(
        out_dir=out,
        responses=len(responses),
        ideas=len(ideas),
        non_answers=int(ideas["non_answer"].sum()),
        duplicates=int(ideas["duplicate_of"].notna().sum()),
        languages=ideas["language"].value_counts().to_dict(),
        themes=len(themes),
        outliers=int(idea_themes.loc[answers.to_numpy(), "outlier"].astype(bool).sum()),
    )
