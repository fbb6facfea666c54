"""One function per stage: its inputs and its own params sections in, its outputs out.

The DVC stages (``pipeline/stages/``) read a step's inputs from files, call it and write what it
returns; ``balsis run`` (:mod:`pipeline.workflow`) calls the same steps in one process. So both
routes compute the same thing, and what a step reads is in its signature: the params sections it
takes are the ones its stage declares in ``dvc.yaml`` (``tests/test_dvc.py`` checks it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pipeline.params import PriorityParams, ReportParams, SwotParams
from pipeline.publish.charts.build import build_figures, project_2d
from pipeline.publish.report.build import write_report
from pipeline.publish.report.inputs import ReportInputs
from pipeline.review.apply import ReviewResult, apply_overrides
from pipeline.review.rules import Overrides
from pipeline.review.table import reviewed_ideas
from pipeline.summary.priority import priorities
from pipeline.summary.svid import svid_table, theme_swot
from pipeline.swot.assign import assign_swot
from pipeline.swot.base import SwotModel
from pipeline.swot.cues import CueMatcher


def swot(
    ideas: pd.DataFrame,
    embeddings: np.ndarray,
    model: SwotModel,
    matcher: CueMatcher,
    params: SwotParams,
) -> pd.DataFrame:
    """The SWOT quadrant, probabilities and evidence of every idea."""
    idea_swot = assign_swot(
        ideas,
        embeddings,
        model,
        matcher,
        adapt_priors=params.adapt_priors,
        adapt_min_ideas=params.adapt_min_ideas,
    )
    idea_swot.attrs = {}  # the fitted priors are logged, not stored with the table
    return idea_swot


def review(
    ideas: pd.DataFrame,
    idea_themes: pd.DataFrame,
    idea_swot: pd.DataFrame,
    themes: pd.DataFrame,
    overrides: Overrides,
) -> ReviewResult:
    """The machine's themes and quadrants with a person's corrections applied."""
    table = reviewed_ideas(ideas, idea_themes, idea_swot, themes)
    return apply_overrides(table, themes, overrides)


@dataclass(frozen=True)
class Summary:
    """What the reviewed ideas add up to."""

    priorities: pd.DataFrame
    by_territory: pd.DataFrame
    by_group: pd.DataFrame
    theme_swot: pd.DataFrame
    svid: pd.DataFrame


def summarise(table: pd.DataFrame, themes: pd.DataFrame, params: PriorityParams) -> Summary:
    """Priorities (overall, per territory, per group), each theme's SWOT split, the SVID table."""
    return Summary(
        priorities=priorities(table, params.weights),
        by_territory=priorities(table, params.weights, by="territory"),
        by_group=priorities(table, params.weights, by="group"),
        theme_swot=theme_swot(table).reset_index(),
        svid=svid_table(table, theme_names(themes)),
    )


def theme_names(themes: pd.DataFrame) -> dict[str, str]:
    """Theme key -> its Latvian name."""
    return dict(zip(themes["theme"], themes["name_lv"], strict=True))


def charts(
    table: pd.DataFrame,
    themes: pd.DataFrame,
    summary: Summary,
    reduced: np.ndarray,
    params: ReportParams,
    seed: int,
) -> dict[str, Figure]:
    """Every chart of a run; the map of ideas is drawn from the UMAP coordinates."""
    coords = project_2d(reduced, random_state=seed)
    return build_figures(table, themes, summary.priorities, summary.theme_swot, coords, params)


def report(
    inputs: ReportInputs, html_path: str | Path, excel_path: str | Path
) -> dict[str, int]:
    """Redact, write the HTML report and the workbook; the redaction counts per kind."""
    return write_report(inputs, html_path, excel_path, inputs.report.lang)
