"""The whole pipeline in one process, for `balsis run` and notebooks (DVC runs it per stage)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from pipeline.embed.encoder import DEFAULT_MODELS_DIR, load_sentence_model, resolve_model
from pipeline.embed.ideas import embed_ideas_with_params
from pipeline.ingest.responses import ingest_file
from pipeline.io.artefacts import write_csv, write_json, write_npy, write_parquet
from pipeline.io.tables import ROW_COLUMN, read_table
from pipeline.normalise.ideas import normalise_responses
from pipeline.params import Params
from pipeline.publish.charts.build import build_figures, project_2d, save_figures
from pipeline.publish.redact import redact_frame
from pipeline.publish.report.build import write_report
from pipeline.publish.report.inputs import Method, ReportInputs, load_figures
from pipeline.review.apply import apply_overrides
from pipeline.review.load import load_overrides
from pipeline.review.rules import Overrides
from pipeline.review.table import reviewed_ideas
from pipeline.summary.priority import priorities
from pipeline.summary.svid import svid_table, theme_swot
from pipeline.swot.assign import assign_swot
from pipeline.swot.cues import CueMatcher
from pipeline.swot.persist import save_swot_model, swot_model_from_params
from pipeline.swot.train import train_swot
from pipeline.topics.fit import fit_clusters
from pipeline.topics.taxonomy import DEFAULT_TAXONOMY, load_taxonomy
from pipeline.topics.themes import name_themes

DEFAULT_LABELLED = (
    Path(__file__).resolve().parent.parent / "data" / "reference" / "svid_labelled.csv"
)

logger = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """Where ``balsis run`` keeps embeddings between runs.

    ``$BALSIS_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/balsis/embeddings`` (by default
    ``~/.cache/balsis/embeddings``); read at call time, so a test or a notebook can move it.
    """
    if os.environ.get("BALSIS_CACHE_DIR"):
        return Path(os.environ["BALSIS_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "balsis" / "embeddings"


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
    "hidden",
    "theme_by_person",
    "swot_by_person",
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
    "renamed",
    "merged_from",
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
    overrides_applied: int = 0
    overrides_unmatched: int = 0
    redactions: int = 0

    def lines(self) -> list[str]:
        """Human-readable summary lines."""
        langs = ", ".join(f"{lang} {n}" for lang, n in self.languages.items())
        lines = [
            f"{self.responses} responses -> {self.ideas} ideas "
            f"({self.non_answers} non-answers, {self.duplicates} duplicates)",
            f"languages: {langs}",
            f"{self.themes} themes; {self.outliers} ideas fit no theme (outliers)",
        ]
        if self.overrides_applied or self.overrides_unmatched:
            lines.append(
                f"corrections: {self.overrides_applied} applied, "
                f"{self.overrides_unmatched} no longer match (listed in the report)"
            )
        if self.redactions:
            lines.append(f"personal data: {self.redactions} identifiers replaced in the report")
        lines += [
            f"report:       {self.out_dir / REPORT_HTML}",
            f"workbook:     {self.out_dir / REPORT_XLSX}",
            f"charts:       {self.out_dir / FIGURES_DIR}/",
            f"ideas table:  {self.out_dir / 'ideas.csv'}",
            f"themes table: {self.out_dir / 'themes.csv'}",
            f"SVID table:   {self.out_dir / 'svid.csv'}",
            f"priorities:   {self.out_dir / 'priorities.csv'}",
        ]
        return lines


REPORT_HTML = "report.html"
REPORT_XLSX = "balsis.xlsx"
FIGURES_DIR = "figures"
STEPS = ("read", "normalise", "embed", "cluster", "themes", "SVID", "review", "priorities",
         "charts", "report")  # fmt: skip


def ideas_for_people(ideas: pd.DataFrame) -> pd.DataFrame:
    """The columns of the ideas table that go into ``ideas.csv``."""
    return ideas[[c for c in IDEAS_CSV_COLUMNS if c in ideas.columns]]


class _Progress:
    """One bar over the pipeline's steps (on stderr; off when quiet)."""

    def __init__(self, enabled: bool) -> None:
        self._bar = tqdm(total=len(STEPS), unit="step", disable=not enabled, leave=False,
                         bar_format="{desc:<12} {bar} {n_fmt}/{total_fmt} [{elapsed}]")  # fmt: skip
        self._started = 0

    def step(self, name: str) -> None:
        """Mark the previous step done and show ``name`` as the current one."""
        if self._started:
            self._bar.update(1)
        self._started += 1
        self._bar.set_description_str(name)
        logger.info("%s ...", name)

    def close(self) -> None:
        self._bar.update(self._started - self._bar.n)
        self._bar.close()


def run_pipeline(
    input_path: str | Path,
    out_dir: str | Path,
    params: Params,
    *,
    taxonomy_path: str | Path = DEFAULT_TAXONOMY,
    cache_dir: str | Path | bool | None = True,
    models_dir: str | Path | None = None,
    overrides_path: str | Path | None = None,
    progress: bool = False,
) -> RunSummary:
    """Run every step on ``input_path`` and write the outputs to ``out_dir``.

    Internal artefacts go to ``out_dir/interim``; files for people to ``out_dir`` itself: the
    report, the workbook and the charts (personal data replaced) and the CSV tables.

    Args:
        cache_dir: Embedding cache: a directory, True for :func:`default_cache_dir`, None or
            False for none.
        overrides_path: A planner's corrections (``data/review/overrides.yaml`` format);
            None: none. A path that does not exist is an error.
        progress: Show a progress bar over the steps (and the embedding).
    """
    out = Path(out_dir)
    bar = _Progress(progress)
    bar.step("read")
    taxonomy = load_taxonomy(taxonomy_path)
    overrides = (
        load_overrides(overrides_path, required=True) if overrides_path else Overrides.empty()
    )
    if cache_dir is True:
        cache_dir = default_cache_dir()
    responses = ingest_file(input_path, params.ingest)
    bar.step("normalise")
    ideas = normalise_responses(responses, params.normalise)
    bar.step("embed")
    model = load_sentence_model(resolve_model(params.embed.model, models_dir))
    embeddings, sidecar = embed_ideas_with_params(
        ideas,
        params,
        cache_dir=cache_dir or None,
        models_dir=models_dir,
        model=model,
        progress=progress,
    )
    bar.step("cluster")
    fitted = fit_clusters(ideas, embeddings, params, taxonomy=taxonomy)
    bar.step("themes")
    themes, idea_themes = name_themes(ideas, embeddings, fitted.clusters, taxonomy, model, params)
    bar.step("SVID")
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
    bar.step("review")
    machine = reviewed_ideas(ideas, idea_themes, idea_swot, themes)
    review = apply_overrides(machine, themes, overrides)
    table, reviewed_themes = review.ideas, review.themes
    bar.step("priorities")
    priority = priorities(table, params.priority.weights)
    names = dict(zip(reviewed_themes["theme"], reviewed_themes["name_lv"], strict=True))
    svid = svid_table(table, names)
    split = theme_swot(table).reset_index()
    bar.step("charts")
    coords = project_2d(fitted.reduced, random_state=params.seed)
    figures = build_figures(table, reviewed_themes, priority, split, coords, params.report)
    save_figures(figures, out / FIGURES_DIR)
    bar.step("report")
    inputs = ReportInputs(
        ideas=table,
        themes=reviewed_themes,
        priorities=priority,
        svid=svid,
        theme_swot=split,
        review_log={"applied": review.applied, "unmatched": review.unmatched},
        figures=load_figures(out / FIGURES_DIR),
        report=params.report,
        method=method_settings(params),
        source_name=Path(input_path).name,
    )
    redactions = write_report(inputs, out / REPORT_HTML, out / REPORT_XLSX, params.report.lang)

    write_parquet(responses, out / "interim" / "responses.parquet")
    write_parquet(ideas, out / "interim" / "ideas.parquet")
    write_npy(embeddings, out / "interim" / "embeddings.npy")
    write_json(sidecar, out / "interim" / "embeddings.json")
    write_parquet(themes, out / "interim" / "themes.parquet")
    write_parquet(idea_themes, out / "interim" / "idea_themes.parquet")
    write_parquet(idea_swot, out / "interim" / "idea_swot.parquet")
    write_parquet(table, out / "interim" / "reviewed_ideas.parquet")
    write_parquet(reviewed_themes, out / "interim" / "reviewed_themes.parquet")
    write_npy(fitted.reduced, out / "interim" / "reduced.npy")
    write_json(inputs.review_log, out / "review.json")
    themes_out = reviewed_themes.merge(split, on="theme", how="left").merge(
        priority[["theme", "priority_rank", "priority_score", "n_territories", "n_groups"]],
        on="theme",
        how="left",
    )
    write_csv(ideas_for_people(table), out / "ideas.csv")
    write_csv(themes_out[[c for c in THEMES_CSV_COLUMNS if c in themes_out]],
              out / "themes.csv")  # fmt: skip
    write_csv(priority, out / "priorities.csv")
    write_csv(priorities(table, params.priority.weights, by="territory"),
              out / "priorities_by_territory.csv")  # fmt: skip
    write_csv(priorities(table, params.priority.weights, by="group"),
              out / "priorities_by_group.csv")  # fmt: skip
    public_svid, _ = redact_frame(svid, ("theme_name", "quotes"))  # pasted into programmes
    write_csv(public_svid.drop(columns=["quote_idea_ids"]), out / "svid.csv")
    bar.close()
    answers = ~ideas["non_answer"].astype(bool)
    counts = review.counts()
    return RunSummary(
        out_dir=out,
        responses=len(responses),
        ideas=len(ideas),
        non_answers=int(ideas["non_answer"].sum()),
        duplicates=int(ideas["duplicate_of"].notna().sum()),
        languages=ideas["language"].value_counts().to_dict(),
        themes=len(reviewed_themes),
        outliers=int(idea_themes.loc[answers.to_numpy(), "outlier"].astype(bool).sum()),
        overrides_applied=len(review.applied),
        overrides_unmatched=int(counts.get("unmatched", len(review.unmatched))),
        redactions=int(sum(redactions.values())),
    )


def method_settings(params: Params) -> Method:
    """The settings of ``params`` that the report's method appendix lists."""
    return Method(
        embed=params.embed,
        reduce=params.reduce,
        cluster=params.cluster,
        themes=params.themes,
        swot=params.swot,
        priority=params.priority,
        seed=params.seed,
    )


def _swot_model(params: Params, directory: Path, encoder: object, matcher: CueMatcher) -> object:
    """The SWOT classifier from ``directory``, trained there first if missing."""
    if params.swot.use_classifier and not (directory / "model.joblib").exists():
        logger.info("training the SWOT classifier on %s (once)", DEFAULT_LABELLED)
        labelled = read_table(DEFAULT_LABELLED).drop(columns=[ROW_COLUMN])
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
