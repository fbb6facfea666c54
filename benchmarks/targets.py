"""The SWOT, question-frame and non-answer targets in one table: ``python -m benchmarks.targets``.

``make bench`` writes this section into ``docs/benchmarks.md``. Sources:

- the survey sample (``data/raw/survey.xlsx`` against ``data/reference/survey_gold.csv``), as the
  DVC stage ``survey`` measured it into ``metrics/survey.json``: answers to the lack question
  in W, answers to the wish question in S, answers to the pride question in S, SWOT macro-F1;
- the proposals sample (no questions), from ``metrics/swot.json`` and
  ``data/processed/idea_swot.parquet``: SWOT macro-F1, and the share of answers with no praise
  cue (none of the cue file's ``strength_cues``) that come out S;
- hand-written non-answer forms (``tests/data/nonanswer_forms.csv``, kept apart from the
  patterns; :mod:`benchmarks.nonanswers`): precision and recall.

Run ``dvc repro`` first: the sample figures are read from its outputs, nothing is recomputed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from benchmarks import nonanswers
from benchmarks.swot_frames import proposals_sample
from pipeline.swot.cues import CueMatcher

ROOT = Path(__file__).resolve().parent.parent
SURVEY_METRICS = ROOT / "metrics" / "survey.json"


def measure() -> dict[str, Any]:
    """The figures (read from the DVC outputs, and the non-answer forms run through the rules)."""
    survey = json.loads(SURVEY_METRICS.read_text(encoding="utf-8"))["swot"]
    return {
        "survey": survey,
        "proposals": proposals_sample(CueMatcher()),
        "non_answers": nonanswers.measure(),
    }


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _row(what: str, value: str, target: str, met: bool) -> str:
    return f"| {what} | {value} | {target} | {'yes' if met else 'NO'} |"


def render(figures: dict[str, Any]) -> str:
    """The targets as a Markdown section."""
    s, p = figures["survey"], figures["proposals"]
    na = figures["non_answers"]["overall"]
    lines = [
        "## SWOT quadrants, question frames and non-answers: targets",
        "",
        "Survey sample: `data/raw/survey.xlsx`, gold `data/reference/survey_gold.csv`"
        f" ({s['n']} answers with a gold quadrant: {s['n_lack']} to the lack question,"
        f" {s['n_wish']} to the wish question, {s['n_pride']} to the pride question), from"
        " `metrics/survey.json`. Proposals sample: `data/raw/proposals.csv` (no questions),"
        " from `metrics/swot.json` and `data/processed/idea_swot.parquet`.",
        "",
        "| figure | value | target | met |",
        "| --- | --- | --- | --- |",
        _row(
            "survey: answers to the lack question in W",
            _pct(s["lack_in_W"]),
            ">= 90%",
            s["lack_in_W"] >= 0.9,
        ),
        _row(
            "survey: answers to the wish question in S",
            _pct(s["wish_in_S"]),
            "<= 5%",
            s["wish_in_S"] <= 0.05,
        ),
        _row(
            "proposals, no question: answers with no praise cue in S",
            f"{_pct(p['no_praise_in_S'])} (of {p['no_praise']})",
            "<= 5%",
            p["no_praise_in_S"] <= 0.05,
        ),
        _row(
            "proposals: SWOT macro-F1",
            f"{p['macro_f1']:.3f}",
            ">= 0.80",
            p["macro_f1"] >= 0.8,
        ),
        _row(
            "survey: SWOT macro-F1 (quadrants the gold has: S, W, O)",
            f"{s['macro_f1']:.3f}",
            ">= 0.80",
            s["macro_f1"] >= 0.8,
        ),
        _row(
            f"non-answers, {na['n']} hand-written forms: precision / recall",
            f"{na['precision']:.3f} / {na['recall']:.3f}",
            ">= 0.95 each",
            na["precision"] >= 0.95 and na["recall"] >= 0.95,
        ),
        "",
        f"Survey, besides: answers to the pride question in S {_pct(s['pride_in_S'])};"
        f" answers whose gold quadrant is not S that come out S {_pct(s['non_praise_in_S'])};"
        f" wish answers W {_pct(s['share_wish_W'])}, O {_pct(s['share_wish_O'])}, right"
        f" quadrant by the wish rule {_pct(s['accuracy_wish'])}; F1 S {s['f1_S']:.3f},"
        f" W {s['f1_W']:.3f}, O {s['f1_O']:.3f}.",
        "",
        nonanswers.render(figures["non_answers"]).rstrip("\n"),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render(measure()))
