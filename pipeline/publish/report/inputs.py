"""What the report and the workbook are made of, and the redacted copy that is published."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.params import (
    ClusterParams,
    EmbedParams,
    PriorityParams,
    ReduceParams,
    ReportParams,
    SwotParams,
    ThemesParams,
)
from pipeline.publish.boundary import public_frame, public_text
from pipeline.publish.tables import with_swot
from pipeline.summary.counting import is_counted

# Derived texts the report and the workbook do not show.
UNPUBLISHED_COLUMNS = ("text_normalised", "text_folded")
# What a respondent gave besides the proposal (the same for every idea of a response).
METADATA_COLUMNS = ("territory", "group", "source", "date")


@dataclass(frozen=True)
class Method:
    """The settings of a run that the report's method appendix lists."""

    embed: EmbedParams = field(default_factory=EmbedParams)
    reduce: ReduceParams = field(default_factory=ReduceParams)
    cluster: ClusterParams = field(default_factory=ClusterParams)
    themes: ThemesParams = field(default_factory=ThemesParams)
    swot: SwotParams = field(default_factory=SwotParams)
    priority: PriorityParams = field(default_factory=PriorityParams)
    seed: int = 42


@dataclass
class ReportInputs:
    """Everything the report and the workbook are made of (the reviewed pipeline outputs).

    Attributes:
        ideas: The reviewed ideas table (see :mod:`pipeline.review.table`), one row per idea.
        themes: The reviewed themes table.
        priorities: Priority per theme (:func:`pipeline.summary.priority.priorities`).
        svid: The SVID table (:func:`pipeline.summary.svid.svid_table`).
        theme_swot: Quadrant split per theme (:func:`pipeline.summary.svid.theme_swot`).
        review_log: ``{"applied": [...], "unmatched": [...]}`` from the review step.
        figures: PNG bytes per chart name (``keywords``, ``priorities``, ...).
        report: The ``report`` section (language, quotes per theme).
        method: The settings the method appendix lists.
        source_name: Name of the input file, shown in the header.
        choices: A survey's tick boxes counted per option (:mod:`pipeline.ingest.choices`);
            None or empty for input without them.
    """

    ideas: pd.DataFrame
    themes: pd.DataFrame
    priorities: pd.DataFrame
    svid: pd.DataFrame
    theme_swot: pd.DataFrame
    review_log: Mapping[str, Any] = field(default_factory=dict)
    figures: Mapping[str, bytes] = field(default_factory=dict)
    report: ReportParams = field(default_factory=ReportParams)
    method: Method = field(default_factory=Method)
    source_name: str = ""
    choices: pd.DataFrame | None = None


def load_figures(directory: str | Path, names: Iterable[str] | None = None) -> dict[str, bytes]:
    """PNG bytes of the charts in ``directory`` (missing ones are skipped)."""
    directory = Path(directory)
    wanted = list(names) if names is not None else [p.stem for p in directory.glob("*.png")]
    return {n: (directory / f"{n}.png").read_bytes() for n in wanted
            if (directory / f"{n}.png").exists()}  # fmt: skip


def publishable(inputs: ReportInputs) -> tuple[ReportInputs, dict[str, int]]:
    """A copy of ``inputs`` as it may be published, and the identifiers replaced per kind.

    Every text column of every table passes :func:`pipeline.publish.boundary.public_frame`
    (proposals, territory, group, source, keywords, quotes, evidence, theme names given by a
    person, ...), and so do the corrections log and the input file's name. Formulas are left to
    the workbook, which neutralises each cell it writes; the HTML shows the text as written.

    Counts are over what residents wrote: each idea's text once, the metadata columns once per
    response, and the themes' names and keywords.
    """
    # Derived texts (folded, normalised) lose the "@" and dots that identify an e-mail: they
    # are not published at all.
    ideas = inputs.ideas.drop(columns=list(UNPUBLISHED_COLUMNS), errors="ignore")
    ideas, counts = public_frame(ideas, formulas=False, count=["text"])
    responses = inputs.ideas
    if "response_id" in responses.columns:
        responses = responses.drop_duplicates("response_id")
    metadata = [c for c in METADATA_COLUMNS if c in responses.columns]
    _, metadata_counts = public_frame(responses[metadata], formulas=False)
    themes, theme_counts = public_frame(inputs.themes, formulas=False)
    tables = {
        name: public_frame(getattr(inputs, name), formulas=False)[0]
        for name in ("priorities", "svid", "theme_swot")
    }
    choice_counts: dict[str, int] = {}
    if inputs.choices is not None:  # an "other" option holds what a respondent typed
        tables["choices"], choice_counts = public_frame(
            inputs.choices, formulas=False, count=["option"]
        )
    review_log = {
        key: [public_text(entry)[0] for entry in inputs.review_log.get(key, [])]
        for key in ("applied", "unmatched")
    }
    total: Counter[str] = Counter(counts)
    total.update(metadata_counts)
    total.update(theme_counts)
    total.update(choice_counts)
    result = dataclasses.replace(
        inputs,
        ideas=ideas,
        themes=themes,
        review_log=review_log,
        source_name=public_text(inputs.source_name)[0],
        **tables,
    )
    return result, dict(total)


def visible_ideas(ideas: pd.DataFrame) -> pd.DataFrame:
    """Ideas that count (:func:`pipeline.summary.counting.is_counted`), in their order.

    The report reads ``non_answer`` strictly: the reviewed ideas table always has it, so a
    table without it is an error (KeyError), and a missing value counts as a non-answer
    (where the counting module, for tables from before the review, reads both as answers).
    """
    strict = ideas.assign(non_answer=ideas["non_answer"].astype(bool))
    return ideas[is_counted(strict)]


def theme_overview(inputs: ReportInputs, lang: str = "lv") -> pd.DataFrame:
    """One row per theme in priority order: name, keywords, counts, SWOT split and priority."""
    themes = with_swot(inputs.themes, inputs.theme_swot)
    ranks = inputs.priorities[["theme", "priority_rank", "priority_score",
                               "n_territories", "n_groups"]]  # fmt: skip
    themes = themes.drop(columns=[c for c in ranks.columns if c != "theme"], errors="ignore")
    themes = themes.merge(ranks, on="theme", how="left")
    themes["name"] = [_theme_name(row, lang) for row in themes.to_dict("records")]
    order = themes["priority_rank"].fillna(len(themes) + 1)
    return themes.assign(_order=order).sort_values(["_order", "theme"]).drop(columns="_order")


def _theme_name(row: Mapping[str, Any], lang: str) -> str:
    lv = str(row.get("name_lv") or row.get("theme") or "")
    if lang == "en":
        return str(row.get("name_en") or lv)
    return lv
