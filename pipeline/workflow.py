"""The whole pipeline in one process, for `balsis run` and notebooks (DVC runs it per stage)."""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from pipeline.embed.encoder import (
    DEFAULT_MODELS_DIR,
    SentenceEncoder,
    load_embedding_model,
)
from pipeline.errors import BalsisError
from pipeline.io.artefacts import write_json, write_npy, write_parquet
from pipeline.io.outdir import output_folder
from pipeline.io.tables import ROW_COLUMN, read_table
from pipeline.params import Params
from pipeline.publish.boundary import write_public_csv
from pipeline.publish.charts.build import save_figures
from pipeline.publish.report.inputs import Method, ReportInputs, load_figures
from pipeline.review.load import load_overrides
from pipeline.review.rules import Overrides
from pipeline.steps.charts import charts
from pipeline.steps.choices import choices
from pipeline.steps.cluster import cluster
from pipeline.steps.compute import Compute, compute_on
from pipeline.steps.ingest import ingest
from pipeline.steps.priority import priority
from pipeline.steps.reduce import reduce
from pipeline.steps.report import report
from pipeline.steps.review import review
from pipeline.steps.swot import swot_model
from pipeline.steps.themes import themes as name_themes
from pipeline.steps.train_swot import train_swot
from pipeline.swot.base import SwotModel
from pipeline.swot.cues import CueMatcher
from pipeline.swot.persist import save_swot_model
from pipeline.topics.reduction import seed_rows
from pipeline.topics.small import small_input_note
from pipeline.topics.taxonomy import DEFAULT_TAXONOMY, load_taxonomy

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
    "respondent",
    "idea_id",
    "question",
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

THEMES_CSV_COLUMNS = tuple(
    "theme name_lv name_en keywords n_ideas n_responses votes confidence is_new renamed "
    "merged_from subthemes swot_dominant swot_share_S swot_share_W swot_share_O swot_share_T "
    "priority_rank priority_score n_territories n_groups".split()
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
    small_input: str = ""  # what was and was not done with an input too small to cluster
    step_seconds: dict[str, float] = dataclasses.field(default_factory=dict)  # per step of STEPS

    def lines(self) -> list[str]:
        """Human-readable summary lines."""
        langs = ", ".join(f"{lang} {n}" for lang, n in self.languages.items())
        lines = [
            f"{self.responses} responses -> {self.ideas} ideas "
            f"({self.non_answers} non-answers, {self.duplicates} duplicates)",
            f"languages: {langs}",
            f"{self.themes} themes; {self.outliers} ideas fit no theme (outliers)",
            *filter(None, [self.small_input]),
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
STEPS = (
    "read",
    "normalise",
    "embed",
    "cluster",
    "themes",
    "SVID",
    "review",
    "priorities",
    "charts",
    "report",
)
# What a run writes into --out, as patterns: a folder written before runs listed their files in
# DIR/.balsis-outputs.json is recognised by them, so that a rerun may replace it.
RUN_OUTPUTS = (
    *f"{REPORT_HTML} {REPORT_XLSX} review.json ideas.csv themes.csv svid.csv choices.csv".split(),
    *f"priorities*.csv {FIGURES_DIR}/*.png {FIGURES_DIR}/*.svg".split(),
    *"interim/*.parquet interim/*.npy interim/*.json".split(),
)


def ideas_for_people(ideas: pd.DataFrame) -> pd.DataFrame:
    """The columns of the ideas table that go into ``ideas.csv``."""
    return ideas[[c for c in IDEAS_CSV_COLUMNS if c in ideas.columns]]


class _Progress:
    """One bar over the pipeline's steps (on stderr; off when quiet)."""

    def __init__(self, enabled: bool) -> None:
        self._bar = tqdm(
            total=len(STEPS),
            unit="step",
            disable=not enabled,
            leave=False,
            bar_format="{desc:<12} {bar} {n_fmt}/{total_fmt} [{elapsed}]",
        )
        self._current: str | None = None
        self.seconds: dict[str, float] = {}  # each finished step's wall time
        self._since = time.perf_counter()

    def step(self, name: str | None) -> None:
        """Mark the previous step done and show ``name`` (None: no more) as the current one."""
        if self._current is not None:
            self._bar.update(1)
            self.seconds[self._current] = time.perf_counter() - self._since
            logger.info("%s done in %.1f s", self._current, self.seconds[self._current])
        self._since = time.perf_counter()
        self._current = name
        if name is not None:
            self._bar.set_description_str(name)
            logger.info("%s ...", name)

    def close(self) -> None:
        self.step(None)
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
    """Run every step on ``input_path`` and write the outputs to ``out_dir``, all or nothing.

    Internal artefacts go to ``out_dir/interim``; files for people to ``out_dir`` itself: the
    report, the workbook and the charts (personal data replaced) and the CSV tables. They are
    written into a folder beside ``out_dir`` that replaces it only at the end
    (:mod:`pipeline.io.outdir`): after an error or a kill, ``out_dir`` holds the complete
    outputs of the previous run, never a mix.

    Args:
        cache_dir: Embedding cache: a directory, True for :func:`default_cache_dir`, None or
            False for none.
        overrides_path: A planner's corrections (``data/review/overrides.yaml`` format);
            None: none. A path that does not exist is an error.
        progress: Show a progress bar over the steps (and the embedding).

    Raises:
        InputError: Before any work, when ``out_dir`` is a file or holds files Balsis did not
            write; later, for bad input.
    """
    with output_folder(out_dir, RUN_OUTPUTS) as folder, compute_on(params.compute) as compute:
        options = (taxonomy_path, cache_dir, models_dir, overrides_path, progress, compute)
        summary = _run_into(input_path, folder, Path(out_dir), params, *options)
    return dataclasses.replace(summary, out_dir=Path(out_dir))


def _run_into(
    input_path: str | Path,
    out_dir: str | Path,
    shown_dir: Path,
    params: Params,
    taxonomy_path: str | Path,
    cache_dir: str | Path | bool | None,
    models_dir: str | Path | None,
    overrides_path: str | Path | None,
    progress: bool,
    compute: Compute,
) -> RunSummary:
    """The steps of :func:`run_pipeline`, writing into ``out_dir`` (a folder no one reads yet).

    Messages name the files as the user will find them, in ``shown_dir`` (``--out``).
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
    responses = ingest(input_path, params.ingest)
    choice_counts = choices(input_path, params.ingest, taxonomy)
    bar.step("normalise")
    ideas = compute.normalise(responses, params.normalise)
    bar.step("embed")
    model = load_embedding_model(params.embed, models_dir, progress=progress)
    embeddings, sidecar = compute.embed(
        ideas,
        params.embed,
        params.ingest.max_embed_chars,
        cache_dir=cache_dir or None,
        models_dir=models_dir,
        model=model,
        progress=progress,
    )
    bar.step("cluster")
    reduction = reduce(
        ideas,
        embeddings,
        taxonomy,
        params.reduce,
        params.crosslingual,
        params.guidance,
        params.seed,
        params.cluster.min_cluster_size,
    )
    _, clusters = cluster(
        ideas,
        reduction.centred,
        reduction.reduced,
        params.cluster,
        params.outliers,
        seed_rows(reduction, ideas),
    )
    bar.step("themes")
    themes, idea_themes = name_themes(
        ideas, embeddings, clusters, taxonomy, model, params.themes, params.embed.prompt_name
    )
    bar.step("SVID")
    matcher = CueMatcher()
    classifier = _swot_model(
        params, Path(models_dir or DEFAULT_MODELS_DIR) / "swot", model, matcher
    )
    idea_swot = compute.swot(ideas, embeddings, classifier, matcher, params.swot)
    bar.step("review")
    # Idea ids and theme keys for corrections: the user finds them in the tables of --out.
    result = review(
        ideas,
        idea_themes,
        idea_swot,
        themes,
        overrides,
        ideas_file=str(shown_dir / "ideas.csv"),
        themes_file=str(shown_dir / "themes.csv"),
    )
    table, reviewed_themes = result.ideas, result.themes
    bar.step("priorities")
    summary = priority(table, reviewed_themes, params.priority)
    bar.step("charts")
    figures = charts(
        table,
        reviewed_themes,
        summary.priorities,
        summary.theme_swot,
        reduction.reduced,
        params.report,
        params.seed,
    )
    save_figures(figures, out / FIGURES_DIR)
    bar.step("report")
    inputs = ReportInputs(
        ideas=table,
        themes=reviewed_themes,
        priorities=summary.priorities,
        svid=summary.svid,
        theme_swot=summary.theme_swot,
        review_log={"applied": result.applied, "unmatched": result.unmatched},
        figures=load_figures(out / FIGURES_DIR),
        report=params.report,
        method=method_settings(params),
        source_name=Path(input_path).name,
        choices=choice_counts,
    )
    redactions = report(inputs, out / REPORT_HTML, out / REPORT_XLSX)

    write_parquet(responses, out / "interim" / "responses.parquet")
    write_parquet(choice_counts, out / "interim" / "choices.parquet")
    write_parquet(ideas, out / "interim" / "ideas.parquet")
    write_npy(embeddings, out / "interim" / "embeddings.npy")
    write_json(sidecar, out / "interim" / "embeddings.json")
    write_parquet(themes, out / "interim" / "themes.parquet")
    write_parquet(idea_themes, out / "interim" / "idea_themes.parquet")
    write_parquet(idea_swot, out / "interim" / "idea_swot.parquet")
    write_parquet(table, out / "interim" / "reviewed_ideas.parquet")
    write_parquet(reviewed_themes, out / "interim" / "reviewed_themes.parquet")
    write_npy(reduction.reduced, out / "interim" / "reduced.npy")
    write_json(inputs.review_log, out / "review.json")
    ranks = ["theme", "priority_rank", "priority_score", "n_territories", "n_groups"]
    themes_out = reviewed_themes.merge(summary.theme_swot, on="theme", how="left")
    themes_out = themes_out.merge(summary.priorities[ranks], on="theme", how="left")
    # Published (boundary: every text column redacted, formulas neutralised); raw in interim/.
    write_public_csv(ideas_for_people(table), out / "ideas.csv")
    public_themes = themes_out[[c for c in THEMES_CSV_COLUMNS if c in themes_out]]
    write_public_csv(public_themes, out / "themes.csv")
    write_public_csv(summary.priorities, out / "priorities.csv")
    write_public_csv(summary.by_territory, out / "priorities_by_territory.csv")
    write_public_csv(summary.by_group, out / "priorities_by_group.csv")
    write_public_csv(summary.svid.drop(columns=["quote_idea_ids"]), out / "svid.csv")
    write_public_csv(choice_counts, out / "choices.csv")
    bar.close()
    return RunSummary(
        out_dir=out,
        responses=len(responses),
        ideas=len(ideas),
        non_answers=int(ideas["non_answer"].sum()),
        duplicates=int(ideas["duplicate_of"].notna().sum()),
        languages=ideas["language"].value_counts().to_dict(),
        themes=len(reviewed_themes),
        outliers=int(idea_themes["outlier"].astype(bool).sum()),  # answers only
        overrides_applied=len(result.applied),
        overrides_unmatched=int(result.counts().get("unmatched", len(result.unmatched))),
        redactions=int(sum(redactions.values())),
        small_input=small_input_note(table, table["theme"], params.cluster.min_cluster_size),
        step_seconds=bar.seconds,
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


def _swot_model(
    params: Params, directory: Path, encoder: SentenceEncoder, matcher: CueMatcher
) -> SwotModel:
    """The SWOT classifier in ``directory``, trained there first if missing or out of date."""
    if params.swot.use_classifier:
        try:
            return swot_model(
                matcher,
                params.swot,
                params.embed.prompt_name,
                classifier_dir=directory,
                encoder=encoder,
            )
        except (BalsisError, AttributeError, ModuleNotFoundError) as exc:
            # none yet, or saved by code whose classes have moved since
            logger.info("training the SWOT classifier on %s (%s)", DEFAULT_LABELLED, exc)
        labelled = read_table(DEFAULT_LABELLED).drop(columns=[ROW_COLUMN])
        classifier, cv_report = train_swot(
            labelled, encoder, matcher, params.swot, params.embed, params.seed
        )
        save_swot_model(classifier, cv_report, directory)
    return swot_model(
        matcher, params.swot, params.embed.prompt_name, classifier_dir=directory, encoder=encoder
    )
