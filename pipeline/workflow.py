"""The whole pipeline in one process, for `balsis run` and notebooks (DVC runs it per stage)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import io
from pipeline.clustering import fit_clusters, name_themes
from pipeline.embed import (
    DEFAULT_MODELS_DIR,
    embed_ideas_with_params,
    load_sentence_model,
    resolve_model,
)
from pipeline.ingest import ingest_file
from pipeline.normalise import normalise_responses
from pipeline.params import Params
from pipeline.priority import priorities
from pipeline.svid import svid_table, theme_swot
from pipeline.swot import (
    CueMatcher,
    assign_swot,
    save_swot_model,
    swot_model_from_params,
    train_swot,
)
from pipeline.themes import load_taxonomy

DEFAULT_TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "reference" / "themes.yaml"
DEFAULT_CACHE = Path.home() / ".cache" / "balsis" / "embeddings"
DEFAULT_LABELLED = (
    Path(__file__).resolve().parent.parent / "data" / "reference" / "svid_labelled.csv"
)

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
    "swot",
    "swot_confidence",
    "swot_evidence",
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
    "swot_dominant",
    "swot_share_S",
    "swot_share_W",
    "swot_share_O",
    "swot_share_T",
    "priority_rank",
    "priority_score",
    "n_territories",
    "n_groups",
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
            f"SVID table:   {self.out_dir / 'svid.csv'}",
            f"priorities:   {self.out_dir / 'priorities.csv'}",
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
    embeddings, sidecar = embed_ideas_with_params(
        ideas, params, cache_dir=cache_dir, models_dir=models_dir, model=model
    )
    clusters = fit_clusters(ideas, embeddings, params).clusters
    themes, idea_themes = name_themes(ideas, embeddings, clusters, taxonomy, model, params)
    matcher = CueMatcher()
    swot_model = _swot_model(
        params, Path(models_dir or DEFAULT_MODELS_DIR) / "swot", model, matcher
    )
    idea_swot = assign_swot(
        ideas,
        embeddings,
        swot_model,
        matcher,
        adapt_priors=params.swot.adapt_priors,
        adapt_min_ideas=params.swot.adapt_min_ideas,
    )
    idea_swot.attrs = {}
    table = ideas.merge(idea_themes, on="idea_id").merge(idea_swot, on="idea_id")
    priority = priorities(table, params.priority.weights)
    names = dict(zip(themes["theme"], themes["name_lv"], strict=True))
    svid = svid_table(table, names)
    themes = themes.merge(theme_swot(table).reset_index(), on="theme", how="left").merge(
        priority[["theme", "priority_rank", "priority_score", "n_territories", "n_groups"]],
        on="theme",
        how="left",
    )

    io.write_parquet(responses, out / "interim" / "responses.parquet")
    io.write_parquet(ideas, out / "interim" / "ideas.parquet")
    io.write_npy(embeddings, out / "interim" / "embeddings.npy")
    io.write_json(sidecar, out / "interim" / "embeddings.json")
    io.write_parquet(themes, out / "interim" / "themes.parquet")
    io.write_parquet(idea_themes, out / "interim" / "idea_themes.parquet")
    io.write_parquet(idea_swot, out / "interim" / "idea_swot.parquet")
    table["theme_name"] = [names.get(theme, "") for theme in table["theme"]]
    io.write_csv(ideas_for_people(table), out / "ideas.csv")
    io.write_csv(themes[[c for c in THEMES_CSV_COLUMNS if c in themes]], out / "themes.csv")
    io.write_csv(priority, out / "priorities.csv")
    io.write_csv(priorities(table, params.priority.weights, by="territory"),
                 out / "priorities_by_territory.csv")  # fmt: skip
    io.write_csv(priorities(table, params.priority.weights, by="group"),
                 out / "priorities_by_group.csv")  # fmt: skip
    io.write_csv(svid.drop(columns=["quote_idea_ids"]), out / "svid.csv")
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


def _swot_model(params: Params, directory: Path, encoder: object, matcher: CueMatcher) -> object:
    """The SWOT classifier from ``directory``, trained there first if missing."""
    if params.swot.use_classifier and not (directory / "model.joblib").exists():
        logger.info("training the SWOT classifier on %s (once)", DEFAULT_LABELLED)
        labelled = io.read_table(DEFAULT_LABELLED).drop(columns=[io.ROW_COLUMN])
        classifier, report = train_swot(
            labelled,
            encoder,  # type: ignore[arg-type]
            params.swot,
            params.seed,
            matcher=matcher,
            prompt_name=params.embed.prompt_name,
            batch_size=params.embed.batch_size,
        )
        save_swot_model(classifier, report, directory)
    return swot_model_from_params(
        params.swot,
        matcher,
        model_dir=directory,
        encoder=encoder,  # type: ignore[arg-type]
        prompt_name=params.embed.prompt_name,
    )
